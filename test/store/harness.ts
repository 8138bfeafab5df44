/** Shared helpers for store tests: fake time that still lets real I/O (crypto, MSW) complete. */
import { vi } from 'vitest';
import type { GeneratorStore } from '../../src/store';
import type { GeneratorState } from '../../src/store/types';

export function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/** Lets pending real I/O callbacks (crypto.subtle, MSW's interceptors) run. */
export const realTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Advances fake time in small steps until `predicate` holds; throws (with the last state) after
 * `maxMs` of simulated time, so no test can hang.
 */
export async function until(
  store: GeneratorStore,
  predicate: (s: GeneratorState) => boolean,
  { maxMs = 120_000, stepMs = 50 }: { maxMs?: number; stepMs?: number } = {},
): Promise<GeneratorState> {
  for (let elapsed = 0; elapsed <= maxMs; elapsed += stepMs) {
    for (let i = 0; i < 3; i += 1) await realTick();
    const s = store.getState();
    if (predicate(s)) return s;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  const s = store.getState();
  throw new Error(
    `condition not reached in ${maxMs} ms; tasks=${JSON.stringify(s.tasks.map((t) => [t.phase, t.error?.kind, t.error?.message]))} refs=${JSON.stringify(s.references.map((r) => r.state))}`,
  );
}

/** Advances fake time by `ms`, letting real I/O run between steps. */
export async function advance(ms: number, stepMs = 50): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    await realTick();
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - t));
  }
  await realTick();
}
