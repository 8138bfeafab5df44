/**
 * The proxy's shared state: what several proxy instances behind one load balancer must agree on.
 * Two implementations ship: memory (`createMemoryState`, one process, the default) and Redis
 * (`createRedisState` from `@toapis/image-kit/server/redis`, Node only). An edge host can plug its
 * own (a REST Redis, a Durable Object) by implementing this interface; `test/server/state/contract.ts`
 * is the suite any implementation must pass.
 *
 * Every method may reject when the backing store is unreachable; the proxy then refuses billable
 * work (503) and falls back to direct upstream reads (see docs/scaling.md).
 */

/** What the proxy keeps per task: enough to prove ownership without asking the upstream. */
export interface StoredTask {
  /** Owner namespace (derived from the caller's identity). */
  ns: string;
  /** Namespaced business id, when known. */
  businessId?: string;
  model?: string;
  /** Milliseconds since the epoch, when the proxy first saw the task. */
  createdAt: number;
  /** The last upstream body seen (raw, namespaced), so a new subscriber gets it without an upstream call. */
  last?: Record<string, unknown>;
}

/** One limiter the proxy asks for: a fixed window of `points` per `durationMs`. */
export interface LimiterSpec {
  /** Stable name, also a fine key prefix: `key-submit-1000`, `ip`, `identity`, `spend-ip`, … */
  name: string;
  points: number;
  durationMs: number;
}

/** What a limiter answers (rate-limiter-flexible's `RateLimiterRes`). */
export interface LimiterRes {
  remainingPoints: number;
  msBeforeNext: number;
  consumedPoints: number;
}

/**
 * The part of a rate-limiter-flexible limiter (`RateLimiterMemory`, `RateLimiterRedis`, …) the
 * proxy uses. `consume` rejects with a {@link LimiterRes} when over the limit and with an `Error`
 * when its store fails.
 */
export interface Limiter {
  readonly points: number;
  consume(key: string, points?: number): Promise<LimiterRes>;
  reward(key: string, points?: number): Promise<unknown>;
  get(key: string): Promise<LimiterRes | null>;
  block(key: string, secDuration: number): Promise<unknown>;
}


export interface ProxyState {
  /** `memory`, `redis`, or a custom name; reported by `GET /v1/health`. */
  readonly kind: string;
  /** True when every instance sees the same data (Redis); false for per-process memory. */
  readonly shared: boolean;

  /* ------------------------------------------------------------------ task records */
  getTask(taskId: string): Promise<StoredTask | undefined>;
  /** Creates or replaces the record; it expires `ttlMs` after the last write. */
  putTask(taskId: string, task: StoredTask, ttlMs: number): Promise<void>;
  /** The task id behind a namespaced business id. */
  taskForBusinessId(businessId: string): Promise<string | undefined>;

  /* ------------------------------------------------------------------ once-only and leases */
  /** True for the first caller of `key` within `ttlMs` across every instance (webhook de-duplication). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Takes or renews the lease `name` for `holder` for `ttlMs`. True when `holder` holds it now;
   * false when another holder does. A lease whose holder stops renewing expires after `ttlMs`.
   */
  lease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;

  /* ------------------------------------------------------------------ fan-out */
  /** Delivers `message` to every subscriber of `channel` on every instance (this one included). */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;

  /* ------------------------------------------------------------------ budgets */
  /** A `rate-limiter-flexible` limiter counting in this state (shared across instances when the state is). */
  limiter(spec: LimiterSpec): Limiter;

  /* ------------------------------------------------------------------ lifecycle */
  /** Whether the backing store answers right now. */
  healthy(): Promise<boolean>;
  /** Calls `listener` when the store becomes unreachable (`false`) or reachable again (`true`). */
  onAvailability(listener: (available: boolean) => void): () => void;
  close(): Promise<void>;
}
