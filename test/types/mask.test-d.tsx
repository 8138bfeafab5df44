/** The mask editor's public types (issue 15), as a host imports them from `@toapis/image-kit`. */
import { describe, expectTypeOf, test } from 'vitest';
import { GeneratorProvider, MaskEditor, preloadMaskEditor, setMaskExporter, type MaskEditorProps, type MaskExporter, type MaskFileInput, type MaskFiles } from '../../src';

describe('MaskEditor', () => {
  test('props: open and onOpenChange required, the reference optional', () => {
    expectTypeOf<MaskEditorProps['open']>().toEqualTypeOf<boolean>();
    expectTypeOf<MaskEditorProps['onOpenChange']>().toEqualTypeOf<(open: boolean) => void>();
    expectTypeOf<MaskEditorProps['referenceId']>().toEqualTypeOf<string | undefined>();
    void (
      <GeneratorProvider backendUrl="/api" model="gpt-image-2">
        <MaskEditor open onOpenChange={() => {}} referenceId="r1" className="mine" />
        {/* @ts-expect-error onOpenChange is required */}
        <MaskEditor open />
      </GeneratorProvider>
    );
  });

  test('the exporter seam', () => {
    expectTypeOf<MaskExporter>().toEqualTypeOf<(input: MaskFileInput) => Promise<MaskFiles>>();
    expectTypeOf<MaskFileInput['mask']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf(setMaskExporter).parameter(0).toEqualTypeOf<MaskExporter | undefined>();
    expectTypeOf(preloadMaskEditor).returns.toEqualTypeOf<void>();
  });
});
