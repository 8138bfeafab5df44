/**
 * The key-wide budget (one ToAPIs account's allowance shared by every visitor), the pause after an
 * upstream 429, `GET /v1/health`, and limiters supplied by the host.
 */
import { parseErrorResponse } from '../../../src/core/protocol';
import { RATE_GROUPS, type Limiter, type LimiterSpec } from '../../../server/proxy';
import {
  closeHarnesses,
  BASE,
  T0,
  FAKE_TIMERS,
  harness,
  json,
  errorOf,
  submit,
  submitBody,
  submitOk,
  socketEnv,
  upstreamSubmits,
  get,
  readSse,
  runUntil,
  settle,
  type Harness,
  type Json,
} from './harness';

afterEach(closeHarnesses);

const cookielessSubmit = (h: Harness, ip: string) =>
  h.proxy.fetch(
    new Request(`${BASE}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submitBody()),
    }),
    socketEnv(ip),
  );

/** The nth fresh client: a distinct IPv4 address per n. */
const ipOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function health(h: Harness): Promise<Json> {
  const res = await h.proxy.fetch(get('/v1/health'));
  expect(res.status).toBe(200);
  return json(res);
}

describe('key-wide budget', () => {
  it('lets at most the group allowance of 1,000 cookieless submits from 1,000 fresh clients reach upstream', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: undefined, rateLimit: undefined, spendLimit: undefined });
    const refused: Response[] = [];
    for (let i = 0; i < 1000; i++) {
      const res = await cookielessSubmit(h, ipOf(i));
      if (res.status !== 200) refused.push(res);
    }
    expect(upstreamSubmits(h)).toHaveLength(5); // default group: 5 submits per second
    expect(refused).toHaveLength(995);
    const first = refused[0]!;
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    const body = await json(first);
    expect(errorOf(body).code).toBe('rate_limit_exceeded');
    // The kit reads it as a rate limit with a countdown.
    const parsed = parseErrorResponse(429, body, first.headers, T0);
    expect(parsed.kind).toBe('rate_limit');
    expect(parsed.retryAfterMs).toBe(1000);
    expect(refused.every((r) => r.status === 429)).toBe(true);
  });

  it('holds every window of the group over a simulated minute, and refused submits cost nothing', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'default' });
    const v = h.visitor('192.0.2.1');
    const perSecond: number[] = [];
    for (let s = 0; s < 60; s++) {
      vi.setSystemTime(T0 + s * 1000);
      const before = upstreamSubmits(h).length;
      for (let i = 0; i < 12; i++) await submit(v);
      perSecond.push(upstreamSubmits(h).length - before);
    }
    expect(perSecond.every((n) => n === 5)).toBe(true);
    expect(upstreamSubmits(h)).toHaveLength(300);
    for (let s = 0; s + 10 <= 60; s++) expect(perSecond.slice(s, s + 10).reduce((a, b) => a + b)).toBeLessThanOrEqual(50);
  });

  it('enforces the longer windows too (custom budget: 3 per second, 5 per 10 s)', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({
      rateGroup: { submit: [{ points: 3, windowMs: 1000 }, { points: 5, windowMs: 10_000 }], query: [{ points: 100, windowMs: 1000 }] },
    });
    const v = h.visitor('192.0.2.1');
    const counts: number[] = [];
    const retryAfter: Array<string | null> = [];
    for (const at of [0, 1000, 2000, 9000, 10_000]) {
      vi.setSystemTime(T0 + at);
      const before = upstreamSubmits(h).length;
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) last = await submit(v);
      counts.push(upstreamSubmits(h).length - before);
      retryAfter.push(last!.headers.get('retry-after'));
    }
    expect(counts).toEqual([3, 2, 0, 0, 3]);
    // Each refusal waits for the window that refused it: the 1 s one, then the 10 s one started at T0.
    expect(retryAfter).toEqual(['1', '9', '8', '1', '1']);
  });

  it("uses the vip and svip rows of ToAPIs' async-task rate-limit table", async () => {
    expect(RATE_GROUPS.vip.submit.map((w) => [w.points, w.windowMs])).toEqual([[16, 1000], [167, 10_000], [1000, 60_000]]);
    expect(RATE_GROUPS.vip.query.map((w) => w.points)).toEqual([166, 1667, 10_000]);
    expect(RATE_GROUPS.svip.submit.map((w) => w.points)).toEqual([33, 334, 2000]);
    expect(RATE_GROUPS.svip.query.map((w) => w.points)).toEqual([500, 5000, 30_000]);
    expect(RATE_GROUPS.default.query.map((w) => w.points)).toEqual([50, 500, 3000]);
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'vip' });
    const v = h.visitor('192.0.2.1');
    for (let i = 0; i < 20; i++) await submit(v);
    expect(upstreamSubmits(h)).toHaveLength(16);
  });

  it('budgets status queries separately from submits', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: { submit: [{ points: 2, windowMs: 1000 }], query: [{ points: 3, windowMs: 1000 }] } });
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const path = `/v1/images/generations/${String(task.id)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await v.send(path)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(h.upstream.filter((r) => r.method === 'GET')).toHaveLength(3);
    // Queries used up; a submit still goes.
    expect((await submit(v)).status).toBe(200);
  });

  it('throws a TypeError for an unknown group or an unusable custom budget', () => {
    expect(() => harness({ rateGroup: 'gold' as never })).toThrow(/rateGroup/);
    expect(() => harness({ rateGroup: { submit: [], query: [{ points: 1, windowMs: 1000 }] } })).toThrow(TypeError);
    expect(() => harness({ rateGroup: { submit: [{ points: 0, windowMs: 1000 }], query: [{ points: 1, windowMs: 1000 }] } })).toThrow(TypeError);
  });
});

