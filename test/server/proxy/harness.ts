/**
 * The proxy tests' shared harness: a simulator behind a spy, the proxy, cookie-carrying visitors,
 * and a record of every response header/body and log line, so each test ends with a scan for the
 * key (`afterEach(closeHarnesses)` in every file). Also readers for event streams and a webhook signer.
 */
import { createHmac } from 'node:crypto';
import { expect, vi } from 'vitest';
import { createToapisProxy, type ToapisProxy, type ToapisProxyOptions } from '../../../server/proxy';
import { createSimulator, renderPlaceholder, type Simulator, type SimulatorOptions } from '../../../server/simulator';

export const KEY = 'sk-test-SECRET';
export const BASE = 'http://127.0.0.1:8787';
export const UPSTREAM = 'http://upstream.test';
export const T0 = Date.UTC(2026, 7, 20, 12, 0, 0);
export const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
};
export const MODEL = 'gemini-3.1-flash-image-preview';

/* -------------------------------------------------------------------------------------------------
 * Harness: a simulator behind a spy, the proxy, cookie-carrying visitors, and a record of every
 * response header/body and log line so each test ends with a scan for the key.
 * -----------------------------------------------------------------------------------------------*/

export type Json = Record<string, unknown>;
export type Init = RequestInit & { duplex?: 'half' };
type Intercept = (request: Request) => Response | Promise<Response> | undefined;

export interface Harness {
  proxy: ToapisProxy;
  sim: Simulator;
  /** Every upstream Request, cloned before the simulator read it. */
  upstream: Request[];
  logs: string[];
  /** Every response's headers and body text (event streams are added as they are read). */
  seen: string[];
  /** A visitor without a cookie yet, connecting from `ip` (the socket address the proxy sees) when given. */
  visitor(ip?: string): Visitor;
  /** Replaces the upstream's answer while set (return undefined to fall through to the simulator). */
  intercept: Intercept | undefined;
}

export interface Visitor {
  cookie: string | undefined;
  send(path: string, init?: Init): Promise<Response>;
}

const harnesses: Harness[] = [];

export function harness(options: Partial<ToapisProxyOptions> = {}, simOptions: SimulatorOptions = {}): Harness {
  const sim = createSimulator({ seed: 1, queuedMs: 200, generatingMs: 800, ...simOptions });
  const h: Harness = {
    sim,
    upstream: [],
    logs: [],
    seen: [],
    intercept: undefined,
    proxy: undefined as unknown as ToapisProxy,
    visitor: (ip) => visitor(h, undefined, ip),
  };
  h.proxy = createToapisProxy({
    apiKey: KEY,
    upstream: UPSTREAM,
    fetch: async (request) => {
      h.upstream.push(request.clone());
      const replaced = await h.intercept?.(request);
      return replaced ?? sim.fetch(request);
    },
    log: (line) => h.logs.push(line),
    // Budgets are off unless a test turns one on (test/server/proxy/budgets.test.ts and friends).
    rateLimit: false,
    rateGroup: false,
    spendLimit: false,
    ...options,
  });
  harnesses.push(h);
  return h;
}

/** What `@hono/node-server` passes as `env`: the socket, hence the client IP. */
export function socketEnv(ip: string): { incoming: { socket: { remoteAddress: string } } } {
  return { incoming: { socket: { remoteAddress: ip } } };
}

export function visitor(h: Harness, initialCookie?: string, ip?: string, origin = BASE): Visitor {
  const v: Visitor = {
    cookie: initialCookie,
    async send(path, init = {}) {
      const headers = new Headers(init.headers);
      if (v.cookie && !headers.has('cookie')) headers.set('cookie', v.cookie);
      const res = await h.proxy.fetch(new Request(`${origin}${path}`, { ...init, headers }), ip === undefined ? undefined : socketEnv(ip));
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) v.cookie = setCookie.split(';')[0];
      await record(h, res);
      return res;
    },
  };
  return v;
}

