/**
 * The mounting examples in examples/, run in-process against a fake ToAPIs: the simulator behind
 * MSW at http://127.0.0.1:4030. Each example must carry a whole flow — submit, poll, event stream
 * to completion, the image URL — add the key upstream and never hand it back.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import type { ExpectStatic } from 'vitest';
import type { ToapisProxy } from '../../server/proxy';
import { createSimulator } from '../../server/simulator';

// Prompts avoid 8-character runs of the key ("examples"): the scrubber would redact them in echoes.
const KEY = 'sk-test-examples';
const UPSTREAM = 'http://127.0.0.1:4030';
const MODEL = 'gemini-3.1-flash-image-preview';
const WAIT_MS = 15_000;

// The examples read these (Next.js and Express from process.env, the Worker from its env).
const savedEnv = { key: process.env.TOAPIS_API_KEY, base: process.env.TOAPIS_BASE_URL };
process.env.TOAPIS_API_KEY = KEY;
process.env.TOAPIS_BASE_URL = UPSTREAM;

/** A task that is in progress when its event stream opens and completes before the proxy's second poll (3 s). */
const simulator = createSimulator({ seed: 7, queuedMs: 50, generatingMs: 1500 });

interface UpstreamCall {
  method: string;
  url: string;
  authorization: string | null;
  body: string;
}
const upstreamCalls: UpstreamCall[] = [];

const mswServer = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:4030\//, async ({ request }) => {
    upstreamCalls.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body: request.method === 'POST' ? await request.clone().text() : '',
    });
    return simulator.fetch(request);
  }),
);

/** Everything the proxies log (they default to console.log); checked for the key. */
const logs: string[] = [];
const originalLog = console.log;

let expressServer: Server | undefined;
let expressProxy: ToapisProxy | undefined;

beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: 'error' });
  console.log = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
});

afterAll(async () => {
  console.log = originalLog;
  await expressProxy?.close();
  if (expressServer) {
    const server = expressServer;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  mswServer.close();
  if (savedEnv.key === undefined) delete process.env.TOAPIS_API_KEY;
  else process.env.TOAPIS_API_KEY = savedEnv.key;
  if (savedEnv.base === undefined) delete process.env.TOAPIS_BASE_URL;
  else process.env.TOAPIS_BASE_URL = savedEnv.base;
});

/* -------------------------------------------------------------------------------------------------
 * A visitor: a cookie jar over one way of sending requests, recording every answer's headers and body.
 * -----------------------------------------------------------------------------------------------*/

type Send = (url: string, init: RequestInit) => Promise<Response>;
type Json = Record<string, unknown>;

interface Visitor {
  cookie: string | undefined;
  /** Every response's status line, headers and body text, for the key scan. */
  seen: string[];
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Reads (and records) a body, bounded in time. */
  text(res: Response): Promise<string>;
  json(path: string, init?: RequestInit): Promise<{ status: number; body: Json; setCookie: string | null }>;
}

function visitor(base: string, send: Send): Visitor {
  const v: Visitor = {
    cookie: undefined,
    seen: [],
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (v.cookie) headers.set('cookie', v.cookie);
      const res = await send(`${base}${path}`, { ...init, headers });
      v.seen.push(`${res.status} ${[...res.headers].map(([k, val]) => `${k}: ${val}`).join('\n')}`);
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) v.cookie = setCookie.split(';')[0];
      return res;
    },
    async text(res) {
      const text = await withTimeout(res.text(), 'reading a response body');
      v.seen.push(text);
      return text;
    },
    async json(path, init) {
      const res = await v.request(path, init);
      return { status: res.status, body: JSON.parse(await v.text(res)) as Json, setCookie: res.headers.get('set-cookie') };
    },
  };
  return v;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `event: task` payloads of a finished SSE body, in order. */
function taskEvents(text: string): Json[] {
  const out: Json[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    if (!lines.includes('event: task')) continue;
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n');
    out.push(JSON.parse(data) as Json);
  }
  return out;
}

function imageUrl(task: Json): string | undefined {
  const result = task.result as { data?: Array<{ url?: string }> } | undefined;
  return result?.data?.[0]?.url;
}

/**
 * The flow the kit runs: submit (gets the session cookie), poll once, follow the event stream to
 * completion, read the finished task, load the image; then the key checks.
 */
