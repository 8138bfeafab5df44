import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { createBusinessId, createToapisClient, type ToapisClientOptions } from '../../src/core/client';
import { ToapisError, type ToapisErrorKind } from '../../src/core/errors';

const BASE = 'http://127.0.0.1:4010';
const TASKS = `${BASE}/v1/images/generations`;
const IMG = 'https://files.toapis.com/generated/1.png';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

/* -------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------*/

function client(extra: Partial<ToapisClientOptions> = {}) {
  return createToapisClient({ backendUrl: BASE, random: () => 0, ...extra });
}

function queued(id: string, extra: Record<string, unknown> = {}) {
  return { id, object: 'generation.task', model: 'm', status: 'queued', progress: 0, created_at: 1767001130, ...extra };
}

const REQ = { model: 'gemini-3.1-flash-image-preview', prompt: 'a lighthouse', size: '4:3', n: 1 };

async function rejection(p: Promise<unknown>): Promise<ToapisError> {
  const e = await p.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ToapisError);
  return e as ToapisError;
}

/** A promise that never settles: a handler that awaits it simulates a server that never answers. */
const never = () => new Promise<never>(() => {});

function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(1_767_000_000_000);
}

/**
 * Drives fake time forward in small steps, yielding a real macrotask between steps so MSW's
 * interception (which is not timer-driven) can make progress, until `promise` settles.
 */
async function drive<T>(promise: Promise<T>, { step = 50, limitMs = 120_000 } = {}): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let elapsed = 0; !settled && elapsed < limitMs; elapsed += step) {
    await new Promise((r) => setImmediate(r));
    if (!settled) await vi.advanceTimersByTimeAsync(step);
  }
  if (!settled) throw new Error(`promise did not settle within ${limitMs} ms of fake time`);
  return promise;
}

/** Records the method + URL (+ parsed JSON body) of every request the server sees. */
function recorder() {
  const calls: { method: string; url: string; body?: unknown; at: number }[] = [];
  server.events.on('request:start', ({ request }) => {
    calls.push({ method: request.method, url: request.url, at: Date.now() });
  });
  return calls;
}

afterEach(() => server.events.removeAllListeners());

/* -------------------------------------------------------------------------------------------------
 * Construction and headers
 * -----------------------------------------------------------------------------------------------*/

describe('backendUrl', () => {
  it.each([
    [BASE, BASE],
    [`${BASE}/`, BASE],
    [`${BASE}///`, BASE],
    [`${BASE}/v1`, BASE],
    [`${BASE}/v1/`, BASE],
    [`  ${BASE}/api/v1/  `, `${BASE}/api`],
    [`${BASE}/api`, `${BASE}/api`],
  ])('%j -> %j', (input, expected) => {
    expect(createToapisClient({ backendUrl: input }).backendUrl).toBe(expected);
  });

  it('a /v1 suffix is not doubled on the wire', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${TASKS}/:id`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json(queued('t1'));
      }),
    );
    await createToapisClient({ backendUrl: `${BASE}/v1/` }).getTask('t1');
    expect(seen).toEqual(['/v1/images/generations/t1']);
  });

  it.each(['', '   ', undefined, null, 42])('rejects %j with invalid_request', (value) => {
    let error: unknown;
    try {
      createToapisClient({ backendUrl: value as unknown as string });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToapisError);
    expect((error as ToapisError).kind).toBe('invalid_request');
  });
});

describe('headers', () => {
  it('sends a headers object on every request, plus Accept', async () => {
    const seen: Headers[] = [];
    server.use(
      http.get(`${TASKS}/:id`, ({ request }) => {
        seen.push(request.headers);
        return HttpResponse.json(queued('t1'));
      }),
    );
    const c = client({ headers: { 'X-Host-Auth': 'abc', Authorization: 'Bearer host-token' } });
    await c.getTask('t1');
    await c.getTask('t1');
    expect(seen).toHaveLength(2);
    for (const h of seen) {
      expect(h.get('x-host-auth')).toBe('abc');
      expect(h.get('authorization')).toBe('Bearer host-token');
      expect(h.get('accept')).toBe('application/json');
    }
  });

  it('calls an async headers function per request and sends its result', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${TASKS}/:id`, ({ request }) => {
        seen.push(request.headers.get('x-session'));
        return HttpResponse.json(queued('t1'));
      }),
    );
    let n = 0;
    const headers = vi.fn(async () => {
      n += 1;
      await Promise.resolve();
      return { 'X-Session': `s${n}` };
    });
    const c = client({ headers });
    await c.getTask('t1');
    await c.getTask('t1');
    expect(headers).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(['s1', 's2']);
  });

  it('accepts a sync headers function', async () => {
    let got: string | null = null;
    server.use(
      http.get(`${TASKS}/:id`, ({ request }) => {
        got = request.headers.get('x-sync');
        return HttpResponse.json(queued('t1'));
      }),
    );
    await client({ headers: () => ({ 'X-Sync': 'yes' }) }).getTask('t1');
    expect(got).toBe('yes');
  });

  it('a throwing headers function becomes authentication, and nothing is sent', async () => {
    const calls = recorder();
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.json(queued('t1'))));
    const cause = new Error('session expired');
    const e = await rejection(
      client({
        headers: async () => {
          throw cause;
        },
      }).getTask('t1'),
    );
    expect(e.kind).toBe('authentication');
    expect(e.cause).toBe(cause);
    expect(calls).toHaveLength(0);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Endpoints
 * -----------------------------------------------------------------------------------------------*/