export async function record(h: Harness, res: Response): Promise<void> {
  h.seen.push(JSON.stringify([...res.headers]));
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) h.seen.push(await res.clone().text());
}

export function expectNoKey(h: Harness): void {
  for (const text of [...h.seen, ...h.logs]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('SECRET');
  }
}

/** Closes every harness made since the last call and checks that none of them leaked the key. */
export async function closeHarnesses(): Promise<void> {
  for (const h of harnesses) {
    await h.proxy.close();
    expectNoKey(h);
  }
  harnesses.length = 0;
  vi.useRealTimers();
}

export async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

export function errorOf(body: Json): Json {
  return (body.error ?? {}) as Json;
}

export function submitBody(extra: Json = {}): Json {
  return { model: MODEL, prompt: 'a lighthouse at dawn', size: '1:1', n: 1, ...extra };
}

export function submit(v: Visitor, extra: Json = {}, headers: Record<string, string> = {}): Promise<Response> {
  return v.send('/v1/images/generations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(submitBody(extra)),
  });
}

export async function submitOk(v: Visitor, extra: Json = {}): Promise<Json> {
  const res = await submit(v, extra);
  expect(res.status).toBe(200);
  return json(res);
}

export function upload(v: Visitor, bytes: Uint8Array<ArrayBuffer>, name = 'photo.png', field = 'file'): Promise<Response> {
  const form = new FormData();
  form.set(field, new Blob([bytes]), name);
  form.set('purpose', 'generation');
  return v.send('/v1/uploads/images', { method: 'POST', body: form });
}

/** Submits that reached the upstream. */
export function upstreamSubmits(h: Harness): Request[] {
  return h.upstream.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/v1/images/generations');
}

export function upstreamGets(h: Harness, id: string): Request[] {
  return h.upstream.filter((r) => r.method === 'GET' && r.url.endsWith(`/v1/images/generations/${encodeURIComponent(id)}`));
}

/** Lets crypto.subtle and stream callbacks (real async work) finish; setImmediate is never faked here. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/* ---- Server-Sent Events ---- */

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseReader {
  events: SseEvent[];
  text: () => string;
  finished: () => boolean;
  cancel: () => Promise<void>;
}

export function readSse(h: Harness, res: Response): SseReader {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let all = '';
  let finished = false;
  const events: SseEvent[] = [];
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        buffer += chunk;
        all += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data });
        }
      }
    } catch {
      // cancelled
    } finally {
      finished = true;
      h.seen.push(all);
    }
  })();
  return { events, text: () => all, finished: () => finished, cancel: () => reader.cancel() };
}

/** Advances fake time in steps until `done()` or `maxMs`. */
export async function runUntil(done: () => boolean, maxMs = 20_000, stepMs = 100): Promise<void> {
  for (let t = 0; t < maxMs && !done(); t += stepMs) {
    await vi.advanceTimersByTimeAsync(stepMs);
    await settle();
  }
  await settle();
}

export function taskEvents(r: SseReader): Json[] {
  return r.events.filter((e) => e.event === 'task').map((e) => JSON.parse(e.data) as Json);
}

/* ---- Webhooks ---- */

export function signedWebhook(payload: unknown, secret: string, options: { id?: string; ts?: number } = {}): Init {
  const body = JSON.stringify(payload);
  const id = options.id ?? 'evt_01abcdef';
  const ts = String(options.ts ?? Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', secret).update(`${id}.${ts}.${body}`).digest('hex');
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'ToAPIs-Webhook/1.0',
      'X-ToAPIs-Webhook-Id': id,
      'X-ToAPIs-Webhook-Timestamp': ts,
      'X-ToAPIs-Webhook-Signature': `v1=${sig}`,
    },
    body,
  };
}

export const PNG = renderPlaceholder(8, 8, 42);

/* ---- Bare requests (no visitor, no cookie) ---- */

export const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}, extra: Init = {}) =>
  new Request(`${BASE}${path}`, { method: 'POST', headers, body, ...extra });
export const get = (path: string) => new Request(`${BASE}${path}`);
