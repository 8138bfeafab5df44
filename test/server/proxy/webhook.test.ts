/** Signed ToAPIs webhooks: signatures, de-duplication, and pushes to event streams. */
import {
  closeHarnesses,
  BASE,
  UPSTREAM,
  T0,
  FAKE_TIMERS,
  MODEL,
  type Json,
  type Init,
  harness,
  json,
  submitOk,
  upstreamGets,
  settle,
  readSse,
  runUntil,
  taskEvents,
  signedWebhook,
  post,
} from './harness';

afterEach(closeHarnesses);

/** The real setTimeout, captured before any test fakes it. */
const realSetTimeout = globalThis.setTimeout;

/* -------------------------------------------------------------------------------------------------
 * Webhooks
 * -----------------------------------------------------------------------------------------------*/

describe('webhooks', () => {
  const SECRET = 'whsec_0123456789abcdef0123456789abcdef';
  const webhook = { secret: SECRET, publicUrl: 'https://proxy.example/' };

  it('is not routed without a webhook configuration', async () => {
    const h = harness();
    const res = await h.proxy.fetch(post('/v1/webhooks/toapis', '{}', { 'Content-Type': 'application/json' }));
    expect(res.status).toBe(404);
  });

  it('registers a callback_url without the secret, checks signatures, and pushes updates to subscribers', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ webhook, pollIntervalMs: 1000 });
    const v = h.visitor();
    const task = await submitOk(v, { client_business_id: 'kit-wh-1' });
    const id = String(task.id);
    const sent = (await (h.upstream[0] as Request).json()) as Json;
    expect(sent.callback_url).toBe('https://proxy.example/v1/webhooks/toapis');
    expect(JSON.stringify(sent)).not.toContain(SECRET);

    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.events.length > 0);
    expect(taskEvents(r).map((t) => t.status)).toEqual(['queued']);

    const payload = {
      id: 'evt_01abcdef',
      type: 'generation.completed',
      api_version: 'v1',
      created_at: Math.floor(T0 / 1000) + 2,
      data: {
        task_id: id,
        client_business_id: sent.client_business_id,
        task_type: 'image',
        model: MODEL,
        status: 'SUCCESS',
        progress: '100%',
        result: { type: 'image', data: [{ url: 'https://files.toapis.com/generated/x.png' }] },
        error: null,
        submitted_at: Math.floor(T0 / 1000),
        finished_at: Math.floor(T0 / 1000) + 2,
      },
    };
    const hook = (init: Init) => h.proxy.fetch(new Request(`${BASE}/v1/webhooks/toapis`, init));

    const unsigned = await hook({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    expect(unsigned.status).toBe(401);
    expect((await hook(signedWebhook(payload, 'wrong-secret'))).status).toBe(401);
    expect((await hook(signedWebhook(payload, SECRET, { ts: Math.floor(T0 / 1000) - 600 }))).status).toBe(401);
    const tampered = signedWebhook(payload, SECRET);
    expect((await hook({ ...tampered, body: JSON.stringify({ ...payload, data: { ...payload.data, task_id: 'other' } }) })).status).toBe(401);
    await settle();
    expect(r.finished()).toBe(false);

    const ok = await hook(signedWebhook(payload, SECRET));
    expect(ok.status).toBe(200);
    await runUntil(() => r.finished(), 1000);
    const statuses = taskEvents(r);
    expect(statuses.map((t) => t.status)).toEqual(['queued', 'completed']);
    expect(statuses[1]).toMatchObject({
      id,
      status: 'completed',
      progress: 100,
      client_business_id: 'kit-wh-1',
      result: { type: 'image', data: [{ url: 'https://files.toapis.com/generated/x.png' }] },
    });
    expect(upstreamGets(h, id)).toHaveLength(1); // the webhook, not polling, finished it

    expect(await json(await hook(signedWebhook(payload, SECRET)))).toEqual({ ok: true, duplicate: true });
    const test = { id: 'evt_test', type: 'endpoint.test', data: { task_id: 'endpoint_test', status: 'SUCCESS', progress: '100%' } };
    expect((await hook(signedWebhook(test, SECRET, { id: 'evt_test' }))).status).toBe(200);
    const foreign = { ...payload, data: { ...payload.data, task_id: 'task_img_notours' } };
    expect(await json(await hook(signedWebhook(foreign, SECRET, { id: 'evt_2' })))).toEqual({ ok: true, ignored: true });
  });

  it('maps FAILURE to a failed task and accepts a rotated secret', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ webhook: { ...webhook, secret: ['new-secret', SECRET] }, pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.events.length > 0);
    const payload = {
      id: 'evt_fail',
      type: 'generation.failed',
      data: { task_id: id, status: 'FAILURE', progress: '100%', result: null, error: { code: 'generation_failed', message: 'Generation failed after retries' } },
    };
    expect((await h.proxy.fetch(new Request(`${BASE}/v1/webhooks/toapis`, signedWebhook(payload, SECRET, { id: 'evt_fail' })))).status).toBe(200);
    await runUntil(() => r.finished(), 1000);
    expect(taskEvents(r).at(-1)).toMatchObject({
      id,
      status: 'failed',
      progress: 0,
      error: { code: 'generation_failed', message: 'Generation failed after retries' },
    });
  });

  it('takes the simulator’s own signed deliveries: a bare task with SUCCESS/FAILURE, "100%" and its times', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    // The simulator POSTs to the callback_url the proxy registered; here that reaches the proxy in-process.
    const answers: Array<Promise<Response>> = [];
    const webhookFetch = ((url: string, init?: RequestInit) => {
      const answer = h.proxy.fetch(new Request(String(url).replace('https://proxy.example', BASE), init));
      answers.push(answer.then((res) => res.clone())); // the simulator discards its own copy
      return answer;
    }) as typeof fetch;
    const h = harness({ webhook, pollIntervalMs: 1000 }, { profile: 'strict', webhooks: true, webhookSecret: SECRET, webhookFetch, resultTtlSeconds: 3600 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const failedId = String((await submitOk(v, { prompt: 'a storm [sim:task_failed]' })).id);
    const ok = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    const failed = readSse(h, await v.send(`/v1/images/generations/${failedId}/events`));
    await vi.advanceTimersByTimeAsync(1000);
    // Signing and checking use crypto.subtle: real time passes before both deliveries are answered.
    for (let i = 0; i < 1000 && answers.length < 2; i++) await new Promise((resolve) => realSetTimeout(resolve, 5));
    expect(await Promise.all(answers.map(async (a) => json(await a)))).toEqual([{ ok: true }, { ok: true }]);
    await runUntil(() => ok.finished() && failed.finished(), 5000);

    const completedAt = Math.floor((T0 + 1000) / 1000);
    expect(taskEvents(ok).at(-1)).toMatchObject({
      id,
      status: 'completed',
      progress: 100,
      created_at: Math.floor(T0 / 1000),
      completed_at: completedAt,
      expires_at: completedAt + 3600, // the delivery's own expires_at, not completion + 24 h
      result: { type: 'image', data: [{ url: `${UPSTREAM}/sim/images/${id}/0.png` }] },
    });
    expect(taskEvents(failed).at(-1)).toMatchObject({ id: failedId, status: 'failed', error: { code: 'generation_failed' } });
    expect(upstreamGets(h, id)).toHaveLength(1); // the webhook, not polling, finished it
    expect(h.logs.join('\n')).not.toContain('webhook rejected');
  });

  it('keeps a slow safety poll while waiting for the webhook', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ webhook: { ...webhook, safetyPollMs: 30_000 } });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished(), 40_000, 1000);
    expect(taskEvents(r).map((t) => t.status)).toEqual(['queued', 'completed']);
    expect(upstreamGets(h, id)).toHaveLength(2);
  });
});
