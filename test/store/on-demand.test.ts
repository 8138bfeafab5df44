/**
 * The store before its on-demand code (engine, client, poller; src/core/util/lazy.ts) has loaded:
 * this file sets `kitOnDemand`, so test/setup.node.ts preloads nothing. Real timers: loading takes
 * real I/O. Generate, a double click and cancel work from the very first call.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { useSimulatorServer } from '../msw/server';
import { isProvisional, modelRegistry } from '../../src/store/models';
import { selectCapabilities } from '../../src/store/selectors';

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
  // First in this file: nothing has loaded the registry yet.
  it('keeps another model\'s settings while its capabilities are provisional, then fits them once the registry arrives', async () => {
    expect(modelRegistry.get()).toBeUndefined();
    store = createGeneratorStore({
      backendUrl: sim.baseUrl,
      model: 'gpt-image-2',
      initial: { aspectRatio: '2:1', resolution: '4K', n: 1, parameters: { quality: 'low', not_a_parameter: true } },
    });
    const before = store.getState();
    expect(isProvisional(selectCapabilities(before))).toBe(true);
    // Nothing fitted to the generic stand-in (it has no resolutions and no parameters).
    expect([before.model, before.aspectRatio, before.resolution]).toEqual(['gpt-image-2', '2:1', '4K']);
    expect(before.parameters).toEqual({ quality: 'low', not_a_parameter: true });
    await eventually(() => selectCapabilities(store!.getState()).label === 'GPT Image 2');
    const after = store.getState();
    expect(isProvisional(selectCapabilities(after))).toBe(false);
    expect([after.model, after.aspectRatio, after.resolution]).toEqual(['gpt-image-2', '2:1', '4K']);
    expect(after.parameters).toEqual({ quality: 'low' });
  });

  it('the default model is known at once, without the registry', () => {
    store = createGeneratorStore({ backendUrl: sim.baseUrl, initial: { aspectRatio: '8:1', resolution: '2k' } });
    const s = store.getState();
    expect(isProvisional(selectCapabilities(s))).toBe(false);
    expect([s.model, s.aspectRatio, s.resolution]).toEqual(['gemini-3.1-flash-image-preview', '8:1', '2K']);
  });

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
