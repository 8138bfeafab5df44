/**
 * The components' props as a host sees them through `@toapis/image-kit`: what each accepts, what
 * it refuses, and that the parts are reachable both as named exports and as static members.
 */
import type * as React from 'react';
import { describe, expectTypeOf, test } from 'vitest';
import {
  preloadImageKit,
  AspectRatioPicker,
  AspectRatioPickerShape,
  GeneratorProvider,
  PromptForm,
  PromptFormPrompt,
  PromptFormSubmit,
  ReferenceTray,
  ReferenceTrayItem,
  TaskProgress,
  TaskProgressItem,
  TaskProgressList,
  TaskProgressToolbar,
  type TaskProgressToolbarProps,
  type AspectRatioPickerProps,
  type GenerationTask,
  type GeneratorProviderProps,
  type GeneratorStore,
  type Labels,
  type ModelParameters,
  type PromptFormProps,
  type ReferenceItem,
  type ReferenceTrayProps,
  type TaskProgressProps,
  type ToapisError,
} from '@toapis/image-kit';

type Props<C extends React.JSXElementConstructor<any>> = React.ComponentProps<C>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GeneratorProvider', () => {
  test('backendUrl is the one required prop', () => {
    expectTypeOf<GeneratorProviderProps['backendUrl']>().toEqualTypeOf<string>();
    expectTypeOf<{ backendUrl: string }>().toExtend<GeneratorProviderProps>();
    expectTypeOf<{ model: string }>().not.toExtend<GeneratorProviderProps>();
  });

  test('callbacks receive the kit’s types', () => {
    expectTypeOf<NonNullable<GeneratorProviderProps['onTaskComplete']>>().parameter(0).toEqualTypeOf<GenerationTask>();
    expectTypeOf<NonNullable<GeneratorProviderProps['onError']>>().parameters.toEqualTypeOf<[error: ToapisError, task?: GenerationTask]>();
    expectTypeOf<NonNullable<GeneratorProviderProps['onParametersChange']>>().parameter(0).toEqualTypeOf<ModelParameters>();
  });

  test('labels are partial, persistKey a string or false, store a GeneratorStore', () => {
    expectTypeOf<GeneratorProviderProps['labels']>().toEqualTypeOf<Partial<Labels> | undefined>();
    expectTypeOf<GeneratorProviderProps['persistKey']>().toEqualTypeOf<string | false | undefined>();
    expectTypeOf<GeneratorProviderProps['store']>().toEqualTypeOf<GeneratorStore | undefined>();
    expectTypeOf(GeneratorProvider).parameter(0).toEqualTypeOf<GeneratorProviderProps>();
  });

  test('wrong props are refused', () => {
    // @ts-expect-error persistKey is a string or false, never true
    const persist: GeneratorProviderProps = { backendUrl: '/api', persistKey: true };
    // @ts-expect-error pollInterval is milliseconds, a number
    const poll: GeneratorProviderProps = { backendUrl: '/api', pollInterval: '5s' };
    expectTypeOf(persist).toEqualTypeOf<GeneratorProviderProps>();
    expectTypeOf(poll).toEqualTypeOf<GeneratorProviderProps>();
  });
});

describe('PromptForm', () => {
  test('the composition takes the prompt props, form props and parametersUi', () => {
    expectTypeOf<PromptFormProps['value']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<PromptFormProps['onValueChange']>>().toEqualTypeOf<(value: string) => void>();
    expectTypeOf<PromptFormProps['parametersUi']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PromptFormProps['onSubmit']>().toEqualTypeOf<React.ComponentProps<'form'>['onSubmit']>();
    expectTypeOf<Props<typeof PromptForm>['ref']>().toEqualTypeOf<React.Ref<HTMLFormElement> | undefined>();
  });

  test('parts are named exports and static members', () => {
    expectTypeOf(PromptForm.Prompt).toEqualTypeOf(PromptFormPrompt);
    expectTypeOf(PromptForm.Submit).toEqualTypeOf(PromptFormSubmit);
    expectTypeOf<Props<typeof PromptFormSubmit>['asChild']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Props<typeof PromptFormPrompt>['rows']>().toEqualTypeOf<number | undefined>();
  });

  test('wrong props are refused', () => {
    // @ts-expect-error the prompt is text
    const value: PromptFormProps = { value: 42 };
    // @ts-expect-error Submit's asChild is a boolean
    const submit: Props<typeof PromptFormSubmit> = { asChild: 'yes' };
    expectTypeOf(value).toEqualTypeOf<PromptFormProps>();
    expectTypeOf(submit).not.toBeAny();
  });
});

