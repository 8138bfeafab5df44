import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { MODEL_IDS } from '../../src/core/models';
import { createToapisProxy, type ToapisProxy, type ToapisProxyOptions } from '../../server/proxy';
import { createSimulator, renderPlaceholder, type Simulator, type SimulatorOptions } from '../../server/simulator';

const KEY = 'sk-test-SECRET';
const BASE = 'http://127.0.0.1:8787';
const UPSTREAM = 'http://upstream.test';
const T0 = Date.UTC(2026, 7, 20, 12, 0, 0);
const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
};
const MODEL = 'gemini-3.1-flash-image-preview';

/* -------------------------------------------------------------------------------------------------
 * Harness: a simulator behind a spy, the proxy, cookie-carrying visitors, and a record of every
 * response header/body and log line so each test ends with a scan for the key.
 * -----------------------------------------------------------------------------------------------*/

type Json = Record<string, unknown>;
type Init = RequestInit & { duplex?: 'half' };
type Intercept = (request: Request) => Response | Promise<Response> | undefined;

interface Harness {
  proxy: ToapisProxy;
  sim: Simulator;
  /** Every upstream Request, cloned before the simulator read it. */
  upstream: Request[];
  logs: string[];
  /** Every response's headers and body text (event streams are added as they are read). */
  seen: string[];
  visitor(): Visitor;
  /** Replaces the upstream's answer while set (return undefined to fall through to the simulator). */
  intercept: Intercept | undefined;
}

interface Visitor {
  cookie: string | undefined;
  send(path: string, init?: Init): Promise<Response>;
}

const harnesses: Harness[] = [];

function harness(options: Partial<ToapisProxyOptions> = {}, simOptions: SimulatorOptions = {}): Harness {
  const sim = createSimulator({ seed: 1, queuedMs: 200, generatingMs: 800, ...simOptions });
  const h: Harness = {
    sim,
    upstream: [],
    logs: [],
    seen: [],
    intercept: undefined,
    proxy: undefined as unknown as ToapisProxy,
    visitor: () => visitor(h),
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
    rateLimit: false,
    ...options,
  });
  harnesses.push(h);
  return h;
}

function visitor(h: Harness, initialCookie?: string): Visitor {
  const v: Visitor = {
    cookie: initialCookie,
    async send(path, init = {}) {
      const headers = new Headers(init.headers);
      if (v.cookie && !headers.has('cookie')) headers.set('cookie', v.cookie);
      const res = await h.proxy.fetch(new Request(`${BASE}${path}`, { ...init, headers }));
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) v.cookie = setCookie.split(';')[0];
      await record(h, res);
      return res;
    },
  };
  return v;
}

async function record(h: Harness, res: Response): Promise<void> {
  h.seen.push(JSON.stringify([...res.headers]));
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) h.seen.push(await res.clone().text());
}

function expectNoKey(h: Harness): void {
  for (const text of [...h.seen, ...h.logs]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('SECRET');
  }
}

afterEach(async () => {
  for (const h of harnesses) {
    await h.proxy.close();
    expectNoKey(h);
  }
  harnesses.length = 0;
  vi.useRealTimers();
});

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

function errorOf(body: Json): Json {
  return (body.error ?? {}) as Json;
}

function submitBody(extra: Json = {}): Json {
  return { model: MODEL, prompt: 'a lighthouse at dawn', size: '1:1', n: 1, ...extra };
}

function submit(v: Visitor, extra: Json = {}, headers: Record<string, string> = {}): Promise<Response> {
  return v.send('/v1/images/generations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(submitBody(extra)),
  });
}

async function submitOk(v: Visitor, extra: Json = {}): Promise<Json> {
  const res = await submit(v, extra);
  expect(res.status).toBe(200);
  return json(res);
}

function upload(v: Visitor, bytes: Uint8Array<ArrayBuffer>, name = 'photo.png', field = 'file'): Promise<Response> {
  const form = new FormData();
  form.set(field, new Blob([bytes]), name);
  form.set('purpose', 'generation');
  return v.send('/v1/uploads/images', { method: 'POST', body: form });
}

function upstreamGets(h: Harness, id: string): Request[] {
  return h.upstream.filter((r) => r.method === 'GET' && r.url.endsWith(`/v1/images/generations/${encodeURIComponent(id)}`));
}

/** Lets crypto.subtle and stream callbacks (real async work) finish; setImmediate is never faked here. */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/* ---- Server-Sent Events ---- */

interface SseEvent {
  event: string;
  data: string;
}

interface SseReader {
  events: SseEvent[];
  text: () => string;
  finished: () => boolean;
  cancel: () => Promise<void>;
}

