/** Signed ToAPIs webhooks: signatures, de-duplication, and pushes to event streams. */
import {
  closeHarnesses,
  BASE,
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
