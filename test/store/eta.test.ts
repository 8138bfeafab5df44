/**
 * The ETA: generation times learned per model and resolution (queue time never counted), the median
 * of the last 20, kept in long-lived storage (`keep`) and read back validated; `estimateRemaining`
 * counts down with `now` and never goes below zero.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGeneratorStore, durationKey, estimateRemaining, medianDuration, type GeneratorStore } from '../../src/store';
import { keptKey } from '../../src/store/keep';
import { addDuration, MAX_DURATION_KEYS, parseDurations } from '../../src/store/slices/durations';
import { loadPersisted, savePersisted, type StorageLike } from '../../src/store/persistence';
import { learnDuration } from '../../src/store/slices/durations';
import type { StoreContext } from '../../src/store/slices/context';
import type { Durations, GeneratorStoreOptions, KeepOptions } from '../../src/store/types';
import { newTask, type GenerationTask } from '../../src/core/task';
import { useSimulatorServer } from '../msw/server';
import { until, useFakeClock } from './harness';

const QUEUED_MS = 30_000;
const GENERATING_MS = 10_000;
const sim = useSimulatorServer({ seed: 11, queuedMs: QUEUED_MS, generatingMs: GENERATING_MS });
const MODEL = 'gemini-3.1-flash-image-preview';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}) {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, stream: false, ...options });
  stores.push(store);
  return store;
}

/** Loads the store's engine (which reads the kept durations) without sending anything. */
const loadEngine = (store: GeneratorStore) => store.getState().retry('no-such-task');

async function runTask(store: GeneratorStore, prompt = 'a lighthouse at dusk'): Promise<GenerationTask> {
  store.getState().setPrompt(prompt);
  const sent = await store.getState().submit();
  const s = await until(store, (st) => st.tasks.find((t) => t.id === sent?.id)?.phase === 'completed', { stepMs: 250 });
  return s.tasks.find((t) => t.id === sent?.id)!;
}

