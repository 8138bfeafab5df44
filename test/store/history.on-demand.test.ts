/**
 * Prompt history before its on-demand code (src/store/slices/historyOps.ts) has loaded: this file
 * sets `kitOnDemand`, so test/setup.node.ts preloads nothing. A store with a `keep` storage starts
 * loading it at creation and shows the kept prompts once it has arrived.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { keptKey } from '../../src/store/keep';
import type { StorageLike } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';

const sim = useSimulatorServer({ seed: 15, queuedMs: 50, generatingMs: 150 });

let stores: GeneratorStore[] = [];
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
});

/** Waits (real time, at most `ms`) until `check` holds. */
async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('prompt history before its code has loaded', () => {
  it('reads the kept prompts once its code arrives, with nothing to step through before', async () => {
    const scope = 'https://api.example.com';
    const data = new Map([[keptKey({ storage: {} as StorageLike, scope }, 'history'), JSON.stringify({ v: 1, prompts: ['kept'] })]]);
    const storage: StorageLike = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
    const store = createGeneratorStore({ backendUrl: sim.baseUrl, keep: { storage, scope } });
    stores.push(store);

    expect(store.getState().promptHistory).toEqual([]);
    store.getState().setPrompt('draft');
    expect(store.getState().stepHistory(-1)).toBe(false);
    expect(store.getState().prompt).toBe('draft');

    await eventually(() => store.getState().promptHistory.length > 0);
    expect(store.getState().promptHistory).toEqual(['kept']);

    store.getState().setPrompt('sent right away');
    expect(await store.getState().submit()).toBeDefined();
    expect(store.getState().promptHistory).toEqual(['sent right away', 'kept']);

    // Loaded: synchronous from now on.
    store.getState().setPrompt('draft');
    expect(store.getState().stepHistory(-1)).toBe(true);
    expect(store.getState().prompt).toBe('sent right away');
  });

  it('history: false loads nothing and reads nothing', async () => {
    let reads = 0;
    const storage: StorageLike = { getItem: () => ((reads += 1), null), setItem: () => {}, removeItem: () => {} };
    const store = createGeneratorStore({ backendUrl: sim.baseUrl, keep: { storage, scope: 'x' }, history: false });
    stores.push(store);
    store.getState().setPrompt('draft');
    expect(store.getState().stepHistory(-1)).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toBe(0);
  });
});
