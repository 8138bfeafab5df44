/**
 * The key-wide budget: one ToAPIs account's async allowance (ToAPIs' async-task rate limits,
 * https://docs.toapis.com/docs/en/api-reference/rate-limits/async-tasks) shared by every
 * visitor, so no crowd, and no client that drops its cookie, can push more submits or status
 * queries upstream than the account may send. Counted per window (e.g. 5/s, 50/10 s, 300/min for
 * submits in the `default` group); a refused call is given back, as ToAPIs does not count its 429s.
 *
 * An upstream 429 pauses the whole category it hit (submits or queries, by `X-RateLimit-Category`
 * or else by endpoint) for its `Retry-After`: every later call of that category is refused here
 * until then, not only the one request that got it.
 *
 * {@link withKeyBudget} puts the budget in front of the upstream client. A refused call never
 * leaves the process; it comes back as a local 429 answer in ToAPIs' error envelope with `Retry-After`,
 * which every route already relays and the stream poll loop already backs off from.
 */
import { parseRetryAfter } from '../../src/core/protocol';
import { GENERATIONS_PATH, type ProxyConfig } from './config';
import { takeAll, type Limiter, type Limiters, LimiterStoreError } from './limits';
import { errorName } from './log';
import type { Upstream, UpstreamCallInit, UpstreamResult } from './upstream';

export type BudgetCategory = 'submit' | 'query';

/** A pause without a usable `Retry-After` lasts this long; a longer one than the maximum is cut. */
const DEFAULT_PAUSE_MS = 5000;
const MIN_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 10 * 60 * 1000;
/** The key-wide counters are one per account, whichever visitor spends them. */
const KEY = 'key';

export type BudgetVerdict = { ok: true } | { ok: false; retryAfterMs: number; reason: 'budget' | 'paused' };

export interface WindowStatus {
  windowMs: number;
  limit: number;
  remaining: number;
  /** Milliseconds until this window starts over (0 when nothing is counted). */
  resetMs: number;
}

export interface CategoryStatus {
  windows: WindowStatus[];
  /** ISO time until which an upstream 429 pauses this category, or null. */
  pausedUntil: string | null;
}

export interface BudgetStatus {
  group: string;
  submit: CategoryStatus;
  query: CategoryStatus;
}

export interface KeyBudget {
  /** Counts one upstream call of `category`, or says how long to wait. */
  take(category: BudgetCategory): Promise<BudgetVerdict>;
  /** Pauses `category` for `ms` (an upstream 429). */
  pause(category: BudgetCategory, ms: number): Promise<void>;
  status(): Promise<BudgetStatus>;
}

export function createKeyBudget(config: Pick<ProxyConfig, 'keyBudget'>, limiters: Limiters): KeyBudget | undefined {
  const { keyBudget } = config;
  if (!keyBudget) return undefined;
  const build = (category: BudgetCategory) => ({
    windows: keyBudget.windows[category].map((w) => ({
      window: w,
      limiter: limiters.get({ name: `key-${category}-${w.windowMs}`, points: w.points, durationMs: w.windowMs }),
    })),
    // A limiter of one point that `block` holds over its limit for the pause.
    pause: limiters.get({ name: `key-${category}-pause`, points: 1, durationMs: 1000 }),
  });
  const categories = { submit: build('submit'), query: build('query') };

  async function pausedMs(pause: Limiter): Promise<number> {
    const res = await pause.get(KEY);
    return res && res.consumedPoints > pause.points && res.msBeforeNext > 0 ? res.msBeforeNext : 0;
  }

  return {
    async take(category) {
      const { windows, pause } = categories[category];
      let paused: number;
      try {
        paused = await pausedMs(pause);
      } catch {
        throw new LimiterStoreError('a limiter store failed');
      }
      if (paused > 0) return { ok: false, retryAfterMs: paused, reason: 'paused' };
      const verdict = await takeAll(windows.map(({ limiter }) => ({ limiter, key: KEY })));
      return verdict.ok ? verdict : { ok: false, retryAfterMs: verdict.retryAfterMs, reason: 'budget' };
    },
    async pause(category, ms) {
      const seconds = Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, ms)) / 1000;
      await categories[category].pause.block(KEY, seconds);
    },
    async status() {
      const now = Date.now();
      const describe = async (category: BudgetCategory): Promise<CategoryStatus> => {
        const { windows, pause } = categories[category];
        const out: WindowStatus[] = [];
        for (const { window, limiter } of windows) {
          const res = await limiter.get(KEY);
          const live = res !== null && res.msBeforeNext > 0;
          out.push({
            windowMs: window.windowMs,
            limit: window.points,
            remaining: live ? Math.max(0, window.points - res.consumedPoints) : window.points,
            resetMs: live ? Math.ceil(res.msBeforeNext) : 0,
          });
        }
        const paused = await pausedMs(pause);
        return { windows: out, pausedUntil: paused > 0 ? new Date(now + paused).toISOString() : null };
      };
      return { group: keyBudget.group, submit: await describe('submit'), query: await describe('query') };
    },
  };
}