function readSse(h: Harness, res: Response): SseReader {
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
async function runUntil(done: () => boolean, maxMs = 20_000, stepMs = 100): Promise<void> {
  for (let t = 0; t < maxMs && !done(); t += stepMs) {
    await vi.advanceTimersByTimeAsync(stepMs);
    await settle();
  }
  await settle();
}

function taskEvents(r: SseReader): Json[] {
  return r.events.filter((e) => e.event === 'task').map((e) => JSON.parse(e.data) as Json);
}

/* ---- Webhooks ---- */

function signedWebhook(payload: unknown, secret: string, options: { id?: string; ts?: number } = {}): Init {
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

const PNG = renderPlaceholder(8, 8, 42);

/* -------------------------------------------------------------------------------------------------
 * The key
 * -----------------------------------------------------------------------------------------------*/

describe('API key', () => {
  it('is added upstream on every endpoint and appears in no response or log line', async () => {
    const h = harness();
    const v = h.visitor();
    const up = await upload(v, PNG);
    expect(up.status).toBe(200);
    const task = await submitOk(v);
    const got = await v.send(`/v1/images/generations/${String(task.id)}`);
    expect(got.status).toBe(200);

    expect(h.upstream).toHaveLength(3);
    for (const request of h.upstream) {
      expect(request.url.startsWith(`${UPSTREAM}/v1/`)).toBe(true);
      expect(request.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    }
    expect(h.logs.length).toBeGreaterThan(0);
    expectNoKey(h); // also checked after every test
  });

  it('forwards only allow-listed client headers; a client Authorization never replaces the server key', async () => {
    const h = harness();
    const v = h.visitor();
    await submit(v, {}, {
      Authorization: 'Bearer sk-attacker',
      'X-Simulator-Fault': 'auth',
      'X-Forwarded-For': '10.0.0.1',
      'Accept-Language': 'de-DE,de;q=0.9',
      Cookie: 'other=1',
    });
    const [request] = h.upstream;
    expect(request?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(request?.headers.get('x-simulator-fault')).toBeNull();
    expect(request?.headers.get('x-forwarded-for')).toBeNull();
    expect(request?.headers.get('cookie')).toBeNull();
    expect(request?.headers.get('accept-language')).toBe('de-DE,de;q=0.9');
    expect(request?.headers.get('content-type')).toBe('application/json');
  });

  it('redacts the key when the upstream echoes it in an error', async () => {
    const h = harness();
    h.intercept = () =>
      new Response(JSON.stringify({ error: { code: 'unauthorized', type: 'authentication_error', message: `Key ${KEY} is not valid` } }), {
        status: 401,
        headers: { 'Content-Type': 'application/json' },
      });
    const res = await submit(h.visitor());
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(errorOf(body).message).toBe('Key [redacted] is not valid');
    expect(errorOf(body).type).toBe('authentication_error');
  });

  it('refuses to start without a key, and its errors never quote one', () => {
    expect(() => createToapisProxy({ apiKey: '' })).toThrow(/apiKey/);
    expect(() => createToapisProxy({ apiKey: KEY, upstream: 'ftp://x' })).toThrow(/upstream/);
    try {
      createToapisProxy({ apiKey: KEY, basePath: 'no spaces allowed' });
    } catch (error) {
      expect(String(error)).not.toContain(KEY);
    }
  });
});

/* -------------------------------------------------------------------------------------------------
 * Bad input is refused before any upstream call
 * -----------------------------------------------------------------------------------------------*/

interface BadCase {
  name: string;
  request: () => Request;
  status: number;
  param?: string;
  options?: Partial<ToapisProxyOptions>;
  /** Upload refusals use the `{ success: false, message }` envelope (§4). */
  upload?: boolean;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `https://files.toapis.com/uploads/${i}.png`);
const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}, extra: Init = {}) =>
  new Request(`${BASE}${path}`, { method: 'POST', headers, body, ...extra });
const postJson = (value: unknown) =>
  post('/v1/images/generations', typeof value === 'string' ? value : JSON.stringify(value), { 'Content-Type': 'application/json' });
const postUpload = (bytes: Uint8Array<ArrayBuffer> | string, name = 'photo.png', field = 'file') => {
  const form = new FormData();
  if (typeof bytes === 'string') form.set(field, bytes);
  else form.set(field, new Blob([bytes]), name);
  return post('/v1/uploads/images', form);
};
const get = (path: string) => new Request(`${BASE}${path}`);

const BAD_CASES: BadCase[] = [
  // submit: transport
  { name: 'malformed JSON', request: () => postJson('{"model": "x", '), status: 400 },
  { name: 'wrong content type', request: () => post('/v1/images/generations', JSON.stringify(submitBody()), { 'Content-Type': 'text/plain' }), status: 415 },
  { name: 'no content type', request: () => post('/v1/images/generations', new Blob([JSON.stringify(submitBody())])), status: 415 },
  {
    name: 'oversize JSON body (counted while reading)',
    request: () => postJson(submitBody({ prompt: 'x'.repeat(70_000) })),
    status: 413,
  },
  {
    name: 'oversize JSON body (declared Content-Length, refused unread)',
    request: () => post('/v1/images/generations', '{}', { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) }),
    status: 413,
  },
  {
    name: 'oversize JSON body (streamed, no Content-Length)',
    request: () => {
      const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (++n > 100) c.close();
          else c.enqueue(chunk);
        },
      });
      return post('/v1/images/generations', body, { 'Content-Type': 'application/json' }, { duplex: 'half' });
    },
    status: 413,
  },
  { name: 'JSON that is not an object', request: () => postJson([submitBody()]), status: 400, param: 'body' },
  { name: 'JSON nested too deeply', request: () => postJson(`{"model":${'['.repeat(5000)}${']'.repeat(5000)}}`), status: 400 },
  {
    name: 'invalid UTF-8',
    request: () => post('/v1/images/generations', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), { 'Content-Type': 'application/json' }),
    status: 400,
  },
  // submit: fields
  { name: 'missing model', request: () => postJson({ prompt: 'x' }), status: 400, param: 'model' },
  { name: 'unknown model', request: () => postJson(submitBody({ model: 'dall-e-9' })), status: 400, param: 'model' },
  {
    name: 'disallowed model',
    request: () => postJson(submitBody({ model: MODEL })),
    status: 400,
    param: 'model',
    options: { allowedModels: ['gpt-image-2'] },
  },
  { name: 'empty prompt', request: () => postJson(submitBody({ prompt: '   ' })), status: 400, param: 'prompt' },
  { name: 'prompt not a string', request: () => postJson(submitBody({ prompt: 42 })), status: 400, param: 'prompt' },
  { name: 'prompt over maxPromptChars', request: () => postJson(submitBody({ prompt: 'y'.repeat(101) })), status: 400, param: 'prompt', options: { limits: { maxPromptChars: 100 } } },
  { name: 'prompt over the model limit', request: () => postJson(submitBody({ model: 'gpt-4o-image', prompt: 'z'.repeat(1001) })), status: 400, param: 'prompt' },
  { name: 'too many references (proxy limit)', request: () => postJson(submitBody({ model: 'gpt-image-2', image_urls: many(17) })), status: 400, param: 'image_urls' },
  { name: 'too many references (model limit)', request: () => postJson(submitBody({ image_urls: many(15) })), status: 400, param: 'image_urls' },
  { name: 'non-http reference URL (data:)', request: () => postJson(submitBody({ image_urls: ['data:image/png;base64,iVBORw0KGgo='] })), status: 400, param: 'image_urls' },
  { name: 'non-http reference URL (javascript:)', request: () => postJson(submitBody({ model: 'gpt-image-2', reference_images: ['javascript:alert(1)'] })), status: 400, param: 'reference_images' },
  { name: 'reference URLs not an array', request: () => postJson(submitBody({ image_urls: 'https://x.test/a.png' })), status: 400, param: 'image_urls' },
  { name: 'non-http mask_url', request: () => postJson(submitBody({ model: 'gpt-image-2', mask_url: 'file:///etc/passwd' })), status: 400, param: 'mask_url' },
  { name: 'n as a string "1"', request: () => postJson(submitBody({ n: '1' })), status: 400, param: 'n' },
  { name: 'n zero', request: () => postJson(submitBody({ n: 0 })), status: 400, param: 'n' },
  { name: 'n fractional', request: () => postJson(submitBody({ n: 1.5 })), status: 400, param: 'n' },
  { name: 'n over the model range', request: () => postJson(submitBody({ n: 9 })), status: 400, param: 'n' },
  { name: 'unsupported size', request: () => postJson(submitBody({ size: '7:5' })), status: 400, param: 'size' },
  { name: 'unsupported resolution', request: () => postJson(submitBody({ metadata: { resolution: '8K' } })), status: 400, param: 'metadata.resolution' },
  { name: 'metadata not an object', request: () => postJson(submitBody({ metadata: 'big' })), status: 400, param: 'metadata' },
  { name: 'business id with spaces', request: () => postJson(submitBody({ client_business_id: 'order 1' })), status: 400, param: 'client_business_id' },
  { name: 'business id too long', request: () => postJson(submitBody({ client_business_id: 'b'.repeat(112) })), status: 400, param: 'client_business_id' },
  // uploads
  { name: 'PDF renamed .png', request: () => postUpload(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), 'scan.png'), status: 400, upload: true },
  { name: 'zero-byte file', request: () => postUpload(new Uint8Array(0)), status: 400, upload: true },
  { name: 'upload as JSON', request: () => post('/v1/uploads/images', '{"file":"x"}', { 'Content-Type': 'application/json' }), status: 400, upload: true },
  { name: 'upload without a file field', request: () => postUpload(PNG, 'photo.png', 'image'), status: 400, upload: true },
  { name: 'upload with file as text', request: () => postUpload('iVBORw0KGgo='), status: 400, upload: true },
  {
    name: 'multipart header over a non-multipart body',
    request: () => post('/v1/uploads/images', 'hello', { 'Content-Type': 'multipart/form-data; boundary=----x' }),
    status: 400,
    upload: true,
  },
  {
    name: 'upload over maxUploadBytes',
    request: () => postUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(2048)])),
    status: 413,
    upload: true,
    options: { limits: { maxUploadBytes: 1024 } },
  },
  {
    name: 'declared Content-Length of 80 MB',
    request: () =>
      post('/v1/uploads/images', 'tiny', { 'Content-Type': 'multipart/form-data; boundary=----x', 'Content-Length': String(80 * 1024 * 1024) }),
    status: 413,
    upload: true,
  },
  // task id path tricks (status reads and streams)
  { name: 'id ..%2F..%2Fetc', request: () => get('/v1/images/generations/..%2F..%2Fetc'), status: 400, param: 'id' },
  { name: 'id ..%2F..%2Fetc (events)', request: () => get('/v1/images/generations/..%2F..%2Fetc/events'), status: 400, param: 'id' },
  { name: 'id a/b', request: () => get('/v1/images/generations/a/b'), status: 400, param: 'id' },
  { name: 'id a/b (events)', request: () => get('/v1/images/generations/a/b/events'), status: 400, param: 'id' },
  { name: 'id %2e%2e (normalised away by URL parsing)', request: () => get('/v1/images/generations/%2e%2e'), status: 404 },
  { name: 'id ...', request: () => get('/v1/images/generations/...'), status: 400, param: 'id' },
  { name: 'id with a space', request: () => get('/v1/images/generations/a%20b'), status: 400, param: 'id' },
  { name: 'id with NUL', request: () => get('/v1/images/generations/a%00'), status: 400, param: 'id' },
  { name: 'id with CRLF', request: () => get('/v1/images/generations/a%0d%0aSet-Cookie:x'), status: 400, param: 'id' },
  { name: 'id with broken escape', request: () => get('/v1/images/generations/%E0%A4%A'), status: 400, param: 'id' },
  { name: 'very long id', request: () => get(`/v1/images/generations/${'a'.repeat(129)}`), status: 400, param: 'id' },
  { name: 'empty id', request: () => get('/v1/images/generations/'), status: 400, param: 'id' },
  // methods
  { name: 'PUT', request: () => new Request(`${BASE}/v1/images/generations`, { method: 'PUT', body: '{}' }), status: 405 },
  { name: 'HEAD on a stream', request: () => new Request(`${BASE}/v1/images/generations/x/events`, { method: 'HEAD' }), status: 405 },
];

