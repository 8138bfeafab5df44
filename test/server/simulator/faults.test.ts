/** Faults chosen by option, header or prompt token, on submits, polls and uploads. */
import { createSimulator, type SimulatorFault, type SimulatorOptions } from '../../../server/simulator';
import { BASE, type Json, clocked, submit, poll, upload, json, submitOk, PNG_BYTES } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Faults
 * -----------------------------------------------------------------------------------------------*/

type Method = 'option' | 'header' | 'prompt';

/** A submit with `fault` selected by `method`. */
function withFault(method: Method, fault: SimulatorFault, options: SimulatorOptions = {}) {
  const { sim, advance } = clocked(method === 'option' ? { ...options, faults: [fault] } : options);
  const headers: Record<string, string> = method === 'header' ? { 'X-Simulator-Fault': fault } : {};
  const prompt = method === 'prompt' ? `a lighthouse [sim:${fault}]` : 'a lighthouse';
  const send = (extra: Json = {}) => submit(sim, { model: 'm', prompt, size: '4:3', ...extra }, headers);
  return { sim, advance, headers, send };
}

const METHODS: Method[] = ['option', 'header', 'prompt'];

describe('faults on submit', () => {
  it.each(METHODS)('auth via %s → 401 authentication envelope', async (method) => {
    const { sim, send } = withFault(method, 'auth');
    const res = await send();
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({
      error: { code: 'unauthorized', type: 'authentication_error', message: 'API key missing or not valid' },
    });
    expect(sim.stats.tasksCreated).toBe(0);
  });

  it.each(METHODS)('bad_request via %s → 400 on size', async (method) => {
    const { send } = withFault(method, 'bad_request');
    const res = await send();
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: 'invalid_request',
        type: 'invalid_request_error',
        param: 'size',
        message: 'Unsupported aspect ratio 4:3 for this model',
      },
    });
  });

  it.each(METHODS)('quota via %s → 402 insufficient_quota', async (method) => {
    const { send } = withFault(method, 'quota');
    const res = await send();
    expect(res.status).toBe(402);
    expect(await json(res)).toEqual({
      error: { code: 'insufficient_quota', type: 'insufficient_quota', message: expect.stringMatching(/^Insufficient balance/) },
    });
  });

  it.each(METHODS)('content_policy via %s → 422', async (method) => {
    const { send } = withFault(method, 'content_policy');
    const res = await send();
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual({
      error: { code: 'content_policy_violation', type: 'invalid_request_error', message: expect.any(String) },
    });
  });

  it.each(METHODS)('rate_limit via %s → rateLimitCount 429s per client_business_id, then the submit goes through', async (method) => {
    const { sim, send } = withFault(method, 'rate_limit', { retryAfterSeconds: 3, rateLimitCount: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await send({ client_business_id: 'order-rl' });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.headers.get('x-ratelimit-category')).toBe('async_submit');
      expect(await json(res)).toEqual({ error: { code: 'rate_limit_exceeded', message: expect.any(String) } });
    }
    expect((await send({ client_business_id: 'order-rl' })).status).toBe(200);
    expect((await send({ client_business_id: 'order-other' })).status).toBe(429);
    expect(sim.stats).toMatchObject({ submits: 4, tasksCreated: 1 });
  });

  it.each(METHODS)('lost_submit via %s → the submit is a network error but the task exists', async (method) => {
    const { sim, send } = withFault(method, 'lost_submit');
    const res = await send({ client_business_id: `lost-${method}` });
    expect(res.type).toBe('error');
    expect((await poll(sim, `lost-${method}`)).status).toBe(200);
  });

  it('reads a comma-separated header list, ignores unknown names, and checks auth first', async () => {
    const sim = createSimulator({ seed: 1 });
    const body = { model: 'm', prompt: 'x' };
    expect((await submit(sim, body, { 'x-simulator-fault': 'quota, auth, not-a-fault' })).status).toBe(401);
    expect((await submit(sim, body, { 'x-simulator-fault': 'not-a-fault,quota' })).status).toBe(402);
    expect((await submit(sim, body, { 'x-simulator-fault': 'not-a-fault' })).status).toBe(200);
  });
});

