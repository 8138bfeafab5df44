/**
 * A saved submit is re-validated before it is sent again: a garbled request in session storage is
 * dropped with a notice, and nothing reaches the network.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { FetchLike } from '../../src/core/client';
import type { StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';
import { advance, until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 33, queuedMs: 300, generatingMs: 1500 });
const KEY = 'gen:restore';

function storageWith(value: unknown): StorageLike {
  const data = new Map([[KEY, JSON.stringify(value)]]);
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

/** Every request the store makes for generations (submits and look-ups). */
let calls: string[] = [];
const countingFetch: FetchLike = (url, init) => {
  if (url.includes('/v1/images/generations')) calls.push(`${init?.method ?? 'GET'} ${url}`);
  return fetch(url, init);
};

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions>) {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, fetch: countingFetch, ...options });
  stores.push(store);
  return store;
}

beforeEach(() => {
  useFakeClock();
  calls = [];
});
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

/** A submit cut off by a reload, as the store saves it. */
function savedSubmit(request: unknown, prompt = 'lost in the reload') {
  return { phase: 'submitting', clientBusinessId: 'kit-restore-1', request, prompt, model: 'gemini-3.1-flash-image-preview', n: 1, images: [], createdAt: 1 };
}
const GOOD_REQUEST = { model: 'gemini-3.1-flash-image-preview', prompt: 'lost in the reload', size: '1:1', n: 1, client_business_id: 'kit-restore-1' };

describe('restoring a saved submit', () => {
  it('a valid saved request is sent again (looked up first) and the task finishes', async () => {
    const store = makeStore({ persist: { storage: storageWith({ v: 1, settings: {}, references: [], tasks: [savedSubmit(GOOD_REQUEST)] }), key: KEY } });
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(calls.some((c) => c.startsWith('POST'))).toBe(true);
    expect(store.getState().notices).toEqual([]);
  });

  it.each([
    ['n is not a number', { ...GOOD_REQUEST, n: 'two' }],
    ['n is not a whole number', { ...GOOD_REQUEST, n: 1.5 }],
    ['the model is empty', { ...GOOD_REQUEST, model: '' }],
    ['image_urls is not a list', { ...GOOD_REQUEST, image_urls: 'https://x.example/a.png' }],
    ['metadata is not an object', { ...GOOD_REQUEST, metadata: 'resolution=4K' }],
    ['the prompt is missing', { model: GOOD_REQUEST.model, n: 1 }],
    ['the request is a string', 'POST /v1/images/generations'],
  ])('a saved request where %s is dropped with a notice and never sent', async (_what, request) => {
    const store = makeStore({ persist: { storage: storageWith({ v: 1, settings: { prompt: 'kept' }, references: [], tasks: [savedSubmit(request)] }), key: KEY } });
    await advance(3000);
    const s = store.getState();
    expect(s.tasks).toEqual([]);
    expect(s.notices).toEqual([expect.objectContaining({ code: 'unrestorable' })]);
    expect(s.prompt).toBe('kept'); // the rest of the saved state still comes back
    expect(calls).toEqual([]);
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('with skipHydration, rehydrate() drops it the same way', async () => {
    const store = makeStore({
      persist: { storage: storageWith({ v: 1, settings: {}, references: [], tasks: [savedSubmit({ ...GOOD_REQUEST, n: -3 })] }), key: KEY, skipHydration: true },
    });
    store.getState().rehydrate();
    await advance(3000);
    expect(store.getState().tasks).toEqual([]);
    expect(store.getState().notices).toEqual([expect.objectContaining({ code: 'unrestorable', params: { prompt: 'lost in the reload' } })]);
    expect(calls).toEqual([]);
  });
});