describe('bad input', () => {
  it.each(BAD_CASES)('refuses $name with $status before any upstream call', async (c) => {
    const h = harness(c.options);
    const res = await h.proxy.fetch(c.request());
    await record(h, res);
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    if (c.upload) {
      expect(body.success).toBe(false);
      expect(typeof body.message).toBe('string');
    } else {
      expect(typeof errorOf(body).message).toBe('string');
      if (c.status === 400) {
        expect(errorOf(body).code).toBe('invalid_request');
        expect(errorOf(body).type).toBe('invalid_request_error');
      }
      if (c.param) expect(errorOf(body).param).toBe(c.param);
    }
    expect(h.upstream).toHaveLength(0);
    expect(h.proxy.stats.upstreamRequests).toBe(0);
  });

  it('stops reading an 80 MB streamed upload early instead of buffering it', async () => {
    const h = harness();
    const chunk = new Uint8Array(1024 * 1024);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls > 80) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await h.visitor().send('/v1/uploads/images', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=----kit' },
      body,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(((await json(res)).message as string)).toMatch(/10 MB/);
    expect(pulls).toBeLessThanOrEqual(13); // 10 MiB + 64 KiB overhead, plus one chunk read ahead
    expect(h.upstream).toHaveLength(0);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Happy paths and what goes upstream
 * -----------------------------------------------------------------------------------------------*/

describe('forwarding', () => {
  it('re-encodes an upload as a fresh multipart body with the sniffed type and a safe name', async () => {
    const h = harness();
    const res = await upload(h.visitor(), PNG, '../../my photo!!.png');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.success).toBe(true);
    expect(((body.data as Json).url as string).startsWith(`${UPSTREAM}/sim/uploads/`)).toBe(true);
    const form = await (h.upstream[0] as Request).formData();
    const file = form.get('file');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('myphoto.png');
    expect((file as File).type).toBe('image/png');
    expect((file as File).size).toBe(PNG.byteLength);
    expect(form.get('purpose')).toBe('generation');
  });

  it('namespaces the business id upstream, strips client callbacks, and un-namespaces answers', async () => {
    const h = harness();
    const v = h.visitor();
    const task = await submitOk(v, { client_business_id: 'kit-abc-1', callback_url: 'https://evil.test/hook', model: 'nano-banana-2' });
    expect(task.client_business_id).toBe('kit-abc-1');
    const sent = (await (h.upstream[0] as Request).json()) as Json;
    expect(sent.client_business_id).toMatch(/^[0-9a-f]{16}:kit-abc-1$/);
    expect(sent.callback_url).toBeUndefined();
    expect(sent.model).toBe(MODEL); // alias resolved to the wire id

    const byTask = await json(await v.send(`/v1/images/generations/${String(task.id)}`));
    expect(byTask.client_business_id).toBe('kit-abc-1');
    const byBusiness = await v.send('/v1/images/generations/kit-abc-1');
    expect(byBusiness.status).toBe(200);
    expect((await json(byBusiness)).id).toBe(task.id);
  });

  it('adds a business id when the client sent none', async () => {
    const h = harness();
    await submitOk(h.visitor(), { client_business_id: undefined });
    const sent = (await (h.upstream[0] as Request).json()) as Json;
    expect(sent.client_business_id).toMatch(/^[0-9a-f]{16}:px-/);
  });

  it('finds a task whose submit answer was lost, by business id, for its owner only', async () => {
    const h = harness();
    const a = h.visitor();
    const b = h.visitor();
    await b.send('/v1/capabilities'); // b has no cookie yet: give it one
    await submit(b, {});
    // The upstream created the task but the answer never came back (`lost_submit`).
    const lost = await submit(a, { prompt: '[sim:lost_submit] a fox', client_business_id: 'kit-lost-1' });
    expect(lost.status).toBe(502);
    expect(errorOf(await json(lost)).code).toBe('upstream_unreachable');
    expect(h.sim.stats.tasksCreated).toBe(2);

    const found = await a.send('/v1/images/generations/kit-lost-1');
    expect(found.status).toBe(200);
    const task = await json(found);
    expect(task.client_business_id).toBe('kit-lost-1');
    expect((await b.send('/v1/images/generations/kit-lost-1')).status).toBe(404);
    expect((await b.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
  });

  it('answers capabilities and honours basePath', async () => {
    const h = harness({ basePath: '/api/' });
    const v = h.visitor();
    const caps = await v.send('/api/v1/capabilities');
    expect(await json(caps)).toEqual({ stream: true, proxy: true });
    expect((await v.send('/v1/capabilities')).status).toBe(404);
    const task = await (await v.send('/api/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submitBody()),
    })).json() as Json;
    expect((await v.send(`/api/v1/images/generations/${String(task.id)}`)).status).toBe(200);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Upstream failures
 * -----------------------------------------------------------------------------------------------*/

describe('upstream failures', () => {
  it('passes a 429 through with Retry-After and its envelope', async () => {
    const h = harness();
    const envelope = { error: { code: 'rate_limit_exceeded', message: 'Too many task submissions; slow down' } };
    h.intercept = () =>
      new Response(JSON.stringify(envelope), { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '3', 'X-Internal': 'x' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(await json(res)).toEqual(envelope);
  });

  it('passes a 500 through with its envelope, and turns HTML into one', async () => {
    const h = harness();
    const envelope = { error: { code: 'internal_error', message: 'Internal server error; please retry later' } };
    h.intercept = () => new Response(JSON.stringify(envelope), { status: 500, headers: { 'Content-Type': 'application/json' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual(envelope);

    h.intercept = () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html', 'Retry-After': 'soon; X-Injected: 1' } });
    const html = await submit(h.visitor());
    expect(html.status).toBe(502);
    expect(html.headers.get('retry-after')).toBeNull();
    expect(errorOf(await json(html)).code).toBe('upstream_error');
  });

  it('passes upload refusals through in the upload envelope', async () => {
    const h = harness({}, { faults: ['upload_rejected'] });
    const res = await upload(h.visitor(), PNG);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ success: false, message: 'The upload was rejected; please try another image.' });
  });

  it('answers 502 upstream_unreachable when the upstream cannot be reached', async () => {
    const h = harness();
    h.intercept = () => {
      throw new TypeError(`fetch failed for Bearer ${KEY}`);
    };
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(await json(res)).toEqual({
      error: { code: 'upstream_unreachable', type: 'server_error', message: 'The image service could not be reached; please retry.' },
    });
  });

  it('answers 502 when the upstream sends a 200 it cannot read', async () => {
    const h = harness();
    h.intercept = () => new Response('<html>oops</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(errorOf(await json(res)).code).toBe('upstream_invalid_response');
  });
});

/* -------------------------------------------------------------------------------------------------
 * Identity, ownership, rate limits
 * -----------------------------------------------------------------------------------------------*/

describe('identity and ownership', () => {
  it('issues a signed, HttpOnly, SameSite=Lax session cookie (Secure over https)', async () => {
    const h = harness();
    const res = await h.proxy.fetch(new Request(`${BASE}/v1/images/generations/unknown-1`));
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gen_sid=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const https = await h.proxy.fetch(new Request('https://app.example/v1/images/generations/unknown-1'));
    expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
    // A returning visitor keeps the cookie: none is issued again.
    const again = await h.proxy.fetch(new Request(`${BASE}/v1/images/generations/unknown-1`, { headers: { cookie: cookie.split(';')[0] ?? '' } }));
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it("gives visitor B the same 404 for A's task id, A's business id and an unknown id", async () => {
    const h = harness();
    const a = h.visitor();
    const b = h.visitor();
    const task = await submitOk(a, { client_business_id: 'kit-a-1' });
    await b.send('/v1/capabilities');
    const unknown = await b.send('/v1/images/generations/task_img_unknown00');
    const unknownText = await unknown.text();
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknownText)).toEqual({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
    for (const path of [`/v1/images/generations/${String(task.id)}`, '/v1/images/generations/kit-a-1', `/v1/images/generations/${String(task.id)}/events`, '/v1/images/generations/kit-a-1/events']) {
      const res = await b.send(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).toBe(unknownText);
    }
    expect((await a.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);

    // A forged or tampered cookie is a new anonymous visitor, not A.
    const forged = visitor(h, `${a.cookie?.slice(0, -2) ?? ''}xx`);
    expect((await forged.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
  });

  it('uses the host authenticate hook: identity, Response short-circuit, null → 401', async () => {
    const h = harness({
      authenticate: (request) => {
        const user = request.headers.get('x-user');
        if (user === 'blocked') return new Response('nope', { status: 403 });
        return user ? { id: user } : null;
      },
    });
    const v = h.visitor();
    const anonymous = await submit(v);
    expect(anonymous.status).toBe(401);
    expect(errorOf(await json(anonymous)).type).toBe('authentication_error');
    expect(anonymous.headers.get('set-cookie')).toBeNull();
    expect((await submit(v, {}, { 'x-user': 'blocked' })).status).toBe(403);
    const res = await submit(v, {}, { 'x-user': 'alice' });
    expect(res.status).toBe(200);
    const id = String((await json(res)).id);
    expect((await v.send(`/v1/images/generations/${id}`, { headers: { 'x-user': 'alice' } })).status).toBe(200);
    expect((await v.send(`/v1/images/generations/${id}`, { headers: { 'x-user': 'bob' } })).status).toBe(404);
    expect(h.upstream).toHaveLength(2);
  });

  it('limits each identity to max requests per window with 429 + Retry-After; others are unaffected', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateLimit: { windowMs: 60_000, max: 3 } });
    const a = h.visitor();
    const b = h.visitor();
    for (let i = 0; i < 3; i++) expect((await a.send('/v1/images/generations/unknown-1')).status).toBe(404);
    const limited = await a.send('/v1/images/generations/unknown-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorOf(await json(limited))).toEqual({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
      message: 'Too many requests; please slow down and retry shortly.',
    });
    expect((await b.send('/v1/images/generations/unknown-1')).status).toBe(404);
    const upstreamBefore = h.upstream.length;
    expect((await submit(a)).status).toBe(429);
    expect(h.upstream.length).toBe(upstreamBefore);

    vi.setSystemTime(T0 + 45_000);
    expect((await a.send('/v1/images/generations/unknown-1')).headers.get('retry-after')).toBe('15');
    vi.setSystemTime(T0 + 60_001);
    expect((await a.send('/v1/images/generations/unknown-1')).status).toBe(404);
  });

  it('caps new anonymous sessions per window (cookie-dropping clients)', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.proxy.fetch(get('/v1/images/generations/unknown-1'))).status);
    expect(statuses).toEqual([404, 404, 429]);
  });
});

/* -------------------------------------------------------------------------------------------------
 * CORS
 * -----------------------------------------------------------------------------------------------*/

describe('CORS', () => {
  const ALLOWED = 'https://app.example';

  it('adds CORS headers for an allowed origin only', async () => {
    const h = harness({ allowedOrigins: [`${ALLOWED}/`] });
    const ok = await h.proxy.fetch(new Request(`${BASE}/v1/capabilities`, { headers: { Origin: ALLOWED } }));
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(ok.headers.get('vary')).toBe('Origin');

    const other = await h.proxy.fetch(new Request(`${BASE}/v1/capabilities`, { headers: { Origin: 'https://evil.example' } }));
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');
  });

  it('answers preflights: 204 for an allowed origin, 403 without CORS headers otherwise', async () => {
    const h = harness({ allowedOrigins: [ALLOWED] });
    const preflight = (origin: string) =>
      h.proxy.fetch(
        new Request(`${BASE}/v1/images/generations`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
        }),
      );
    const ok = await preflight(ALLOWED);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, x-requested-with');
    expect(ok.headers.get('vary')).toBe('Origin');
    const denied = await preflight('https://evil.example');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(h.upstream).toHaveLength(0);
  });

  it('sends no CORS headers by default (same-origin only) and refuses preflights', async () => {
    const h = harness();
    const res = await h.proxy.fetch(new Request(`${BASE}/v1/capabilities`, { headers: { Origin: ALLOWED } }));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBeNull();
    const pre = await h.proxy.fetch(new Request(`${BASE}/v1/capabilities`, { method: 'OPTIONS', headers: { Origin: ALLOWED } }));
    expect(pre.status).toBe(403);
  });

  it("allows any origin without credentials with '*'", async () => {
    const h = harness({ allowedOrigins: '*' });
    const res = await h.proxy.fetch(new Request(`${BASE}/v1/capabilities`, { headers: { Origin: 'https://any.example' } }));
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a cross-site POST from a disallowed origin before reaching upstream', async () => {
    const h = harness({ allowedOrigins: [ALLOWED] });
    const res = await submit(h.visitor(), {}, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(h.upstream).toHaveLength(0);
    const allowed = await submit(h.visitor(), {}, { Origin: ALLOWED, 'Sec-Fetch-Site': 'cross-site' });
    expect(allowed.status).toBe(200);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Server-Sent Events
 * -----------------------------------------------------------------------------------------------*/

describe('event stream', () => {
  it('fans one upstream poll loop out to 3 subscribers, who see the same sequence ending in completed', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const task = await submitOk(v, { client_business_id: 'kit-sse-1' });
    const id = String(task.id);
    await vi.advanceTimersByTimeAsync(500);
    const responses = await Promise.all([1, 2, 3].map(() => v.send(`/v1/images/generations/${id}/events`)));
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toMatch(/^no-cache/);
    }
    expect(h.proxy.stats.subscribers).toBe(3);
    const readers = responses.map((res) => readSse(h, res));
    await runUntil(() => readers.every((r) => r.finished()));
    expect(readers.every((r) => r.finished())).toBe(true);

    const sequences = readers.map((r) => taskEvents(r).map((t) => `${String(t.status)}:${String(t.progress)}`));
    expect(sequences[0]?.length).toBeGreaterThanOrEqual(2);
    expect(sequences[1]).toEqual(sequences[0]);
    expect(sequences[2]).toEqual(sequences[0]);
    const last = taskEvents(readers[0] as SseReader).at(-1) as Json;
    expect(last.status).toBe('completed');
    expect(last.client_business_id).toBe('kit-sse-1');
    expect(((last.result as Json).data as unknown[]).length).toBe(1);

    // One loop: ~1 s of task time at a 1 s cadence is 2 reads (3 with jitter/timing), never 3 × that.
    const polls = upstreamGets(h, id).length;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(3);
    expect(h.proxy.stats.upstreamPolls).toBe(polls);
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the current state at once to a late subscriber, and a finished task as one event', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const first = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => first.events.length > 0);
    const late = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await settle();
    expect(late.events.map((e) => e.data)).toEqual(first.events.map((e) => e.data));
    await runUntil(() => first.finished() && late.finished());

    const pollsBefore = upstreamGets(h, id).length;
    const after = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => after.finished());
    expect(taskEvents(after).map((t) => t.status)).toEqual(['completed']);
    expect(upstreamGets(h, id).length).toBe(pollsBefore); // known final state: no upstream read
  });

  it('stops the poll loop when the last subscriber leaves', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v, { prompt: '[sim:slow] a slow lighthouse' })).id);
    const a = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    const b = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => false, 2500);
    await a.cancel();
    await runUntil(() => false, 2500);
    expect(h.proxy.stats.subscribers).toBe(1);
    const whileOne = upstreamGets(h, id).length;
    expect(whileOne).toBeGreaterThanOrEqual(3);
    await b.cancel();
    await settle();
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await runUntil(() => false, 5000);
    expect(upstreamGets(h, id).length).toBeLessThanOrEqual(whileOne + 1);
  });

  it('sends heartbeats and ends every stream cleanly on close(), leaving no timers', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 }, { slowFactor: 40 }); // [sim:slow] tasks take 40 s
    const v = h.visitor();
    const one = String((await submitOk(v, { prompt: '[sim:slow] first' })).id);
    const two = String((await submitOk(v, { prompt: '[sim:slow] second' })).id);
    const readers = [
      readSse(h, await v.send(`/v1/images/generations/${one}/events`)),
      readSse(h, await v.send(`/v1/images/generations/${one}/events`)),
      readSse(h, await v.send(`/v1/images/generations/${two}/events`)),
    ];
    await runUntil(() => readers.every((r) => r.text().includes(': ping')), 16_000, 500);
    for (const r of readers) {
      expect(r.text()).toContain(': ping\n\n');
      expect(r.finished()).toBe(false);
    }
    expect(h.proxy.stats.subscribers).toBe(3);
    expect(vi.getTimerCount()).toBeGreaterThan(0);

    await h.proxy.close();
    await runUntil(() => readers.every((r) => r.finished()), 1000);
    expect(readers.every((r) => r.finished())).toBe(true);
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    const polls = h.proxy.stats.upstreamPolls;
    await runUntil(() => false, 10_000, 1000);
    expect(h.proxy.stats.upstreamPolls).toBe(polls);
    expect((await v.send('/v1/capabilities')).status).toBe(503);
  });

  it('backs off on upstream 429 honouring Retry-After, then carries on', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const pollTimes: number[] = [];
    let limited = 0;
    h.intercept = (request) => {
      if (request.method !== 'GET') return undefined;
      pollTimes.push(Date.now());
      if (pollTimes.length === 2 && limited++ === 0) {
        return new Response(JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'slow down' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '5' },
        });
      }
      return undefined;
    };
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished());
    expect(taskEvents(r).at(-1)?.status).toBe('completed');
    expect(pollTimes.length).toBe(3);
    expect((pollTimes[2] as number) - (pollTimes[1] as number)).toBeGreaterThanOrEqual(5000);
    expect(r.events.some((e) => e.event === 'error')).toBe(false);
  });

  it('ends the stream with an error event when the upstream loses the task', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    h.intercept = (request) =>
      request.method === 'GET'
        ? new Response(JSON.stringify({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } }), { status: 404 })
        : undefined;
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished());
    expect(r.events).toEqual([{ event: 'error', data: '{"error":{"code":404,"message":"Task not found","type":"not_found_error"}}' }]);
  });
});

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

