/** Rate limits: per identity per window, and new anonymous sessions per window. */
import { closeHarnesses, T0, FAKE_TIMERS, harness, json, errorOf, submit, get } from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Rate limits
 * -----------------------------------------------------------------------------------------------*/

describe('rate limits', () => {
  it('limits each identity to max requests per window with 429 + Retry-After; others are unaffected', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ rateLimit: { windowMs: 60_000, max: 3 } });
    const a = h.visitor();
    const b = h.visitor();
    for (let i = 0; i < 3; i++) expect((await a.send('/v1/images/generations/unknown-1')).status).toBe(404);
    const limited = await a.send('/v1/images/generations/unknown-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(errorOf(await json(limited))).toEqual({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
      message: 'Too many requests; please slow down and retry shortly.',
    });
    expect((await b.send('/v1/images/generations/unknown-1')).status).toBe(404);
    const upstreamBefore = h.upstream.length;
    expect((await submit(a)).status).toBe(429);
    expect(h.upstream.length).toBe(upstreamBefore);

    vi.setSystemTime(T0 + 45_000);
    expect((await a.send('/v1/images/generations/unknown-1')).headers.get('retry-after')).toBe('15');
    vi.setSystemTime(T0 + 60_001);
    expect((await a.send('/v1/images/generations/unknown-1')).status).toBe(404);
  });

  it('caps new anonymous sessions per window (cookie-dropping clients)', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 5, maxNewSessions: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.proxy.fetch(get('/v1/images/generations/unknown-1'))).status);
    expect(statuses).toEqual([404, 404, 429]);
  });
});
