/**
 * Resource caps: a deadline for reading any request body (408), uploads in flight and buffered
 * bytes (503 + Retry-After), event streams per identity (429) and in total (503), and the stream
 * lifetime (a clean `event: reconnect`). Each refusal sends nothing upstream.
 */
import { connect, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { closeHarnesses, FAKE_TIMERS, T0, harness, json, errorOf, readSse, runUntil, signedWebhook, submitOk, PNG, type Harness, type Init } from './harness';

afterEach(closeHarnesses);

const enc = new TextEncoder();

/**
 * A raw loopback connection that sends a submit's headers and the start of its body, then one byte
 * every `everyMs`, and resolves with the answer's status line and how long the server held it.
 */
function trickleSocket(port: number, everyMs: number): Promise<{ status: string; heldMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: ReturnType<typeof setInterval> | undefined;
    const giveUp = setTimeout(() => done(), 10_000); // bounded: a server that never answers fails the test
    const done = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ status: answer.split('\r\n')[0] ?? '', heldMs: Date.now() - started });
    };
    socket.on('connect', () => {
      socket.write('POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n{"prompt":"');
      timer = setInterval(() => socket.write(' '), everyMs);
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** Waits (real time, at most `ms`) until `done()`. */
async function waitUntil(done: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; waited < ms && !done(); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A body that sends `first`, then one byte every `everyMs` (real timers), for at most `maxBytes`. */
function trickle(first: Uint8Array, everyMs: number, maxBytes = 200): { body: ReadableStream<Uint8Array>; sent: () => number; stop: () => void } {
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        sent = first.byteLength;
        controller.enqueue(first);
        return;
      }
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (stopped || sent >= maxBytes) controller.close();
          else {
            sent++;
            controller.enqueue(enc.encode(' '));
          }
          resolve();
        }, everyMs);
      });
    },
    cancel() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  });
  return {
    body,
    sent: () => sent,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** A multipart upload body whose file part never ends until `finish()` is called. */
function stalledUpload(fileBytes: number) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const head = enc.encode('------kit\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n');
  const file = new Uint8Array(fileBytes);
  file.set(PNG.subarray(0, Math.min(PNG.byteLength, fileBytes)));
  let step = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      step++;
      if (step === 1) controller.enqueue(head);
      else if (step === 2) controller.enqueue(file);
      else {
        await done;
        controller.enqueue(enc.encode('\r\n------kit--\r\n'));
        controller.close();
      }
    },
  });
  return { body, finish };
}

const multipart: Init = { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=----kit' }, duplex: 'half' };

function uploadForm(bytes: Uint8Array<ArrayBuffer> = PNG): Init {
  const form = new FormData();
  form.set('file', new Blob([bytes]), 'a.png');
  return { method: 'POST', body: form };
}

describe('request body deadline', () => {
  it('answers 100 connections trickling a submit body at once, each with 408 at the deadline, while others are served; nothing goes upstream', async () => {
    const h = harness({ limits: { bodyTimeoutMs: 500 } });
    const server = serve({ hostname: '127.0.0.1', port: 0, fetch: (request: Request) => h.proxy.fetch(request) });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const { port } = server.address() as AddressInfo;
      const trickling = Promise.all(Array.from({ length: 100 }, () => trickleSocket(port, 100)));
      await new Promise((r) => setTimeout(r, 150));
      // A visitor with a normal request is served at once, however many connections trickle.
      const normal = await fetch(`http://127.0.0.1:${port}/v1/capabilities`, { signal: AbortSignal.timeout(5000) });
      expect(normal.status).toBe(200);
      const results = await trickling;
      expect(new Set(results.map((r) => r.status))).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
      const held = results.map((r) => r.heldMs).sort((a, b) => a - b);
      expect(held[0]).toBeGreaterThanOrEqual(450);
      expect(held.at(-1)).toBeLessThan(5000);
      expect(h.upstream).toHaveLength(0);
      expect(h.proxy.stats.bufferedBytes).toBe(0);
    } finally {
      server.close();
    }
  }, 20_000);

  it('answers a trickling submit body with 408 and Connection: close, sending nothing upstream', async () => {
    const h = harness({ limits: { bodyTimeoutMs: 300 } });
    const t = trickle(enc.encode('{"model":"gemini-3.1-flash-image-preview","prompt":"'), 50);
    const started = Date.now();
    const res = await h.visitor().send('/v1/images/generations', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: t.body, duplex: 'half' });
    const held = Date.now() - started;
    t.stop();
    expect(res.status).toBe(408);
    expect(res.headers.get('connection')).toBe('close');
    expect(errorOf(await json(res))).toMatchObject({ code: 'request_timeout', type: 'invalid_request_error' });
    expect(held).toBeGreaterThanOrEqual(250);
    expect(held).toBeLessThan(3000);
    expect(t.sent()).toBeLessThan(200); // reading stopped at the deadline, not at the end of the body
    expect(h.upstream).toHaveLength(0);
    expect(h.proxy.stats.bufferedBytes).toBe(0);
  });

  it('answers a trickling upload with 408 in the upload envelope and frees its slot', async () => {
    const h = harness({ limits: { bodyTimeoutMs: 300, maxConcurrentUploads: 1 } });
    const t = trickle(enc.encode('------kit\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'), 50);
    const res = await h.visitor().send('/v1/uploads/images', { ...multipart, body: t.body });
    t.stop();
    expect(res.status).toBe(408);
    expect(await json(res)).toMatchObject({ success: false, code: 'request_timeout' });
    expect(h.upstream).toHaveLength(0);
    expect(h.proxy.stats).toMatchObject({ uploadsInFlight: 0, bufferedBytes: 0 });
    expect((await h.visitor().send('/v1/uploads/images', uploadForm())).status).toBe(200);
  });

  it('answers a trickling webhook body with 408', async () => {
    const h = harness({ limits: { bodyTimeoutMs: 300 }, webhook: { secret: 'whsec_x', publicUrl: 'https://app.example.com' } });
    const t = trickle(enc.encode('{"type":"task.completed",'), 50);
    const init = signedWebhook({}, 'whsec_x');
    const res = await h.visitor().send('/v1/webhooks/toapis', { ...init, body: t.body, duplex: 'half' });
    t.stop();
    expect(res.status).toBe(408);
    expect(h.upstream).toHaveLength(0);
  });
});

