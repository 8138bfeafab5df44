/**
 * Many jobs in the store (issue 14): "Reuse settings", "More like this", "Cancel all", "Clear
 * finished" and its undo — against the simulator through MSW, on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { FetchLike } from '../../src/core/client';
import type { StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 14, queuedMs: 200, generatingMs: 600 });

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
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 100, stream: false, fetch: recordingFetch, ...options });
  stores.push(store);
  return store;
}

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

/** Submits `prompt` and waits until that task is over. */
async function finished(store: GeneratorStore, prompt: string) {
  store.getState().setPrompt(prompt);
  const task = await store.getState().submit();
  expect(task).toBeDefined();
  const s = await until(store, (st) => ['completed', 'failed', 'cancelled'].includes(st.tasks.find((t) => t.id === task!.id)!.phase));
  return s.tasks.find((t) => t.id === task!.id)!;
}

/** Submits `prompt`; the task is queued upstream and stays so while time stands still. */
async function running(store: GeneratorStore, prompt: string) {
  store.getState().setPrompt(prompt);
  const task = await store.getState().submit();
  expect(task?.phase).toBe('queued');
  return task!;
}

const prompts = (store: GeneratorStore) => store.getState().tasks.map((t) => t.prompt);
const phases = (store: GeneratorStore) => store.getState().tasks.map((t) => t.phase);

beforeEach(() => {
  useFakeClock();
  sent = [];
});
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

