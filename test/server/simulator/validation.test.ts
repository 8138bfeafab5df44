/** Submit validation in ToAPIs' envelopes, 404s, the health check and CORS. */
import { createSimulator } from '../../../server/simulator';
import { BASE, type Json, submit, poll, json, submitOk } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Validation and error shapes
 * -----------------------------------------------------------------------------------------------*/

describe('validation', () => {
  it('answers malformed JSON with the OpenAI 400 envelope', async () => {
    const sim = createSimulator({ seed: 1 });
    const res = await submit(sim, '{"model": "m", "prompt": ');
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: { code: 'invalid_request', type: 'invalid_request_error', message: expect.stringMatching(/JSON/) },
    });
    expect(sim.stats.tasksCreated).toBe(0);
  });

  it.each<[string, Json]>([
    ['model', { prompt: 'x' }],
    ['prompt', { model: 'm' }],
    ['prompt', { model: 'm', prompt: '   ' }],
    ['n', { model: 'm', prompt: 'x', n: '1' }],
    ['n', { model: 'm', prompt: 'x', n: 0 }],
    ['n', { model: 'm', prompt: 'x', n: 11 }],
    ['n', { model: 'm', prompt: 'x', n: 1.5 }],
    ['size', { model: 'm', prompt: 'x', size: 'wide' }],
    ['size', { model: 'm', prompt: 'x', size: 16 }],
    ['image_urls', { model: 'm', prompt: 'x', image_urls: ['data:image/png;base64,AAAA'] }],
    ['image_urls', { model: 'm', prompt: 'x', image_urls: 'https://a.test/x.png' }],
    ['image_urls', { model: 'm', prompt: 'x', image_urls: Array.from({ length: 17 }, (_, i) => `https://a.test/${i}.png`) }],
    ['client_business_id', { model: 'm', prompt: 'x', client_business_id: 42 }],
  ])('rejects a bad %s with param set', async (param, body) => {
    const sim = createSimulator({ seed: 1 });
    const res = await submit(sim, body);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: { code: 'invalid_request', type: 'invalid_request_error', param, message: expect.any(String) },
    });
  });

  it('accepts any model id, 16 http(s) references and n up to 10', async () => {
    const sim = createSimulator({ seed: 1 });
    await submitOk(sim, {
      model: 'some-future-model',
      n: 10,
      size: '4:1',
      image_urls: Array.from({ length: 16 }, (_, i) => `${i % 2 ? 'http' : 'https'}://a.test/${i}.png`),
      metadata: { resolution: '2K' },
    });
  });

  it('answers an unknown task with the numeric-code 404 envelope', async () => {
    const sim = createSimulator({ seed: 1 });
    const res = await poll(sim, 'task_img_nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json(res)).toEqual({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
  });

  it('answers unknown routes with a 404 envelope and the health check with ok', async () => {
    const sim = createSimulator({ seed: 1 });
    const missing = await sim.fetch(new Request(`${BASE}/v1/videos/generations`, { method: 'POST' }));
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ error: { type: 'not_found_error' } });
    for (const base of [BASE, `${BASE}/api/v2`]) {
      const health = await sim.fetch(new Request(`${base}/v1/simulator/health`));
      expect(await json(health)).toEqual({ ok: true, simulator: true });
    }
  });

  it('answers CORS preflights and exposes Retry-After', async () => {
    const sim = createSimulator({ seed: 1 });
    const pre = await sim.fetch(
      new Request(`${BASE}/v1/images/generations`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:6006', 'Access-Control-Request-Method': 'POST' },
      }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-simulator-fault');
    const res = await poll(sim, 'missing');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });
});