describe('uploadImage', () => {
  it('sends multipart/form-data with field `file` and parses the reply', async () => {
    let fileName: string | undefined;
    let fileType: string | undefined;
    let fileText: string | undefined;
    let purpose: FormDataEntryValue | null = null;
    let contentType: string | null = null;
    server.use(
      http.post(`${BASE}/v1/uploads/images`, async ({ request }) => {
        contentType = request.headers.get('content-type');
        const form = await request.formData();
        const file = form.get('file');
        if (file instanceof File) {
          fileName = file.name;
          fileType = file.type;
          fileText = await file.text();
        }
        purpose = form.get('purpose');
        return HttpResponse.json({
          success: true,
          message: '',
          data: { id: 'upload_5d1e90ab', mime_type: 'image/png', size: 4, url: 'https://files.toapis.com/uploads/a.png' },
        });
      }),
    );
    const result = await client().uploadImage(new Blob(['\x89PNG'], { type: 'image/png' }));
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(fileName).toBe('reference.png');
    expect(fileType).toBe('image/png');
    expect(fileText).toBe('\x89PNG');
    expect(purpose).toBe('generation');
    expect(result).toEqual({
      id: 'upload_5d1e90ab',
      url: 'https://files.toapis.com/uploads/a.png',
      mimeType: 'image/png',
      size: 4,
    });
  });

  it('uses the given filename, or .bin for unknown types', async () => {
    const names: string[] = [];
    server.use(
      http.post(`${BASE}/v1/uploads/images`, async ({ request }) => {
        const file = (await request.formData()).get('file');
        names.push(file instanceof File ? file.name : '?');
        return HttpResponse.json({ success: true, data: { url: 'https://files.toapis.com/u.png' } });
      }),
    );
    await client().uploadImage(new Blob(['x'], { type: 'image/webp' }), { filename: 'cat.webp' });
    await client().uploadImage(new Blob(['x'], { type: 'application/x-odd' }));
    await client().uploadImage(new Blob(['x'], { type: 'image/jpeg' }));
    expect(names).toEqual(['cat.webp', 'reference.bin', 'reference.jpg']);
  });

  it('a 400 {success:false} upload reply becomes invalid_request with the server message', async () => {
    server.use(
      http.post(`${BASE}/v1/uploads/images`, () =>
        HttpResponse.json({ success: false, message: 'File exceeds the 10MB limit' }, { status: 400 }),
      ),
    );
    const e = await rejection(client().uploadImage(new Blob(['x'], { type: 'image/png' })));
    expect(e).toMatchObject({ kind: 'invalid_request', status: 400, message: 'File exceeds the 10MB limit' });
  });

  it('a 200 {success:false} upload reply also becomes invalid_request', async () => {
    server.use(http.post(`${BASE}/v1/uploads/images`, () => HttpResponse.json({ success: false, message: 'Bad type' })));
    const e = await rejection(client().uploadImage(new Blob(['x'], { type: 'image/png' })));
    expect(e).toMatchObject({ kind: 'invalid_request', message: 'Bad type' });
  });
});

