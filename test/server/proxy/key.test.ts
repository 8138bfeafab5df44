/** The API key goes upstream on every call and nowhere else: not in answers, logs or errors. */
import { createToapisProxy } from '../../../server/proxy';
import { createLogger } from '../../../server/proxy/log';
import { createScrubber } from '../../../server/proxy/scrub';
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

/* -------------------------------------------------------------------------------------------------
 * Key variants: case, base64/base64url (also of `Bearer <key>`), any 8-character run
 * -----------------------------------------------------------------------------------------------*/

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Every form of the key an upstream (or a log line) might echo, each of which must not survive. */
const VARIANTS: Array<[string, string]> = [
  ['upper case', KEY.toUpperCase()],
  ['lower case', KEY.toLowerCase()],
  ['mixed case', 'Sk-TeSt-sEcReT'],
  ['base64', b64(KEY)],
  ['base64url', b64url(KEY)],
  ['base64 of Bearer <key>', b64(`Bearer ${KEY}`)],
  ['base64url of Bearer <key>', b64url(`Bearer ${KEY}`)],
  ['base64 inside a longer blob (offset 1)', b64(`x${KEY}`)],
  ['base64 inside a longer blob (offset 2)', b64(`xy:${KEY}:z`)],
  ['base64 of Basic user:key', b64(`user:${KEY}`)],
  ['cut short', KEY.slice(0, 10)],
  ['an 8-character run from the middle', KEY.slice(3, 11)],
  ['the last 8 characters', KEY.slice(-8)],
];

/** The secret part of each variant: what must be gone from the output (base64 leaves ≤ 2 edge characters). */
function secretCore(variant: string): string {
  return variant.length > 12 ? variant.slice(3, -3) : variant;
}

describe('key variants', () => {
  it.each(VARIANTS)('redacts the key %s in an upstream error answer', async (_name, variant) => {
    const h = harness();
    h.intercept = () =>
      new Response(JSON.stringify({ error: { code: 'unauthorized', type: 'authentication_error', message: `Key <${variant}> is not valid` } }), {
        status: 401,
        headers: { 'Content-Type': 'application/json' },
      });
    const res = await submit(h.visitor());
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(secretCore(variant));
    expect(text.toLowerCase()).not.toContain('secret');
  });

  it('redacts every variant in task answers and log lines, and leaves ordinary text alone', () => {
    const scrub = createScrubber(KEY);
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line), scrub);
    for (const [, variant] of VARIANTS) log.event(`upstream said ${variant} once`);
    for (const line of lines) {
      expect(line).toMatch(/^\[toapis-proxy\] upstream said .*\[redacted\].* once$/);
      expect(line.toLowerCase()).not.toContain('secret');
    }
    const ordinary = '{"id":"task_img_01","status":"completed","url":"https://files.toapis.com/a/sk-test.png"}';
    expect(scrub(ordinary)).toBe(ordinary); // 7 characters of the key ("sk-test") are below the run length
    expect(scrub(`a ${KEY}${KEY} b`)).toBe('a [redacted][redacted] b');
    expect(createScrubber('sk-1234')('sk-1234')).toBe('sk-1234'); // keys under 8 characters are not scrubbed
  });

  it('redacts key variants in stream events', async () => {
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const task = await submitOk(v);
    h.intercept = (request) =>
      request.method === 'GET'
        ? new Response(
            JSON.stringify({ id: task.id, status: 'failed', progress: 0, error: { code: 'x', message: `${b64(`Bearer ${KEY}`)} ${KEY.toUpperCase()}` } }),
            { status: 200, headers: { 'Content-Type': 'application/json' } },
          )
        : undefined;
    const res = await v.send(`/v1/images/generations/${String(task.id)}/events`);
    const text = await res.text();
    expect(text).toContain('event: task');
    expect(text).toContain('[redacted]');
    expect(text.toLowerCase()).not.toContain('secret');
    expect(text).not.toContain(b64(`Bearer ${KEY}`).slice(3, -3));
  });
});
