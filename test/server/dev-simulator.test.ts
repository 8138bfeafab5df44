/**
 * The simulator side of `npm start` (server/devSimulator.ts) without spawning it: SIM_* parsing, and
 * the strict wiring — a second loopback server that serves result images and uploads without CORS
 * headers, behind the same proxy configuration server/dev.ts uses.
 */
import { createToapisProxy, type ToapisProxy } from '../../server/proxy';
import { SIM_KEY, simulatorEnv, startDevSimulator, type DevSimulator } from '../../server/devSimulator';
import { renderPlaceholder } from '../../server/simulator';

const T0 = Date.UTC(2026, 7, 20, 12, 0, 0);
const ORIGIN = 'http://127.0.0.1:8787';
const MODEL = 'gemini-3.1-flash-image-preview';

describe('simulatorEnv', () => {
  it('defaults to the kind profile and reads the SIM_* variables', () => {
    expect(simulatorEnv({})).toEqual({ profile: 'kind', options: { profile: 'kind' }, filesPort: 0 });
    expect(simulatorEnv({ SIM_PROFILE: 'strict', SIM_SEED: '7', SIM_LONG: '1', SIM_RESULT_TTL: '600', SIM_FILES_PORT: '5555' })).toEqual({
      profile: 'strict',
      options: { profile: 'strict', seed: 7, longTasks: true, resultTtlSeconds: 600 },
      filesPort: 5555,
    });
  });

  it.each([
    [{ SIM_PROFILE: 'strcit' }, /SIM_PROFILE must be kind or strict; got "strcit"/],
    [{ SIM_PROFILE: 'STRICT' }, /SIM_PROFILE must be kind or strict/],
    [{ SIM_SEED: '1.5' }, /SIM_SEED must be a whole number/],
    [{ SIM_LONG: 'yes' }, /SIM_LONG must be 1 or 0/],
    [{ SIM_RESULT_TTL: '-1' }, /SIM_RESULT_TTL must be a whole number of seconds/],
    [{ SIM_FILES_PORT: '70000' }, /SIM_FILES_PORT must be a port number/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => simulatorEnv(env)).toThrow(message);
  });
});

describe('strict wiring (as npm start runs it)', () => {
  let dev: DevSimulator | undefined;
  let proxy: ToapisProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    await dev?.close();
    proxy = undefined;
    dev = undefined;
  });

  /** The proxy as server/dev.ts configures it in simulator mode, with budgets off. */
  function devProxy(d: DevSimulator, allowPrivateReferenceUrls: boolean): ToapisProxy {
    return createToapisProxy({
      apiKey: SIM_KEY,
      upstream: `${ORIGIN}/__sim`,
      fetch: (request) => d.simulator.fetch(request),
      allowPrivateReferenceUrls,
      rateLimit: false,
      rateGroup: false,
      spendLimit: false,
      log: () => {},
    });
  }

  /** One visitor of the proxy (carries the session cookie). */
  function visitor(p: ToapisProxy) {
    let cookie = '';
    return async (path: string, init: RequestInit = {}): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (cookie) headers.set('cookie', cookie);
      const res = await p.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
      cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      return res;
    };
  }

  const corsHeaders = (res: Response) => [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));

  it('serves images and uploads on a second loopback origin without CORS headers, and the proxy accepts references there', async () => {
    let t = T0;
    dev = await startDevSimulator(simulatorEnv({ SIM_PROFILE: 'strict' }), '127.0.0.1', { now: () => t, queuedMs: 0, generatingMs: 10 });
    const files = dev.filesServer!.origin;
    expect(files).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(files).not.toBe(ORIGIN);
    expect(dev.description).toMatch(/^Simulator profile: strict \(.*bearer key.*without CORS/);
    expect(dev.description).toContain(files);
    proxy = devProxy(dev, true);
    const send = visitor(proxy);

    const submitted = await send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'a lighthouse', size: '16:9', n: 1 }),
    });
    expect(submitted.status).toBe(200);
    const { id } = (await submitted.json()) as { id: string };
    t += 10;
    const done = (await (await send(`/v1/images/generations/${id}`)).json()) as { status: string; result: { data: Array<{ url: string }> } };
    expect(done.status).toBe('completed');
    const imageUrl = done.result.data[0]!.url;
    expect(imageUrl.startsWith(`${files}/sim/images/${id}/0-`)).toBe(true);

    const image = await fetch(imageUrl, { headers: { Origin: ORIGIN } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(corsHeaders(image)).toEqual([]);
    await image.arrayBuffer();
    const preflight = await fetch(imageUrl, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' } });
    expect(corsHeaders(preflight)).toEqual([]);
    await preflight.arrayBuffer();
    // Only files there: no API, and nothing without its token.
    for (const path of [`/v1/images/generations/${id}`, '/v1/simulator/health', `/sim/images/${id}/0.png`]) {
      const res = await fetch(`${files}${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }

    const form = new FormData();
    form.set('file', new Blob([renderPlaceholder(8, 8, 1)]), 'ref.png');
    const uploaded = (await (await send('/v1/uploads/images', { method: 'POST', body: form })).json()) as { data: { url: string } };
    const refUrl = uploaded.data.url;
    expect(refUrl.startsWith(`${files}/sim/uploads/`)).toBe(true);
    const ref = await fetch(refUrl);
    expect(ref.status).toBe(200);
    expect(corsHeaders(ref)).toEqual([]);
    await ref.arrayBuffer();
    const withRef = await send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'with a reference', image_urls: [refUrl] }),
    });
    expect(withRef.status).toBe(200);

    // Without allowPrivateReferenceUrls the proxy refuses that loopback reference (why npm start sets it).
    const strictProxy = devProxy(dev, false);
    const refused = await visitor(strictProxy)('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'with a reference', image_urls: [refUrl] }),
    });
    expect(refused.status).toBe(400);
    await strictProxy.close();

    // close() stops the file server.
    await dev.close();
    dev = undefined;
    await expect(fetch(imageUrl)).rejects.toThrow();
  });

  it('the kind profile starts no file server', async () => {
    dev = await startDevSimulator(simulatorEnv({}), '127.0.0.1');
    expect(dev.filesServer).toBeUndefined();
    expect(dev.description).toMatch(/^Simulator profile: kind \(/);
  });
});