describe('uploadImage when the backend is busy', () => {
  const UPLOADED = { success: true, data: { url: 'https://files.toapis.com/uploads/b.png' } };
  const busy = (status: number, retryAfter: string) =>
    HttpResponse.json({ success: false, message: 'The server is busy; try again shortly.', code: 'uploads_busy' }, { status, headers: { 'Retry-After': retryAfter } });

  it('waits for Retry-After after a 503 or 429 and tries again, up to 3 attempts', async () => {
    useFakeClock();
    const seen: number[] = [];
    const answers = [busy(503, '5'), busy(429, '2')];
    server.use(
      http.post(`${BASE}/v1/uploads/images`, () => {
        seen.push(Date.now());
        return answers.shift() ?? HttpResponse.json(UPLOADED);
      }),
    );
    const retries: Array<[ToapisErrorKind, number, number]> = [];
    const result = await drive(
      client().uploadImage(new Blob(['\x89PNG'], { type: 'image/png' }), { onRetry: (e, delay, attempt) => retries.push([e.kind, delay, attempt]) }),
    );
    expect(result.url).toBe(UPLOADED.data.url);
    expect(seen).toHaveLength(3);
    expect(retries.map(([kind, , attempt]) => [kind, attempt])).toEqual([
      ['server', 1],
      ['rate_limit', 2],
    ]);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(5000);
    expect(seen[2]! - seen[1]!).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after maxAttempts with the last error, and never retries a refused file', async () => {
    useFakeClock();
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/uploads/images`, () => {
        calls++;
        return busy(503, '1');
      }),
    );
    const e = await rejection(drive(client().uploadImage(new Blob(['x'], { type: 'image/png' }), { maxAttempts: 2 })));
    expect(e).toMatchObject({ kind: 'server', status: 503 });
    expect(calls).toBe(2);

    calls = 0;
    server.use(
      http.post(`${BASE}/v1/uploads/images`, () => {
        calls++;
        return HttpResponse.json({ success: false, message: 'File exceeds the 10MB limit' }, { status: 400 });
      }),
    );
    expect(await rejection(client().uploadImage(new Blob(['x'], { type: 'image/png' })))).toMatchObject({ kind: 'invalid_request' });
    expect(calls).toBe(1);
  });

  it('reports a Retry-After longer than 30 s at once instead of waiting', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/uploads/images`, () => {
        calls++;
        return busy(429, '120');
      }),
    );
    const e = await rejection(client().uploadImage(new Blob(['x'], { type: 'image/png' })));
    expect(e).toMatchObject({ kind: 'rate_limit', status: 429 });
    expect(calls).toBe(1);
  });

  it('stops waiting when the upload is cancelled', async () => {
    useFakeClock();
    server.use(http.post(`${BASE}/v1/uploads/images`, () => busy(503, '10')));
    const controller = new AbortController();
    const pending = client().uploadImage(new Blob(['x'], { type: 'image/png' }), {
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    expect(await rejection(drive(pending))).toMatchObject({ kind: 'aborted' });
  });
});