describe('upstream 429', () => {
  it('pauses every visitor’s submits for its Retry-After, not just the one request; queries go on', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'default' });
    const a = h.visitor('192.0.2.1');
    const b = h.visitor('192.0.2.2');
    const task = await submitOk(b);
    let limited = 0;
    h.intercept = (request) => {
      if (request.method !== 'POST' || limited > 0) return undefined;
      limited++;
      return Response.json(
        { error: { code: 'rate_limit_exceeded', message: 'Too many task submissions; slow down' } },
        { status: 429, headers: { 'Retry-After': '7', 'X-RateLimit-Category': 'async_submit' } },
      );
    };
    const first = await submit(a);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(upstreamSubmits(h)).toHaveLength(2);

    // Another visitor's submit is refused here, with the rest of the pause, and never sent.
    vi.setSystemTime(T0 + 2000);
    const other = await submit(b);
    expect(other.status).toBe(429);
    expect(other.headers.get('retry-after')).toBe('5');
    expect(errorOf(await json(other)).code).toBe('rate_limit_exceeded');
    expect(upstreamSubmits(h)).toHaveLength(2);
    expect(h.logs.some((l) => l.includes('upstream 429: submits paused for 7 s'))).toBe(true);
    const during = (await health(h)).budget as Json;
    expect((during.submit as Json).pausedUntil).toBe(new Date(T0 + 7000).toISOString());
    expect((during.query as Json).pausedUntil).toBeNull();

    // Status queries are a separate allowance and keep working.
    expect((await b.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);

    vi.setSystemTime(T0 + 7001);
    expect((await submit(b)).status).toBe(200);
    expect(upstreamSubmits(h)).toHaveLength(3);
  });

  it('pauses status queries after a 429 on a status read (X-RateLimit-Category wins over the endpoint)', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'default' });
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const path = `/v1/images/generations/${String(task.id)}`;
    h.intercept = (request) =>
      request.method === 'GET'
        ? Response.json({ error: { code: 'rate_limit_exceeded', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '3' } })
        : undefined;
    expect((await v.send(path)).status).toBe(429);
    h.intercept = undefined;
    const gets = h.upstream.filter((r) => r.method === 'GET').length;
    const paused = await v.send(path);
    expect(paused.status).toBe(429);
    expect(paused.headers.get('retry-after')).toBe('3');
    expect(h.upstream.filter((r) => r.method === 'GET')).toHaveLength(gets);
    expect((await submit(v)).status).toBe(200);

    // A 429 on a submit whose header says async_query pauses queries, not submits.
    h.intercept = (request) =>
      request.method === 'POST'
        ? Response.json({ error: { code: 'rate_limit_exceeded', message: 'x' } }, { status: 429, headers: { 'Retry-After': '30', 'X-RateLimit-Category': 'async_query' } })
        : undefined;
    vi.setSystemTime(T0 + 4000);
    expect((await submit(v)).status).toBe(429);
    h.intercept = undefined;
    expect((await submit(v)).status).toBe(200);
    expect((await v.send(path)).headers.get('retry-after')).toBe('30');
  });

  it('caps a huge Retry-After at 10 minutes and uses 5 s when there is none', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'default' });
    const v = h.visitor('192.0.2.1');
    let retryAfter: string | undefined = '999999999';
    h.intercept = (request) =>
      request.method === 'POST'
        ? Response.json({ error: { code: 'rate_limit_exceeded', message: 'x' } }, { status: 429, headers: retryAfter ? { 'Retry-After': retryAfter } : {} })
        : undefined;
    expect((await submit(v)).status).toBe(429);
    expect((await submit(v)).headers.get('retry-after')).toBe('600');
    vi.setSystemTime(T0 + 600_001);
    retryAfter = undefined;
    expect((await submit(v)).status).toBe(429);
    expect((await submit(v)).headers.get('retry-after')).toBe('5');
  });

  it('event-stream poll loops wait out a pause exactly, without escalating their backoff', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000, rateGroup: 'default' }, { queuedMs: 600_000, generatingMs: 600_000 });
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const reader = readSse(h, await v.send(`/v1/images/generations/${String(task.id)}/events`));
    await settle();
    expect(h.proxy.stats.upstreamPolls).toBe(1); // the loop's first poll, at once
    // Half a second later a status read gets an upstream 429: queries pause until T0 + 1.5 s.
    await vi.advanceTimersByTimeAsync(500);
    h.intercept = (request) =>
      request.method === 'GET' ? Response.json({ error: { code: 'rate_limit_exceeded', message: 'x' } }, { status: 429, headers: { 'Retry-After': '1' } }) : undefined;
    expect((await v.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(429);
    h.intercept = undefined;
    // The loop's next poll (about T0 + 1 s) is refused here; it retries 1 s later (plus at most
    // 10 % jitter), not after a doubled backoff of 2 s.
    await runUntil(() => false, 1800, 50);
    expect(h.proxy.stats.upstreamPolls).toBe(2);
    await reader.cancel();
  });

  it('does not pause anything for an upload 429', async () => {
    const h = harness({ rateGroup: 'default' });
    const v = h.visitor('192.0.2.1');
    h.intercept = (request) => (new URL(request.url).pathname === '/v1/uploads/images' ? Response.json({ success: false, message: 'slow' }, { status: 429 }) : undefined);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])]), 'a.png');
    await v.send('/v1/uploads/images', { method: 'POST', body: form });
    expect((await submit(v)).status).toBe(200);
  });
});

