/** Upstream failures: error envelopes, Retry-After, unreachable and unreadable upstreams. */
import { closeHarnesses, KEY, harness, json, errorOf, submit, upload, PNG } from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Upstream failures
 * -----------------------------------------------------------------------------------------------*/

describe('upstream failures', () => {
  it('passes a 429 through with Retry-After and its envelope', async () => {
    const h = harness();
    const envelope = { error: { code: 'rate_limit_exceeded', message: 'Too many task submissions; slow down' } };
    h.intercept = () =>
      new Response(JSON.stringify(envelope), { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '3', 'X-Internal': 'x' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(await json(res)).toEqual(envelope);
  });

  it('passes a 500 through with its envelope, and turns HTML into one', async () => {
    const h = harness();
    const envelope = { error: { code: 'internal_error', message: 'Internal server error; please retry later' } };
    h.intercept = () => new Response(JSON.stringify(envelope), { status: 500, headers: { 'Content-Type': 'application/json' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual(envelope);

    h.intercept = () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html', 'Retry-After': 'soon; X-Injected: 1' } });
    const html = await submit(h.visitor());
    expect(html.status).toBe(502);
    expect(html.headers.get('retry-after')).toBeNull();
    expect(errorOf(await json(html)).code).toBe('upstream_error');
  });

  it('passes upload refusals through in the upload envelope', async () => {
    const h = harness({}, { faults: ['upload_rejected'] });
    const res = await upload(h.visitor(), PNG);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ success: false, message: 'The upload was rejected; please try another image.' });
  });

  it('answers 502 upstream_unreachable when the upstream cannot be reached', async () => {
    const h = harness();
    h.intercept = () => {
      throw new TypeError(`fetch failed for Bearer ${KEY}`);
    };
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(await json(res)).toEqual({
      error: { code: 'upstream_unreachable', type: 'server_error', message: 'The image service could not be reached; please retry.' },
    });
  });

  it('answers 502 when the upstream sends a 200 it cannot read', async () => {
    const h = harness();
    h.intercept = () => new Response('<html>oops</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    const res = await submit(h.visitor());
    expect(res.status).toBe(502);
    expect(errorOf(await json(res)).code).toBe('upstream_invalid_response');
  });
});
