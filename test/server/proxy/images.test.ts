/**
 * `GET /v1/images/generations/:id/images/:n`: a result image as a download, for the task's owner
 * only, fetched from the file host without the key, within a size cap, not through redirects to
 * other hosts, only when it is an image, and refused once the results have expired.
 */
import { vi } from 'vitest';
import { NOT_FOUND_BODY } from '../../../server/proxy/config';
import {
  closeHarnesses,
  errorOf,
  harness,
  json,
  KEY,
  submitOk,
  upstreamGets,
  type Harness,
  type Json,
  type Visitor,
} from './harness';

afterEach(closeHarnesses);

const INSTANT = { queuedMs: 0, generatingMs: 0 };
const MiB = 1024 * 1024;

/** Submits and reads the task once (completed at once with INSTANT): the image URLs are known then. */
async function completed(h: Harness, v: Visitor, extra: Json = {}): Promise<{ id: string; urls: string[] }> {
  const task = await submitOk(v, extra);
  const id = String(task.id);
  const body = await json(await v.send(`/v1/images/generations/${id}`));
  expect(body.status).toBe('completed');
  const urls = ((body.result as Json).data as Json[]).map((d) => String(d.url));
  return { id, urls };
}

const imageRequests = (h: Harness) => h.upstream.filter((r) => new URL(r.url).pathname.includes('/sim/images/') || !r.url.startsWith('http://upstream.test/v1/'));

