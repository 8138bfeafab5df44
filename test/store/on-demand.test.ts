/**
 * The store before its on-demand code (engine, client, poller; src/core/util/lazy.ts) has loaded:
 * this file sets `kitOnDemand`, so test/setup.node.ts preloads nothing. Real timers: loading takes
 * real I/O. Generate, a double click and cancel work from the very first call.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { useSimulatorServer } from '../msw/server';

const sim = useSimulatorServer({ seed: 3, queuedMs: 50, generatingMs: 150 });

let store: GeneratorStore | undefined;
afterEach(() => store?.getState().dispose());

/** Waits (real time, at most `ms`) until `check` holds. */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the store before its on-demand code has loaded', () => {
  it('the first Generate loads it, sends one task for a double click, and follows the task to the end', async () => {
    store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 50 });
    store.getState().setPrompt('a first task, straight away');
    const a = store.getState().submit();
    const b = store.getState().submit();
    const [first, second] = await Promise.all([a, b]);
    expect(first?.phase).toBeDefined();
    expect(second).toBeUndefined();
    await eventually(() => store!.getState().tasks[0]?.phase === 'completed');
    expect(store.getState().tasks).toHaveLength(1);
    expect(store.getState().tasks[0]!.images.length).toBeGreaterThan(0);
    expect(sim.simulator.stats.tasksCreated).toBe(1);
  });

  it('an empty prompt is refused with an issue, and nothing is sent', async () => {
    store = createGeneratorStore({ backendUrl: sim.baseUrl });
    const before = sim.simulator.stats.tasksCreated;
    expect(await store.getState().submit()).toBeUndefined();
    expect(store.getState().issues.map((i) => i.field)).toContain('prompt');
    expect(sim.simulator.stats.tasksCreated).toBe(before);
  });
});
