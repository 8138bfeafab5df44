/**
 * Request budgets. Today: a fixed window per identity, plus a cap on new anonymous sessions per
 * window across all clients, kept behind {@link RateLimits} so the limiter can be swapped without
 * touching the routes.
 */
import { MAX_RECORDS, positive } from './config';
import type { ProxyIdentity, ToapisProxyRateLimit } from './types';

export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimits {
  /**
   * Counts one request of `identity` (and one new session when `isNewSession`); refuses it, with
   * the time until the window that refused it ends, when over a limit.
   */
  check(identity: ProxyIdentity, isNewSession: boolean): LimitVerdict;
  /** Forgets every window. */
  clear(): void;
}

const UNLIMITED: RateLimits = { check: () => ({ ok: true }), clear: () => {} };

export function createRateLimits(rateLimit: ToapisProxyRateLimit | false, now: () => number = () => Date.now()): RateLimits {
  if (!rateLimit) return UNLIMITED;
  const limiter = new FixedWindowLimiter(rateLimit.windowMs);
  const maxNewSessions = positive(rateLimit.maxNewSessions, rateLimit.max * 10);
  return {
    check(identity, isNewSession) {
      const at = now();
      if (isNewSession) {
        const wait = limiter.hit('new-sessions', maxNewSessions, at);
        if (wait !== undefined) return { ok: false, retryAfterMs: wait };
      }
      const wait = limiter.hit(`id:${identity.id}`, rateLimit.max, at);
      return wait === undefined ? { ok: true } : { ok: false, retryAfterMs: wait };
    },
    clear: () => limiter.clear(),
  };
}

/** Fixed-window counters per key; no timers (old windows are pruned lazily). */
class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly windowMs: number) {}
  /** Counts one request; returns milliseconds until the window ends when over `max`, else undefined. */
  hit(key: string, max: number, now: number): number | undefined {
    let entry = this.windows.get(key);
    if (!entry || now - entry.start >= this.windowMs) {
      if (this.windows.size >= MAX_RECORDS) this.prune(now);
      entry = { start: now, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, entry);
    }
    if (entry.count >= max) return entry.start + this.windowMs - now;
    entry.count++;
    return undefined;
  }
  clear(): void {
    this.windows.clear();
  }
  private prune(now: number): void {
    for (const [key, entry] of this.windows) if (now - entry.start >= this.windowMs) this.windows.delete(key);
    while (this.windows.size >= MAX_RECORDS) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}
