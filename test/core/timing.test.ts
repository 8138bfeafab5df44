import { ToapisError } from '../../src/core/errors';
import { backoffDelay, sleep } from '../../src/core/timing';

describe('backoffDelay', () => {
  const zero = () => 0;

  it('doubles from 1 s without jitter: 1 s, 2 s, 4 s, 8 s…', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, { random: zero }))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000,
    ]);
  });

  it('caps at maxMs (default 60 s) and survives huge or negative attempts', () => {
    expect(backoffDelay(6, { random: zero })).toBe(60_000);
    expect(backoffDelay(1000, { random: () => 0.99 })).toBe(60_000);
    expect(backoffDelay(3, { random: zero, maxMs: 5000 })).toBe(5000);
    expect(backoffDelay(-5, { random: zero })).toBe(1000);
  });

  it('honours baseMs', () => {
    expect([0, 1, 2].map((a) => backoffDelay(a, { baseMs: 100, random: zero }))).toEqual([100, 200, 400]);
  });

  it('adds at most 25 % jitter', () => {
    expect(backoffDelay(0, { random: () => 0.5 })).toBe(1125);
    expect(backoffDelay(2, { random: () => 0.999999 })).toBe(5000);
    for (let i = 0; i < 200; i += 1) {
      const attempt = i % 5;
      const d = backoffDelay(attempt);
      const exp = 1000 * 2 ** attempt;
      expect(d).toBeGreaterThanOrEqual(exp);
      expect(d).toBeLessThanOrEqual(exp * 1.25);
      expect(Number.isInteger(d)).toBe(true);
    }
  });

  it('jitter never exceeds the cap', () => {
    expect(backoffDelay(5, { random: () => 0.999, maxMs: 35_000 })).toBe(35_000);
  });

  it('uses Retry-After as a floor, with up to 1 s of jitter', () => {
    expect(backoffDelay(0, { retryAfterMs: 3000, random: zero })).toBe(3000);
    expect(backoffDelay(0, { retryAfterMs: 3000, random: () => 0.5 })).toBe(3500);
    // exponential delay longer than Retry-After wins
    expect(backoffDelay(3, { retryAfterMs: 500, random: zero })).toBe(8000);
    // Retry-After above maxMs is still honoured (server knows best) …
    expect(backoffDelay(0, { retryAfterMs: 120_000, random: zero })).toBe(120_000);
    // … but never more than one hour
    expect(backoffDelay(0, { retryAfterMs: 10 * 3_600_000, random: zero })).toBe(3_600_000);
  });

  it('ignores a negative Retry-After', () => {
    expect(backoffDelay(1, { retryAfterMs: -1, random: zero })).toBe(2000);
  });
});

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the given time, not before', async () => {
    let done = false;
    const p = sleep(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await p;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a negative delay as 0', async () => {
    let done = false;
    void sleep(-50).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('rejects at once with an aborted ToapisError when the signal is already aborted', async () => {
    const c = new AbortController();
    c.abort('gone');
    const err = await sleep(1000, c.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToapisError);
    expect((err as ToapisError).kind).toBe('aborted');
    expect((err as ToapisError).cause).toBe('gone');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects when aborted mid-sleep and clears its timer', async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(vi.getTimerCount()).toBe(1);
    c.abort('stop');
    const err = await p;
    expect((err as ToapisError).kind).toBe('aborted');
    expect((err as ToapisError).cause).toBe('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removes its abort listener once resolved (a later abort is harmless)', async () => {
    const c = new AbortController();
    const p = sleep(100, c.signal);
    await vi.advanceTimersByTimeAsync(100);
    await expect(p).resolves.toBeUndefined();
    c.abort();
    expect(vi.getTimerCount()).toBe(0);
  });
});