async function runFlow(v: Visitor, businessId: string, expect: ExpectStatic): Promise<void> {
  const submitted = await v.json('/v1/images/generations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: MODEL, prompt: 'a lighthouse at dawn', size: '1:1', n: 1, client_business_id: businessId }),
  });
  expect(submitted.status).toBe(200);
  expect(submitted.setCookie).toMatch(/^(__Host-)?gen_sid=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax/);
  const taskId = submitted.body.id;
  expect(typeof taskId).toBe('string');
  expect(submitted.body.client_business_id).toBe(businessId);

  const polled = await v.json(`/v1/images/generations/${taskId}`);
  expect(polled.status).toBe(200);
  expect(polled.setCookie).toBeNull(); // the cookie from the submit was accepted
  expect(polled.body.id).toBe(taskId);
  expect(['queued', 'in_progress']).toContain(polled.body.status);

  const stream = await v.request(`/v1/images/generations/${taskId}/events`, { headers: { Accept: 'text/event-stream' } });
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = taskEvents(await v.text(stream));
  expect(events.length).toBeGreaterThanOrEqual(2);
  expect(events[0]!.status).not.toBe('completed');
  const last = events.at(-1)!;
  expect(last).toMatchObject({ id: taskId, status: 'completed', progress: 100, client_business_id: businessId });
  const url = imageUrl(last);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4030\/sim\/images\/.+\.png$/);

  const final = await v.json(`/v1/images/generations/${taskId}`);
  expect(final.body).toMatchObject({ id: taskId, status: 'completed' });
  expect(imageUrl(final.body)).toBe(url);

  const image = await fetch(url!);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/png');

  // Upstream: the key on every call, this visitor's submit namespaced, its task polled.
  // (The only other traffic there is this test loading images from /sim/, without a key.)
  const apiCalls = upstreamCalls.filter((c) => new URL(c.url).pathname.startsWith('/v1/'));
  expect(apiCalls.length).toBeGreaterThan(0);
  for (const call of apiCalls) expect(call.authorization).toBe(`Bearer ${KEY}`);
  const submit = apiCalls.find((c) => c.method === 'POST' && c.body.includes(`:${businessId}"`));
  expect(submit).toBeDefined();
  expect((JSON.parse(submit!.body) as Json).client_business_id).toMatch(new RegExp(`^[0-9a-f]{16}:${businessId}$`));
  expect(apiCalls.some((c) => c.method === 'GET' && c.url.endsWith(`/v1/images/generations/${taskId}`))).toBe(true);

  // Never back: no status line, header or body the visitor saw, and no log line, holds the key.
  expect(v.seen.length).toBeGreaterThanOrEqual(8);
  for (const text of v.seen) expect(text).not.toContain(KEY);
  // One JSON line per request.
  const lines = logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as Json];
    } catch {
      return [];
    }
  });
  expect(lines.some((l) => l.method === 'POST' && l.route === 'submit' && l.status === 200 && l.task === taskId)).toBe(true);
  for (const line of logs) expect(line).not.toContain(KEY);
}

/* -------------------------------------------------------------------------------------------------
 * The examples, concurrently (each stream waits for the proxy's 3 s poll).
 * -----------------------------------------------------------------------------------------------*/

describe.concurrent('mounting examples', () => {
  it('Next.js route handler under /api/toapis', async ({ expect }) => {
    const route = await import('../../examples/nextjs/app/api/toapis/[...path]/route');
    expect(route.runtime).toBe('nodejs');
    expect(route.dynamic).toBe('force-dynamic');
    const send: Send = async (url, init) => {
      const request = new Request(url, init);
      if (request.method === 'POST') return route.POST(request);
      if (request.method === 'OPTIONS') return route.OPTIONS(request);
      return route.GET(request);
    };
    const v = visitor('http://127.0.0.1:3000/api/toapis', send);
    await runFlow(v, 'mounted-next', expect);

    const caps = await v.json('/v1/capabilities');
    expect(caps.body).toMatchObject({ stream: true });
    const outside = await send('http://127.0.0.1:3000/v1/capabilities', {});
    expect(outside.status).toBe(404);
  });

  it('Express app with the proxy at /api/toapis', async ({ expect }) => {
    const { createApp } = await import('../../examples/express/server');
    const app = createApp();
    expressProxy = app.locals.toapisProxy as ToapisProxy;
    const server = app.listen(0, '127.0.0.1');
    expressServer = server;
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      }),
      'starting Express',
    );
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Requests to the Express server itself are real loopback traffic, not the fake upstream.
    mswServer.use(http.all(new RegExp(`^${origin.replace(/[.]/g, '\\.')}/`), () => passthrough()));

    const v = visitor(`${origin}/api/toapis`, (url, init) => fetch(url, init));
    await runFlow(v, 'mounted-express', expect);

    // Everything outside /api/toapis stays the host's (Express's own 404 here).
    const missing = await fetch(`${origin}/elsewhere`);
    expect(missing.status).toBe(404);
  });

  it('Cloudflare Worker', async ({ expect }) => {
    const worker = (await import('../../examples/cloudflare-worker/worker')).default;
    const env = { TOAPIS_API_KEY: KEY, SESSION_SECRET: 'worker-session-secret', TOAPIS_BASE_URL: UPSTREAM };
    const v = visitor('https://images.example.test', (url, init) => worker.fetch(new Request(url, init), env));
    await runFlow(v, 'mounted-worker', expect);
    // A __Host- prefixed, Secure cookie over https.
    const fresh = await worker.fetch(
      new Request('https://images.example.test/v1/images/generations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: MODEL, prompt: 'a lighthouse at dawn', size: '1:1', n: 1 }),
      }),
      env,
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('set-cookie')).toMatch(/^__Host-gen_sid=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
  });
});