describe('GET /v1/health', () => {
  it('reports the state backend and the budget left per window, without identity, cookie or upstream call', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateGroup: 'default' });
    const fresh = await h.proxy.fetch(get('/v1/health'));
    expect(fresh.headers.get('set-cookie')).toBeNull();
    expect(await json(fresh)).toEqual({
      status: 'ok',
      state: 'memory',
      budget: {
        group: 'default',
        submit: {
          windows: [
            { windowMs: 1000, limit: 5, remaining: 5, resetMs: 0 },
            { windowMs: 10_000, limit: 50, remaining: 50, resetMs: 0 },
            { windowMs: 60_000, limit: 300, remaining: 300, resetMs: 0 },
          ],
          pausedUntil: null,
        },
        query: {
          windows: [
            { windowMs: 1000, limit: 50, remaining: 50, resetMs: 0 },
            { windowMs: 10_000, limit: 500, remaining: 500, resetMs: 0 },
            { windowMs: 60_000, limit: 3000, remaining: 3000, resetMs: 0 },
          ],
          pausedUntil: null,
        },
      },
    });
    expect(h.upstream).toHaveLength(0);
    const v = h.visitor('192.0.2.1');
    await submitOk(v);
    await submitOk(v);
    vi.setSystemTime(T0 + 400);
    const submitStatus = ((await health(h)).budget as { submit: { windows: Json[] } }).submit.windows;
    expect(submitStatus.map((w) => w.remaining)).toEqual([3, 48, 298]);
    expect(submitStatus.map((w) => w.resetMs)).toEqual([600, 9600, 59_600]);
  });

  it('answers budget null when the key-wide budget is off', async () => {
    const h = harness({ rateGroup: false });
    expect(await health(h)).toEqual({ status: 'ok', state: 'memory', budget: null });
  });
});