describe('upload and memory caps', () => {
  it('answers 503 + Retry-After to an upload over maxConcurrentUploads before reading it; slots come back', async () => {
    const h = harness({ limits: { maxConcurrentUploads: 2 } });
    const a = stalledUpload(1024);
    const b = stalledUpload(1024);
    const first = h.visitor().send('/v1/uploads/images', { ...multipart, body: a.body });
    const second = h.visitor().send('/v1/uploads/images', { ...multipart, body: b.body });
    await waitUntil(() => h.proxy.stats.uploadsInFlight === 2 && h.proxy.stats.bufferedBytes >= 2048);
    expect(h.proxy.stats.uploadsInFlight).toBe(2);

    let pulled = 0;
    const third = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 10) controller.close();
      },
    });
    const refused = await h.visitor().send('/v1/uploads/images', { ...multipart, body: third });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await json(refused)).toMatchObject({ success: false, code: 'uploads_busy' });
    expect(pulled).toBeLessThanOrEqual(1);
    // Answered unread, and the connection is not kept for a body nobody will read.
    expect(refused.headers.get('connection')).toBe('close');

    a.finish();
    b.finish();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(h.upstream.filter((r) => r.url.endsWith('/v1/uploads/images'))).toHaveLength(2);
    expect(h.proxy.stats).toMatchObject({ uploadsInFlight: 0, bufferedBytes: 0 });
    expect((await h.visitor().send('/v1/uploads/images', uploadForm())).status).toBe(200);
  });

  it('frees the slot of every refused upload (bad type, empty, too large)', async () => {
    const h = harness({ limits: { maxConcurrentUploads: 1, maxUploadBytes: 4096 } });
    const bad = [new TextEncoder().encode('%PDF-1.7'), new Uint8Array(0), new Uint8Array(8192)];
    for (let round = 0; round < 2; round++) {
      for (const bytes of bad) expect([400, 413]).toContain((await h.visitor().send('/v1/uploads/images', uploadForm(bytes))).status);
    }
    expect(h.proxy.stats.uploadsInFlight).toBe(0);
    expect(h.upstream).toHaveLength(0);
  });

  it('answers 503 + Retry-After when buffered bytes would pass maxBufferedBytes, for uploads and submits', async () => {
    const h = harness({ limits: { maxBufferedBytes: 96 * 1024 } });
    const held = stalledUpload(80 * 1024);
    const pending = h.visitor().send('/v1/uploads/images', { ...multipart, body: held.body });
    await waitUntil(() => h.proxy.stats.bufferedBytes >= 80 * 1024);
    expect(h.proxy.stats.bufferedBytes).toBeGreaterThanOrEqual(80 * 1024);

    const big = await h.visitor().send('/v1/uploads/images', uploadForm(new Uint8Array(32 * 1024)));
    expect(big.status).toBe(503);
    expect(big.headers.get('retry-after')).toBe('5');
    expect(await json(big)).toMatchObject({ success: false, code: 'proxy_busy' });

    const submit = await h.visitor().send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'p'.repeat(30 * 1024) }),
    });
    expect(submit.status).toBe(503);
    expect(errorOf(await json(submit))).toMatchObject({ code: 'proxy_busy', type: 'server_error' });
    expect(h.upstream).toHaveLength(0);

    held.finish();
    expect((await pending).status).toBe(200);
    expect(h.proxy.stats.bufferedBytes).toBe(0);
    expect((await h.visitor().send('/v1/uploads/images', uploadForm(new Uint8Array([...PNG, ...new Uint8Array(32 * 1024)])))).status).toBe(200);
  });

  it('holds an upload at most twice: the upstream form is one buffer with the file bytes unchanged', async () => {
    const h = harness();
    const size = 3 * 1024 * 1024;
    const file = new Uint8Array(size);
    file.set(PNG);
    for (let i = PNG.length; i < size; i += 4099) file[i] = i % 251;
    const res = await h.visitor().send('/v1/uploads/images', uploadForm(file));
    expect(res.status).toBe(200);
    const sent = h.upstream[0]!;
    expect(sent.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=----toapis-kit-[0-9a-f-]{36}$/);
    const form = await sent.formData();
    const forwarded = new Uint8Array(await (form.get('file') as File).arrayBuffer());
    expect(forwarded.byteLength).toBe(size);
    expect(Buffer.compare(forwarded, file)).toBe(0);
    expect(h.proxy.stats.bufferedBytes).toBe(0);
  });

  it('forwards a streamed upload with no Content-Length intact, across the receive buffer growing, with a purpose field after the file', async () => {
    const h = harness();
    const size = 3 * 1024 * 1024 + 17;
    const file = new Uint8Array(size);
    file.set(PNG);
    for (let i = PNG.length; i < size; i += 997) file[i] = (i * 7) % 256;
    const whole = new Uint8Array([
      ...enc.encode('------kit\r\nContent-Disposition: form-data; name="file"; filename="grow.png"\r\nContent-Type: image/png\r\n\r\n'),
      ...file,
      ...enc.encode('\r\n------kit\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ngeneration\r\n------kit--\r\n'),
    ]);
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= whole.length) return controller.close();
        controller.enqueue(whole.slice(offset, offset + 65_536));
        offset += 65_536;
      },
    });
    const res = await h.visitor().send('/v1/uploads/images', { ...multipart, body });
    expect(res.status).toBe(200);
    const form = await h.upstream[0]!.formData();
    expect(Buffer.compare(new Uint8Array(await (form.get('file') as File).arrayBuffer()), file)).toBe(0);
    expect((form.get('file') as File).name).toBe('grow.png');
    expect(form.get('purpose')).toBe('generation');
  });

  it("answers a refused visitor's upload unread and closes its connection", async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 1 } });
    const v = h.visitor();
    expect((await v.send('/v1/uploads/images', uploadForm())).status).toBe(200);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 10) controller.close();
      },
    });
    const refused = await v.send('/v1/uploads/images', { ...multipart, body });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('connection')).toBe('close');
    expect(pulled).toBeLessThanOrEqual(1);
    expect(h.upstream).toHaveLength(1);
  });
});

