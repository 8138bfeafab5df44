/** The API key goes upstream on every call and nowhere else: not in answers, logs or errors. */
import { createToapisProxy } from '../../../server/proxy';
import {
  closeHarnesses,
  KEY,
  UPSTREAM,
  harness,
  expectNoKey,
  json,
  errorOf,
  submit,
  submitOk,
  upload,
  PNG,
} from './harness';

afterEach(closeHarnesses);

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
