/**
 * Model parameters in the store: set / reset, what a model switch keeps, the submit body, validation
 * before anything is sent, and session persistence — against the simulator through MSW.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { loadPersisted, type StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import type { FetchLike } from '../../src/core/client';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 11, queuedMs: 200, generatingMs: 600 });

let stores: GeneratorStore[] = [];
/** Bodies of the submits that reached the network. */
let sent: Array<Record<string, unknown>> = [];
const recordingFetch: FetchLike = (url, init) => {
  if (/\/v1\/images\/generations$/.test(url) && init?.method === 'POST' && typeof init.body === 'string') {
    sent.push(JSON.parse(init.body) as Record<string, unknown>);
  }
  return fetch(url, init);
};

function makeStore(options: Partial<GeneratorStoreOptions> = {}): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, random: () => 0.5, fetch: recordingFetch, ...options });
  stores.push(store);
  return store;
}

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

beforeEach(() => {
  useFakeClock();
  sent = [];
});
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

describe('setting parameters', () => {
  it('starts empty; setParameter sets and unsets, setParameters replaces, resetParameters clears', () => {
    const store = makeStore();
    const st = () => store.getState();
    expect(st().parameters).toEqual({});
    st().setParameter('google_search', true);
    expect(st().parameters).toEqual({ google_search: true });
    st().setParameter('google_image_search', true);
    expect(st().parameters).toEqual({ google_search: true, google_image_search: true });
    st().setParameter('google_image_search', undefined);
    expect(st().parameters).toEqual({ google_search: true });
    st().setParameters({ google_image_search: false, google_search: undefined });
    expect(st().parameters).toEqual({ google_image_search: false });
    st().resetParameters();
    expect(st().parameters).toEqual({});
  });

  it('does not update the store when nothing changes (a controlled provider writes on every render)', () => {
    const store = makeStore();
    store.getState().setParameters({ google_search: true });
    const before = store.getState().parameters;
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.getState().setParameters({ google_search: true });
    store.getState().setParameter('google_search', true);
    store.getState().setParameter('google_image_search', undefined);
    expect(listener).not.toHaveBeenCalled();
    expect(store.getState().parameters).toBe(before);
    unsubscribe();
  });

  it('starts from `initial.parameters`, keeping only what the model takes', () => {
    const store = makeStore({ model: 'gpt-image-2-official', initial: { parameters: { quality: 'low', google_search: true } } });
    expect(store.getState().parameters).toEqual({ quality: 'low' });
  });
});

describe('switching models', () => {
  it('keeps the values the new model takes and drops the rest', () => {
    const store = makeStore({ model: 'gemini-3-pro-image-preview' });
    store.getState().setParameters({ orientation: 'portrait' });
    store.getState().setModel('gemini-2.5-flash-image-preview'); // also takes orientation
    expect(store.getState().parameters).toEqual({ orientation: 'portrait' });
    store.getState().setModel('gpt-image-2-vip'); // does not
    expect(store.getState().parameters).toEqual({});
    store.getState().setModel('gemini-3-pro-image-preview');
    expect(store.getState().parameters).toEqual({}); // dropped means dropped

    store.getState().setModel('gpt-image-2-official');
    store.getState().setParameters({ quality: 'low', output_format: 'jpeg', output_compression: 60 });
    store.getState().setModel('gpt-image-2-vip'); // quality only
    expect(store.getState().parameters).toEqual({ quality: 'low' });
  });

  it('drops everything for a model outside the registry', () => {
    const store = makeStore();
    store.getState().setParameter('google_search', true);
    store.getState().setModel('brand-new-model');
    expect(store.getState().parameters).toEqual({});
  });
});