describe('event stream caps', () => {
  async function openTask(h: Harness) {
    const v = h.visitor();
    const task = await submitOk(v);
    return { v, id: String(task.id) };
  }

  it('per identity: one more stream answers 429 + Retry-After with no upstream call', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ limits: { maxStreamsPerIdentity: 2 } });
    const { v, id } = await openTask(h);
    const open = [await v.send(`/v1/images/generations/${id}/events`), await v.send(`/v1/images/generations/${id}/events`)];
    for (const res of open) expect(res.status).toBe(200);
    const readers = open.map((res) => readSse(h, res));
    const before = h.upstream.length;
    const refused = await v.send(`/v1/images/generations/${id}/events`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(h.upstream.length).toBe(before);
    for (const r of readers) await r.cancel();
  });

  it('in total: one more stream answers 503 + Retry-After with no upstream call', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ limits: { maxStreams: 2 } });
    const a = await openTask(h);
    const b = await openTask(h);
    const c = await openTask(h);
    const readers = [
      readSse(h, await a.v.send(`/v1/images/generations/${a.id}/events`)),
      readSse(h, await b.v.send(`/v1/images/generations/${b.id}/events`)),
    ];
    expect(h.proxy.stats.subscribers).toBe(2);
    const before = h.upstream.length;
    const refused = await c.v.send(`/v1/images/generations/${c.id}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(errorOf(await json(refused))).toMatchObject({ code: 'streams_busy', type: 'server_error' });
    expect(h.upstream.length).toBe(before);
    for (const r of readers) await r.cancel();
  });

  it('ends a stream at maxStreamMs with event: reconnect and a clean close; the task can be followed again', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ limits: { maxStreamMs: 5000 }, pollIntervalMs: 1000 }, { generatingMs: 60_000 });
    const { v, id } = await openTask(h);
    const first = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => first.finished(), 8000);
    expect(first.finished()).toBe(true);
    expect(first.events.at(-1)).toEqual({ event: 'reconnect', data: '{"reason":"stream_lifetime"}' });
    expect(first.text()).toContain('retry: 1000\n');
    expect(first.events.some((e) => e.event === 'task')).toBe(true);
    expect(first.events.some((e) => e.event === 'error')).toBe(false);
    expect(h.proxy.stats.subscribers).toBe(0);

    const second = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => second.events.some((e) => e.event === 'task'), 3000);
    expect(second.events.find((e) => e.event === 'task')).toBeDefined();
    await second.cancel();
  });
});
