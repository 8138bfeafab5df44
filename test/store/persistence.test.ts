/**
 * Nothing lost on reload, nothing duplicated across tabs: session persistence and tab coordination
 * (Web Locks + BroadcastChannel in the browser, the in-memory equivalent here).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { createMemoryBus, createMemoryCoordinator } from '../../src/store/coordination';
import type { StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import type { FetchLike } from '../../src/core/client';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { advance, until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 21, queuedMs: 300, generatingMs: 1500 });

function memoryStorage(initial?: Record<string, string>): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial ?? {}));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}) {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, ...options });
  stores.push(store);
  return store;
}
/** A fetch that counts status reads of tasks, per "tab". */
function countingFetch(counter: { polls: number }): FetchLike {
  return (url, init) => {
    if (/\/v1\/images\/generations\/[^/]+$/.test(url) && (init?.method ?? 'GET') === 'GET') counter.polls += 1;
    return fetch(url, init);
  };
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

const KEY = 'gen:test';

describe('reload', () => {
  it('keeps the prompt, settings, uploaded references and the running task; the task resumes and finishes', async () => {
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY } });
    a.getState().setPrompt('survives a reload');
    a.getState().setAspectRatio('4:3');
    a.getState().setResolution('2K');
    await a.getState().addReferences([pngFile('keep.png', 20, 20, 2)]);
    await until(a, (s) => s.references[0]?.state === 'ready');
    await a.getState().submit();
    await advance(500);
    a.getState().dispose(); // the page goes away mid-task

    const b = makeStore({ persist: { storage, key: KEY } });
    const s = b.getState();
    expect(s.prompt).toBe('survives a reload');
    expect([s.aspectRatio, s.resolution]).toEqual(['4:3', '2K']);
    expect(s.references).toEqual([expect.objectContaining({ name: 'keep.png', state: 'ready', url: a.getState().references[0]!.url })]);
    expect(s.tasks).toHaveLength(1);
    await until(b, (st) => st.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('a reload during submit looks the task up instead of sending it again', async () => {
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY } });
    a.getState().setPrompt('reload while sending [sim:lost_submit]');
    void a.getState().submit();
    await until(a, () => sim.simulator.stats.submits === 1, { stepMs: 5 });
    a.getState().dispose();
    expect(JSON.parse(storage.data.get(KEY)!).tasks[0].phase).toBe('submitting');

    const b = makeStore({ persist: { storage, key: KEY } });
    await until(b, (st) => st.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('finished tasks and failures are shown again after reload', async () => {
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY } });
    a.getState().setPrompt('done before reload');
    await a.getState().submit();
    await until(a, (s) => s.tasks[0]?.phase === 'completed');
    a.getState().setPrompt('and a failure [sim:auth]');
    await a.getState().submit();
    a.getState().dispose();
    const b = makeStore({ persist: { storage, key: KEY } });
    expect(b.getState().tasks.map((t) => t.phase)).toEqual(['completed', 'failed']);
    expect(b.getState().tasks[0]!.images).toHaveLength(1);
    expect(b.getState().tasks[1]!.error).toMatchObject({ kind: 'authentication' });
  });

  it('garbage in storage is ignored, never trusted', () => {
    for (const junk of ['{', 'null', '[]', '{"v":1,"settings":{"prompt":5},"tasks":[{"phase":"queued"}],"references":[{"url":"javascript:alert(1)"}]}', '{"v":99}']) {
      const store = makeStore({ persist: { storage: memoryStorage({ [KEY]: junk }), key: KEY } });
      expect(store.getState().prompt).toBe('');
      expect(store.getState().tasks).toEqual([]);
      expect(store.getState().references).toEqual([]);
    }
  });

  it('a storage that throws (private mode, quota) does not break the kit', async () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {},
    };
    const store = makeStore({ persist: { storage: broken, key: KEY } });
    store.getState().setPrompt('still works');
    await store.getState().submit();
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
  });
});

