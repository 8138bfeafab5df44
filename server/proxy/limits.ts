/**
 * Budgets, counted by rate-limiter-flexible limiters. Every limiter the proxy uses is built here,
 * by {@link createLimiters}: from the host's `limiters` option (ready instances or a factory, e.g.
 * Redis-backed so several instances share the counts) or else as a `RateLimiterMemory` in this
 * process. Three budgets use them:
 * - the per-client request budget (identity, client IP, new sessions per IP): {@link createRateLimits};
 * - the key-wide budget and the pause after an upstream 429: budget.ts;
 * - the spending cap: spend.ts.
 */
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import type { ProxyConfig } from './config';
import type { Limiter, LimiterRes, LimiterSpec } from './types';

export type { Limiter, LimiterRes, LimiterSpec } from './types';

/** Counts one request (or `points`); over a limit, says how long until it may pass. */
export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number; /** Index of the refusing take. */ index: number };

/** A per-client refusal, naming the budget that refused. */
export type ClientVerdict = { ok: true } | { ok: false; retryAfterMs: number; limit: 'ip' | 'new_sessions' | 'identity' };

/** A limiter's store failed (e.g. Redis is down): the proxy answers 503 rather than guess. */
export class LimiterStoreError extends Error {
  override name = 'LimiterStoreError';
}

export interface Limiters {
  /** `memory` for the built-in limiters, else the host's `limiters.backend` (default `custom`). */
  readonly backend: string;
  /** The limiter for `spec`, built on first use and kept (one per name). */
  get(spec: LimiterSpec): Limiter;
  /** Forgets every count of the memory limiters built here (and their expiry timers). */
  clear(): Promise<void>;
}

/** The one place limiters are constructed. */
export function createLimiters(config: Pick<ProxyConfig, 'limiters'>): Limiters {
  const { backend, create, instances } = config.limiters;
  const built = new Map<string, Limiter>();
  const memory: InstanceType<typeof RateLimiterMemory>[] = [];
  return {
    backend,
    get(spec) {
      const existing = built.get(spec.name);
      if (existing) return existing;
      let limiter: Limiter;
      if (Object.hasOwn(instances, spec.name)) limiter = instances[spec.name] as Limiter;
      else if (create) limiter = create(spec);
      else {
        const own = new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationMs / 1000 });
        memory.push(own);
        limiter = own;
      }
      built.set(spec.name, limiter);
      return limiter;
    },
    async clear() {
      for (const limiter of memory) {
        for (const { key } of limiter.dump().storage) await limiter.delete(key);
      }
    },
  };
}

/** One count to take: `points` from `limiter` under `key`. */
export interface Take {
  limiter: Limiter;
  key: string;
  points?: number;
}

/**
 * Takes every count in order. When one is over its limit, gives back every count taken by this
 * call, the refused one included (a refused request costs nothing, as at ToAPIs), and answers the
 * wait. A failing store gives the counts back too and throws {@link LimiterStoreError}.
 */
export async function takeAll(takes: readonly Take[]): Promise<LimitVerdict> {
  const taken: Take[] = [];
  for (const [index, take] of takes.entries()) {
    const points = take.points ?? 1;
    try {
      await take.limiter.consume(take.key, points);
      taken.push(take);
    } catch (error) {
      const over = isLimiterRes(error);
      if (over) taken.push(take); // consume counted it even though it refused
      await giveBack(taken);
      if (!over) throw new LimiterStoreError('a limiter store failed');
      return { ok: false, retryAfterMs: Math.max(1, Math.ceil(error.msBeforeNext)), index };
    }
  }
  return { ok: true };
}

/** Returns counts taken earlier (a submit that never reached upstream costs nothing). */
export async function giveBack(takes: readonly Take[]): Promise<void> {
  for (const take of takes) {
    try {
      await take.limiter.reward(take.key, take.points ?? 1);
    } catch {
      // The store is failing; the count expires with its window anyway.
    }
  }
}

export function isLimiterRes(value: unknown): value is LimiterRes {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as LimiterRes).msBeforeNext === 'number' &&
    typeof (value as LimiterRes).consumedPoints === 'number'
  );
}

/** Whole seconds for `Retry-After` (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/* -------------------------------------------------------------------------------------------------
 * Per-client request budget
 * -----------------------------------------------------------------------------------------------*/

export interface ClientRequest {
  /** The identity's namespace (16 hex characters), so no user id goes into a limiter store. */
  identityKey: string;
  /** Budget key of the client IP (see clientIpKey), or undefined when unknown. */
  ipKey: string | undefined;
  /** A session cookie would be issued with this request. */
  isNewSession: boolean;
}

export interface RateLimits {
  /** Counts one request against its IP, its identity and (when new) its IP's new sessions. */
  check(request: ClientRequest): Promise<ClientVerdict>;
}

export function createRateLimits(config: Pick<ProxyConfig, 'rateLimit'>, limiters: Limiters): RateLimits {
  const { rateLimit } = config;
  if (!rateLimit) return { check: async () => ({ ok: true }) };
  const durationMs = rateLimit.windowMs;
  const perIp = limiters.get({ name: 'ip', points: rateLimit.maxPerIp, durationMs });
  const newSessions = limiters.get({ name: 'new-sessions', points: rateLimit.maxNewSessions, durationMs });
  const perIdentity = limiters.get({ name: 'identity', points: rateLimit.max, durationMs });
  return {
    async check({ identityKey, ipKey, isNewSession }) {
      const ip = ipKey ?? 'unknown';
      const names: Array<'ip' | 'new_sessions' | 'identity'> = isNewSession ? ['ip', 'new_sessions', 'identity'] : ['ip', 'identity'];
      const verdict = await takeAll([
        { limiter: perIp, key: ip },
        ...(isNewSession ? [{ limiter: newSessions, key: ip }] : []),
        { limiter: perIdentity, key: identityKey },
      ]);
      return verdict.ok ? verdict : { ok: false, retryAfterMs: verdict.retryAfterMs, limit: names[verdict.index] ?? 'identity' };
    },
  };
}