function generating(over: Partial<GenerationTask> = {}): GenerationTask {
  return {
    ...newTask({ id: 't1', phase: 'queued', request: { model: MODEL, prompt: 'x' }, model: MODEL, resolution: '1K', at: 0 }),
    phase: 'generating',
    generatingAt: 100_000,
    ...over,
  };
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

describe('learning generation times', () => {
  it('records generation time only: a task queued 30 s then generating 10 s records about 10 s', async () => {
    const storage = memoryStorage();
    const keep: KeepOptions = { storage, scope: sim.baseUrl };
    const store = makeStore({ keep });
    const task = await runTask(store);
    expect(task.generatingAt).toBeDefined();
    expect(task.generatingAt! - task.createdAt).toBeGreaterThanOrEqual(QUEUED_MS);

    const key = durationKey(MODEL, task.resolution);
    expect(key).toBe(`${MODEL}|1K`);
    const learned = store.getState().durations[key];
    expect(learned).toHaveLength(1);
    // Poll granularity (250 ms) on either end; never the 40 s since the submit.
    expect(learned![0]).toBeGreaterThanOrEqual(GENERATING_MS - 500);
    expect(learned![0]).toBeLessThanOrEqual(GENERATING_MS + 500);

    // Kept as versioned JSON in long-lived storage.
    expect(JSON.parse(storage.data.get(keptKey(keep, 'durations'))!)).toEqual({ v: 1, durations: { [key]: learned } });
  });

  it('keeps the last 20 per key: the 21st drops the oldest, and the estimate is their median', () => {
    let durations = {};
    for (let i = 1; i <= 21; i += 1) durations = addDuration(durations, 'm|1K', i * 1000);
    const list = (durations as Record<string, number[]>)['m|1K']!;
    expect(list).toHaveLength(20);
    expect(list[0]).toBe(2000); // 1000 dropped
    expect(list[19]).toBe(21_000);
    // 2 s … 21 s: the middle two are 11 s and 12 s.
    expect(medianDuration(list)).toBe(11_500);
    expect(medianDuration([5000, 1000, 3000])).toBe(3000);
    expect(medianDuration([])).toBeUndefined();
  });

  it('is keyed per model and resolution, and keeps at most 50 keys (the least recently updated goes)', () => {
    let durations = addDuration({}, durationKey('a', '1K'), 10_000);
    durations = addDuration(durations, durationKey('a', '4K'), 40_000);
    durations = addDuration(durations, durationKey('b', undefined), 5_000);
    expect(Object.keys(durations)).toEqual(['a|1K', 'a|4K', 'b|']);
    const state = { durations };
    const at = (model: string, resolution: string | undefined) => estimateRemaining(state, generating({ model, resolution }), 100_000);
    expect(at('a', '1K')).toBe(10_000);
    expect(at('a', '4K')).toBe(40_000);
    expect(at('b', undefined)).toBe(5_000);
    expect(at('b', '1K')).toBeUndefined();
    expect(at('c', '1K')).toBeUndefined();

    for (let i = 0; i < MAX_DURATION_KEYS; i += 1) durations = addDuration(durations, `m${i}|`, 1000);
    expect(Object.keys(durations)).toHaveLength(MAX_DURATION_KEYS);
    expect(durations).not.toHaveProperty(['a|1K']);
    // Out-of-range times are never learned.
    for (const bad of [0, -5, Number.NaN, Infinity, 3_600_000]) expect(addDuration(durations, 'x|', bad)).toBe(durations);
  });

  it('survives a reload: a second store on the same storage reads what the first learned', async () => {
    const storage = memoryStorage();
    const keep: KeepOptions = { storage, scope: sim.baseUrl };
    const a = makeStore({ keep });
    await runTask(a);
    const learned = a.getState().durations;
    expect(Object.keys(learned)).toHaveLength(1);
    a.getState().dispose();

    const b = makeStore({ keep });
    expect(b.getState().durations).toEqual({}); // read when the engine loads, not on the first paint
    await loadEngine(b);
    expect(b.getState().durations).toEqual(learned);
    // Another scope (backend) keeps its own.
    const c = makeStore({ keep: { storage, scope: 'https://other.example' } });
    await loadEngine(c);
    expect(c.getState().durations).toEqual({});
  });

  it('ignores garbled storage, then writes a valid record over it', async () => {
    const key = `${MODEL}|1K`;
    const garbage: unknown[] = [
      'not json {',
      null,
      42,
      [],
      { durations: { [key]: [1000] } }, // no version
      { v: 2, durations: { [key]: [1000] } },
      { v: 1, durations: [[key, [1000]]] },
      { v: 1, durations: { [key]: 1000 } },
      { v: 1, durations: { [key]: [1000, 'x'] } },
      { v: 1, durations: { [key]: [1000, -1] } },
      { v: 1, durations: { [key]: [Number.MAX_VALUE] } },
      { v: 1, durations: { [key]: [3_600_000] } },
      { v: 1, durations: { [key]: Array.from({ length: 21 }, () => 1000) } },
      { v: 1, durations: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`m${i}|`, [1000]])) },
    ];
    for (const value of garbage) {
      const storage = memoryStorage();
      const keep: KeepOptions = { storage, scope: sim.baseUrl };
      storage.setItem(keptKey(keep, 'durations'), typeof value === 'string' ? value : JSON.stringify(value));
      const store = makeStore({ keep });
      await loadEngine(store);
      expect(store.getState().durations, JSON.stringify(value)).toEqual({});
    }
    // A storage that throws on read is the same as none.
    const refuse = () => {
      throw new Error('blocked');
    };
    const throwing: StorageLike = { getItem: refuse, setItem: refuse, removeItem: () => {} };
    const blocked = makeStore({ keep: { storage: throwing, scope: 'x' } });
    await loadEngine(blocked);
    expect(blocked.getState().durations).toEqual({});

    // The valid shape is read; learning over a garbled record replaces it with a valid one.
    expect(parseDurations({ v: 1, durations: { [key]: [1000, 2000] } })).toEqual({ [key]: [1000, 2000] });
    const storage = memoryStorage();
    const keep: KeepOptions = { storage, scope: sim.baseUrl };
    storage.setItem(keptKey(keep, 'durations'), '{"v":1,"durations":{"x|":["bad"]}}');
    const store = makeStore({ keep });
    await runTask(store);
    const written = JSON.parse(storage.data.get(keptKey(keep, 'durations'))!) as unknown;
    expect(parseDurations(written)).toEqual(store.getState().durations);
    expect(Object.keys(store.getState().durations)).toEqual([key]);
  });

  it('without keep storage it learns in memory; a task never seen generating teaches nothing', async () => {
    const store = makeStore();
    const task = await runTask(store);
    expect(store.getState().durations[durationKey(MODEL, task.resolution)]).toHaveLength(1);

    let state = { durations: {} } as { durations: Durations };
    const ctx = { options: {}, now: () => 200_000, get: () => state, set: (p: Partial<typeof state>) => void (state = { ...state, ...p }) } as unknown as StoreContext;
    const done = (over: Partial<GenerationTask>) => generating({ phase: 'completed', completedAt: 130_000, ...over });
    learnDuration(ctx, done({ generatingAt: undefined }));
    learnDuration(ctx, generating()); // still generating
    learnDuration(ctx, done({ generatingAt: 130_000 })); // 0 ms: not a generation time
    expect(state.durations).toEqual({});
    learnDuration(ctx, done({}));
    expect(state.durations).toEqual({ [`${MODEL}|1K`]: [30_000] });
  });

  it('a task restored from session storage keeps generatingAt (saved and validated)', () => {
    const storage = memoryStorage();
    const persist = { storage, key: 'k' };
    const task = generating({ taskId: 'up1', clientBusinessId: 'b1', request: { model: MODEL, prompt: 'x', client_business_id: 'b1' } });
    const state = { ...createGeneratorStore({ backendUrl: sim.baseUrl, connected: false }).getState(), tasks: [task] };
    savePersisted(persist, state, '');
    expect(loadPersisted(persist)?.tasks[0]).toMatchObject({ phase: 'generating', generatingAt: 100_000 });
    // A garbled value is dropped, the task kept.
    const raw = JSON.parse(storage.data.get('k')!) as { tasks: Array<Record<string, unknown>> };
    for (const bad of ['100000', -1, null, Infinity]) {
      raw.tasks[0]!.generatingAt = bad;
      storage.setItem('k', JSON.stringify(raw));
      const restored = loadPersisted(persist)?.tasks[0];
      expect(restored?.phase).toBe('generating');
      expect(restored).not.toHaveProperty('generatingAt');
    }
  });
});

describe('estimateRemaining', () => {
  const state = { durations: { [`${MODEL}|1K`]: [20_000, 30_000, 25_000] } };

  it('is the median minus the time generating, counting down with now and never below zero', () => {
    const task = generating();
    expect(estimateRemaining(state, task, 100_000)).toBe(25_000);
    expect(estimateRemaining(state, task, 105_000)).toBe(20_000);
    expect(estimateRemaining(state, task, 124_000)).toBe(1_000);
    expect(estimateRemaining(state, task, 125_000)).toBe(0);
    expect(estimateRemaining(state, task, 500_000)).toBe(0);
    // A clock behind generatingAt (another tab's time) never adds time.
    expect(estimateRemaining(state, task, 90_000)).toBe(25_000);
  });

  it('is undefined when not generating, never seen generating, or nothing was learned', () => {
    expect(estimateRemaining(state, generating({ phase: 'queued' }), 100_000)).toBeUndefined();
    expect(estimateRemaining(state, generating({ phase: 'completed' }), 100_000)).toBeUndefined();
    expect(estimateRemaining(state, generating({ generatingAt: undefined }), 100_000)).toBeUndefined();
    expect(estimateRemaining({ durations: {} }, generating(), 100_000)).toBeUndefined();
  });
});