describe('deferred restore (server-rendered hosts)', () => {
  /** A page that ran a task to the generating phase and typed a prompt, then went away. */
  async function savedMidTask(storage: ReturnType<typeof memoryStorage>) {
    const a = makeStore({ persist: { storage, key: KEY } });
    a.getState().setPrompt('saved before the reload');
    a.getState().setAspectRatio('16:9');
    await a.getState().submit();
    await advance(500);
    a.getState().dispose();
    return JSON.parse(storage.data.get(KEY)!) as { tasks: Array<{ phase: string }> };
  }

  it('with skipHydration nothing is read or written until rehydrate(); then everything comes back and the task finishes', async () => {
    const storage = memoryStorage();
    const saved = await savedMidTask(storage);
    expect(saved.tasks[0]!.phase).not.toBe('completed');
    const before = storage.data.get(KEY);

    const b = makeStore({ persist: { storage, key: KEY, skipHydration: true } });
    // The first render (matching the server's HTML) sees the defaults…
    expect(b.getState()).toMatchObject({ prompt: '', aspectRatio: '1:1', tasks: [], references: [] });
    b.getState().setResolution('2K'); // …and a change before hydration does not overwrite the saved state.
    expect(storage.data.get(KEY)).toBe(before);

    b.getState().rehydrate();
    expect(b.getState()).toMatchObject({ prompt: 'saved before the reload', aspectRatio: '16:9' });
    expect(b.getState().tasks).toHaveLength(1);
    await until(b, (st) => st.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    // Saving runs from then on.
    expect(JSON.parse(storage.data.get(KEY)!).tasks[0].phase).toBe('completed');
  });

  it('rehydrate() after connect() resumes the saved running task; a second call changes nothing', async () => {
    const storage = memoryStorage();
    await savedMidTask(storage);
    const b = makeStore({ persist: { storage, key: KEY, skipHydration: true }, connected: false });
    b.getState().connect();
    b.getState().rehydrate();
    const ids = b.getState().tasks.map((t) => t.id);
    b.getState().rehydrate();
    expect(b.getState().tasks.map((t) => t.id)).toEqual(ids);
    await until(b, (st) => st.tasks[0]?.phase === 'completed');
    expect(b.getState().tasks).toHaveLength(1);
  });

  it('a prompt typed before rehydrate() wins; saved tasks come first', async () => {
    const storage = memoryStorage();
    await savedMidTask(storage);
    const b = makeStore({ persist: { storage, key: KEY, skipHydration: true } });
    b.getState().setPrompt('typed while the page hydrated');
    b.getState().rehydrate();
    expect(b.getState().prompt).toBe('typed while the page hydrated');
    expect(b.getState().aspectRatio).toBe('16:9');
    expect(b.getState().tasks[0]!.prompt).toBe('saved before the reload');
  });

  it('without skipHydration rehydrate() is a no-op (state was read at creation)', async () => {
    const storage = memoryStorage();
    await savedMidTask(storage);
    const b = makeStore({ persist: { storage, key: KEY } });
    expect(b.getState().tasks).toHaveLength(1);
    b.getState().rehydrate();
    expect(b.getState().tasks).toHaveLength(1);
  });
});

describe('two tabs', () => {
  it('two tabs on one task: one polls, both show the result', async () => {
    const bus = createMemoryBus();
    const storage = memoryStorage();
    const countA = { polls: 0 };
    const countB = { polls: 0 };
    const a = makeStore({ persist: { storage, key: KEY }, coordinator: createMemoryCoordinator(bus), fetch: countingFetch(countA) });
    a.getState().setPrompt('shared task');
    await a.getState().submit();
    // A duplicated tab starts with a copy of the session storage.
    const b = makeStore({
      persist: { storage: memoryStorage(Object.fromEntries(storage.data)), key: KEY },
      coordinator: createMemoryCoordinator(bus),
      fetch: countingFetch(countB),
    });
    expect(b.getState().tasks[0]!.taskId).toBe(a.getState().tasks[0]!.taskId);
    await until(b, (s) => s.tasks[0]?.phase === 'completed');
    await until(a, (s) => s.tasks[0]?.phase === 'completed');
    expect(countA.polls).toBeGreaterThan(0);
    expect(countB.polls).toBe(0);
    expect(b.getState().tasks[0]!.images).toEqual(a.getState().tasks[0]!.images);
    expect(sim.simulator.stats.tasksCreated).toBe(1);
  });

  it('when the leading tab closes, the other takes over and finishes', async () => {
    const bus = createMemoryBus();
    const storage = memoryStorage();
    const countB = { polls: 0 };
    const a = makeStore({ persist: { storage, key: KEY }, coordinator: createMemoryCoordinator(bus) });
    a.getState().setPrompt('leader leaves [sim:slow]');
    await a.getState().submit();
    const b = makeStore({
      persist: { storage: memoryStorage(Object.fromEntries(storage.data)), key: KEY },
      coordinator: createMemoryCoordinator(bus),
      fetch: countingFetch(countB),
    });
    await advance(1000);
    expect(countB.polls).toBe(0);
    a.getState().dispose();
    await until(b, (s) => s.tasks[0]?.phase === 'completed', { maxMs: 60_000 });
    expect(countB.polls).toBeGreaterThan(0);
  });

  it('a tab duplicated during submit does not create a second task', async () => {
    const bus = createMemoryBus();
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: KEY }, coordinator: createMemoryCoordinator(bus) });
    a.getState().setPrompt('duplicated while sending [sim:rate_limit]');
    void a.getState().submit();
    await until(a, (s) => s.tasks[0]?.retry !== undefined, { stepMs: 10 }); // A is mid-submit, holding the lock
    const b = makeStore({
      persist: { storage: memoryStorage(Object.fromEntries(storage.data)), key: KEY },
      coordinator: createMemoryCoordinator(bus),
    });
    expect(b.getState().tasks[0]!.phase).toBe('submitting');
    await until(a, (s) => s.tasks[0]?.phase === 'completed');
    await until(b, (s) => s.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
  });
});
