/** Any status word on request (`x-simulator-status`, `[sim:status=…]`) and webhook deliveries, in both profiles. */
import { createHmac } from 'node:crypto';
import { createSimulator, type SimulatorOptions } from '../../../server/simulator';
import { BASE, T0, type Json, clocked, submit, poll, json, submitOk } from './harness';

const AUTH = { Authorization: 'Bearer sk-test' };
const HOOK = 'https://hooks.example/toapis';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Status words
 * -----------------------------------------------------------------------------------------------*/

describe('a status word on request', () => {
  const ENDING = ['cancelled', 'canceled', 'expired', 'timeout', 'rejected', 'error'];

  it.each(ENDING.flatMap((word) => [[word, 'prompt'], [word, 'header']]))(
    '%s via %s: the task ends with that status and error.code',
    async (word, via) => {
      const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 900 });
      const { id } = await submitOk(
        sim,
        via === 'prompt' ? { prompt: `a lighthouse [sim:status=${word}]` } : {},
        via === 'header' ? { 'x-simulator-status': word } : {},
      );
      advance(500);
      expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'in_progress' });
      advance(500);
      const ended = await json(await poll(sim, id as string));
      expect(ended).toEqual({
        id,
        object: 'generation.task',
        model: 'gemini-3.1-flash-image-preview',
        status: word,
        progress: 0,
        created_at: Math.floor(T0 / 1000),
        error: { code: word, message: expect.any(String) },
      });
      expect((await sim.fetch(new Request(`${BASE}/sim/images/${id as string}/0.png`))).status).toBe(404);
    },
  );

  it('an unknown word stays forever, without an error', async () => {
    const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 900 });
    const { id } = await submitOk(sim, {}, { 'x-simulator-status': 'paused' });
    advance(1000);
    expect(await json(await poll(sim, id as string))).not.toHaveProperty('error');
    advance(7 * 86_400_000);
    const later = await json(await poll(sim, id as string));
    expect(later).toMatchObject({ status: 'paused', progress: 0 });
    expect(later).not.toHaveProperty('error');
    expect(later).not.toHaveProperty('result');
    expect(sim.tasks()[0]?.status).toBe('paused');
  });

  it.each(['Cancelled', 'can-celled', 'paused!', 'x'.repeat(33), ''])('ignores the invalid word %j', async (word) => {
    const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 900 });
    const { id } = await submitOk(sim, { prompt: `a lighthouse [sim:status=${word}]` }, word ? { 'x-simulator-status': word } : {});
    advance(1000);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'completed' });
  });

  it('works in the strict profile too', async () => {
    const { sim, advance } = clocked({ profile: 'strict', queuedMs: 100, generatingMs: 900 });
    const { id } = await submitOk(sim, { prompt: 'x [sim:status=expired]' }, AUTH);
    advance(1000);
    expect(await json(await poll(sim, id as string, AUTH))).toMatchObject({ status: 'expired', error: { code: 'expired' } });
  });
});

/* -------------------------------------------------------------------------------------------------
 * Webhooks
 * -----------------------------------------------------------------------------------------------*/

interface Delivery {
  url: string;
  headers: Headers;
  body: Json;
  raw: string;
}

/** A simulator on the faked clock whose webhooks land in `deliveries`. */
function hooked(options: SimulatorOptions = {}) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  const deliveries: Delivery[] = [];
  const webhookFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const raw = String(init?.body);
    deliveries.push({ url: String(url), headers: new Headers(init?.headers), body: JSON.parse(raw) as Json, raw });
    expect(init?.method).toBe('POST');
    return new Response('ok');
  }) as typeof fetch;
  const sim = createSimulator({ seed: 1, queuedMs: 200, generatingMs: 800, webhookFetch, ...options });
  return { sim, deliveries };
}

/** The real setTimeout, captured before any test fakes it. */
const realSetTimeout = globalThis.setTimeout;