describe('GET /v1/images/generations/:id/images/:n', () => {
  it('gives the owner the image as an attachment, named as asked, fetched without the key', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id, urls } = await completed(h, v);
    const res = await v.send(`/v1/images/generations/${id}/images/1?filename=${encodeURIComponent(`a-lighthouse-at-dawn-${id}-1.png`)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="a-lighthouse-at-dawn-${id}-1.png"; filename*=UTF-8''a-lighthouse-at-dawn-${id}-1.png`,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));

    // The file host got a plain request: no key, no cookie.
    const fileRequest = h.upstream.find((r) => r.url === urls[0]);
    expect(fileRequest).toBeDefined();
    expect(fileRequest!.headers.get('authorization')).toBeNull();
    expect(fileRequest!.headers.get('cookie')).toBeNull();
    expect([...fileRequest!.headers.values()].join(' ')).not.toContain(KEY);
  });

  it('names the file safely: an ASCII fallback plus filename*, the extension from the image type, a default name', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    const odd = await v.send(`/v1/images/generations/${id}/images/1?filename=${encodeURIComponent('灯塔 Été "x"/../evil.html')}`);
    expect(odd.status).toBe(200);
    expect(odd.headers.get('content-disposition')).toBe(
      `attachment; filename="Ete_x..evil.png"; filename*=UTF-8''%E7%81%AF%E5%A1%94%20%C3%89t%C3%A9%20x..evil.png`,
    );
    const injected = await v.send(`/v1/images/generations/${id}/images/1?filename=${encodeURIComponent('a\r\nSet-Cookie: x=1\u0085.png')}`);
    expect(injected.status).toBe(200);
    expect(injected.headers.get('set-cookie')).toBeNull();
    expect(injected.headers.get('content-disposition')).toBe(`attachment; filename="aSet-Cookie_x_1.png"; filename*=UTF-8''aSet-Cookie%20x%3D1.png`);
    const plain = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(plain.headers.get('content-disposition')).toBe(`attachment; filename="image-${id}-1.png"; filename*=UTF-8''image-${id}-1.png`);
  });

  it('answers another visitor, and an unknown task, the same 404 as the status route, without fetching anything', async () => {
    const h = harness({}, INSTANT);
    const owner = h.visitor();
    const { id } = await completed(h, owner);
    const before = h.upstream.length;
    const other = h.visitor();
    const foreign = await other.send(`/v1/images/generations/${id}/images/1`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(NOT_FOUND_BODY);
    const unknown = await other.send('/v1/images/generations/task_doesnotexist/images/1');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(NOT_FOUND_BODY);
    expect((await other.send(`/v1/images/generations/${id}`)).status).toBe(404); // as the status route
    expect(imageRequests({ ...h, upstream: h.upstream.slice(before) })).toEqual([]);
  });

  it.each(['0', '01', 'abc', '-1', '1000', ''])('refuses image number %j with 400', async (n) => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    const res = await v.send(`/v1/images/generations/${id}/images/${n}`);
    expect(res.status).toBe(400);
    expect(errorOf(await json(res)).param).toBe('n');
  });

  it('answers 404 for an image the task does not have', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    const res = await v.send(`/v1/images/generations/${id}/images/2`);
    expect(res.status).toBe(404);
    expect(errorOf(await json(res)).code).toBe('image_not_found');
  });

  it('answers 409 while the task is still running', async () => {
    const h = harness({}, { queuedMs: 60_000, generatingMs: 60_000 });
    const v = h.visitor();
    const task = await submitOk(v);
    const res = await v.send(`/v1/images/generations/${String(task.id)}/images/1`);
    expect(res.status).toBe(409);
    expect(errorOf(await json(res)).code).toBe('task_not_completed');
  });

  it.each([
    ['text/html', '<html>login</html>'],
    ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['', 'raw'],
  ])('refuses a non-image answer from the file host (%s) with 502', async (type, text) => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    h.intercept = (r) => (r.url.includes('/sim/images/') ? new Response(text, { headers: type ? { 'Content-Type': type } : {} }) : undefined);
    const res = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(errorOf(await json(res)).code).toBe('upstream_not_image');
  });

  it('answers 410 once the results have expired, without fetching the file', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 60 * 60 * 1000 + 1000);
    const before = h.upstream.length;
    const res = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(res.status).toBe(410);
    expect(errorOf(await json(res)).code).toBe('result_expired');
    expect(h.upstream.slice(before).filter((r) => r.url.includes('/sim/images/'))).toEqual([]);
  });

  it('answers 410 when the file host says the file is gone', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    h.intercept = (r) => (r.url.includes('/sim/images/') ? new Response('gone', { status: 404 }) : undefined);
    const res = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(res.status).toBe(410);
  });

  it('does not follow a redirect to another host; follows one on the same host', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id, urls } = await completed(h, v);
    h.intercept = (r) =>
      r.url === urls[0] ? new Response(null, { status: 302, headers: { Location: 'http://evil.test/steal.png' } }) : undefined;
    const res = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(res.status).toBe(502);
    expect(errorOf(await json(res)).code).toBe('upstream_redirect');
    expect(h.upstream.some((r) => r.url.includes('evil.test'))).toBe(false);

    h.intercept = (r) => (r.url === urls[0] ? new Response(null, { status: 301, headers: { Location: `${urls[0]}?moved=1` } }) : undefined);
    const moved = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(moved.status).toBe(200);
    expect(h.upstream.some((r) => r.url === `${urls[0]}?moved=1`)).toBe(true);
  });

  it('refuses an image over 40 MB: declared up front with 502, or cut off while streaming', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v);
    h.intercept = (r) =>
      r.url.includes('/sim/images/')
        ? new Response(new Uint8Array(16), { headers: { 'Content-Type': 'image/png', 'Content-Length': String(41 * MiB) } })
        : undefined;
    const declared = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(declared.status).toBe(502);
    expect(errorOf(await json(declared)).code).toBe('image_too_large');

    // No Content-Length: the stream stops at the cap (41 chunks of 1 MiB are offered).
    let sent = 0;
    const chunk = new Uint8Array(MiB);
    h.intercept = (r) =>
      r.url.includes('/sim/images/')
        ? new Response(
            new ReadableStream<Uint8Array>({
              pull(c) {
                if (sent >= 41) return c.close();
                sent++;
                c.enqueue(chunk);
              },
            }),
            { headers: { 'Content-Type': 'image/png' } },
          )
        : undefined;
    const res = await h.proxy.fetch(new Request(`http://127.0.0.1:8787/v1/images/generations/${id}/images/1`, { headers: { cookie: v.cookie! } }));
    expect(res.status).toBe(200);
    // The byte count, not the buffer, on failure: printing 41 MiB would exhaust the test's memory.
    const outcome = await res.arrayBuffer().then((b) => b.byteLength, (error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(sent).toBeLessThanOrEqual(41);
  });

  it('refuses image URLs on private addresses unless allowPrivateReferenceUrls is set (simulator mode)', async () => {
    const strict = harness({ upstream: 'http://127.0.0.1:9' }, INSTANT);
    const a = strict.visitor();
    const first = await completed(strict, a);
    expect(first.urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:9\//);
    const refused = await a.send(`/v1/images/generations/${first.id}/images/1`);
    expect(refused.status).toBe(502);
    expect(errorOf(await json(refused)).code).toBe('image_url_refused');
    expect(strict.upstream.some((r) => r.url.includes('/sim/images/'))).toBe(false);

    const sim = harness({ upstream: 'http://127.0.0.1:9', allowPrivateReferenceUrls: true }, INSTANT);
    const b = sim.visitor();
    const second = await completed(sim, b);
    expect((await b.send(`/v1/images/generations/${second.id}/images/1`)).status).toBe(200);
  });

  it('reads the task from its last known body (no second status read) and counts against the visitor budget', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 4 } }, INSTANT);
    const v = h.visitor();
    const { id } = await completed(h, v); // 2 requests: submit and one status read
    const reads = upstreamGets(h, id).length;
    expect((await v.send(`/v1/images/generations/${id}/images/1`)).status).toBe(200);
    expect(upstreamGets(h, id)).toHaveLength(reads);
    expect((await v.send(`/v1/images/generations/${id}/images/1`)).status).toBe(200);
    const over = await v.send(`/v1/images/generations/${id}/images/1`);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('is announced in /v1/capabilities and logged under its own route name', async () => {
    const h = harness({}, INSTANT);
    const v = h.visitor();
    expect(await json(await v.send('/v1/capabilities'))).toEqual({ stream: true, proxy: true, downloads: true });
    const { id } = await completed(h, v);
    await v.send(`/v1/images/generations/${id}/images/1`);
    const lines = h.logs.map((l) => {
      try {
        return JSON.parse(l) as Json;
      } catch {
        return {};
      }
    });
    expect(lines.some((l) => l.route === 'image' && l.status === 200)).toBe(true);
  });
});
