/** The store's state as hosts read it: its shape, the task records, selector inference, actions. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  createGeneratorStore,
  selectCanSubmit,
  selectLatestTask,
  selectPrompt,
  selectTaskById,
  useGenerator,
  useGeneratorShallow,
  useGeneratorStore,
  type GenerationTask,
  type GeneratorState,
  type GeneratorStore,
  type ModelParameters,
  type ReferenceItem,
  type ReuseResult,
  type ClearedTasks,
  type SubmitRequest,
  type TaskImage,
  type TaskPhase,
  type ToapisError,
} from '@toapis/image-kit';

describe('GeneratorState', () => {
  test('settings', () => {
    expectTypeOf<GeneratorState['prompt']>().toEqualTypeOf<string>();
    expectTypeOf<GeneratorState['model']>().toEqualTypeOf<string>();
    expectTypeOf<GeneratorState['aspectRatio']>().toEqualTypeOf<string>();
    expectTypeOf<GeneratorState['resolution']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GeneratorState['n']>().toEqualTypeOf<number>();
    expectTypeOf<GeneratorState['parameters']>().toEqualTypeOf<ModelParameters>();
  });

  test('collections and the submit state', () => {
    expectTypeOf<GeneratorState['tasks']>().toEqualTypeOf<GenerationTask[]>();
    expectTypeOf<GeneratorState['references']>().toEqualTypeOf<ReferenceItem[]>();
    expectTypeOf<GeneratorState['submitState']>().toEqualTypeOf<'idle' | 'waiting' | 'submitting'>();
    expectTypeOf<GeneratorState['maxReferences']>().toEqualTypeOf<number>();
  });

  test('actions', () => {
    expectTypeOf<GeneratorState['submit']>().toEqualTypeOf<() => Promise<GenerationTask | undefined>>();
    expectTypeOf<GeneratorState['retry']>().toEqualTypeOf<(taskLocalId: string) => Promise<void>>();
    expectTypeOf<GeneratorState['cancel']>().toEqualTypeOf<(taskLocalId: string) => void>();
    expectTypeOf<GeneratorState['setPrompt']>().toEqualTypeOf<(prompt: string) => void>();
    expectTypeOf<GeneratorState['addReferenceUrl']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<GeneratorState['fetchResultImage']>().returns.toEqualTypeOf<Promise<Blob | undefined>>();
  });

  test('many jobs (issue 14)', () => {
    expectTypeOf<GeneratorState['reuseSettings']>().toEqualTypeOf<(taskLocalId: string) => Promise<ReuseResult | undefined>>();
    expectTypeOf<ReuseResult>().toEqualTypeOf<{ references: number; expired: number; refused: number }>();
    expectTypeOf<GeneratorState['moreLikeThis']>().toEqualTypeOf<(taskLocalId: string) => Promise<GenerationTask | undefined>>();
    expectTypeOf<GeneratorState['cancelAll']>().toEqualTypeOf<() => void>();
    expectTypeOf<GeneratorState['clearFinished']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<GeneratorState['undoClearFinished']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<GeneratorState['clearedTasks']>().toEqualTypeOf<ClearedTasks | undefined>();
    expectTypeOf<ClearedTasks>().toEqualTypeOf<{ count: number; until: number }>();
  });

  test('wrong uses are refused', () => {
    const state = {} as GeneratorState;
    // @ts-expect-error setN takes a number
    state.setN('2');
    // @ts-expect-error there is no `status` on the store; tasks carry their own
    expectTypeOf(state.status).toBeString();
  });
});

describe('GenerationTask', () => {
  test('the record a task keeps', () => {
    expectTypeOf<GenerationTask['id']>().toEqualTypeOf<string>();
    expectTypeOf<GenerationTask['taskId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GenerationTask['phase']>().toEqualTypeOf<TaskPhase>();
    expectTypeOf<GenerationTask['progress']>().toEqualTypeOf<number | null>();
    expectTypeOf<GenerationTask['request']>().toEqualTypeOf<SubmitRequest>();
    expectTypeOf<GenerationTask['images']>().toEqualTypeOf<TaskImage[]>();
    expectTypeOf<GenerationTask['error']>().toEqualTypeOf<ToapisError | undefined>();
    expectTypeOf<GenerationTask['expiresAt']>().toEqualTypeOf<number | undefined>();
  });

  test('the phases', () => {
    expectTypeOf<TaskPhase>().toEqualTypeOf<'idle' | 'submitting' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled'>();
    // @ts-expect-error 'running' is not a phase
    const phase: TaskPhase = 'running';
    expectTypeOf(phase).toEqualTypeOf<TaskPhase>();
  });
});

describe('selectors and hooks', () => {
  test('useGenerator infers the selector’s result', () => {
    expectTypeOf(useGenerator((s) => s.prompt)).toEqualTypeOf<string>();
    expectTypeOf(useGenerator((s) => s.tasks.length > 0)).toEqualTypeOf<boolean>();
    expectTypeOf(useGenerator(selectPrompt)).toEqualTypeOf<string>();
    expectTypeOf(useGenerator(selectCanSubmit)).toEqualTypeOf<boolean>();
    expectTypeOf(useGenerator(selectLatestTask)).toEqualTypeOf<GenerationTask | undefined>();
    expectTypeOf(useGenerator(selectTaskById('t1'))).toEqualTypeOf<GenerationTask | undefined>();
    expectTypeOf(useGeneratorShallow((s) => s.tasks.map((t) => t.id))).toEqualTypeOf<string[]>();
  });

  test('a selector reads GeneratorState only', () => {
    // @ts-expect-error no such field
    useGenerator((s) => s.promptText);
    // @ts-expect-error a selector takes the state, not a string
    useGenerator((s: string) => s);
  });

  test('the store', () => {
    expectTypeOf(useGeneratorStore()).toEqualTypeOf<GeneratorStore>();
    expectTypeOf(createGeneratorStore).returns.toEqualTypeOf<GeneratorStore>();
    expectTypeOf<ReturnType<GeneratorStore['getState']>>().toEqualTypeOf<GeneratorState>();
    // @ts-expect-error backendUrl is a string
    createGeneratorStore({ backendUrl: 1 });
  });
});