describe('limiters from the host', () => {
  /** A minimal in-memory limiter with the rate-limiter-flexible contract (rejects with a result). */
  function fakeLimiter(spec: LimiterSpec, fail = false): Limiter {
    const counts = new Map<string, number>();
    const res = (consumed: number) => ({ remainingPoints: Math.max(0, spec.points - consumed), msBeforeNext: spec.durationMs, consumedPoints: consumed });
    return {
      points: spec.points,
      async consume(key, points = 1) {
        if (fail) throw new Error('store down');
        const consumed = (counts.get(key) ?? 0) + points;
        counts.set(key, consumed);
        if (consumed > spec.points) throw res(consumed);
        return res(consumed);
      },
      async reward(key, points = 1) {
        counts.set(key, (counts.get(key) ?? 0) - points);
        return res(counts.get(key) ?? 0);
      },
      async get(key) {
        if (fail) throw new Error('store down');
        return counts.has(key) ? res(counts.get(key) ?? 0) : null;
      },
      async block(key) {
        counts.set(key, spec.points + 1);
        return res(spec.points + 1);
      },
    };
  }

  it('builds every limiter through the host factory (one per spec name), and health reports its backend', async () => {
    const specs: LimiterSpec[] = [];
    const h = harness({
      rateGroup: 'default',
      rateLimit: { windowMs: 60_000, max: 10 },
      spendLimit: {},
      limiters: { backend: 'test-store', create: (spec) => (specs.push(spec), fakeLimiter(spec)) },
    });
    expect(specs.map((s) => s.name).sort()).toEqual(
      [
        'identity',
        'ip',
        'key-query-1000',
        'key-query-10000',
        'key-query-60000',
        'key-query-pause',
        'key-submit-1000',
        'key-submit-10000',
        'key-submit-60000',
        'key-submit-pause',
        'new-sessions',
        'spend-identity',
        'spend-ip',
      ].sort(),
    );
    expect(specs.find((s) => s.name === 'spend-identity')).toEqual({ name: 'spend-identity', points: 2_000_000, durationMs: 3_600_000 });
    const v = h.visitor('192.0.2.1');
    for (let i = 0; i < 7; i++) await submit(v);
    expect(upstreamSubmits(h)).toHaveLength(5);
    expect((await health(h)).state).toBe('test-store');
  });

  it('takes ready-made instances by name', async () => {
    const h = harness({
      rateGroup: 'default',
      limiters: { instances: { 'key-submit-1000': fakeLimiter({ name: 'key-submit-1000', points: 1, durationMs: 1000 }) } },
    });
    const v = h.visitor('192.0.2.1');
    expect((await submit(v)).status).toBe(200);
    expect((await submit(v)).status).toBe(429);
    expect((await health(h)).state).toBe('custom');
  });

  it('answers 503 with nothing sent upstream and no cookie when the limiter store fails', async () => {
    const h = harness({ rateGroup: 'default', rateLimit: { windowMs: 60_000, max: 10 }, limiters: { create: (spec) => fakeLimiter(spec, true) } });
    const res = await cookielessSubmit(h, '192.0.2.1');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(errorOf(await json(res)).code).toBe('rate_limit_unavailable');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(h.upstream).toHaveLength(0);
    const down = await h.proxy.fetch(get('/v1/health'));
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ status: 'degraded', budget: null });
  });
});
