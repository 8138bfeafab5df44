/** Bad input is refused with a clear 4xx before any upstream call. */
import type { ToapisProxyOptions } from '../../../server/proxy';
import { closeHarnesses, BASE, MODEL, harness, record, json, errorOf, submitBody, PNG, post, get } from './harness';

afterEach(closeHarnesses);

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
const postJson = (value: unknown) =>
  post('/v1/images/generations', typeof value === 'string' ? value : JSON.stringify(value), { 'Content-Type': 'application/json' });
const postUpload = (bytes: Uint8Array<ArrayBuffer> | string, name = 'photo.png', field = 'file') => {
  const form = new FormData();
  if (typeof bytes === 'string') form.set(field, bytes);
  else form.set(field, new Blob([bytes]), name);
  return post('/v1/uploads/images', form);
};

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
  // submit: reference URLs must be public http(s) URLs without credentials (ToAPIs fetches them)
  { name: 'reference on 127.0.0.1', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://127.0.0.1:8787/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on localhost', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://localhost/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on localhost. (trailing dot)', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://localhost./a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on a *.localhost name', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://api.localhost/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on 10.0.0.5', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://10.0.0.5/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on 172.16.0.1', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'https://172.16.0.1/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on 192.168.1.1', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://192.168.1.1/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on the cloud metadata address', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://169.254.169.254/latest/meta-data/'] })), status: 400, param: 'image_urls' },
  { name: 'reference on 0.0.0.0', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://0.0.0.0/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on CGNAT 100.64.0.1', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://100.64.0.1/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on decimal 127.0.0.1 (2130706433)', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://2130706433/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on hex 0x7f.0.0.1', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://0x7f.0.0.1/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on [::1]', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://[::1]/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on link-local [fe80::1]', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://[fe80::1]/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on unique-local [fd12:3456::1]', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://[fd12:3456::1]/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on IPv4-mapped [::ffff:127.0.0.1]', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://[::ffff:127.0.0.1]/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on a single-label host', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://intranet/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference on a *.local host', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'http://printer.local/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference with credentials', request: () => postJson(submitBody({ image_urls: ['https://files.toapis.com/ok.png', 'https://user:pass@files.toapis.com/a.png'] })), status: 400, param: 'image_urls' },
  { name: 'reference_images on a private host (seed shape)', request: () => postJson(submitBody({ reference_images: ['http://192.168.0.10/a.png'] })), status: 400, param: 'reference_images' },
  { name: 'mask_url on loopback', request: () => postJson(submitBody({ model: 'gpt-image-2', mask_url: 'http://127.0.0.1/mask.png' })), status: 400, param: 'mask_url' },
  { name: 'mask_url with credentials', request: () => postJson(submitBody({ model: 'gpt-image-2', mask_url: 'https://a:b@files.toapis.com/m.png' })), status: 400, param: 'mask_url' },
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

  it('refuses a streamed body that is not multipart after its first chunk', async () => {
    const h = harness();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls > 80) controller.close();
        else controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const res = await h.visitor().send('/v1/uploads/images', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=----kit' },
      body,
      duplex: 'half',
    });
    expect(res.status).toBe(400);
    expect(pulls).toBeLessThanOrEqual(3);
    expect(h.upstream).toHaveLength(0);
  });

  it('stops reading an 80 MB streamed upload early instead of buffering it', async () => {
    const h = harness();
    const chunk = new Uint8Array(1024 * 1024);
    // A well-formed start (so the multipart parser reads on), then 80 MB of file content.
    const head = new TextEncoder().encode('------kit\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n');
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls === 1) controller.enqueue(head);
        else if (pulls > 81) controller.close();
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
    expect(pulls).toBeLessThanOrEqual(14); // the head, 10 MiB + 64 KiB overhead, plus one chunk read ahead
    expect(h.upstream).toHaveLength(0);
  });
});
