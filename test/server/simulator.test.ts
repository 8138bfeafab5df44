import { inflateSync } from 'node:zlib';
import { createSimulator, type Simulator, type SimulatorFault, type SimulatorOptions } from '../../server/simulator';
import { useSimulatorServer } from '../msw/server';

const BASE = 'http://127.0.0.1:4010';
const T0 = Date.UTC(2026, 7, 20, 12, 0, 0);

/* -------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------*/

type Json = Record<string, unknown>;

interface Clocked {
  sim: Simulator;
  advance(ms: number): void;
}

function clocked(options: SimulatorOptions = {}): Clocked {
  let t = T0;
  const sim = createSimulator({ seed: 7, now: () => t, ...options });
  return { sim, advance: (ms) => void (t += ms) };
}

function submit(sim: Simulator, body: unknown, headers: Record<string, string> = {}, base = BASE): Promise<Response> {
  return sim.fetch(
    new Request(`${base}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-test', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

function poll(sim: Simulator, id: string, headers: Record<string, string> = {}, base = BASE): Promise<Response> {
  return sim.fetch(new Request(`${base}/v1/images/generations/${encodeURIComponent(id)}`, { headers }));
}

function upload(sim: Simulator, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}, name = 'ref.bin'): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([bytes]), name);
  form.set('purpose', 'generation');
  return sim.fetch(new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: form, headers }));
}

async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

async function submitOk(sim: Simulator, body: Json = {}, headers: Record<string, string> = {}): Promise<Json> {
  const res = await submit(sim, { model: 'gemini-3.1-flash-image-preview', prompt: 'a lighthouse', size: '1:1', ...body }, headers);
  expect(res.status).toBe(200);
  return json(res);
}

function bytesOf(...parts: Array<number[] | string>): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

const PNG_BYTES = bytesOf([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR');
const JPEG_BYTES = bytesOf([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF');
const GIF_BYTES = bytesOf('GIF89a', [1, 0, 1, 0]);
const WEBP_BYTES = bytesOf('RIFF', [26, 0, 0, 0], 'WEBPVP8 ');
const PDF_BYTES = bytesOf('%PDF-1.7\n%âãÏÓ\n');

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = (crcTable[(crc ^ b) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Walks the chunks, checks every CRC, inflates IDAT and returns the IHDR fields. */
function decodePng(bytes: Uint8Array): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length)).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    types.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      colorType = bytes[offset + 17] ?? -1;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const pixels = inflateSync(Buffer.concat(idat)); // also verifies the adler32
  expect(pixels.length).toBe(height * (1 + width * 3));
  return { width, height, colorType, pixels };
}

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Task lifecycle
 * -----------------------------------------------------------------------------------------------*/

describe('task lifecycle', () => {
  it('goes queued → in_progress (moving progress) → completed with n image URLs, on the system clock', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    const sim = createSimulator({ seed: 1 });
    const submitted = await submitOk(sim, { size: '16:9', n: 3 });
    expect(submitted).toEqual({
      id: expect.stringMatching(/^task_img_[0-9A-Za-z]{10}$/),
      object: 'generation.task',
      model: 'gemini-3.1-flash-image-preview',
      status: 'queued',
      progress: 0,
      created_at: Math.floor(T0 / 1000),
      metadata: {},
    });
    const id = submitted.id as string;

    vi.advanceTimersByTime(599);
    expect(await json(await poll(sim, id))).toMatchObject({ status: 'queued', progress: 0 });

    const seen: number[] = [];
    for (let elapsed = 600; elapsed < 3000; elapsed += 300) {
      vi.setSystemTime(T0 + elapsed);
      const body = await json(await poll(sim, id));
      expect(body.status).toBe('in_progress');
      seen.push(body.progress as number);
    }
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(87);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    for (const p of seen) expect(p).toBeGreaterThanOrEqual(1);
    for (const p of seen) expect(p).toBeLessThanOrEqual(99);

    vi.setSystemTime(T0 + 3000);
    const done = await json(await poll(sim, id));
    const completedAt = Math.floor((T0 + 3000) / 1000);
    expect(done).toMatchObject({ status: 'completed', progress: 100, completed_at: completedAt, expires_at: completedAt + 86400 });
    expect(done).not.toHaveProperty('url');
    expect(done).not.toHaveProperty('error');
    const result = done.result as { type: string; data: Array<{ url: string }> };
    expect(result.type).toBe('image');
    expect(result.data).toHaveLength(3);

    const images: Uint8Array[] = [];
    for (const [i, item] of result.data.entries()) {
      expect(item.url).toBe(`${BASE}/sim/images/${id}/${i}.png`);
      const res = await sim.fetch(new Request(item.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const png = new Uint8Array(await res.arrayBuffer());
      const decoded = decodePng(png);
      expect([decoded.width, decoded.height, decoded.colorType]).toEqual([256, 144, 2]);
      images.push(png);
    }
    expect(Buffer.from(images[0] ?? []).equals(Buffer.from(images[1] ?? []))).toBe(false);
    expect((await sim.fetch(new Request(`${BASE}/sim/images/${id}/3.png`))).status).toBe(404);
    expect(sim.stats).toEqual({ submits: 1, polls: 10, uploads: 0, tasksCreated: 1 });
  });

  it('hands out images only once completed, and not after they expire', async () => {
    const { sim, advance } = clocked();
    const { id } = await submitOk(sim);
    const url = `${BASE}/sim/images/${id as string}/0.png`;
    expect((await sim.fetch(new Request(url))).status).toBe(404);
    advance(3000);
    expect((await sim.fetch(new Request(url))).status).toBe(200);
    advance(86_401_000);
    expect((await sim.fetch(new Request(url))).status).toBe(404);
  });

  it.each([
    ['1:1', 256, 256],
    ['21:9', 256, 110],
    ['1:8', 32, 256],
    ['9:16', 144, 256],
    ['auto', 256, 256],
    ['1536x1024', 256, 171],
  ])('renders size %s as a %ix%i PNG, under a mount prefix', async (size, width, height) => {
    const { sim, advance } = clocked({ queuedMs: 0, generatingMs: 10 });
    const base = `${BASE}/api`;
    const res = await submit(sim, { model: 'm', prompt: 'sunset', size }, {}, base);
    const { id } = await json(res);
    advance(10);
    const done = await json(await poll(sim, id as string, {}, base));
    const url = (done.result as { data: Array<{ url: string }> }).data[0]?.url ?? '';
    expect(url).toBe(`${base}/sim/images/${id as string}/0.png`);
    const decoded = decodePng(new Uint8Array(await (await sim.fetch(new Request(url))).arrayBuffer()));
    expect([decoded.width, decoded.height]).toEqual([width, height]);
  });

  it('reports the configured waiting word and stretches nothing by default', async () => {
    const { sim, advance } = clocked({ statusWord: 'submitted', queuedMs: 100, generatingMs: 100 });
    const { id } = await submitOk(sim);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'submitted' });
    advance(150);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'in_progress', progress: 50 });
    advance(50);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'completed' });
  });

  it('lists tasks with their current status and forgets everything on reset()', async () => {
    const { sim, advance } = clocked();
    await submitOk(sim, { prompt: 'one', client_business_id: 'order-1' });
    advance(1000);
    await submitOk(sim, { prompt: 'two' });
    expect(sim.tasks()).toEqual([
      { id: expect.any(String), clientBusinessId: 'order-1', prompt: 'one', status: 'in_progress' },
      { id: expect.any(String), prompt: 'two', status: 'queued' },
    ]);
    sim.reset();
    expect(sim.tasks()).toEqual([]);
    expect(sim.stats).toEqual({ submits: 0, polls: 0, uploads: 0, tasksCreated: 0 });
    expect((await poll(sim, 'order-1')).status).toBe(404);
  });
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

/* -------------------------------------------------------------------------------------------------
 * Uploads
 * -----------------------------------------------------------------------------------------------*/

describe('uploads', () => {
  it.each([
    ['PNG', PNG_BYTES, 'image/png', 'png'],
    ['JPEG', JPEG_BYTES, 'image/jpeg', 'jpg'],
    ['GIF', GIF_BYTES, 'image/gif', 'gif'],
    ['WebP', WEBP_BYTES, 'image/webp', 'webp'],
  ])('round-trips a %s by its magic bytes', async (_label, bytes, mimeType, ext) => {
    const sim = createSimulator({ seed: 3 });
    const res = await upload(sim, bytes, {}, 'misleading-name.pdf');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      success: true,
      message: '',
      data: {
        id: expect.stringMatching(/^upload_[0-9a-f]{8}$/),
        url: expect.stringMatching(new RegExp(`^${BASE}/sim/uploads/upload_[0-9a-f]{8}\\.${ext}$`)),
        mime_type: mimeType,
        size: bytes.byteLength,
      },
    });
    const back = await sim.fetch(new Request((body.data as { url: string }).url));
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe(mimeType);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
  });

  it('rejects a PDF, an empty file, a missing field and a non-multipart body', async () => {
    const sim = createSimulator({ seed: 3 });
    const pdf = await upload(sim, PDF_BYTES);
    expect(pdf.status).toBe(400);
    expect(await json(pdf)).toEqual({ success: false, message: 'Unsupported file type; use JPEG, PNG, WebP or GIF.' });

    const empty = await upload(sim, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(await json(empty)).toEqual({ success: false, message: expect.stringMatching(/empty/i) });

    const form = new FormData();
    form.set('purpose', 'generation');
    const missing = await sim.fetch(new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: form }));
    expect(await json(missing)).toMatchObject({ success: false });

    const jsonBody = await sim.fetch(
      new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }),
    );
    expect(jsonBody.status).toBe(400);
    expect(await json(jsonBody)).toMatchObject({ success: false });
    expect(sim.stats.uploads).toBe(4);
  });

  it('rejects a file over 10MB with a 400 (not 413) naming the limit', async () => {
    const sim = createSimulator({ seed: 3 });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG_BYTES);
    const res = await upload(sim, big);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.success).toBe(false);
    expect(body.message).toContain('10MB');

    const small = createSimulator({ seed: 3, maxUploadBytes: 2 * 1024 * 1024 });
    const twoMb = new Uint8Array(2 * 1024 * 1024 + 1);
    twoMb.set(PNG_BYTES);
    expect((await json(await upload(small, twoMb))).message).toContain('2MB');
  });

  it('keeps a bounded number of uploads and evicts the oldest', async () => {
    const sim = createSimulator({ seed: 3, maxUploads: 2 });
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = await json(await upload(sim, PNG_BYTES));
      urls.push((body.data as { url: string }).url);
    }
    const statuses = await Promise.all(urls.map(async (url) => (await sim.fetch(new Request(url))).status));
    expect(statuses).toEqual([404, 200, 200]);
  });

  it('builds upload URLs under the mount prefix', async () => {
    const sim = createSimulator({ seed: 3 });
    const form = new FormData();
    form.set('file', new Blob([JPEG_BYTES]), 'a.jpg');
    const res = await sim.fetch(new Request(`${BASE}/api/v1/uploads/images`, { method: 'POST', body: form }));
    const url = ((await json(res)).data as { url: string }).url;
    expect(url).toMatch(new RegExp(`^${BASE}/api/sim/uploads/upload_[0-9a-f]{8}\\.jpg$`));
    expect((await sim.fetch(new Request(url))).status).toBe(200);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Idempotency, lost submits, determinism
 * -----------------------------------------------------------------------------------------------*/

describe('client_business_id', () => {
  it('returns the existing task for a repeated client_business_id and finds it by that id', async () => {
    const { sim, advance } = clocked();
    const first = await submitOk(sim, { client_business_id: 'order 2026/77' });
    expect(first.client_business_id).toBe('order 2026/77');
    advance(1000);
    const second = await submitOk(sim, { client_business_id: 'order 2026/77', prompt: 'something else' });
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('in_progress');
    expect(sim.stats).toMatchObject({ submits: 2, tasksCreated: 1 });

    const byBusinessId = await json(await poll(sim, 'order 2026/77'));
    expect(byBusinessId).toMatchObject({ id: first.id, client_business_id: 'order 2026/77' });
    const viaMetadata = await submitOk(sim, { metadata: { client_business_id: 'meta-1' } });
    expect(viaMetadata.client_business_id).toBe('meta-1');
  });

  it('lost_submit: the task exists although the submit failed; lookup and re-submit recover it', async () => {
    const { sim } = clocked();
    const lost = await submit(
      sim,
      { model: 'm', prompt: 'harbour', client_business_id: 'order-lost' },
      { 'x-simulator-fault': 'lost_submit' },
    );
    expect(lost.type).toBe('error');
    expect(sim.stats.tasksCreated).toBe(1);

    const found = await json(await poll(sim, 'order-lost'));
    expect(found).toMatchObject({ id: expect.stringMatching(/^task_img_/), status: 'queued', client_business_id: 'order-lost' });

    const again = await submit(
      sim,
      { model: 'm', prompt: 'harbour', client_business_id: 'order-lost' },
      { 'x-simulator-fault': 'lost_submit' },
    );
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(found.id);
    expect(sim.stats).toMatchObject({ submits: 2, tasksCreated: 1 });
  });
});

describe('determinism', () => {
  async function run(seed: number): Promise<{ ids: unknown[]; image: Uint8Array }> {
    let t = T0;
    const sim = createSimulator({ seed, now: () => t });
    const ids: unknown[] = [];
    for (const prompt of ['a', 'b', 'c']) ids.push((await submitOk(sim, { prompt })).id);
    ids.push(((await json(await upload(sim, PNG_BYTES))).data as { id: string }).id);
    t += 3000;
    const image = new Uint8Array(await (await sim.fetch(new Request(`${BASE}/sim/images/${ids[0] as string}/0.png`))).arrayBuffer());
    return { ids, image };
  }

  it('gives the same ids and image bytes for the same seed, and different ones for another', async () => {
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(b.ids).toEqual(a.ids);
    expect(Buffer.from(b.image).equals(Buffer.from(a.image))).toBe(true);
    expect(c.ids).not.toEqual(a.ids);
    expect(Buffer.from(c.image).equals(Buffer.from(a.image))).toBe(false);
  });

  it('replays the same ids after reset()', async () => {
    const sim = createSimulator({ seed: 9 });
    const first = (await submitOk(sim)).id;
    sim.reset();
    expect((await submitOk(sim)).id).toBe(first);
  });
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

/* -------------------------------------------------------------------------------------------------
 * Through MSW
 * -----------------------------------------------------------------------------------------------*/

describe('through MSW with plain fetch', () => {
  let t = T0;
  const env = useSimulatorServer({ seed: 5, now: () => t, queuedMs: 100, generatingMs: 200 });

  it('uploads, submits, polls to completion and downloads the image', async () => {
    t = T0;
    const health = await fetch(`${env.baseUrl}/v1/simulator/health`);
    expect(await health.json()).toEqual({ ok: true, simulator: true });

    const form = new FormData();
    form.set('file', new Blob([PNG_BYTES], { type: 'image/png' }), 'ref.png');
    const uploaded = (await (await fetch(`${env.baseUrl}/api/v1/uploads/images`, { method: 'POST', body: form })).json()) as Json;
    const refUrl = (uploaded.data as { url: string }).url;
    expect(refUrl.startsWith(`${env.baseUrl}/api/sim/uploads/`)).toBe(true);
    expect(new Uint8Array(await (await fetch(refUrl)).arrayBuffer())).toEqual(PNG_BYTES);

    const res = await fetch(`${env.baseUrl}/api/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-image-2', prompt: 'a fox', size: '2:1', n: 2, image_urls: [refUrl] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { id } = (await res.json()) as Json;
    t += 300;
    const done = (await (await fetch(`${env.baseUrl}/api/v1/images/generations/${id as string}`)).json()) as Json;
    expect(done.status).toBe('completed');
    const urls = (done.result as { data: Array<{ url: string }> }).data.map((d) => d.url);
    expect(urls).toHaveLength(2);
    const png = new Uint8Array(await (await fetch(urls[1] ?? '')).arrayBuffer());
    expect(decodePng(png)).toMatchObject({ width: 256, height: 128 });
    expect(env.simulator.stats).toMatchObject({ submits: 1, polls: 1, uploads: 1, tasksCreated: 1 });
  });

  it('surfaces Response.error() as a rejected fetch (TypeError)', async () => {
    t = T0;
    const submitLost = fetch(`${env.baseUrl}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-simulator-fault': 'lost_submit' },
      body: JSON.stringify({ model: 'm', prompt: 'a fox', client_business_id: 'msw-lost' }),
    });
    await expect(submitLost).rejects.toBeInstanceOf(TypeError);
    const found = (await (await fetch(`${env.baseUrl}/v1/images/generations/msw-lost`)).json()) as Json;
    expect(found.client_business_id).toBe('msw-lost');

    const { id } = (await (
      await fetch(`${env.baseUrl}/v1/images/generations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'm', prompt: 'a fox [sim:drop_poll]' }),
      })
    ).json()) as Json;
    await expect(fetch(`${env.baseUrl}/v1/images/generations/${id as string}`)).rejects.toBeInstanceOf(TypeError);
    expect((await fetch(`${env.baseUrl}/v1/images/generations/${id as string}`)).status).toBe(200);
  });

  it('starts each test from a fresh simulator', () => {
    expect(env.simulator.stats.submits).toBe(0);
    expect(env.simulator.tasks()).toEqual([]);
  });
});
