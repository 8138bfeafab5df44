/** Property: parsing never throws and never answers 5xx, whatever the request. */
import fc from 'fast-check';
import { MODEL_IDS } from '../../../src/core/models';
import { closeHarnesses, BASE, harness } from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Property: parsing never throws and never answers 5xx
 * -----------------------------------------------------------------------------------------------*/

describe('robustness', () => {
  it('answers every random request with a Response below 500', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 1000 }, allowedOrigins: ['https://app.example'] });
    const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
    const segment = fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), printable.map((s) => s.replace(/[#?]/g, '')));
    const path = fc.oneof(
      fc.constantFrom(
        '/v1/uploads/images',
        '/v1/images/generations',
        '/v1/images/generations/task_img_x',
        '/v1/images/generations/x/events',
        '/v1/capabilities',
        '/v1/webhooks/toapis',
        '/',
      ),
      segment.map((s) => `/v1/images/generations/${s}`),
      segment.map((s) => `/v1/images/generations/${s}/events`),
      fc.webPath(),
    );
    const nearSubmit = fc.record(
      {
        model: fc.oneof(fc.constantFrom(...MODEL_IDS), fc.string(), fc.anything()),
        prompt: fc.oneof(fc.string(), fc.anything()),
        size: fc.oneof(fc.constantFrom('1:1', '16:9', 'auto', '7:5'), fc.anything()),
        n: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.anything()),
        image_urls: fc.oneof(fc.array(fc.webUrl(), { maxLength: 20 }), fc.anything()),
        metadata: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything()),
        client_business_id: fc.oneof(fc.string(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.json(),
      fc.uint8Array({ maxLength: 512 }),
      nearSubmit.map((value) => {
        try {
          return JSON.stringify(value);
        } catch {
          return '{}';
        }
      }),
    );
    const arbitraryRequest = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'),
      path,
      contentType: fc.constantFrom(
        undefined,
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
      ),
      origin: fc.constantFrom(undefined, 'https://app.example', 'https://evil.example', 'null'),
      site: fc.constantFrom(undefined, 'cross-site', 'same-origin', 'same-site'),
      cookie: fc.option(fc.oneof(printable, printable.map((s) => `gen_sid=${s}`)), { nil: undefined }),
      extra: fc.option(printable, { nil: undefined }),
      body,
    });

    const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
    try {
      await fc.assert(
        fc.asyncProperty(arbitraryRequest, async (r) => {
          const headers = new Headers();
          if (r.contentType) headers.set('content-type', r.contentType);
          if (r.origin) headers.set('origin', r.origin);
          if (r.site) headers.set('sec-fetch-site', r.site);
          if (r.cookie) headers.set('cookie', r.cookie);
          if (r.extra !== undefined) {
            headers.set('authorization', r.extra);
            headers.set('x-toapis-webhook-signature', r.extra);
            headers.set('accept-language', r.extra);
          }
          let request: Request;
          try {
            const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
            request = new Request(`${BASE}${r.path}`, {
              method: r.method,
              headers,
              ...(hasBody && { body: r.body as BodyInit }),
            });
          } catch {
            return; // not a constructible request
          }
          const res = await h.proxy.fetch(request);
          expect(res).toBeInstanceOf(Response);
          expect(res.status).toBeLessThan(500);
          h.seen.push(JSON.stringify([...res.headers]));
          if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) await res.body?.cancel();
          else h.seen.push(await res.text());
        }),
        { seed, numRuns: 300 },
      );
    } catch (error) {
      console.error(`proxy fuzz failed; rerun with FC_SEED=${seed}`);
      throw error;
    }
    expect(h.proxy.stats.subscribers).toBe(0);
  });
});