describe('reuseSettings', () => {
  it('restores prompt, model, ratio, resolution, n, parameters and references (replacing the tray)', async () => {
    const store = makeStore();
    const st = () => store.getState();
    st().setAspectRatio('16:9');
    st().setResolution('2K');
    st().setN(2);
    st().setParameters({ google_search: true });
    await st().addReferences([pngFile('a.png', 16, 16, 1), pngFile('b.png', 17, 16, 2)]);
    await until(store, (s) => s.references.every((r) => r.state === 'ready'));
    const urls = st().references.map((r) => r.url);
    const task = await finished(store, 'a lighthouse at dusk');
    expect(task.phase).toBe('completed');

    // Everything changed afterwards, and another image in the tray.
    st().setModel('gpt-4o-image');
    st().setPrompt('something else');
    st().setAspectRatio('1:1');
    st().setN(1);
    for (const r of st().references) st().removeReference(r.id);
    expect(st().addReferenceUrl('https://files.example/other.png', 'other')).toBe(true);

    const result = await st().reuseSettings(task.id);
    expect(result).toEqual({ references: 2, expired: 0, refused: 0 });
    const s = st();
    expect(s.prompt).toBe('a lighthouse at dusk');
    expect(s.model).toBe('gemini-3.1-flash-image-preview');
    expect(s.aspectRatio).toBe('16:9');
    expect(s.resolution).toBe('2K');
    expect(s.n).toBe(2);
    expect(s.parameters).toEqual({ google_search: true });
    expect(s.references.map((r) => r.url)).toEqual(urls);
    expect(s.references.every((r) => r.state === 'ready')).toBe(true);
    expect(s.notices).toEqual([]);
    // Nothing was sent by reusing.
    expect(sent).toHaveLength(1);
    expect(await st().reuseSettings('nope')).toBeUndefined();
  });

  it('keeps a reference already in the tray as it is, and adds each URL once', async () => {
    const store = makeStore();
    const st = () => store.getState();
    await st().addReferences([pngFile('a.png', 16, 16, 1)]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    const before = st().references[0]!;
    const task = await finished(store, 'twice');
    await st().reuseSettings(task.id);
    expect(st().references).toEqual([before]);
  });

  it('reports a reference whose result expired with a notice, and keeps the others', async () => {
    const store = makeStore();
    const st = () => store.getState();
    const first = await finished(store, 'the first result');
    expect(st().addReferenceUrl(first.images[0]!.url, 'Result 1')).toBe(true);
    await st().addReferences([pngFile('upload.png', 16, 16, 3)]);
    await until(store, (s) => s.references.every((r) => r.state === 'ready'));
    const upload = st().references[1]!.url;
    const second = await finished(store, 'built on the first');
    expect(second.request.image_urls).toEqual([first.images[0]!.url, upload]);

    vi.setSystemTime(first.expiresAt!);
    st().clearNotices();
    const result = await st().reuseSettings(second.id);
    expect(result).toEqual({ references: 1, expired: 1, refused: 0 });
    expect(st().references.map((r) => r.url)).toEqual([upload]);
    expect(st().notices).toEqual([expect.objectContaining({ code: 'expired', fileName: 'Generated image' })]);
  });

  it('leaves out, with a notice, references over the model\'s maximum', async () => {
    const store = makeStore();
    const st = () => store.getState();
    for (let i = 0; i < 3; i += 1) expect(st().addReferenceUrl(`https://files.example/r${i}.png`, `r${i}`)).toBe(true);
    const task = await finished(store, 'three references');
    for (const r of st().references) st().removeReference(r.id);
    st().setMaxReferences(2); // a host's tray max, kept for the same model
    const result = await st().reuseSettings(task.id);
    expect(result).toEqual({ references: 2, expired: 0, refused: 1 });
    expect(st().references.map((r) => r.url)).toEqual(['https://files.example/r0.png', 'https://files.example/r1.png']);
    expect(st().maxReferences).toBe(2);
    expect(st().notices).toEqual([expect.objectContaining({ code: 'too_many', fileName: 'r2.png', params: { name: 'r2.png', max: 2 } })]);
    // A model that takes fewer: the extra one is reported, not dropped silently.
    const small = makeStore({ model: 'gpt-4o-image' });
    small.setState({ tasks: [{ ...task, model: 'gpt-4o-image', request: { ...task.request, model: 'gpt-4o-image', image_urls: Array.from({ length: 6 }, (_, i) => `https://files.example/s${i}.png`) } }] });
    const r2 = await small.getState().reuseSettings(task.id);
    expect(r2).toEqual({ references: 5, expired: 0, refused: 1 });
    expect(small.getState().notices).toEqual([expect.objectContaining({ code: 'too_many', fileName: 's5.png' })]);
  });
});

describe('moreLikeThis', () => {
  it('sends the same body again with a new business id; the form is not touched', async () => {
    const store = makeStore();
    const st = () => store.getState();
    st().setAspectRatio('3:4');
    st().setParameters({ google_search: true });
    const task = await finished(store, 'a red fox in snow');
    st().setPrompt('typed meanwhile');
    st().setAspectRatio('1:1');

    const again = await st().moreLikeThis(task.id);
    expect(again).toBeDefined();
    expect(again!.id).not.toBe(task.id);
    expect(sent).toHaveLength(2);
    const { client_business_id: id1, ...body1 } = sent[0]!;
    const { client_business_id: id2, ...body2 } = sent[1]!;
    expect(id2).toEqual(expect.any(String));
    expect(id2).not.toBe(id1);
    expect(body2).toEqual(body1);
    expect(again!.clientBusinessId).toBe(id2);
    expect(again!.parameters).toEqual({ google_search: true });
    expect(st().tasks).toHaveLength(2);
    expect(st().prompt).toBe('typed meanwhile');
    expect(st().aspectRatio).toBe('1:1');
    await until(store, (s) => s.tasks[1]!.phase === 'completed');
  });

  it('does nothing for a task that is not completed', async () => {
    const store = makeStore();
    const task = await running(store, 'still going');
    expect(await store.getState().moreLikeThis(task.id)).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('sends nothing when a reference expired, and says so', async () => {
    const store = makeStore();
    const st = () => store.getState();
    const first = await finished(store, 'first');
    st().addReferenceUrl(first.images[0]!.url, 'Result 1');
    const second = await finished(store, 'second');
    vi.setSystemTime(first.expiresAt!);
    expect(await st().moreLikeThis(second.id)).toBeUndefined();
    expect(sent).toHaveLength(2);
    expect(st().notices).toEqual([expect.objectContaining({ code: 'expired' })]);
  });
});

describe('cancelAll', () => {
  it('cancels every running task and only those', async () => {
    const store = makeStore();
    const done = await finished(store, 'done already');
    const failed = await finished(store, 'fails [sim:task_failed]');
    expect(failed.phase).toBe('failed');
    await running(store, 'running one');
    await running(store, 'running two');
    store.getState().setPrompt('being sent');
    const sending = store.getState().submit(); // not awaited: still submitting
    expect(phases(store)).toEqual(['completed', 'failed', 'queued', 'queued', 'submitting']);
    store.getState().cancelAll();
    expect(phases(store)).toEqual(['completed', 'failed', 'cancelled', 'cancelled', 'cancelled']);
    await sending;
    await until(store, () => true);
    expect(phases(store)).toEqual(['completed', 'failed', 'cancelled', 'cancelled', 'cancelled']);
    expect(store.getState().tasks[0]).toBe(store.getState().tasks.find((t) => t.id === done.id));
  });
});

describe('clearFinished and undo', () => {
  /** A completed, B running, C failed, D running, E cancelled — in that order. */
  async function mixed(store: GeneratorStore) {
    await finished(store, 'A');
    await running(store, 'B [sim:slow]');
    await finished(store, 'C [sim:task_failed]');
    await running(store, 'D');
    const e = await running(store, 'E');
    store.getState().cancel(e.id);
    // The two running ones are still running (finishing C let time pass: B may be generating).
    expect(phases(store).map((p) => (p === 'generating' ? 'queued' : p))).toEqual(['completed', 'queued', 'failed', 'queued', 'cancelled']);
  }

  it('removes only finished tasks and offers undo for 10 s', async () => {
    const store = makeStore();
    await mixed(store);
    expect(store.getState().clearedTasks).toBeUndefined();
    expect(await store.getState().clearFinished()).toBe(3);
    expect(prompts(store)).toEqual(['B [sim:slow]', 'D']);
    expect(store.getState().clearedTasks).toEqual({ count: 3, until: Date.now() + 10_000 });
    // Nothing finished: nothing to clear, the offer stays.
    expect(await store.getState().clearFinished()).toBe(0);
    expect(store.getState().clearedTasks?.count).toBe(3);
  });

  it('undo puts them back in their places, among tasks added meanwhile', async () => {
    const store = makeStore();
    await mixed(store);
    await store.getState().clearFinished();
    await running(store, 'F');
    vi.setSystemTime(Date.now() + 9_999);
    expect(await store.getState().undoClearFinished()).toBe(3);
    expect(prompts(store)).toEqual(['A', 'B [sim:slow]', 'C [sim:task_failed]', 'D', 'E', 'F']);
    expect(store.getState().clearedTasks).toBeUndefined();
    // A second undo has nothing left to restore.
    expect(await store.getState().undoClearFinished()).toBe(0);
    expect(store.getState().tasks).toHaveLength(6);
  });

  it('undo skips over tasks dismissed meanwhile', async () => {
    const store = makeStore();
    await mixed(store);
    await store.getState().clearFinished();
    const b = store.getState().tasks.find((t) => t.prompt === 'B [sim:slow]')!;
    store.getState().dismissTask(b.id);
    await store.getState().undoClearFinished();
    expect(prompts(store)).toEqual(['A', 'C [sim:task_failed]', 'D', 'E']);
  });

  it('undo after 10 s does nothing and forgets the cleared tasks', async () => {
    const store = makeStore();
    await mixed(store);
    await store.getState().clearFinished();
    vi.setSystemTime(Date.now() + 10_000);
    expect(await store.getState().undoClearFinished()).toBe(0);
    expect(prompts(store)).toEqual(['B [sim:slow]', 'D']);
    expect(store.getState().clearedTasks).toBeUndefined();
  });

  it('forgetClearedTasks and a later clear drop what an undo would restore', async () => {
    const store = makeStore();
    await mixed(store);
    await store.getState().clearFinished();
    store.getState().forgetClearedTasks();
    expect(store.getState().clearedTasks).toBeUndefined();
    expect(await store.getState().undoClearFinished()).toBe(0);
    expect(prompts(store)).toEqual(['B [sim:slow]', 'D']);

    // Only the latest clear is undone.
    const st = () => store.getState();
    st().cancel(st().tasks[0]!.id); // B
    await st().clearFinished();
    expect(prompts(store)).toEqual(['D']);
    expect(await st().undoClearFinished()).toBe(1);
    expect(prompts(store)).toEqual(['B [sim:slow]', 'D']);
  });

  it('never writes cleared tasks back to session storage; undo does', async () => {
    const storage = memoryStorage();
    const store = makeStore({ persist: { storage, key: 'k' } });
    await mixed(store);
    const saved = () => (JSON.parse(storage.data.get('k')!) as { tasks: Array<{ request: { prompt: string } }> }).tasks.map((t) => t.request.prompt);
    expect(saved()).toHaveLength(5);
    await store.getState().clearFinished();
    expect(saved()).toEqual(['B [sim:slow]', 'D']);
    expect(storage.data.get('k')).not.toContain('clearedTasks');
    await store.getState().undoClearFinished();
    expect(saved()).toEqual(['A', 'B [sim:slow]', 'C [sim:task_failed]', 'D', 'E']);
  });
});
