/** Presets as a host sees them through `@toapis/image-kit` (issue 14): the preset type, the store's actions, the picker and the provider prop. */
import * as React from 'react';
import { describe, expectTypeOf, test } from 'vitest';
import {
  GeneratorProvider,
  PresetPicker,
  createGeneratorStore,
  presetId,
  type GeneratorPreset,
  type GeneratorState,
  type PresetImportResult,
  type PresetMessage,
  type PresetPickerProps,
  type PresetSaveResult,
} from '@toapis/image-kit';

describe('presets', () => {
  test('the preset type and the store', () => {
    const brand: GeneratorPreset[] = [{ name: 'Brand poster', aspectRatio: '2:3', n: 1, parameters: { quality: 'high' } }];
    const store = createGeneratorStore({ backendUrl: '/api', presets: brand });
    expectTypeOf(store.getState().hostPresets).toEqualTypeOf<readonly GeneratorPreset[]>();
    expectTypeOf(store.getState().activePreset).toEqualTypeOf<string | undefined>();
    expectTypeOf(store.getState().importPresets('{}')).toEqualTypeOf<Promise<PresetImportResult>>();
    expectTypeOf(store.getState().savePreset('Mine', { includePrompt: true })).toEqualTypeOf<Promise<PresetSaveResult>>();
    expectTypeOf(store.getState().exportPresets()).toEqualTypeOf<Promise<string>>();
    expectTypeOf<GeneratorState['applyPreset']>().parameter(0).toEqualTypeOf<string>();
    expectTypeOf<PresetMessage['code']>().toEqualTypeOf<
      | 'preset.name_required'
      | 'preset.name_too_long'
      | 'preset.name_reserved'
      | 'preset.too_many'
      | 'preset.invalid_json'
      | 'preset.wrong_shape'
      | 'preset.invalid_entry'
      | 'preset.file_too_large'
    >();
    expectTypeOf(presetId('host', 'Brand poster')).toEqualTypeOf<string>();
    // @ts-expect-error a preset needs a name
    const nameless: GeneratorPreset = { aspectRatio: '1:1' };
    void nameless;
  });

  test('the picker and the provider prop', () => {
    expectTypeOf<PresetPickerProps['onPresetApply']>().toEqualTypeOf<((preset: GeneratorPreset) => void) | undefined>();
    void (
      <GeneratorProvider backendUrl="/api" presets={[{ name: 'Brand banner', aspectRatio: '21:9' }]}>
        <PresetPicker importExport={false} exportFileName="brand-presets.json" className="mine" />
      </GeneratorProvider>
    );
  });
});
