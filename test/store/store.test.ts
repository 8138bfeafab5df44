/**
 * The store against the simulator through MSW (the network edge), on fake timers.
 * Every fault the simulator can inject is driven here, and each test checks what the user would
 * see (the error kind and message) and that nothing typed or added was lost.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { GeneratorStoreOptions } from '../../src/store/types';
import type { ImageCodec } from '../../src/core/references';
import { useSimulatorServer } from '../msw/server';
import { emptyFile, hugePng, pngFile, renamedPdf } from '../fixtures/files';
import { advance, until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 7, queuedMs: 400, generatingMs: 1600 });

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, random: () => 0.5, ...options });
  stores.push(store);
  return store;
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

/** Fills the form the way a user would; returns what must survive any error. */
async function prepare(store: GeneratorStore, prompt = 'Watercolor lighthouse at dawn', refs = 2) {
  const st = store.getState();
  st.setPrompt(prompt);
  st.setAspectRatio('16:9');
  st.setResolution('2K');
  await st.addReferences(Array.from({ length: refs }, (_, i) => pngFile(`ref-${i}.png`, 16 + i, 16, i + 1)));
  await until(store, (s) => s.references.every((r) => r.state === 'ready'));
  const s = store.getState();
  return { prompt: s.prompt, aspectRatio: s.aspectRatio, resolution: s.resolution, refIds: s.references.map((r) => r.id) };
}

function expectNothingLost(store: GeneratorStore, before: Awaited<ReturnType<typeof prepare>>) {
  const s = store.getState();
  expect(s.prompt).toBe(before.prompt);
  expect(s.aspectRatio).toBe(before.aspectRatio);
  expect(s.resolution).toBe(before.resolution);
  expect(s.references.map((r) => r.id)).toEqual(before.refIds);
  expect(s.references.every((r) => r.state === 'ready')).toBe(true);
}

const latest = (store: GeneratorStore) => store.getState().tasks.at(-1)!;