/* -------------------------------------------------------------------------------------------------
 * Property: parsing never throws and never answers 5xx
 * -----------------------------------------------------------------------------------------------*/

describe('robustness', () => {
  it('answers every random request with a Response below 500', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 1000 }, allowedOrigins: ['https://app.example'] });
    const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
    const segment = fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), printable.map((s) => s.replace(/[#?]/g, '')));
    const path = fc.oneof(
      fc.constantFrom(
        '/v1/uploads/images',
        '/v1/images/generations',
        '/v1/images/generations/task_img_x',
        '/v1/images/generations/x/events',
        '/v1/capabilities',
        '/v1/webhooks/toapis',
        '/',
      ),
      segment.map((s) => `/v1/images/generations/${s}`),
      segment.map((s) => `/v1/images/generations/${s}/events`),
      fc.webPath(),
    );
    const nearSubmit = fc.record(
      {
        model: fc.oneof(fc.constantFrom(...MODEL_IDS), fc.string(), fc.anything()),
        prompt: fc.oneof(fc.string(), fc.anything()),
        size: fc.oneof(fc.constantFrom('1:1', '16:9', 'auto', '7:5'), fc.anything()),
        n: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.anything()),
        image_urls: fc.oneof(fc.array(fc.webUrl(), { maxLength: 20 }), fc.anything()),
        metadata: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything()),
        client_business_id: fc.oneof(fc.string(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.json(),
      fc.uint8Array({ maxLength: 512 }),
      nearSubmit.map((value) => {
        try {
          return JSON.stringify(value);
        } catch {
          return '{}';
        }
      }),
    );
    const arbitraryRequest = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'),
      path,
      contentType: fc.constantFrom(
        undefined,
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
      ),
      origin: fc.constantFrom(undefined, 'https://app.example', 'https://evil.example', 'null'),
      site: fc.constantFrom(undefined, 'cross-site', 'same-origin', 'same-site'),
      cookie: fc.option(fc.oneof(printable, printable.map((s) => `gen_sid=${s}`)), { nil: undefined }),
      extra: fc.option(printable, { nil: undefined }),
      body,
    });

    const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
    try {
      await fc.assert(
        fc.asyncProperty(arbitraryRequest, async (r) => {
          const headers = new Headers();
          if (r.contentType) headers.set('content-type', r.contentType);
          if (r.origin) headers.set('origin', r.origin);
          if (r.site) headers.set('sec-fetch-site', r.site);
          if (r.cookie) headers.set('cookie', r.cookie);
          if (r.extra !== undefined) {
            headers.set('authorization', r.extra);
            headers.set('x-toapis-webhook-signature', r.extra);
            headers.set('accept-language', r.extra);
          }
          let request: Request;
          try {
            const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
            request = new Request(`${BASE}${r.path}`, {
              method: r.method,
              headers,
              ...(hasBody && { body: r.body as BodyInit }),
            });
          } catch {
            return; // not a constructible request
          }
          const res = await h.proxy.fetch(request);
          expect(res).toBeInstanceOf(Response);
          expect(res.status).toBeLessThan(500);
          h.seen.push(JSON.stringify([...res.headers]));
          if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) await res.body?.cancel();
          else h.seen.push(await res.text());
        }),
        { seed, numRuns: 300 },
      );
    } catch (error) {
      console.error(`proxy fuzz failed; rerun with FC_SEED=${seed}`);
      throw error;
    }
    expect(h.proxy.stats.subscribers).toBe(0);
  });
});
