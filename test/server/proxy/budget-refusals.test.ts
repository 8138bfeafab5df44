/**
 * Every refusal of the budgets and sessions: a clear 4xx/5xx in ToAPIs' error envelope, with
 * `Retry-After` where waiting helps, no cookie, and nothing sent upstream by the refused request.
 */
import type { Limiter, ToapisProxyOptions } from '../../../server/proxy';
import { closeHarnesses, BASE, harness, json, errorOf, submitBody, socketEnv, PNG, type Harness } from './harness';

afterEach(closeHarnesses);

interface RefusalCase {
  name: string;
  options: Partial<ToapisProxyOptions>;
  /** Requests made before the refused one (they may reach upstream). */
  prime?: (h: Harness, cookie: string) => Promise<void>;
  /** The refused request, given the cookie of a visitor who already submitted once (when primed). */
  send: (h: Harness, cookie: string) => Promise<Response>;
  status: number;
  code: string | number;
  retryAfter?: string;
}

const IP = '192.0.2.50';
const env = socketEnv(IP);
const submitReq = (cookie = '', extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new Request(`${BASE}/v1/images/generations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie && { cookie }), ...headers },
    body: JSON.stringify(submitBody(extra)),
  });
const readReq = (cookie: string, id = 'task_img_unknown00', suffix = '') =>
  new Request(`${BASE}/v1/images/generations/${id}${suffix}`, { headers: { cookie } });
const uploadReq = (cookie: string) => {
  const form = new FormData();
  form.set('file', new Blob([PNG]), 'a.png');
  return new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: form, headers: { cookie } });
};
const tight = { submit: [{ points: 1, windowMs: 60_000 }], query: [{ points: 1, windowMs: 60_000 }] };
const MAX_ORDER = { n: 4, metadata: { resolution: '4K' } };
const failingStore = (points: number): Limiter => ({
  points,
  consume: () => Promise.reject(new Error('ECONNREFUSED')),
  reward: () => Promise.reject(new Error('ECONNREFUSED')),
  get: () => Promise.reject(new Error('ECONNREFUSED')),
  block: () => Promise.reject(new Error('ECONNREFUSED')),
});
const pausedSubmits = async (h: Harness, cookie: string) => {
  h.intercept = (r) => (r.method === 'POST' ? Response.json({ error: { code: 'rate_limit_exceeded', message: 'x' } }, { status: 429, headers: { 'Retry-After': '9' } }) : undefined);
  await h.proxy.fetch(submitReq(cookie), env);
  h.intercept = undefined;
};

const CASES: RefusalCase[] = [
  { name: 'submit over the key-wide submit budget', options: { rateGroup: tight }, send: (h, c) => h.proxy.fetch(submitReq(c), env), status: 429, code: 'rate_limit_exceeded', retryAfter: '60' },
  {
    name: 'status read over the key-wide query budget',
    options: { rateGroup: tight },
    prime: async (h, c) => void (await h.proxy.fetch(readReq(c, 'task_img_a'), env)),
    send: (h, c) => h.proxy.fetch(readReq(c), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '60',
  },
  {
    name: 'event stream over the key-wide query budget',
    options: { rateGroup: tight },
    prime: async (h, c) => void (await h.proxy.fetch(readReq(c, 'task_img_a'), env)),
    send: (h, c) => h.proxy.fetch(readReq(c, 'task_img_b', '/events'), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '60',
  },
  { name: 'submit while an upstream 429 pauses submits', options: { rateGroup: 'default' }, prime: pausedSubmits, send: (h, c) => h.proxy.fetch(submitReq(c), env), status: 429, code: 'rate_limit_exceeded', retryAfter: '9' },
  {
    name: 'submit over the spending cap',
    options: { spendLimit: { maxUsd: 0.3 } },
    prime: async (h, c) => void (await h.proxy.fetch(submitReq(c, MAX_ORDER), env)),
    send: (h, c) => h.proxy.fetch(submitReq(c, MAX_ORDER), env),
    status: 429,
    code: 'spend_limit_exceeded',
    retryAfter: '3600',
  },
  { name: 'one order dearer than the spending cap', options: { spendLimit: { maxUsd: 0.1 } }, send: (h, c) => h.proxy.fetch(submitReq(c, MAX_ORDER), env), status: 400, code: 'invalid_request' },
  {
    name: 'cookieless submit over the new-session cap',
    options: { rateLimit: { windowMs: 60_000, max: 10, maxNewSessions: 1 } },
    send: (h) => h.proxy.fetch(submitReq(), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '60',
  },
  {
    name: 'tampered cookie over the new-session cap (it is a new session)',
    options: { rateLimit: { windowMs: 60_000, max: 10, maxNewSessions: 1 } },
    send: (h, c) => h.proxy.fetch(submitReq(`${c.slice(0, -3)}xyz`), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '60',
  },
  {
    name: 'spoofed X-Forwarded-For over the new-session cap (no trustProxy)',
    options: { rateLimit: { windowMs: 60_000, max: 10, maxNewSessions: 1 } },
    send: (h) => h.proxy.fetch(submitReq('', {}, { 'X-Forwarded-For': '203.0.113.99' }), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '60',
  },
  {
    name: 'second identity over the per-IP budget',
    options: { rateLimit: { windowMs: 30_000, max: 10, maxPerIp: 1, maxNewSessions: 5 } },
    send: (h) => h.proxy.fetch(submitReq(), env),
    status: 429,
    code: 'rate_limit_exceeded',
    retryAfter: '30',
  },
  { name: 'submit over the per-identity budget', options: { rateLimit: { windowMs: 20_000, max: 1, maxPerIp: 10 } }, send: (h, c) => h.proxy.fetch(submitReq(c), env), status: 429, code: 'rate_limit_exceeded', retryAfter: '20' },
  { name: 'status read over the per-identity budget', options: { rateLimit: { windowMs: 20_000, max: 1, maxPerIp: 10 } }, send: (h, c) => h.proxy.fetch(readReq(c), env), status: 429, code: 'rate_limit_exceeded', retryAfter: '20' },
  { name: 'upload over the per-identity budget', options: { rateLimit: { windowMs: 20_000, max: 1, maxPerIp: 10 } }, send: (h, c) => h.proxy.fetch(uploadReq(c), env), status: 429, code: 'rate_limit_exceeded', retryAfter: '20' },
  {
    name: 'submit while the limiter store is down',
    options: { rateGroup: 'default', limiters: { instances: { 'key-submit-1000': failingStore(5) } } },
    send: (h, c) => h.proxy.fetch(submitReq(c), env),
    status: 503,
    code: 'rate_limit_unavailable',
    retryAfter: '5',
  },
  {
    name: 'status read while the limiter store is down',
    options: { rateGroup: 'default', limiters: { instances: { 'key-query-pause': failingStore(1) } } },
    send: (h, c) => h.proxy.fetch(readReq(c), env),
    status: 503,
    code: 'rate_limit_unavailable',
    retryAfter: '5',
  },
  {
    name: 'cookieless request while the per-client store is down',
    options: { rateLimit: { windowMs: 60_000, max: 10 }, limiters: { instances: { ip: failingStore(20) } } },
    send: (h) => h.proxy.fetch(submitReq(), env),
    status: 503,
    code: 'rate_limit_unavailable',
    retryAfter: '5',
  },
  { name: 'POST /v1/health', options: {}, send: (h) => h.proxy.fetch(new Request(`${BASE}/v1/health`, { method: 'POST', body: '{}' }), env), status: 404, code: 'not_found' },
  { name: 'GET /v1/health/extra', options: {}, send: (h) => h.proxy.fetch(new Request(`${BASE}/v1/health/extra`), env), status: 404, code: 'not_found' },
];

describe('budget and session refusals', () => {
  it.each(CASES)('$name → $status $code, no cookie, nothing upstream', async (c) => {
    const h = harness(c.options);
    // A visitor who already has a session (one submit), unless the case is about the cookie itself.
    const first = await h.proxy.fetch(submitReq(), socketEnv(IP));
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    await c.prime?.(h, cookie);
    const before = h.upstream.length;
    const res = await c.send(h, cookie);
    expect(res.status).toBe(c.status);
    expect(errorOf(await json(res)).code).toBe(c.code);
    expect(res.headers.get('retry-after')).toBe(c.retryAfter ?? null);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(h.upstream.length).toBe(before);
  });
});