describe('AspectRatioPicker', () => {
  test('controlled or uncontrolled ratio, on a div', () => {
    expectTypeOf<AspectRatioPickerProps['value']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AspectRatioPickerProps['defaultValue']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AspectRatioPickerProps['showReferenceOnlyRatios']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Props<typeof AspectRatioPicker>['ref']>().toEqualTypeOf<React.Ref<HTMLDivElement> | undefined>();
    expectTypeOf<Props<typeof AspectRatioPickerShape>['ratio']>().toEqualTypeOf<string>();
  });

  test('wrong props are refused', () => {
    // @ts-expect-error onValueChange receives the ratio string
    const picker: AspectRatioPickerProps = { onValueChange: (value: number) => value };
    // @ts-expect-error the shape needs a ratio
    const shape: Props<typeof AspectRatioPickerShape> = {};
    expectTypeOf(picker).toEqualTypeOf<AspectRatioPickerProps>();
    expectTypeOf(shape).not.toBeAny();
  });
});

describe('ReferenceTray', () => {
  test('max, disabled and the change callback', () => {
    expectTypeOf<ReferenceTrayProps['max']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ReferenceTrayProps['disabled']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NonNullable<ReferenceTrayProps['onReferencesChange']>>().parameter(0).toEqualTypeOf<ReferenceItem[]>();
    expectTypeOf<Props<typeof ReferenceTray>['ref']>().toEqualTypeOf<React.Ref<HTMLElement> | undefined>();
  });

  test('an item needs the id of its reference', () => {
    expectTypeOf<Props<typeof ReferenceTrayItem>['referenceId']>().toEqualTypeOf<string>();
    expectTypeOf(ReferenceTray.Item).toEqualTypeOf(ReferenceTrayItem);
  });

  test('wrong props are refused', () => {
    // @ts-expect-error max is a number
    const tray: ReferenceTrayProps = { max: '14' };
    // @ts-expect-error an item without referenceId
    const item: Props<typeof ReferenceTrayItem> = {};
    expectTypeOf(tray).toEqualTypeOf<ReferenceTrayProps>();
    expectTypeOf(item).not.toBeAny();
  });
});

describe('TaskProgress', () => {
  test('the composition: limit, renderEmpty, onUseAsReference; no children', () => {
    expectTypeOf<TaskProgressProps['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TaskProgressProps['renderEmpty']>().toEqualTypeOf<(() => React.ReactNode) | undefined>();
    expectTypeOf<NonNullable<TaskProgressProps['onUseAsReference']>>().parameter(0).toEqualTypeOf<string>();
    expectTypeOf<TaskProgressProps>().not.toHaveProperty('children');
  });

  test('parts: list renders rows by task id, an item needs one', () => {
    expectTypeOf<NonNullable<Props<typeof TaskProgressList>['renderItem']>>().toEqualTypeOf<(taskId: string) => React.ReactNode>();
    expectTypeOf<Props<typeof TaskProgressItem>['taskId']>().toEqualTypeOf<string>();
    expectTypeOf(TaskProgress.Item).toEqualTypeOf(TaskProgressItem);
    expectTypeOf(TaskProgress.List).toEqualTypeOf(TaskProgressList);
  });

  test('many jobs: the toolbar and the row actions (issue 14)', () => {
    expectTypeOf<TaskProgressProps['toolbar']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Props<typeof TaskProgressToolbar>>().toEqualTypeOf<TaskProgressToolbarProps & React.RefAttributes<HTMLDivElement>>();
    expectTypeOf<Props<typeof TaskProgress.Reuse>['taskId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Props<typeof TaskProgress.MoreLikeThis>['asChild']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NonNullable<TaskProgressToolbarProps['onUndo']>>().parameter(0).toEqualTypeOf<React.MouseEvent<HTMLButtonElement>>();
  });

  test('wrong props are refused', () => {
    // @ts-expect-error limit is a number
    const progress: TaskProgressProps = { limit: 'all' };
    // @ts-expect-error an item without taskId
    const item: Props<typeof TaskProgressItem> = {};
    expectTypeOf(progress).toEqualTypeOf<TaskProgressProps>();
    expectTypeOf(item).not.toBeAny();
  });
});

describe('preloadImageKit', () => {
  test('takes nothing and resolves with nothing once every on-demand part has loaded', () => {
    expectTypeOf(preloadImageKit).parameters.toEqualTypeOf<[]>();
    expectTypeOf(preloadImageKit).returns.toEqualTypeOf<Promise<void>>();
  });
});
