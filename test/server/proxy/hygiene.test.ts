/**
 * Upstream hygiene: redirects are never followed (a 3xx answers 502 `upstream_redirect`), a base
 * URL with or without a trailing `/v1` or `/` calls the same paths, and no fetch cache is used.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createToapisProxy } from '../../../server/proxy';
import { closeHarnesses, BASE, KEY, harness, json, errorOf, submit, upload, PNG, submitBody } from './harness';

afterEach(closeHarnesses);

/** A loopback HTTP server answering with `handler`; records every request it sees. */
async function loopbackServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('redirects', () => {
  it('never follows an upstream 307 to another host: 502 upstream_redirect, the other host sees nothing', async () => {
    const other = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 'task_img_evil', object: 'generation.task', status: 'queued', progress: 0 }));
    });
    const redirecting = await loopbackServer((req, res) => {
      res.writeHead(307, { Location: `${other.origin}${req.url ?? '/'}` });
      res.end();
    });
    const lines: string[] = [];
    // No `fetch` option: the real global fetch, which would follow a 307 by default.
    const proxy = createToapisProxy({ apiKey: KEY, upstream: redirecting.origin, rateLimit: false, log: (l) => lines.push(l) });
    try {
      const send = (path: string, init?: RequestInit) => proxy.fetch(new Request(`${BASE}${path}`, init));
      const submitted = await send('/v1/images/generations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(submitBody()),
      });
      expect(submitted.status).toBe(502);
      const body = await json(submitted);
      expect(errorOf(body).code).toBe('upstream_redirect');
      expect(JSON.stringify(body)).not.toContain('task_img_evil');

      const form = new FormData();
      form.set('file', new Blob([PNG]), 'a.png');
      const uploaded = await send('/v1/uploads/images', { method: 'POST', body: form });
      expect(uploaded.status).toBe(502);
      expect(errorOf(await json(uploaded)).code).toBe('upstream_redirect');

      const read = await send('/v1/images/generations/task_img_1');
      expect(read.status).toBe(502);

      expect(redirecting.seen.map((r) => r.method)).toEqual(['POST', 'POST', 'GET']);
      expect(other.seen).toHaveLength(0);
      expect(lines.join('\n')).toMatch(/redirect \(307\); not followed/);
    } finally {
      await proxy.close();
      await redirecting.close();
      await other.close();
    }
  });

  it.each([301, 302, 303, 308])('answers an upstream %i with 502 upstream_redirect', async (status) => {
    const h = harness();
    h.intercept = () => new Response(null, { status, headers: { Location: 'http://evil.test/collect' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(errorOf(await json(res))).toMatchObject({ code: 'upstream_redirect', type: 'server_error' });
    expect(h.upstream).toHaveLength(1);
    expect(h.upstream[0]?.url).toBe('http://upstream.test/v1/images/generations');
  });

  it('treats an opaque redirect (browser and service-worker fetch) the same way', async () => {
    const h = harness();
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    Object.defineProperty(opaque, 'status', { value: 0 });
    h.intercept = () => opaque;
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(errorOf(await json(res)).code).toBe('upstream_redirect');
  });
});

describe('upstream requests', () => {
  it('are made with redirect: manual and cache: no-store on every endpoint', async () => {
    const h = harness();
    const v = h.visitor();
    expect((await upload(v, PNG)).status).toBe(200);
    const task = await json(await submit(v));
    expect((await v.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);
    expect(h.upstream).toHaveLength(3);
    for (const request of h.upstream) {
      expect(request.redirect).toBe('manual');
      expect(request.cache).toBe('no-store');
    }
  });

  it.each([
    ['http://upstream.test', '/v1/images/generations'],
    ['http://upstream.test/', '/v1/images/generations'],
    ['http://upstream.test/v1', '/v1/images/generations'],
    ['http://upstream.test/v1/', '/v1/images/generations'],
    ['http://upstream.test/V1//', '/v1/images/generations'],
    ['http://upstream.test/api', '/api/v1/images/generations'],
    ['http://upstream.test/api/v1/', '/api/v1/images/generations'],
  ])('base URL %s calls %s (never /v1/v1)', async (upstream, path) => {
    const h = harness({ upstream });
    const v = h.visitor();
    const task = await json(await submit(v));
    await v.send(`/v1/images/generations/${String(task.id)}`);
    expect(h.upstream.map((r) => new URL(r.url).pathname)).toEqual([path, `${path}/${String(task.id)}`]);
    for (const r of h.upstream) expect(r.url).not.toContain('/v1/v1');
  });
});