/** Lets real async work (crypto.subtle on the thread pool) finish: a few real milliseconds. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => realSetTimeout(resolve, 2));
}

/** Waits (real time, at most 5 s) until `done()`. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise<void>((resolve) => realSetTimeout(resolve, 5));
}

describe('webhooks', () => {
  it('POSTs SUCCESS once when the task completes, in the documented shape', async () => {
    const { sim, deliveries } = hooked();
    const { id } = await submitOk(sim, { callback_url: HOOK, n: 2 });
    await vi.advanceTimersByTimeAsync(999);
    await settle();
    expect(deliveries).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    const completedAt = Math.floor((T0 + 1000) / 1000);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.url).toBe(HOOK);
    expect(deliveries[0]!.headers.get('content-type')).toBe('application/json');
    expect(deliveries[0]!.body).toEqual({
      id,
      status: 'SUCCESS',
      progress: '100%',
      result: { type: 'image', data: [0, 1].map((i) => ({ url: `${BASE}/sim/images/${id as string}/${i}.png` })) },
      created_at: Math.floor(T0 / 1000),
      completed_at: completedAt,
      expires_at: completedAt + 86_400,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(deliveries).toHaveLength(1);
  });

  it.each<[string, Json, Record<string, string>, Json | undefined]>([
    ['task_failed', { prompt: 'x [sim:task_failed]' }, {}, { code: 'generation_failed', message: expect.any(String) }],
    ['a cancelled status', {}, { 'x-simulator-status': 'cancelled' }, { code: 'cancelled', message: expect.any(String) }],
    ['an unknown status (never ends)', {}, { 'x-simulator-status': 'paused' }, undefined],
  ])('POSTs FAILURE for %s', async (_label, extra, headers, error) => {
    const { sim, deliveries } = hooked();
    const { id } = await submitOk(sim, { callback_url: HOOK, ...extra }, headers);
    await vi.advanceTimersByTimeAsync(120_000);
    await settle();
    if (error === undefined) return expect(deliveries).toHaveLength(0);
    expect(deliveries.map((d) => d.body)).toEqual([{ id, status: 'FAILURE', progress: '100%', error, created_at: Math.floor(T0 / 1000) }]);
  });

  it('reset() and close() cancel pending deliveries', async () => {
    for (const stop of ['reset', 'close'] as const) {
      const { sim, deliveries } = hooked();
      await submitOk(sim, { callback_url: HOOK });
      sim[stop]();
      await vi.advanceTimersByTimeAsync(5000);
      await settle();
      expect(deliveries, stop).toHaveLength(0);
    }
  });

  it('waits for a lagging `now` clock before delivering', async () => {
    let t = T0;
    const { sim, deliveries } = hooked({ now: () => t });
    await submitOk(sim, { callback_url: HOOK });
    await vi.advanceTimersByTimeAsync(1000); // the timer fires, but the task has not ended on `now`
    await settle();
    expect(deliveries).toHaveLength(0);
    t += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(deliveries.map((d) => d.body.status)).toEqual(['SUCCESS']);
  });

  it('signs deliveries with webhookSecret as the proxy checks them', async () => {
    const secret = 'whsec_test';
    const { sim, deliveries } = hooked({ webhookSecret: secret });
    const { id } = await submitOk(sim, { callback_url: HOOK });
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => deliveries.length > 0);
    const [d] = deliveries;
    const eventId = d!.headers.get('x-toapis-webhook-id');
    const ts = d!.headers.get('x-toapis-webhook-timestamp');
    expect(eventId).toBe(`evt_${id as string}`);
    expect(ts).toBe(String(Math.floor((T0 + 1000) / 1000)));
    const expected = createHmac('sha256', secret).update(`${eventId}.${ts}.${d!.raw}`).digest('hex');
    expect(d!.headers.get('x-toapis-webhook-signature')).toBe(`v1=${expected}`);
  });

  it('refuses a callback_url that is not http(s), in both profiles', async () => {
    for (const profile of ['kind', 'strict'] as const) {
      const { sim } = clocked({ profile, webhooks: true });
      const res = await submit(sim, { model: 'gemini-3.1-flash-image-preview', prompt: 'x', callback_url: 'ftp://hooks.example/x' });
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_request', param: 'callback_url' } });
    }
  });

  it('strict: callback_url without the webhooks option is 400 webhook_not_configured; with it, delivered', async () => {
    const { sim } = clocked({ profile: 'strict' });
    const res = await submit(sim, { model: 'gemini-3.1-flash-image-preview', prompt: 'x', callback_url: HOOK });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: { code: 'webhook_not_configured', type: 'invalid_request_error', param: 'callback_url', message: expect.any(String) },
    });
    expect(sim.stats.tasksCreated).toBe(0);

    const on = hooked({ profile: 'strict', webhooks: true, filesOrigin: 'http://127.0.0.1:5555' });
    const { id } = await submitOk(on.sim, { callback_url: HOOK });
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(on.deliveries.map((d) => d.body)).toEqual([
      expect.objectContaining({ id, status: 'SUCCESS', result: { type: 'image', data: [{ url: `http://127.0.0.1:5555/sim/images/${id as string}/0.png` }] } }),
    ]);
  });
});
