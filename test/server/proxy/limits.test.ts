/**
 * Per-client budgets: requests per identity and per client IP, new anonymous sessions per IP; where
 * the client IP comes from (socket, trusted X-Forwarded-For, a hook); refusals set no cookie.
 */
import { ipKey, normaliseIp } from '../../../server/proxy/client';
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
  get,
  socketEnv,
  upstreamSubmits,
  visitor,
  type Harness,
} from './harness';

afterEach(closeHarnesses);

const submitRequest = (headers: Record<string, string> = {}) =>
  new Request(`${BASE}/v1/images/generations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(submitBody()),
  });

/** A cookieless submit from `ip`. */
const cookielessSubmit = (h: Harness, ip: string, headers: Record<string, string> = {}) => h.proxy.fetch(submitRequest(headers), socketEnv(ip));

describe('per-identity budget', () => {
  it('limits each identity to max requests per window with 429 + Retry-After; others are unaffected', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateLimit: { windowMs: 60_000, max: 3 } });
    const a = h.visitor('192.0.2.1');
    const b = h.visitor('192.0.2.2');
    const task = await json(await submit(a));
    const own = `/v1/images/generations/${String(task.id)}`;
    expect(a.cookie).toBeDefined();
    for (let i = 0; i < 2; i++) expect((await a.send(own)).status).toBe(200);
    const limited = await a.send(own);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorOf(await json(limited))).toEqual({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
      message: 'Too many requests; please slow down and retry shortly.',
    });
    expect((await submit(b)).status).toBe(200);
    const upstreamBefore = h.upstream.length;
    expect((await submit(a)).status).toBe(429);
    expect(h.upstream.length).toBe(upstreamBefore);

    vi.setSystemTime(T0 + 45_000);
    expect((await a.send(own)).headers.get('retry-after')).toBe('15');
    vi.setSystemTime(T0 + 60_001);
    expect((await a.send(own)).status).toBe(200);
  });

  it('throws a TypeError for an unusable rateLimit', () => {
    expect(() => harness({ rateLimit: { windowMs: 0, max: 3 } })).toThrow(TypeError);
    expect(() => harness({ rateLimit: { windowMs: 1000, max: 0 } })).toThrow(/rateLimit/);
  });
});

describe('new anonymous sessions per client IP', () => {
  it('caps new sessions per IP; the refusal is a 429 that sets no cookie', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const answers: Response[] = [];
    for (let i = 0; i < 3; i++) answers.push(await cookielessSubmit(h, '198.51.100.1'));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(answers[0]!.headers.get('set-cookie')).toMatch(/^gen_sid=/);
    expect(answers[2]!.headers.get('set-cookie')).toBeNull();
    expect(answers[2]!.headers.get('retry-after')).toBe('60');
    expect(upstreamSubmits(h)).toHaveLength(2);
    // A returning visitor (cookie from the first answer) is not a new session and still passes.
    const cookie = answers[0]!.headers.get('set-cookie')!.split(';')[0]!;
    expect((await h.proxy.fetch(submitRequest({ cookie }), socketEnv('198.51.100.1'))).status).toBe(200);
  });

  it('a cookieless POST flood from one IP does not lock out a genuine new visitor on another IP (defaults)', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateLimit: undefined, rateGroup: undefined, spendLimit: undefined });
    const statuses = new Map<number, number>();
    let cookies = 0;
    for (let i = 0; i < 3200; i++) {
      const res = await cookielessSubmit(h, '203.0.113.66');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.headers.get('set-cookie')) cookies++;
    }
    // 20 new sessions per IP per minute (each keeps its cookie); of those, the key-wide budget let
    // 5 submits through this second.
    expect(upstreamSubmits(h)).toHaveLength(5);
    expect(cookies).toBe(20);
    expect(statuses.get(200)).toBe(5);
    expect(statuses.get(429)).toBe(3195);

    // One second later (the key-wide window starts over), a new visitor on another IP gets in...
    vi.setSystemTime(T0 + 1000);
    const genuine = h.visitor('192.0.2.44');
    const res = await submit(genuine);
    expect(res.status).toBe(200);
    expect(genuine.cookie).toMatch(/^gen_sid=/);
    // ...while the flooding address is still refused new sessions.
    const again = await cookielessSubmit(h, '203.0.113.66');
    expect(again.status).toBe(429);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(upstreamSubmits(h)).toHaveLength(6);
  });
});

describe('per-IP budget', () => {
  it('caps all identities on one IP together; another IP is unaffected', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateLimit: { windowMs: 60_000, max: 100, maxPerIp: 6, maxNewSessions: 100 } });
    const ten = Array.from({ length: 10 }, () => h.visitor('198.51.100.7'));
    const statuses: number[] = [];
    for (const v of ten) statuses.push((await submit(v)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(upstreamSubmits(h)).toHaveLength(6);
    expect((await submit(h.visitor('198.51.100.8'))).status).toBe(200);
  });

  it('counts IPv6 clients per /64', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 100, maxPerIp: 2, maxNewSessions: 100 } });
    expect((await cookielessSubmit(h, '2001:db8:1:2::1')).status).toBe(200);
    expect((await cookielessSubmit(h, '2001:db8:1:2:ffff::9')).status).toBe(200);
    expect((await cookielessSubmit(h, '2001:db8:1:2:abcd:1:2:3')).status).toBe(429);
    expect((await cookielessSubmit(h, '2001:db8:1:3::1')).status).toBe(200);
  });

  it('puts requests without a known IP in one shared bucket and says so once in the log', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.proxy.fetch(submitRequest())).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(h.logs.filter((l) => l.includes('client IP unknown'))).toHaveLength(1);
  });
});

describe('client IP', () => {
  it('ignores X-Forwarded-For without trustProxy: spoofed addresses do not mint new-session buckets', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await cookielessSubmit(h, '198.51.100.1', { 'X-Forwarded-For': `10.0.0.${i}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('with trustProxy takes the entry the trusted proxy appended (the last), not what the client prepended', async () => {
    const h = harness({ trustProxy: true, rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await cookielessSubmit(h, '10.0.0.1', { 'X-Forwarded-For': `6.6.6.${i}, 203.0.113.5` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    // A different client behind the same proxy is a different bucket.
    expect((await cookielessSubmit(h, '10.0.0.1', { 'X-Forwarded-For': '203.0.113.6' })).status).toBe(200);
    // trustProxy: 2 skips one more hop (a CDN in front of the load balancer).
    const two = harness({ trustProxy: 2, rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 1 } });
    expect((await cookielessSubmit(two, '10.0.0.1', { 'X-Forwarded-For': '198.51.100.20, 10.1.1.1' })).status).toBe(200);
    expect((await cookielessSubmit(two, '10.0.0.1', { 'X-Forwarded-For': '198.51.100.20, 10.1.1.2' })).status).toBe(429);
  });

  it('falls back to the socket when a trusted X-Forwarded-For is garbage', async () => {
    const h = harness({ trustProxy: true, rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 1 } });
    expect((await cookielessSubmit(h, '10.0.0.1', { 'X-Forwarded-For': 'not-an-ip' })).status).toBe(200);
    expect((await cookielessSubmit(h, '10.0.0.1', { 'X-Forwarded-For': '999.1.1.1' })).status).toBe(429);
    expect((await cookielessSubmit(h, '10.0.0.2', { 'X-Forwarded-For': '' })).status).toBe(200);
  });

  it('uses the clientIp hook (edge hosts); a throwing hook counts as no answer', async () => {
    const h = harness({
      clientIp: (request) => {
        const ip = request.headers.get('cf-connecting-ip');
        if (ip === 'boom') throw new Error('hook failed');
        return ip;
      },
      rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 1 },
    });
    const at = (ip: string) => h.proxy.fetch(submitRequest({ 'cf-connecting-ip': ip }));
    expect((await at('192.0.2.10')).status).toBe(200);
    expect((await at('192.0.2.10')).status).toBe(429);
    expect((await at('192.0.2.11')).status).toBe(200);
    // No socket either: the shared unknown bucket.
    expect((await at('boom')).status).toBe(200);
    expect((await at('boom')).status).toBe(429);
  });

  it('reads the peer address the way Node (Hono), Deno and Bun servers pass it', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 1 } });
    const envs = {
      node: () => socketEnv('192.0.2.31'),
      nodeNested: () => ({ server: socketEnv('192.0.2.32') }),
      deno: () => ({ remoteAddr: { transport: 'tcp', hostname: '192.0.2.33', port: 5123 } }),
      bun: () => ({ requestIP: (request: Request) => (request instanceof Request ? { address: '192.0.2.34', port: 1 } : null) }),
    };
    for (const env of Object.values(envs)) {
      // Each runtime's address is its own bucket: one new session each, then 429.
      expect((await h.proxy.fetch(submitRequest(), env())).status).toBe(200);
      expect((await h.proxy.fetch(submitRequest(), env())).status).toBe(429);
    }
    expect(h.logs.some((l) => l.includes('client IP unknown'))).toBe(false);
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['203.0.113.9:4711', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['256.1.1.1', undefined],
    ['1.2.3', undefined],
    ['2001:db8::1::2', undefined],
    ['unknown', undefined],
    ['', undefined],
    ['x'.repeat(100), undefined],
  ])('normaliseIp(%j) is %j', (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });

  it('keys IPv4 by address and IPv6 by /64', () => {
    expect(ipKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('refusals set no cookie', () => {
  it('refused before admission: no cookie; admitted (whatever the answer): the session is kept', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 10, maxNewSessions: 3 }, allowedOrigins: ['https://app.example'] });
    const v = visitor(h, undefined, '192.0.2.80');
    // A malformed task id is refused before anyone is identified; a cross-site POST too.
    expect((await v.send('/v1/images/generations/%00')).status).toBe(400);
    const csrf = await v.send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: JSON.stringify(submitBody()),
    });
    expect(csrf.status).toBe(403);
    expect(v.cookie).toBeUndefined();
    // Admitted: the new session's cookie comes with the 404, and the visitor keeps it (one new session, not one per request).
    expect((await v.send('/v1/images/generations/task_img_unknown00')).status).toBe(404);
    expect(v.cookie).toMatch(/^gen_sid=/);
    for (let i = 0; i < 5; i++) expect((await submit(v, { prompt: '   ' })).status).toBe(400);
    expect((await submit(v)).status).toBe(200);
    // Two more cookieless visitors on the address use up the new-session cap; the next gets a 429 without a cookie.
    for (let i = 0; i < 2; i++) expect((await cookielessSubmit(h, '192.0.2.80')).headers.get('set-cookie')).toMatch(/^gen_sid=/);
    const refused = await cookielessSubmit(h, '192.0.2.80');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });

  it('the plain request path (no cookie, 429 from the new-session cap) carries no Set-Cookie at all', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 1 } });
    expect((await h.proxy.fetch(get('/v1/capabilities'))).headers.get('set-cookie')).toBeNull();
    expect((await cookielessSubmit(h, '192.0.2.90')).status).toBe(200);
    const refused = await cookielessSubmit(h, '192.0.2.90');
    expect(refused.status).toBe(429);
    expect([...refused.headers.keys()]).not.toContain('set-cookie');
  });
});
