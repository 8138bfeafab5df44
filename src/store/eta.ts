/**
 * Time left for a generating task, from the generation times this store has seen (learned per model
 * and resolution by the engine, src/store/slices/durations.ts). Pure and framework-free: no
 * learned time, no estimate; the kit never invents one.
 */
import type { GenerationTask } from '../core/task';
import type { Durations, GeneratorState } from './types';

/** The learning key of a model and resolution: `${model}|${resolution ?? ''}`. */
export function durationKey(model: string, resolution: string | undefined): string {
  return `${model}|${resolution ?? ''}`;
}

/** The median of some durations (the mean of the middle two for an even count); undefined when empty. */
export function medianDuration(values: readonly number[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The learned generation time (median of the last 20) for a task's model and resolution, if any. */
export function expectedDuration(durations: Durations, task: Pick<GenerationTask, 'model' | 'resolution'>): number | undefined {
  const key = durationKey(task.model, task.resolution);
  return Object.hasOwn(durations, key) ? medianDuration(durations[key]) : undefined;
}

/**
 * Milliseconds left for a generating task at `now` (epoch ms): the learned median minus the time it
 * has been generating, never below 0. Undefined when the task is not generating, when it was never
 * seen generating, or when nothing was learned for its model and resolution.
 */
export function estimateRemaining(
  state: Pick<GeneratorState, 'durations'>,
  task: Pick<GenerationTask, 'phase' | 'model' | 'resolution' | 'generatingAt'>,
  now: number,
): number | undefined {
  if (task.phase !== 'generating' || task.generatingAt === undefined) return undefined;
  const expected = expectedDuration(state.durations, task);
  return expected === undefined ? undefined : Math.max(0, expected - Math.max(0, now - task.generatingAt));
}