describe('faults on polls', () => {
  it.each(METHODS)('rate_limit via %s → the first polls of the task answer 429 async_query', async (method) => {
    const { sim, headers, send } = withFault(method, 'rate_limit', { rateLimitCount: 1, retryAfterSeconds: 2 });
    // The submit is rate limited too (once, with rateLimitCount 1).
    expect((await send({ client_business_id: `rl-${method}` })).status).toBe(429);
    const { id } = await json(await send({ client_business_id: `rl-${method}` }));
    const limited = await poll(sim, id as string, headers);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('x-ratelimit-category')).toBe('async_query');
    expect(await json(limited)).toEqual({
      error: { code: 'rate_limit_exceeded', message: 'Too many task status requests; slow down' },
    });
    expect((await poll(sim, id as string, headers)).status).toBe(200);
  });

  it.each(METHODS)('task_failed via %s → queued, in_progress, then failed with progress 0', async (method) => {
    const { sim, advance, send } = withFault(method, 'task_failed');
    const { id } = await json(await send());
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'queued' });
    advance(1000);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'in_progress' });
    advance(5000);
    const failed = await json(await poll(sim, id as string));
    expect(failed).toMatchObject({
      status: 'failed',
      progress: 0,
      error: { code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' },
    });
    expect(failed).not.toHaveProperty('result');
    expect(failed).not.toHaveProperty('completed_at');
    expect((await sim.fetch(new Request(`${BASE}/sim/images/${id as string}/0.png`))).status).toBe(404);
  });

  it.each(METHODS)('slow via %s → durations × slowFactor', async (method) => {
    const { sim, advance, send } = withFault(method, 'slow', { slowFactor: 5 });
    const { id } = await json(await send());
    advance(2999);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'queued' });
    advance(1 + 6000);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'in_progress', progress: 50 });
    advance(6000);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'completed' });
  });

  it.each(METHODS)('server_error via %s → the first poll answers 500, later ones work', async (method) => {
    const { sim, headers, send } = withFault(method, 'server_error');
    const { id } = await json(await send());
    const first = await poll(sim, id as string, headers);
    expect(first.status).toBe(500);
    expect(await json(first)).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect((await poll(sim, id as string, headers)).status).toBe(200);
  });

  it.each(METHODS)('drop_poll via %s → the first poll is a network error, later ones work', async (method) => {
    const { sim, headers, send } = withFault(method, 'drop_poll');
    const { id } = await json(await send());
    expect((await poll(sim, id as string, headers)).type).toBe('error');
    expect((await poll(sim, id as string, headers)).status).toBe(200);
  });

  it.each(METHODS)('not_found via %s → polls answer 404', async (method) => {
    const { sim, headers, send } = withFault(method, 'not_found');
    const { id } = await json(await send({ client_business_id: 'nf' }));
    for (const key of [id as string, 'nf', id as string]) {
      const res = await poll(sim, key, headers);
      expect(res.status).toBe(404);
      expect(await json(res)).toEqual({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
    }
  });

  it.each(METHODS)('garbled via %s → the first poll is 200 but not JSON, later ones work', async (method) => {
    const { sim, headers, send } = withFault(method, 'garbled');
    const { id } = await json(await send());
    const first = await poll(sim, id as string, headers);
    expect(first.status).toBe(200);
    const text = await first.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(await json(await poll(sim, id as string, headers))).toMatchObject({ id });
  });

  it('a poll-only header fault applies to that task once, even when sent on every poll', async () => {
    const { sim } = clocked();
    const { id } = await submitOk(sim);
    const headers = { 'x-simulator-fault': 'server_error,garbled,drop_poll' };
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await poll(sim, id as string, headers);
      kinds.push(res.type === 'error' ? 'dropped' : `${res.status} ${res.headers.get('content-type')?.split(';')[0] ?? ''}`);
    }
    expect(kinds).toEqual(['dropped', '500 application/json', '200 text/html', '200 application/json']);
    const { id: other } = await submitOk(sim);
    expect((await poll(sim, other as string)).status).toBe(200);
  });

  it('prompt faults stay with their task: another task on the same simulator is unaffected', async () => {
    const { sim } = clocked();
    const { id: broken } = await submitOk(sim, { prompt: 'storm [sim:drop_poll, not_found]' });
    const { id: fine } = await submitOk(sim, { prompt: 'calm' });
    expect((await poll(sim, broken as string)).status).toBe(404);
    expect((await poll(sim, fine as string)).status).toBe(200);
  });
});

describe('faults on uploads', () => {
  it.each<Method>(['option', 'header'])('upload_rejected via %s → 400 upload envelope', async (method) => {
    const sim = createSimulator({ seed: 1, ...(method === 'option' && { faults: ['upload_rejected'] }) });
    const res = await upload(sim, PNG_BYTES, method === 'header' ? { 'x-simulator-fault': 'upload_rejected' } : {});
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ success: false, message: expect.any(String) });
  });
});
