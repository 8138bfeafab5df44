/** CORS and CSRF: which origins get CORS headers, preflights, and cross-site POSTs. */
import { closeHarnesses, BASE, harness, submit } from './harness';

afterEach(closeHarnesses);

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
