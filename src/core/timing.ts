/** Timers and backoff shared by the client and the poller. Pure functions; no DOM. */
import { ToapisError } from './errors';

export interface BackoffOptions {
  /** The server's `Retry-After`, in milliseconds; honoured as a floor. */
  retryAfterMs?: number | undefined;
  /** First delay. @default 1000 */
  baseMs?: number;
  /** Largest delay. @default 60000 */
  maxMs?: number;
  /** Random source for jitter. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff 1 s, 2 s, 4 s… (attempt 0, 1, 2…) plus up to 25 % jitter, capped; a
 * `Retry-After` wins when it asks for longer (plus up to 1 s of jitter, docs/toapis-api.md §3.3).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  const jittered = Math.min(max, exp + exp * 0.25 * random());
  if (options.retryAfterMs !== undefined && options.retryAfterMs >= 0) {
    return Math.round(Math.max(jittered, Math.min(options.retryAfterMs + 1000 * random(), 3_600_000)));
  }
  return Math.round(jittered);
}

/** Resolves after `ms`, or rejects with an `aborted` ToapisError when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ToapisError('aborted', 'Cancelled.', { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ToapisError('aborted', 'Cancelled.', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
