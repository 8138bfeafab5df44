/** The spending cap: images × price per image per window, per identity and per client IP. */
import { costOf } from '../../../server/proxy/spend';
import { closeHarnesses, BASE, T0, FAKE_TIMERS, harness, json, errorOf, submit, submitBody, socketEnv, upstreamSubmits, type Harness } from './harness';

afterEach(closeHarnesses);

/** gemini-3.1-flash-image-preview: 1K $0.025, 2K $0.03, 4K $0.04 per image (src/core/models.ts). */
const MAX_ORDER = { n: 4, metadata: { resolution: '4K' } }; // $0.16

describe('spending cap', () => {
  it('stops one visitor ordering n=max at 4K in a loop: 429 spend_limit_exceeded with Retry-After, nothing upstream', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ spendLimit: { maxUsd: 2 } });
    const v = h.visitor('192.0.2.1');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await submit(v, MAX_ORDER)).status);
    // 12 × $0.16 = $1.92; the 13th would make $2.08.
    expect(statuses.filter((s) => s === 200)).toHaveLength(12);
    expect(statuses.slice(12).every((s) => s === 429)).toBe(true);
    expect(upstreamSubmits(h)).toHaveLength(12);

    vi.setSystemTime(T0 + 10 * 60_000);
    const refused = await submit(v, MAX_ORDER);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3000');
    expect(errorOf(await json(refused))).toEqual({
      code: 'spend_limit_exceeded',
      type: 'rate_limit_error',
      message: 'You have ordered as many images as this site allows for now; please retry later.',
    });
    // Refused orders were not counted: a cheap one that fits the $0.08 left still goes.
    expect((await submit(v, { n: 1, metadata: { resolution: '1K' } })).status).toBe(200);
    // Another visitor has their own allowance.
    expect((await submit(h.visitor('192.0.2.2'), MAX_ORDER)).status).toBe(200);

    vi.setSystemTime(T0 + 60 * 60_000 + 1);
    expect((await submit(v, MAX_ORDER)).status).toBe(200);
  });

  it('caps one IP minting fresh sessions (per-IP spend)', async () => {
    const h = harness({ spendLimit: { maxUsd: 0.5, maxUsdPerIp: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await h.proxy.fetch(
        new Request(`${BASE}/v1/images/generations`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(submitBody(MAX_ORDER)),
        }),
        socketEnv('198.51.100.3'),
      );
      statuses.push(res.status);
    }
    // Each cookieless submit is a new identity, but the address as a whole stops at $1 (6 × $0.16).
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(upstreamSubmits(h)).toHaveLength(6);
  });

  it('refuses an order dearer than the whole cap with a 400 on n, nothing upstream', async () => {
    const h = harness({ spendLimit: { maxUsd: 0.1 } });
    const res = await submit(h.visitor('192.0.2.1'), MAX_ORDER);
    expect(res.status).toBe(400);
    const error = errorOf(await json(res));
    expect(error.param).toBe('n');
    expect(error.message).toMatch(/costs about \$0\.16, more than this site allows per visitor in an hour \(\$0\.10\)/);
    expect(h.upstream).toHaveLength(0);
  });

  it('gives the cost back when no task was created upstream', async () => {
    const h = harness({ spendLimit: { maxUsd: 0.32 } });
    const v = h.visitor('192.0.2.1');
    h.intercept = () => Response.json({ error: { code: 'insufficient_quota', message: 'top up' } }, { status: 402 });
    for (let i = 0; i < 5; i++) expect((await submit(v, MAX_ORDER)).status).toBe(402);
    h.intercept = undefined;
    expect((await submit(v, MAX_ORDER)).status).toBe(200);
    expect((await submit(v, MAX_ORDER)).status).toBe(200);
    expect((await submit(v, MAX_ORDER)).status).toBe(429);
  });

  it('gives the cost back when the key-wide budget refuses the submit', async () => {
    const h = harness({ spendLimit: { maxUsd: 0.32 }, rateGroup: { submit: [{ points: 1, windowMs: 1000 }], query: [{ points: 10, windowMs: 1000 }] } });
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const v = h.visitor('192.0.2.1');
    expect((await submit(v, MAX_ORDER)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect(errorOf(await json(await submit(v, MAX_ORDER))).code).toBe('rate_limit_exceeded');
    vi.setSystemTime(T0 + 1000);
    expect((await submit(v, MAX_ORDER)).status).toBe(200);
  });

  it('prices images from the model registry, by resolution in either place, with a fallback', () => {
    const fallback = 0.04;
    expect(costOf({ model: 'gemini-3.1-flash-image-preview', n: 4, metadata: { resolution: '4K' } }, fallback)).toBe(160_000);
    expect(costOf({ model: 'gemini-3.1-flash-image-preview' }, fallback)).toBe(25_000); // n 1 at the default 1K
    expect(costOf({ model: 'gpt-image-2', n: 3, resolution: '2k' }, fallback)).toBe(60_000);
    // Both places set: the dearer one counts.
    expect(costOf({ model: 'gpt-image-2', resolution: '1k', metadata: { resolution: '4K' } }, fallback)).toBe(25_000);
    // No price in the registry: the fallback per image.
    expect(costOf({ model: 'grok-imagine-1.0', n: 10 }, fallback)).toBe(400_000);
    expect(costOf({ model: 'not-a-model', n: 2 }, 0.5)).toBe(1_000_000);
    expect(costOf({ model: 'gemini-3.1-flash-image-preview', n: 'lots' }, fallback)).toBe(25_000);
  });

  it('is off with spendLimit: false', async () => {
    const h: Harness = harness({ spendLimit: false });
    const v = h.visitor('192.0.2.1');
    for (let i = 0; i < 20; i++) expect((await submit(v, MAX_ORDER)).status).toBe(200);
  });
});