/** Which allowance an upstream call spends: submits, status queries, or neither (uploads). */
export function categoryOf(method: string, path: string): BudgetCategory | undefined {
  if (method === 'POST' && path === GENERATIONS_PATH) return 'submit';
  if (method === 'GET' && path.startsWith(`${GENERATIONS_PATH}/`)) return 'query';
  return undefined;
}

/** What the request log learns from an upstream call made for a browser request. */
export type UpstreamObserver = (client: Request, note: { upstream?: number; limit?: string }) => void;

/**
 * The upstream client behind the key-wide budget: a call over budget (or paused) is answered here
 * with a local 429 and never sent; an upstream 429 on submits or queries pauses that category.
 */
export function withKeyBudget(
  upstream: Upstream,
  budget: KeyBudget | undefined,
  observe: UpstreamObserver,
  log: (line: string) => void,
): Upstream {
  async function call(method: 'GET' | 'POST', path: string, init: UpstreamCallInit = {}): Promise<UpstreamResult> {
    const category = categoryOf(method, path);
    if (budget && category) {
      let verdict: BudgetVerdict;
      try {
        verdict = await budget.take(category);
      } catch (error) {
        log(`key budget unavailable: ${errorName(error)}`);
        if (init.client) observe(init.client, { limit: 'store_unavailable' });
        return localAnswer(503, 5000, 'rate_limit_unavailable', 'The request budget is unavailable; please retry shortly.', category);
      }
      if (!verdict.ok) {
        if (init.client) observe(init.client, { limit: `${verdict.reason === 'paused' ? 'paused' : 'key'}_${category}` });
        const message =
          verdict.reason === 'paused'
            ? 'The image service asked this site to slow down; please retry shortly.'
            : 'This site is sending the image service all it allows right now; please retry shortly.';
        return localAnswer(429, verdict.retryAfterMs, 'rate_limit_exceeded', message, category);
      }
    }
    const result = await upstream.call(method, path, init);
    if (init.client && result.ok) observe(init.client, { upstream: result.status });
    if (budget && result.ok && result.status === 429) {
      const hit = categoryFromHeader(result.headers.get('x-ratelimit-category')) ?? category;
      if (hit) {
        const ms = parseRetryAfter(result.headers.get('retry-after')) ?? DEFAULT_PAUSE_MS;
        try {
          await budget.pause(hit, ms);
          log(`upstream 429: ${hit === 'submit' ? 'submits' : 'status queries'} paused for ${Math.ceil(Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, ms)) / 1000)} s`);
        } catch (error) {
          log(`key budget unavailable: ${errorName(error)}`);
        }
      }
    }
    return result;
  }

  return {
    call,
    abortAll: () => upstream.abortAll(),
    get stats() {
      return upstream.stats;
    },
  };
}

function categoryFromHeader(value: string | null): BudgetCategory | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'async_submit' ? 'submit' : v === 'async_query' ? 'query' : undefined;
}

/** Answers made here (never sent upstream); see {@link isLocalRefusal}. */
const localAnswers = new WeakSet<UpstreamResult>();

/**
 * Whether an upstream result is a refusal by the key-wide budget (or a pause) rather than an
 * upstream answer: it says nothing about the task, only when to try again.
 */
export function isLocalRefusal(result: UpstreamResult): boolean {
  return localAnswers.has(result);
}

/** A refusal made here, shaped like an upstream answer so every route relays it unchanged. */
function localAnswer(status: number, retryAfterMs: number, code: string, message: string, category: BudgetCategory): UpstreamResult {
  const body = { error: { code, type: status === 429 ? 'rate_limit_error' : 'server_error', message } };
  const text = JSON.stringify(body);
  const headers = new Headers({
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'X-RateLimit-Category': category === 'submit' ? 'async_submit' : 'async_query',
  });
  const result: UpstreamResult = { ok: true, status, headers, text, body };
  localAnswers.add(result);
  return result;
}