describe('getTask', () => {
  it('encodes the id in the path', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${TASKS}/*`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(queued('a/b'));
      }),
    );
    const t = await client().getTask('a/b');
    await client().getTask('x y?#');
    expect(paths).toEqual(['/v1/images/generations/a%2Fb', '/v1/images/generations/x%20y%3F%23']);
    expect(t.id).toBe('a/b');
  });

  it('parses a completed task', async () => {
    server.use(
      http.get(`${TASKS}/:id`, ({ params }) =>
        HttpResponse.json({ id: params.id, status: 'completed', progress: 100, result: { type: 'image', data: [{ url: IMG }] } }),
      ),
    );
    const t = await client().getTask('t9');
    expect(t).toMatchObject({ id: 't9', phase: 'completed', progress: 100, images: [{ url: IMG }] });
  });

  it('rejects an empty id without a request', async () => {
    const calls = recorder();
    const e = await rejection(client().getTask(''));
    expect(e.kind).toBe('invalid_request');
    expect(calls).toHaveLength(0);
  });

  it.each<[number, ToapisErrorKind, Record<string, unknown> | string]>([
    [400, 'invalid_request', { error: { code: 'invalid_request', type: 'invalid_request_error', message: 'bad' } }],
    [401, 'authentication', { error: { code: 'unauthorized', type: 'authentication_error', message: 'key' } }],
    [402, 'quota', { error: { code: 'insufficient_quota', message: 'top up' } }],
    [403, 'authentication', { error: { message: 'forbidden' } }],
    [404, 'not_found', { error: { code: 404, message: 'Task not found', type: 'not_found_error' } }],
    [422, 'content_policy', { error: { code: 'content_policy_violation', message: 'no' } }],
    [429, 'rate_limit', { error: { code: 'rate_limit_exceeded', message: 'slow' } }],
    [500, 'server', { error: { code: 'internal_error', message: 'oops' } }],
    [502, 'server', '<html>Bad Gateway</html>'],
    [503, 'rate_limit', { error: { code: 'rate_limit_unavailable', message: 'limiter down' } }],
    [503, 'server', ''],
  ])('HTTP %i -> %s', async (status, kind, body) => {
    server.use(
      http.get(`${TASKS}/:id`, () =>
        typeof body === 'string'
          ? new HttpResponse(body, { status, headers: { 'Content-Type': 'text/html' } })
          : HttpResponse.json(body, { status }),
      ),
    );
    const e = await rejection(client().getTask('t1'));
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
  });

  it('reads Retry-After from a 429', async () => {
    server.use(
      http.get(`${TASKS}/:id`, () =>
        HttpResponse.json({ error: { code: 'rate_limit_exceeded', message: 'slow' } }, { status: 429, headers: { 'Retry-After': '3' } }),
      ),
    );
    const e = await rejection(client().getTask('t1'));
    expect(e.retryAfterMs).toBe(3000);
    expect(e.message).toBe('slow');
  });

  it('a 200 that is not JSON is a protocol error', async () => {
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.text('<html>captive portal</html>')));
    const e = await rejection(client().getTask('t1'));
    expect(e.kind).toBe('protocol');
    expect(e.status).toBe(200);
  });

  it('an empty 200 is a protocol error', async () => {
    server.use(http.get(`${TASKS}/:id`, () => new HttpResponse(null, { status: 200 })));
    expect((await rejection(client().getTask('t1'))).kind).toBe('protocol');
  });

  it('a 200 JSON that is not a task is a protocol error', async () => {
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.json({ hello: 'world' })));
    expect((await rejection(client().getTask('t1'))).kind).toBe('protocol');
  });

  it('a network error is network (retryable)', async () => {
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.error()));
    const e = await rejection(client().getTask('t1'));
    expect(e.kind).toBe('network');
    expect(e.retryable).toBe(true);
  });
});

describe('abort and timeout', () => {
  it('an already-aborted signal rejects with aborted and sends nothing', async () => {
    const calls = recorder();
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.json(queued('t1'))));
    const c = new AbortController();
    c.abort();
    const e = await rejection(client().getTask('t1', { signal: c.signal }));
    expect(e.kind).toBe('aborted');
    expect(calls).toHaveLength(0);
  });

  it('aborting during the request rejects with aborted', async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    server.use(
      http.get(`${TASKS}/:id`, async () => {
        arrived();
        await never();
      }),
    );
    const c = new AbortController();
    const p = client().getTask('t1', { signal: c.signal });
    await reached;
    c.abort();
    const e = await rejection(p);
    expect(e.kind).toBe('aborted');
    expect(e.retryable).toBe(false);
  });

  // Regression: an abort that lands while an async headers function runs used to go unnoticed
  // (the 'abort' listener is only attached after the headers resolve).
  it('aborting while the async headers function runs rejects with aborted and sends nothing', async () => {
    const calls = recorder();
    server.use(http.get(`${TASKS}/:id`, () => HttpResponse.json(queued('t1'))));
    const c = new AbortController();
    const p = client({
      headers: async () => {
        c.abort();
        return { 'X-A': '1' };
      },
    }).getTask('t1', { signal: c.signal });
    const outcome = await p.then(
      (t) => ({ resolved: t.id }),
      (e: unknown) => ({ kind: (e as ToapisError).kind }),
    );
    expect(outcome).toEqual({ kind: 'aborted' });
    expect(calls).toHaveLength(0);
  });

  it('requestTimeoutMs abandons a silent server as network', async () => {
    server.use(
      http.get(`${TASKS}/:id`, async () => {
        await never();
      }),
    );
    const started = Date.now();
    const e = await rejection(client({ requestTimeoutMs: 50 }).getTask('t1'));
    expect(e.kind).toBe('network');
    expect(e.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('requestTimeoutMs with fake timers: not before the timeout, network right after', async () => {
    useFakeClock();
    server.use(
      http.get(`${TASKS}/:id`, async () => {
        await never();
      }),
    );
    let settled = false;
    const p = client({ requestTimeoutMs: 10_000 }).getTask('t1');
    p.catch(() => {}).finally(() => (settled = true));
    for (let i = 0; i < 10; i += 1) await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(9_900);
    expect(settled).toBe(false);
    const e = await drive(rejection(p), { step: 50, limitMs: 1000 });
    expect(e.kind).toBe('network');
    expect(e.message).toContain('10 s');
  });
});

describe('custom fetch and body-read failures', () => {
  it('uses the fetch override with the full URL, method and JSON body', async () => {
    const fetch = vi.fn(async (_input: string, _init?: RequestInit) => new Response(JSON.stringify({ ok: 1 })));
    const c = createToapisClient({ backendUrl: 'https://proxy.example/api/', fetch });
    await expect(c.request('POST', '/v1/x', { json: { a: 1 } })).resolves.toEqual({ ok: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://proxy.example/api/v1/x');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"a":1}');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('a body stream that errors while reading is network', async () => {
    const fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.error(new TypeError('socket hang up'));
          },
        }),
      );
    const e = await rejection(createToapisClient({ backendUrl: BASE, fetch }).getTask('t1'));
    expect(e.kind).toBe('network');
    expect(e.message).toBe('The connection dropped while reading the reply.');
  });

  function stallingBody(signal: AbortSignal | null | undefined) {
    return new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id":'));
          signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      }),
    );
  }

  it('an abort while the body is read is aborted', async () => {
    const c = new AbortController();
    let readStarted!: () => void;
    const started = new Promise<void>((r) => (readStarted = r));
    const fetch = async (_i: string, init?: RequestInit) => {
      readStarted();
      return stallingBody(init?.signal);
    };
    const p = createToapisClient({ backendUrl: BASE, fetch }).getTask('t1', { signal: c.signal });
    await started;
    await new Promise((r) => setImmediate(r));
    c.abort();
    expect((await rejection(p)).kind).toBe('aborted');
  });

  it('a timeout while the body is read is network', async () => {
    const fetch = async (_i: string, init?: RequestInit) => stallingBody(init?.signal);
    const e = await rejection(createToapisClient({ backendUrl: BASE, fetch, requestTimeoutMs: 30 }).getTask('t1'));
    expect(e.kind).toBe('network');
    expect(e.message).toBe('The request was interrupted.');
  });

  it('looks up globalThis.fetch on every call (so MSW or a polyfill installed later is used)', async () => {
    const c = createToapisClient({ backendUrl: BASE });
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify(queued('late'))));
    await expect(c.getTask('late')).resolves.toMatchObject({ id: 'late' });
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

/* -------------------------------------------------------------------------------------------------
 * createTask: exactly-once submit
 * -----------------------------------------------------------------------------------------------*/

describe('createBusinessId', () => {
  it('is prefixed, unique and not shaped like a task id', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createBusinessId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^kit-[0-9a-z]+(-[0-9a-z]+)+$/);
      expect(id.length).toBeGreaterThanOrEqual(20);
      expect(id).not.toMatch(/^(task_|img_|tsk_)/);
    }
  });

  it('never repeats even with a constant random source and a frozen clock', () => {
    useFakeClock();
    vi.stubGlobal('crypto', undefined);
    try {
      const a = createBusinessId(() => 0);
      const b = createBusinessId(() => 0);
      expect(a).toMatch(/^kit-/);
      expect(a).not.toBe(b);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('createTask', () => {
  type Posted = { body: Record<string, unknown>; at: number };

  /** A fake ToAPIs that stores tasks by id and by client_business_id. */
  function fakeBackend() {
    const posts: Posted[] = [];
    const lookups: { id: string; at: number }[] = [];
    const byBusinessId = new Map<string, Record<string, unknown>>();
    let seq = 0;
    const store = (body: Record<string, unknown>) => {
      seq += 1;
      const task = queued(`task_img_${seq}`, { client_business_id: body.client_business_id });
      byBusinessId.set(String(body.client_business_id), task);
      return task;
    };
    const lookup = http.get(`${TASKS}/:id`, ({ params }) => {
      const id = decodeURIComponent(String(params.id));
      lookups.push({ id, at: Date.now() });
      const task = byBusinessId.get(id);
      return task
        ? HttpResponse.json(task)
        : HttpResponse.json({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } }, { status: 404 });
    });
    return { posts, lookups, byBusinessId, store, lookup };
  }

  it('adds a fresh client_business_id and sends the request as JSON', async () => {
    const b = fakeBackend();
    const contentTypes: (string | null)[] = [];
    server.use(
      http.post(TASKS, async ({ request }) => {
        contentTypes.push(request.headers.get('content-type'));
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        return HttpResponse.json(b.store(body));
      }),
    );
    const t = await createToapisClient({ backendUrl: BASE }).createTask(REQ);
    expect(b.posts).toHaveLength(1);
    expect(contentTypes).toEqual(['application/json']);
    const sent = b.posts[0]!.body;
    expect(sent).toMatchObject(REQ);
    expect(sent.client_business_id).toMatch(/^kit-/);
    expect(t).toMatchObject({ id: 'task_img_1', phase: 'queued', clientBusinessId: sent.client_business_id });
  });

  it('keeps a given client_business_id', async () => {
    const b = fakeBackend();
    server.use(
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        return HttpResponse.json(b.store(body));
      }),
    );
    const t = await client().createTask({ ...REQ, client_business_id: 'order-2026-0415-77' });
    expect(b.posts.map((p) => p.body.client_business_id)).toEqual(['order-2026-0415-77']);
    expect(t.clientBusinessId).toBe('order-2026-0415-77');
  });

  it('fills clientBusinessId when the server does not echo it', async () => {
    server.use(http.post(TASKS, () => HttpResponse.json(queued('t1'))));
    const t = await client().createTask({ ...REQ, client_business_id: 'mine' });
    expect(t.clientBusinessId).toBe('mine');
  });

  it('429 with Retry-After, then success: exactly 2 submits, onRetry with delay >= Retry-After', async () => {
    useFakeClock();
    const b = fakeBackend();
    let n = 0;
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        n += 1;
        if (n === 1) {
          return HttpResponse.json(
            { error: { code: 'rate_limit_exceeded', message: 'Too many submits' } },
            { status: 429, headers: { 'Retry-After': '3' } },
          );
        }
        return HttpResponse.json(b.store(body));
      }),
    );
    const onRetry = vi.fn();
    const t = await drive(client().createTask(REQ, { onRetry }));
    expect(t.id).toBe('task_img_1');
    expect(b.posts).toHaveLength(2);
    expect(b.lookups).toHaveLength(0); // a 429 is rejected before a task exists: no lookup needed
    expect(onRetry).toHaveBeenCalledTimes(1);
    const [err, delay, attempt] = onRetry.mock.calls[0]! as [ToapisError, number, number];
    expect(err.kind).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(3000);
    expect(delay).toBeGreaterThanOrEqual(3000);
    expect(attempt).toBe(1);
    expect(b.posts[1]!.at - b.posts[0]!.at).toBeGreaterThanOrEqual(3000);
    expect(b.posts[1]!.body.client_business_id).toBe(b.posts[0]!.body.client_business_id);
  });

  it('lost submit response: looks the task up by client_business_id, exactly ONE POST', async () => {
    useFakeClock();
    const b = fakeBackend();
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        b.store(body); // the server created (and charged) the task…
        return HttpResponse.error(); // …but the reply never arrived
      }),
    );
    const onRetry = vi.fn();
    const t = await drive(client().createTask(REQ, { onRetry }));
    expect(b.posts).toHaveLength(1);
    const businessId = String(b.posts[0]!.body.client_business_id);
    expect(b.lookups.map((l) => l.id)).toEqual([businessId]);
    expect(t).toMatchObject({ id: 'task_img_1', clientBusinessId: businessId, phase: 'queued' });
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect((onRetry.mock.calls[0]![0] as ToapisError).kind).toBe('network');
    expect(b.lookups[0]!.at - b.posts[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('lost response + lookup 404: re-submits once with the SAME client_business_id', async () => {
    useFakeClock();
    const b = fakeBackend();
    let n = 0;
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        n += 1;
        if (n === 1) return HttpResponse.error(); // died before the server stored anything
        return HttpResponse.json(b.store(body));
      }),
    );
    const t = await drive(client().createTask(REQ));
    expect(b.posts).toHaveLength(2);
    const [first, second] = b.posts;
    expect(second!.body.client_business_id).toBe(first!.body.client_business_id);
    expect(b.lookups.map((l) => l.id)).toEqual([first!.body.client_business_id]);
    expect(t.id).toBe('task_img_1');
  });

  it('500 then the lookup finds the task: one POST', async () => {
    useFakeClock();
    const b = fakeBackend();
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        b.store(body);
        return HttpResponse.json({ error: { code: 'internal_error', message: 'oops' } }, { status: 500 });
      }),
    );
    const t = await drive(client().createTask(REQ));
    expect(b.posts).toHaveLength(1);
    expect(b.lookups).toHaveLength(1);
    expect(t.id).toBe('task_img_1');
  });

  it('lookup that itself fails with a network error is retried as a lookup, never a second POST', async () => {
    useFakeClock();
    const b = fakeBackend();
    let lookupsFailed = 0;
    server.use(
      http.get(`${TASKS}/:id`, ({ params }) => {
        b.lookups.push({ id: String(params.id), at: Date.now() });
        if (lookupsFailed < 1) {
          lookupsFailed += 1;
          return HttpResponse.error();
        }
        const task = b.byBusinessId.get(String(params.id));
        return task ? HttpResponse.json(task) : new HttpResponse(null, { status: 404 });
      }),
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        b.store(body);
        return HttpResponse.error();
      }),
    );
    const t = await drive(client().createTask(REQ));
    expect(b.posts).toHaveLength(1);
    expect(b.lookups).toHaveLength(2);
    expect(t.id).toBe('task_img_1');
  });

  it.each<[number, ToapisErrorKind, Record<string, unknown>]>([
    [400, 'invalid_request', { error: { code: 'invalid_request', type: 'invalid_request_error', param: 'size', message: 'Unsupported aspect ratio' } }],
    [401, 'authentication', { error: { code: 'unauthorized', type: 'authentication_error', message: 'API key missing or not valid' } }],
    [402, 'quota', { error: { code: 'insufficient_quota', message: 'Balance too low' } }],
    [403, 'authentication', { error: { message: 'Forbidden' } }],
    [422, 'content_policy', { error: { code: 'content_policy_violation', message: 'Rejected' } }],
  ])('HTTP %i (%s) is not retried: exactly 1 POST', async (status, kind, body) => {
    const b = fakeBackend();
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return HttpResponse.json(body, { status });
      }),
    );
    const onRetry = vi.fn();
    const e = await rejection(client().createTask(REQ, { onRetry }));
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(b.posts).toHaveLength(1);
    expect(b.lookups).toHaveLength(0);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('a 400 keeps the blamed param', async () => {
    server.use(
      http.post(TASKS, () =>
        HttpResponse.json({ error: { code: 'invalid_request', param: 'size', message: 'Unsupported aspect ratio 7:5' } }, { status: 400 }),
      ),
    );
    const e = await rejection(client().createTask(REQ));
    expect(e).toMatchObject({ param: 'size', code: 'invalid_request', message: 'Unsupported aspect ratio 7:5' });
  });

  it('maxAttempts exhausted on 429: throws the last error after exactly maxAttempts POSTs', async () => {
    useFakeClock();
    const b = fakeBackend();
    let n = 0;
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        n += 1;
        return HttpResponse.json({ error: { code: 'rate_limit_exceeded', message: `limited #${n}` } }, { status: 429 });
      }),
    );
    const onRetry = vi.fn();
    const e = await drive(rejection(client().createTask(REQ, { maxAttempts: 3, onRetry })));
    expect(e.kind).toBe('rate_limit');
    expect(e.message).toBe('limited #3');
    expect(b.posts).toHaveLength(3);
    expect(onRetry.mock.calls.map((c) => c[1] as number)).toEqual([1000, 2000]); // random 0: 1 s, 2 s
    expect(onRetry.mock.calls.map((c) => c[2] as number)).toEqual([1, 2]);
  });

  it('maxAttempts exhausted on network errors: one POST, then lookups only, throws the last error', async () => {
    useFakeClock();
    const b = fakeBackend();
    server.use(
      http.get(`${TASKS}/:id`, ({ params }) => {
        b.lookups.push({ id: String(params.id), at: Date.now() });
        return HttpResponse.error();
      }),
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return HttpResponse.error();
      }),
    );
    const e = await drive(rejection(client().createTask(REQ, { maxAttempts: 4 })));
    expect(e.kind).toBe('network');
    expect(b.posts).toHaveLength(1);
    expect(b.lookups).toHaveLength(3);
  });

  it('maxAttempts: 1 never retries', async () => {
    const b = fakeBackend();
    server.use(
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return HttpResponse.json({}, { status: 503 });
      }),
    );
    const e = await rejection(client().createTask(REQ, { maxAttempts: 1 }));
    expect(e.kind).toBe('server');
    expect(b.posts).toHaveLength(1);
  });

  it('503 rate_limit_unavailable is retried by re-submitting (limiter rejected before a task existed)', async () => {
    useFakeClock();
    const b = fakeBackend();
    let n = 0;
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        b.posts.push({ body, at: Date.now() });
        n += 1;
        if (n === 1) return HttpResponse.json({ error: { code: 'rate_limit_unavailable', message: 'down' } }, { status: 503 });
        return HttpResponse.json(b.store(body));
      }),
    );
    const t = await drive(client().createTask(REQ));
    expect(b.posts).toHaveLength(2);
    expect(b.lookups).toHaveLength(0);
    expect(t.id).toBe('task_img_1');
  });

  it('abort during the backoff wait rejects with aborted and submits nothing more', async () => {
    useFakeClock();
    const b = fakeBackend();
    server.use(
      b.lookup,
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return HttpResponse.json({ error: { code: 'rate_limit_exceeded' } }, { status: 429, headers: { 'Retry-After': '30' } });
      }),
    );
    const c = new AbortController();
    const onRetry = vi.fn(() => {
      setTimeout(() => c.abort(), 1000);
    });
    const e = await drive(rejection(client().createTask(REQ, { signal: c.signal, onRetry })));
    expect(e.kind).toBe('aborted');
    expect(b.posts).toHaveLength(1);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('a submit reply that is not a task: looked up by business id before any re-send, then a protocol error', async () => {
    useFakeClock();
    const b = fakeBackend();
    const lookups: string[] = [];
    server.use(
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return HttpResponse.json({ ok: true });
      }),
      http.get(`${TASKS}/:id`, ({ params }) => {
        lookups.push(String(params.id));
        return HttpResponse.json({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } }, { status: 404 });
      }),
    );
    const e = await drive(rejection(client({ random: () => 0 }).createTask({ ...REQ, client_business_id: 'biz-garbled' })));
    expect(e.kind).toBe('protocol');
    expect(b.posts.length).toBeGreaterThanOrEqual(2);
    expect(lookups).toEqual(Array(b.posts.length - 1).fill('biz-garbled'));
    expect(new Set(b.posts.map((p) => p.body.client_business_id))).toEqual(new Set(['biz-garbled']));
  });

  it('a garbled submit reply whose task did land is found by lookup: one task, no re-send', async () => {
    useFakeClock();
    const b = fakeBackend();
    server.use(
      http.post(TASKS, async ({ request }) => {
        b.posts.push({ body: (await request.json()) as Record<string, unknown>, at: Date.now() });
        return new HttpResponse('<html>gateway</html>', { status: 200 });
      }),
      http.get(`${TASKS}/:id`, ({ params }) => HttpResponse.json(queued(`found-${String(params.id)}`))),
    );
    const t = await drive(client({ random: () => 0 }).createTask({ ...REQ, client_business_id: 'biz-landed' }));
    expect(t.id).toBe('found-biz-landed');
    expect(b.posts).toHaveLength(1);
  });

  it('wraps a non-ToapisError thrown by a custom fetch as network and retries via lookup', async () => {
    useFakeClock();
    const calls: string[] = [];
    const fetch = async (input: string, init?: RequestInit) => {
      calls.push(`${init?.method} ${new URL(input).pathname}`);
      if (init?.method === 'POST') throw new TypeError('socket closed');
      return new Response(JSON.stringify(queued('t-found')));
    };
    const t = await drive(createToapisClient({ backendUrl: BASE, fetch, random: () => 0 }).createTask({ ...REQ, client_business_id: 'biz-1' }));
    expect(t.id).toBe('t-found');
    expect(calls).toEqual(['POST /v1/images/generations', 'GET /v1/images/generations/biz-1']);
  });
});