describe('submit', () => {
  it('sends the parameters in their place and the task remembers them', async () => {
    const store = makeStore();
    store.getState().setPrompt('grounded lighthouse');
    store.getState().setResolution('2K');
    store.getState().setParameters({ google_search: true, google_image_search: true });
    const task = await store.getState().submit();
    expect(task).toBeDefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.metadata).toEqual({ resolution: '2K', google_search: true, google_image_search: true });
    expect(Object.hasOwn(sent[0]!, 'google_search')).toBe(false);
    expect(task!.request.metadata).toEqual({ resolution: '2K', google_search: true, google_image_search: true });
    expect(task!.parameters).toEqual({ google_search: true, google_image_search: true });
    // A later change does not rewrite what the task was sent with.
    store.getState().resetParameters();
    expect(store.getState().tasks[0]!.parameters).toEqual({ google_search: true, google_image_search: true });
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
  });

  it('sends top-level parameters for gpt-image-2-official', async () => {
    const store = makeStore({ model: 'gpt-image-2-official' });
    store.getState().setPrompt('a poster');
    store.getState().setParameters({ quality: 'high', output_format: 'jpeg', output_compression: 70 });
    await store.getState().submit();
    expect(sent[0]).toMatchObject({ model: 'gpt-image-2-official', resolution: '1k', quality: 'high', output_format: 'jpeg', output_compression: 70 });
    expect(Object.hasOwn(sent[0]!, 'metadata')).toBe(false);
  });

  it('an invalid value blocks Generate with a clear message, sends nothing, and keeps every setting', async () => {
    const store = makeStore();
    store.getState().setPrompt('image search alone');
    store.getState().setParameter('google_image_search', true);
    expect(await store.getState().submit()).toBeUndefined();
    expect(store.getState().issues).toEqual([
      expect.objectContaining({ field: 'parameters', code: 'requires', parameter: 'google_image_search', message: '"google_image_search" needs "google_search" set to true.' }),
    ]);
    expect(sent).toHaveLength(0);
    expect(sim.simulator.stats.submits).toBe(0);
    expect(store.getState().tasks).toHaveLength(0);
    expect(store.getState().prompt).toBe('image search alone');
    expect(store.getState().parameters).toEqual({ google_image_search: true });

    // Fixing a parameter clears its message; then Generate goes through.
    store.getState().setParameter('google_search', true);
    expect(store.getState().issues).toEqual([]);
    expect(await store.getState().submit()).toBeDefined();
    expect(sent).toHaveLength(1);
  });

  it('an invalid value is reported at once, not after the uploads Generate would wait for', async () => {
    const store = makeStore();
    store.getState().setPrompt('with a reference');
    const adding = store.getState().addReferences([pngFile('slow.png', 20, 20, 3)]);
    store.getState().setParameter('google_image_search', true);
    const result = store.getState().submit();
    expect(store.getState().submitState).toBe('idle'); // not 'waiting'
    expect(store.getState().issues.map((i) => i.parameter)).toEqual(['google_image_search']);
    expect(await result).toBeUndefined();
    await adding;
    expect(sent).toHaveLength(0);
  });

  it('refuses out-of-range, wrong-type and unknown parameters, each with its message', async () => {
    const store = makeStore({ model: 'flux-kontext-pro' });
    store.getState().setPrompt('a kontext edit');
    store.getState().setParameters({ safety_tolerance: 9, prompt_upsampling: 'yes' as unknown as boolean, quality: 'high' });
    expect(await store.getState().submit()).toBeUndefined();
    expect(store.getState().issues.map((i) => [i.parameter, i.code, i.message])).toEqual([
      ['safety_tolerance', 'out_of_range', '"safety_tolerance" must be between 0 and 6; it is 9.'],
      ['prompt_upsampling', 'invalid_type', '"prompt_upsampling" must be true or false.'],
      ['quality', 'unsupported', 'flux-kontext-pro does not take the parameter "quality".'],
    ]);
    expect(sent).toHaveLength(0);
  });
});

describe('persistence', () => {
  const KEY = 'gen:params';

  it('saves the parameters with the settings and the task, and restores both', async () => {
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY }, model: 'gpt-image-2-official' });
    a.getState().setPrompt('saved');
    a.getState().setParameters({ quality: 'low', output_format: 'jpeg', output_compression: 40 });
    await a.getState().submit();
    await until(a, (s) => s.tasks[0]?.phase === 'completed');
    a.getState().setParameter('quality', 'medium');
    a.getState().dispose();

    const saved = JSON.parse(storage.data.get(KEY)!) as { settings: { parameters: unknown } };
    expect(saved.settings.parameters).toEqual({ quality: 'medium', output_format: 'jpeg', output_compression: 40 });

    const b = makeStore({ persist: { storage, key: KEY } });
    expect(b.getState().model).toBe('gpt-image-2-official');
    expect(b.getState().parameters).toEqual({ quality: 'medium', output_format: 'jpeg', output_compression: 40 });
    expect(b.getState().tasks[0]!.parameters).toEqual({ quality: 'low', output_format: 'jpeg', output_compression: 40 });
  });

  it('saved values win over initial ones, which fill in the rest (also with skipHydration + rehydrate)', () => {
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY } });
    a.getState().setParameter('google_search', false);
    a.getState().dispose();

    const initial = { parameters: { google_search: true, google_image_search: false } };
    const b = makeStore({ persist: { storage, key: KEY }, initial });
    expect(b.getState().parameters).toEqual({ google_search: false, google_image_search: false });

    const c = makeStore({ persist: { storage, key: KEY, skipHydration: true }, initial });
    expect(c.getState().parameters).toEqual({ google_search: true, google_image_search: false });
    c.getState().rehydrate();
    expect(c.getState().parameters).toEqual({ google_search: false, google_image_search: false });
  });

  it('ignores garbled saved parameters and keeps only what the saved model takes', () => {
    const storage = memoryStorage();
    storage.setItem(
      KEY,
      JSON.stringify({
        v: 1,
        settings: {
          model: 'gemini-3.1-flash-image-preview',
          parameters: { google_search: true, quality: 'high', google_image_search: { evil: 1 }, ['x'.repeat(80)]: true },
        },
        references: [],
        tasks: [],
      }).replace('"parameters":{', '"parameters":{"__proto__":{"polluted":true},'),
    );
    const store = makeStore({ persist: { storage, key: KEY } });
    expect(store.getState().parameters).toEqual({ google_search: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    storage.setItem(KEY, JSON.stringify({ v: 1, settings: { parameters: ['google_search'] }, references: [], tasks: [] }));
    expect(makeStore({ persist: { storage, key: KEY } }).getState().parameters).toEqual({});
  });

  it('reads back only short names with flag, finite number or short string values', () => {
    const storage = memoryStorage();
    const long = 'x'.repeat(65);
    storage.setItem(
      KEY,
      JSON.stringify({ v: 1, settings: { parameters: { a: true, b: 2, c: 'low', [long]: true, d: null, e: 'y'.repeat(201), f: [1] } }, references: [], tasks: [] }),
    );
    expect(loadPersisted({ storage, key: KEY })!.settings.parameters).toEqual({ a: true, b: 2, c: 'low' });
  });
});