describe('happy path', () => {
  it('uploads references, submits once, shows monotonic progress and the images', async () => {
    const onTaskComplete = vi.fn();
    const store = makeStore({ onTaskComplete });
    const before = await prepare(store);
    const urls = store.getState().references.map((r) => r.url);
    expect(urls.every((u) => u?.startsWith(`${sim.baseUrl}/sim/uploads/`))).toBe(true);

    const submitted = store.getState().submit();
    expect(store.getState().submitState).toBe('submitting');
    await submitted;
    const seen: number[] = [];
    const unsub = store.subscribe((s) => {
      const p = s.tasks.at(-1)?.progress;
      if (typeof p === 'number') seen.push(p);
    });
    const done = await until(store, (s) => s.tasks.at(-1)?.phase === 'completed');
    unsub();
    const task = done.tasks.at(-1)!;
    expect(task.images).toHaveLength(1);
    expect(task.images[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:4010\/sim\/images\//);
    expect(task.request).toMatchObject({ size: '16:9', n: 1, image_urls: urls, metadata: { resolution: '2K' } });
    expect(task.request.client_business_id).toMatch(/^kit-/);
    expect(seen.length).toBeGreaterThan(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never backwards
    expect(seen.at(-1)).toBe(100);
    expect(onTaskComplete).toHaveBeenCalledTimes(1);
    expect(sim.simulator.stats.submits).toBe(1);
    expect(sim.simulator.stats.uploads).toBe(2);
    expectNothingLost(store, before);
  });

  it('a double click sends one task', async () => {
    const store = makeStore();
    store.getState().setPrompt('one task please');
    const a = store.getState().submit();
    const b = store.getState().submit();
    await Promise.all([a, b]);
    expect(await b).toBeUndefined();
    await until(store, (s) => s.tasks.at(-1)?.phase === 'completed');
    expect(store.getState().tasks).toHaveLength(1);
    expect(sim.simulator.stats.tasksCreated).toBe(1);
  });

  it('Generate with a new prompt while the previous request is on its way is sent once that one is answered', async () => {
    const store = makeStore();
    store.getState().setPrompt('first fox');
    const a = store.getState().submit();
    expect(store.getState().submitState).toBe('submitting');
    store.getState().setPrompt('second fox');
    const b = store.getState().submit();
    const c = store.getState().submit(); // a third press joins the second
    const [first, second, third] = await Promise.all([a, b, c]);
    expect(first?.prompt).toBe('first fox');
    expect(second?.prompt).toBe('second fox');
    expect(third).toBe(second);
    await until(store, (s) => s.tasks.length === 2 && s.tasks.every((t) => t.phase === 'completed'));
    expect(store.getState().tasks.map((t) => t.prompt)).toEqual(['first fox', 'second fox']);
    expect(sim.simulator.stats.tasksCreated).toBe(2);
  });

  it('Generate waits for uploads still running, then sends their URLs', async () => {
    const store = makeStore();
    store.getState().setPrompt('wait for refs');
    const adding = store.getState().addReferences([pngFile('a.png', 20, 20, 3), pngFile('b.png', 21, 20, 4)]);
    const submitting = store.getState().submit();
    expect(store.getState().submitState).toBe('waiting');
    await adding;
    await until(store, (s) => s.tasks.length === 1);
    await submitting;
    const urls = store.getState().references.map((r) => r.url);
    expect(urls).toHaveLength(2);
    expect(latest(store).request.image_urls).toEqual(urls);
  });

  it('runs several tasks at once, each to completion', async () => {
    const store = makeStore();
    store.getState().setPrompt('first');
    await store.getState().submit();
    store.getState().setPrompt('second');
    await store.getState().submit();
    await until(store, (s) => s.tasks.length === 2 && s.tasks.every((t) => t.phase === 'completed'));
    expect(store.getState().tasks.map((t) => t.prompt)).toEqual(['first', 'second']);
  });

  it('sends n and the model limits (gpt-image-2: top-level lower-case resolution, reference_images)', async () => {
    const store = makeStore({ model: 'gpt-image-2' });
    store.getState().setPrompt('poster');
    store.getState().setResolution('2K');
    store.getState().setN(2);
    await store.getState().addReferences([pngFile('r.png')]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    await store.getState().submit();
    const t = await until(store, (s) => s.tasks.at(-1)?.phase === 'completed');
    expect(t.tasks.at(-1)!.request).toMatchObject({ model: 'gpt-image-2', resolution: '2k', n: 2 });
    expect(t.tasks.at(-1)!.request.reference_images).toHaveLength(1);
    expect(t.tasks.at(-1)!.images).toHaveLength(2);
  });
});

describe('validation and bad input', () => {
  it('an empty prompt gets a field message and sends nothing', async () => {
    const store = makeStore();
    await store.getState().submit();
    expect(store.getState().issues).toEqual([expect.objectContaining({ field: 'prompt', code: 'required' })]);
    expect(store.getState().tasks).toHaveLength(0);
    expect(sim.simulator.stats.submits).toBe(0);
    store.getState().setPrompt('x');
    expect(store.getState().issues).toEqual([]);
  });

  it('an unsupported ratio for the model is refused before sending', async () => {
    const store = makeStore({ model: 'gpt-4o-image' });
    store.getState().setPrompt('cat');
    store.getState().setAspectRatio('16:9');
    await store.getState().submit();
    expect(store.getState().issues[0]).toMatchObject({ field: 'aspectRatio', code: 'unsupported' });
    expect(store.getState().issues[0]!.message).toContain('16:9');
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('the 15th reference is refused with a message; the 14 stay', async () => {
    const store = makeStore();
    await store.getState().addReferences(Array.from({ length: 15 }, (_, i) => pngFile(`p${i}.png`, 8 + i, 8, i + 10)));
    await until(store, (s) => s.references.every((r) => r.state === 'ready'));
    const s = store.getState();
    expect(s.references).toHaveLength(14);
    expect(s.notices).toEqual([expect.objectContaining({ code: 'too_many', fileName: 'p14.png' })]);
    expect(s.notices[0]!.message).toContain('at most 14');
  });

  it('a renamed PDF, an empty file and a duplicate are refused; nothing in the tray is lost', async () => {
    const store = makeStore();
    const before = await prepare(store, 'keep me', 1);
    await store.getState().addReferences([renamedPdf(), emptyFile(), pngFile('again.png', 16, 16, 1)]);
    await until(store, (s) => s.notices.length === 3);
    const codes = store.getState().notices.map((n) => n.code).sort();
    expect(codes).toEqual(['duplicate', 'empty', 'not_image']);
    expect(store.getState().notices.find((n) => n.code === 'not_image')!.message).toContain('invoice.png');
    expectNothingLost(store, before);
    expect(sim.simulator.stats.uploads).toBe(1);
  });

  it('an over-size photo is refused without a codec, and downscaled with one', async () => {
    const big = hugePng(11 * 1024 * 1024, 'big.png');
    const plain = makeStore();
    await plain.getState().addReferences([big]);
    await until(plain, (s) => s.notices.length === 1);
    expect(plain.getState().notices[0]).toMatchObject({ code: 'too_large', fileName: 'big.png' });
    expect(plain.getState().notices[0]!.message).toMatch(/10 MB/);
    expect(plain.getState().references).toHaveLength(0);

    const codec: ImageCodec = {
      decode: async () => ({ width: 4000, height: 3000, source: 'bitmap' }),
      encode: async (_src, w, h) => new Blob([pngFile('x.png', 8, 8, 2).slice(0, 100), new Uint8Array(Math.round((w * h) / 10))], { type: 'image/png' }),
    };
    const withCodec = makeStore({ imageCodec: codec });
    await withCodec.getState().addReferences([big]);
    const s = await until(withCodec, (st) => st.references[0]?.state === 'ready' || st.notices.length > 0);
    expect(s.notices).toEqual([]);
    expect(s.references[0]).toMatchObject({ downscaled: true, name: 'big.png' });
    expect(s.references[0]!.size).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it('moves and removes references, revoking thumbnails', async () => {
    const revoke = vi.fn();
    let n = 0;
    const store = makeStore({ createPreviewUrl: () => `blob:test/${(n += 1)}`, revokePreviewUrl: revoke });
    await store.getState().addReferences([pngFile('a.png', 9, 9, 1), pngFile('b.png', 10, 9, 2), pngFile('c.png', 11, 9, 3)]);
    await until(store, (s) => s.references.every((r) => r.state === 'ready'));
    const [a, b, c] = store.getState().references.map((r) => r.id);
    store.getState().moveReference(c!, 0);
    expect(store.getState().references.map((r) => r.id)).toEqual([c, a, b]);
    store.getState().moveReference(c!, 99);
    expect(store.getState().references.map((r) => r.id)).toEqual([a, b, c]);
    const preview = store.getState().references[1]!.previewUrl;
    store.getState().removeReference(b!);
    expect(store.getState().references.map((r) => r.id)).toEqual([a, c]);
    expect(revoke).toHaveBeenCalledWith(preview);
    store.getState().dispose();
    expect(revoke).toHaveBeenCalledTimes(3);
  });

  it('switching model clamps ratio, resolution, n and the tray maximum', () => {
    const store = makeStore();
    store.getState().setAspectRatio('8:1');
    store.getState().setResolution('4K');
    store.getState().setModel('gpt-4o-image');
    const s = store.getState();
    expect(s.aspectRatio).toBe('1:1');
    expect(s.resolution).toBeUndefined();
    expect(s.maxReferences).toBe(5);
    store.getState().setN(3);
    expect(store.getState().n).toBe(2);
  });

  it('"use as reference" adds a hosted result with no upload', async () => {
    const store = makeStore();
    expect(store.getState().addReferenceUrl('javascript:alert(1)')).toBe(false);
    expect(store.getState().addReferenceUrl('https://files.example/a.png', 'Result 1')).toBe(true);
    expect(store.getState().addReferenceUrl('https://files.example/a.png')).toBe(false);
    expect(store.getState().references).toEqual([expect.objectContaining({ state: 'ready', url: 'https://files.example/a.png' })]);
    expect(store.getState().notices[0]!.code).toBe('duplicate');
    expect(sim.simulator.stats.uploads).toBe(0);
  });
});

describe('every simulator fault, as the user sees it', () => {
  const submitFaults = [
    ['auth', 'authentication', /API key missing or not valid/],
    ['bad_request', 'invalid_request', /Unsupported aspect ratio/],
    ['quota', 'quota', /balance/i],
    ['content_policy', 'content_policy', /.+/],
  ] as const;

  for (const [fault, kind, message] of submitFaults) {
    it(`${fault} on submit → ${kind}, no retry, nothing lost`, async () => {
      const onError = vi.fn();
      const store = makeStore({ onError });
      const before = await prepare(store, `draw a fox [sim:${fault}]`);
      await store.getState().submit();
      const task = latest(store);
      expect(task.phase).toBe('failed');
      expect(task.error?.kind).toBe(kind);
      expect(task.error?.message).toMatch(message);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ kind }), expect.objectContaining({ id: task.id }));
      expect(sim.simulator.stats.submits).toBe(1);
      if (fault === 'bad_request') expect(task.error?.param).toBe('size');
      expectNothingLost(store, before);
    });
  }

  it('rate_limit on submit: waits (Retry-After), says so, then creates exactly one task', async () => {
    const store = makeStore();
    const before = await prepare(store, 'slow down [sim:rate_limit]');
    const submitting = store.getState().submit();
    const waiting = await until(store, (s) => s.tasks.at(-1)?.retry !== undefined, { stepMs: 10, maxMs: 5000 });
    expect(waiting.tasks.at(-1)!.retry!.error.kind).toBe('rate_limit');
    expect(waiting.tasks.at(-1)!.retry!.delayMs).toBeGreaterThanOrEqual(1000);
    await until(store, (s) => s.tasks.at(-1)?.phase === 'completed');
    await submitting;
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    expectNothingLost(store, before);
  });

  it('rate_limit on polls: backs off with the reason shown, then completes', async () => {
    const store = makeStore();
    store.getState().setPrompt('cat');
    await store.getState().submit();
    sim.server.use(
      http.get('*/v1/images/generations/:id', () => HttpResponse.json({ error: { code: 'rate_limit_exceeded', message: 'Too many task status requests; slow down' } }, { status: 429, headers: { 'Retry-After': '2' } }), { once: true }),
    );
    const s = await until(store, (st) => st.tasks[0]?.retry !== undefined);
    expect(s.tasks[0]!.retry).toMatchObject({ error: expect.objectContaining({ kind: 'rate_limit', retryAfterMs: 2000 }) });
    expect(s.tasks[0]!.retry!.delayMs).toBeGreaterThanOrEqual(2000);
    const done = await until(store, (st) => st.tasks[0]?.phase === 'completed');
    expect(done.tasks[0]!.retry).toBeUndefined();
  });

  it.each(['cancelled', 'expired', 'timeout', 'rejected'])(
    'a task the service reports as %s ends as failed at once (no spinner until the deadline); the prompt stays',
    async (status) => {
      const store = makeStore();
      store.getState().setPrompt(`ends as ${status}`);
      const task = await store.getState().submit();
      sim.server.use(
        http.get('*/v1/images/generations/:id', ({ params }) => HttpResponse.json({ id: params.id, object: 'generation.task', status, progress: 0 })),
      );
      const s = await until(store, (st) => st.tasks[0]?.phase === 'failed');
      expect(s.tasks[0]!.error).toMatchObject({ kind: 'task_failed', code: `task_${status === 'cancelled' ? 'cancelled' : status}` });
      expect(s.prompt).toBe(`ends as ${status}`);
      expect(task).toBeDefined();
    },
  );

  it('task_failed → task_failed with the server message; Retry submits a new task', async () => {
    const store = makeStore();
    const before = await prepare(store, 'boom [sim:task_failed]');
    await store.getState().submit();
    const s = await until(store, (st) => st.tasks[0]?.phase === 'failed');
    expect(s.tasks[0]!.error).toMatchObject({ kind: 'task_failed', message: 'upstream provider rejected the request (status 422)' });
    expectNothingLost(store, before);
    const firstBusinessId = s.tasks[0]!.clientBusinessId;
    await store.getState().retry(s.tasks[0]!.id);
    expect(sim.simulator.stats.submits).toBe(2);
    expect(store.getState().tasks[0]!.clientBusinessId).not.toBe(firstBusinessId);
    expect(store.getState().tasks).toHaveLength(1);
  });

  it('slow → keeps polling until it is done, then completes', async () => {
    const store = makeStore();
    store.getState().setPrompt('patience [sim:slow]');
    await store.getState().submit();
    await advance(5_000);
    expect(latest(store).phase).not.toBe('completed');
    expect(['queued', 'generating']).toContain(latest(store).phase);
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
  });

  it('slow past the deadline → timeout; Retry resumes polling the same task (no new charge)', async () => {
    const store = makeStore({ deadlineMs: 3_000 });
    const before = await prepare(store, 'too slow [sim:slow]', 1);
    await store.getState().submit();
    const s = await until(store, (st) => st.tasks[0]?.phase === 'failed');
    expect(s.tasks[0]!.error?.kind).toBe('timeout');
    expect(s.tasks[0]!.error?.message).toMatch(/did not finish within 3 s/);
    expectNothingLost(store, before);
    await store.getState().retry(s.tasks[0]!.id);
    expect(['queued', 'generating']).toContain(store.getState().tasks[0]!.phase);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  for (const [fault, kind] of [['server_error', 'server'], ['drop_poll', 'network'], ['garbled', 'protocol']] as const) {
    it(`${fault} mid-poll → shows a ${kind} retry, then completes`, async () => {
      const store = makeStore();
      const before = await prepare(store, `flaky [sim:${fault}]`, 1);
      await store.getState().submit();
      const retrying = await until(store, (s) => s.tasks[0]?.retry !== undefined, { stepMs: 10 });
      expect(retrying.tasks[0]!.retry!.error.kind).toBe(kind);
      await until(store, (s) => s.tasks[0]?.phase === 'completed');
      expect(sim.simulator.stats.tasksCreated).toBe(1);
      expectNothingLost(store, before);
    });
  }

  it('lost_submit → looks the task up by client_business_id; exactly one task upstream', async () => {
    const store = makeStore();
    const before = await prepare(store, 'once only [sim:lost_submit]', 1);
    const submitting = store.getState().submit();
    await until(store, (s) => s.tasks[0]?.taskId !== undefined);
    await submitting;
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    expect(sim.simulator.stats.submits).toBe(1);
    expectNothingLost(store, before);
  });

  it('not_found on polls → not_found, no endless retry', async () => {
    const store = makeStore();
    store.getState().setPrompt('ghost [sim:not_found]');
    await store.getState().submit();
    const s = await until(store, (st) => st.tasks[0]?.phase === 'failed');
    expect(s.tasks[0]!.error).toMatchObject({ kind: 'not_found', message: 'Task not found', status: 404 });
    const polls = sim.simulator.stats.polls;
    await advance(10_000);
    expect(sim.simulator.stats.polls).toBe(polls);
  });

  it('upload_rejected → the reference shows the reason; Generate explains; Retry uploads it', async () => {
    let reject = true;
    const store = makeStore({ headers: (): Record<string, string> => (reject ? { 'x-simulator-fault': 'upload_rejected' } : {}) });
    store.getState().setPrompt('with a ref');
    await store.getState().addReferences([pngFile('ref.png')]);
    const s = await until(store, (st) => st.references[0]?.state === 'error');
    expect(s.references[0]!.error).toMatchObject({ kind: 'invalid_request' });
    expect(s.references[0]!.error!.message.length).toBeGreaterThan(5);
    await store.getState().submit();
    expect(store.getState().issues[0]).toMatchObject({ field: 'references' });
    expect(store.getState().issues[0]!.message).toContain('ref.png');
    expect(sim.simulator.stats.submits).toBe(0);
    reject = false;
    store.getState().retryReference(s.references[0]!.id);
    await until(store, (st) => st.references[0]?.state === 'ready');
    expect(store.getState().prompt).toBe('with a ref');
  });

  it('a network failure on upload marks only that reference', async () => {
    const store = makeStore();
    sim.server.use(http.post('*/v1/uploads/images', () => HttpResponse.error(), { once: true }));
    await store.getState().addReferences([pngFile('one.png', 8, 8, 1)]);
    const s = await until(store, (st) => st.references[0]?.state === 'error');
    expect(s.references[0]!.error?.kind).toBe('network');
  });
});

describe('cancel, dispose, resume', () => {
  it('cancel stops polling; the task says cancelled', async () => {
    const store = makeStore();
    store.getState().setPrompt('never mind [sim:slow]');
    await store.getState().submit();
    await advance(1_000);
    store.getState().cancel(latest(store).id);
    expect(latest(store).phase).toBe('cancelled');
    const polls = sim.simulator.stats.polls;
    await advance(10_000);
    expect(sim.simulator.stats.polls).toBe(polls);
    expect(store.getState().prompt).toBe('never mind [sim:slow]');
  });

  it('dispose leaves no timer and no request running', async () => {
    const store = makeStore();
    store.getState().setPrompt('a');
    await store.getState().submit();
    store.getState().setPrompt('b');
    await store.getState().submit();
    store.getState().dispose();
    await advance(100);
    expect(vi.getTimerCount()).toBe(0);
    const polls = sim.simulator.stats.polls;
    await advance(5_000);
    expect(sim.simulator.stats.polls).toBe(polls);
  });

  it('resumeTask re-attaches to a task that is still running upstream', async () => {
    const first = makeStore();
    first.getState().setPrompt('survive a reload');
    await first.getState().submit();
    const { taskId, clientBusinessId, createdAt } = latest(first);
    first.getState().dispose();

    const second = makeStore();
    second.getState().resumeTask({ taskId: taskId!, clientBusinessId, prompt: 'survive a reload', createdAt });
    const s = await until(second, (st) => st.tasks[0]?.phase === 'completed');
    expect(s.tasks[0]!.images).toHaveLength(1);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('disconnect stops the network; connect re-attaches and finishes (React StrictMode remounts)', async () => {
    const store = makeStore();
    store.getState().setPrompt('remount');
    await store.getState().submit();
    store.getState().disconnect();
    const polls = sim.simulator.stats.polls;
    await advance(5_000);
    expect(sim.simulator.stats.polls).toBe(polls);
    expect(vi.getTimerCount()).toBe(0);
    store.getState().connect();
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('a submit cut off by disconnect is looked up, not sent again, on connect', async () => {
    const store = makeStore();
    store.getState().setPrompt('cut off [sim:lost_submit]');
    void store.getState().submit();
    await until(store, () => sim.simulator.stats.submits === 1, { stepMs: 5 });
    store.getState().disconnect();
    expect(store.getState().tasks[0]!.phase).toBe('submitting');
    store.getState().connect();
    await until(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('an asynchronous thumbnail lands on its reference, or is revoked if the reference is gone', async () => {
    const revoke = vi.fn();
    // Thumbnails are asked for in whatever order the files finish pre-processing: keep them by name.
    const pending = new Map<string, (url: string) => void>();
    const store = makeStore({
      createPreviewUrl: (blob) => new Promise<string>((resolve) => pending.set((blob as File).name, resolve)),
      revokePreviewUrl: revoke,
    });
    await store.getState().addReferences([pngFile('a.png', 9, 9, 1), pngFile('b.png', 10, 9, 2)]);
    await until(store, () => pending.size === 2);
    const [a, b] = store.getState().references;
    expect(a!.previewUrl).toBeUndefined();
    pending.get('a.png')!('blob:thumb/a');
    store.getState().removeReference(b!.id);
    pending.get('b.png')!('blob:thumb/b');
    await advance(50);
    expect(store.getState().references[0]!.previewUrl).toBe('blob:thumb/a');
    expect(revoke).toHaveBeenCalledWith('blob:thumb/b');
  });

  it('releasePreviews revokes thumbnails; connect makes them again from the files it kept', async () => {
    let n = 0;
    const revoke = vi.fn();
    const store = makeStore({ createPreviewUrl: () => `blob:t/${(n += 1)}`, revokePreviewUrl: revoke });
    await store.getState().addReferences([pngFile('keep.png', 9, 9, 4)]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    expect(store.getState().references[0]!.previewUrl).toBe('blob:t/1');
    store.getState().disconnect();
    store.getState().releasePreviews();
    expect(revoke).toHaveBeenCalledWith('blob:t/1');
    expect(store.getState().references[0]!.previewUrl).toBeUndefined();
    store.getState().connect();
    expect(store.getState().references[0]!.previewUrl).toBe('blob:t/2');
    expect(store.getState().references[0]!.state).toBe('ready');
  });
});

describe('large files stay off the main thread', () => {
  /** A File that records how it is read: `slice` ranges, and whole-file reads. */
  class RecordingFile extends File {
    readonly reads: string[] = [];
    override slice(start?: number, end?: number, type?: string): Blob {
      this.reads.push(`slice ${start ?? 0}-${end ?? this.size}`);
      return super.slice(start, end, type);
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      this.reads.push('arrayBuffer');
      return super.arrayBuffer();
    }
    override text(): Promise<string> {
      this.reads.push('text');
      return super.text();
    }
  }
  const recording = (file: File) => new RecordingFile([file], file.name, { type: file.type });

  it('with a codec that hashes, the store reads only the header bytes of a file (no whole-file ArrayBuffer)', async () => {
    const hashed: Blob[] = [];
    const codec: ImageCodec = {
      decode: async () => ({ width: 16, height: 16, source: 'bitmap' }),
      encode: async () => new Blob([]),
      hash: async (file) => {
        hashed.push(file);
        return `hash-${hashed.length}`;
      },
    };
    const file = recording(hugePng(200 * 1024, 'big-enough.png'));
    const store = makeStore({ imageCodec: codec, createPreviewUrl: () => 'blob:test/thumb' });
    await store.getState().addReferences([file]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    expect(hashed).toEqual([file]);
    expect(file.reads).not.toContain('arrayBuffer');
    expect(file.reads).not.toContain('text');
    const slices = file.reads.filter((r) => r.startsWith('slice ')).map((r) => r.slice(6).split('-').map(Number) as [number, number]);
    expect(slices.length).toBeGreaterThan(0);
    for (const [start, end] of slices) expect(end - start).toBeLessThanOrEqual(64 * 1024);
  });

  it('the thumbnail is asked for as soon as the header is checked, before the hash (and downscale) finish', async () => {
    let finishHash: (hash: string) => void = () => {};
    const codec: ImageCodec = {
      decode: async () => ({ width: 16, height: 16, source: 'bitmap' }),
      encode: async () => new Blob([]),
      hash: () => new Promise<string>((resolve) => (finishHash = resolve)),
    };
    const asked: Blob[] = [];
    const file = pngFile('early.png', 12, 12, 5);
    const store = makeStore({ imageCodec: codec, createPreviewUrl: (blob) => (asked.push(blob), 'blob:test/early') });
    void store.getState().addReferences([file]);
    const s = await until(store, (st) => st.references[0]?.previewUrl !== undefined);
    expect(s.references[0]).toMatchObject({ state: 'checking', previewUrl: 'blob:test/early' });
    expect(asked).toEqual([file]);
    finishHash('h-early');
    await until(store, (st) => st.references[0]?.state === 'ready');
    expect(store.getState().references[0]).toMatchObject({ hash: 'h-early', previewUrl: 'blob:test/early' });
  });

  it('a selection of files lands in the tray in one store update, clearing only the tray’s own issue', async () => {
    const store = makeStore();
    store.setState({
      issues: [
        { field: 'references', code: 'too_many', message: 'Remove one.' },
        { field: 'prompt', code: 'required', message: 'Describe the image.' },
      ],
    });
    const seen: number[] = [];
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.references !== prev.references) seen.push(s.references.length);
    });
    void store.getState().addReferences([pngFile('s1.png', 9, 9, 11), pngFile('s2.png', 10, 9, 12), pngFile('s3.png', 11, 9, 13)]);
    unsubscribe();
    expect(seen).toEqual([3]);
    expect(store.getState().issues.map((i) => i.field)).toEqual(['prompt']);
    const issues = store.getState().issues;
    void store.getState().addReferences([pngFile('s4.png', 12, 9, 14)]);
    expect(store.getState().issues).toBe(issues); // nothing to clear: the same array, no re-render
    await until(store, (s) => s.references.length === 4 && s.references.every((r) => r.state === 'ready'));
  });

  it('a thumbnail made for a file refused later (a duplicate) is revoked with it', async () => {
    const revoke = vi.fn();
    let n = 0;
    const store = makeStore({ createPreviewUrl: () => `blob:test/dup-${(n += 1)}`, revokePreviewUrl: revoke });
    await store.getState().addReferences([pngFile('one.png', 9, 9, 3)]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    await store.getState().addReferences([pngFile('two.png', 9, 9, 3)]);
    await until(store, (s) => s.notices.length === 1);
    expect(store.getState().notices[0]!.code).toBe('duplicate');
    expect(store.getState().references.map((r) => r.previewUrl)).toEqual(['blob:test/dup-1']);
    expect(revoke).toHaveBeenCalledWith('blob:test/dup-2');
  });
});