describe('request (low level)', () => {
  it('returns parsed JSON for any 2xx', async () => {
    server.use(http.get(`${BASE}/v1/models`, () => HttpResponse.json([1, 2, 3], { status: 201 })));
    await expect(client().request('GET', '/v1/models')).resolves.toEqual([1, 2, 3]);
  });

  it('sends a raw body untouched without a JSON content type', async () => {
    let ct: string | null = 'unset';
    let text = '';
    server.use(
      http.put(`${BASE}/v1/raw`, async ({ request }) => {
        ct = request.headers.get('content-type');
        text = await request.text();
        return HttpResponse.json({ ok: true });
      }),
    );
    await client().request('PUT', '/v1/raw', { body: 'plain' });
    expect(text).toBe('plain');
    expect(ct).not.toBe('application/json');
  });
});

describe('capabilities and downloadImage', () => {
  it('reads downloads from /v1/capabilities; anything else means none', async () => {
    server.use(http.get(`${BASE}/v1/capabilities`, () => HttpResponse.json({ stream: true, downloads: true })));
    expect(await client().capabilities()).toEqual({ stream: true, downloads: true });
    server.use(http.get(`${BASE}/v1/capabilities`, () => HttpResponse.json({ stream: true, downloads: 'yes' })));
    expect(await client().capabilities()).toEqual({ stream: true, downloads: false });
    server.use(http.get(`${BASE}/v1/capabilities`, () => HttpResponse.json({ error: 'no' }, { status: 404 })));
    expect(await client().capabilities()).toEqual({ stream: false, downloads: false });
  });

  it('fetches image n of a task with the host headers and the file name, as a Blob', async () => {
    let seen: Request | undefined;
    server.use(
      http.get(`${TASKS}/:id/images/:n`, ({ request }) => {
        seen = request;
        return new HttpResponse(new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'image/png' } });
      }),
    );
    const blob = await client({ headers: { 'X-Host-Auth': 'h1' } }).downloadImage!('task 1', 2, { filename: 'a b.png' });
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBe(3);
    const url = new URL(seen!.url);
    expect(url.pathname).toBe('/v1/images/generations/task%201/images/2');
    expect(url.searchParams.get('filename')).toBe('a b.png');
    expect(seen!.headers.get('x-host-auth')).toBe('h1');
  });

  it('turns an error answer into a ToapisError and refuses a bad index', async () => {
    server.use(http.get(`${TASKS}/:id/images/:n`, () => HttpResponse.json({ error: { code: 'result_expired', message: 'gone' } }, { status: 410 })));
    const e = await rejection(client().downloadImage!('t1', 1));
    expect(e.code).toBe('result_expired');
    expect(e.status).toBe(410);
    expect((await rejection(client().downloadImage!('t1', 0))).kind).toBe('invalid_request');
  });
});
