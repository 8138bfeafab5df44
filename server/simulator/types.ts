/** The simulator's public types and fault names, exported from `@toapis/image-kit/server` and `/mock`. */

/** A failure the simulator can inject. See the comment in `index.ts` for how each is selected. */
export type SimulatorFault =
  | 'rate_limit'
  | 'auth'
  | 'bad_request'
  | 'quota'
  | 'content_policy'
  | 'task_failed'
  | 'slow'
  | 'server_error'
  | 'drop_poll'
  | 'lost_submit'
  | 'not_found'
  | 'garbled'
  | 'upload_rejected';

/** Every fault name, in a stable order (for pickers in playgrounds and stories). */
export const SIMULATOR_FAULTS: readonly SimulatorFault[] = [
  'rate_limit',
  'auth',
  'bad_request',
  'quota',
  'content_policy',
  'task_failed',
  'slow',
  'server_error',
  'drop_poll',
  'lost_submit',
  'not_found',
  'garbled',
  'upload_rejected',
];

/** Header that selects faults for one request: `x-simulator-fault: rate_limit,slow`. */
export const SIMULATOR_FAULT_HEADER = 'x-simulator-fault';

/**
 * Header of a submit that makes the task report this status string when its timeline ends
 * (`x-simulator-status: cancelled`); the prompt token `[sim:status=cancelled]` does the same.
 */
export const SIMULATOR_STATUS_HEADER = 'x-simulator-status';

/** How closely the simulator imitates the real service; see {@link SimulatorOptions.profile}. */
export type SimulatorProfile = 'kind' | 'strict';

/** Tuning of {@link createSimulator}; every field is optional. */
export interface SimulatorOptions {
  /**
   * `'kind'` forgives what the real service may not: any model id and size, any key (or none),
   * re-submits with a known `client_business_id` return the first task, results on the request's
   * own origin with open CORS, a task done in about 3 s, and a `queue_position` (1 = next) on each
   * waiting task while several tasks of its model wait. `'strict'` behaves like the real
   * service as documented: a bearer key on every `/v1/` route (see `apiKey`), model id, `size`,
   * resolution, `n` and reference count checked against the model registry (src/core/models.ts,
   * exact ids only), `client_business_id` echoed by the submit only (see `echoBusinessId`) and
   * never used to de-duplicate, result and upload URLs on `filesOrigin` without CORS headers,
   * `submitted` then `in_progress` over 5–30 s per task (see `longTasks`), `Retry-After` of
   * 5–20 s on the `rate_limit` fault, image URLs that 404 once expired, and `callback_url`
   * refused with 400 `webhook_not_configured` unless `webhooks` is on, and no `queue_position`
   * (the service documents none). With `n` > 1 the kind profile hands out the images one by one
   * while the task runs (image k of n once progress has passed k/n, the last on completion); the
   * strict one, like the service, all at once at the end. Options given explicitly
   * (`queuedMs`, `generatingMs`, `retryAfterSeconds`, `statusWord`) win in both profiles.
   * @default 'kind'
   */
  profile?: SimulatorProfile;
  /**
   * Strict profile: the only accepted key (`Authorization: Bearer <apiKey>`). Unset: any
   * non-empty key. The kind profile accepts any key or none.
   * @default undefined (any non-empty key)
   */
  apiKey?: string;
  /**
   * Strict profile: also put `client_business_id` into status replies (the submit always echoes
   * it). The kind profile always does.
   * @default false
   */
  echoBusinessId?: boolean;
  /**
   * Origin (and optional path prefix) that result-image and upload URLs start with instead of the
   * request's own base, e.g. `http://127.0.0.1:5555`, like a separate file host. It must route
   * `/sim/uploads/:file` and `/sim/images/:taskId/:file` to this simulator's `fetch`. In the strict
   * profile those file routes answer without any `Access-Control-*` header.
   * @default undefined (the request's own origin and prefix)
   */
  filesOrigin?: string;
  /**
   * Strict profile: tasks take 60–120 s instead of 5–30 s (unless `queuedMs`/`generatingMs` are
   * given).
   * @default false
   */
  longTasks?: boolean;
  /**
   * Seconds a completed task's images stay downloadable: `expires_at = completed_at + resultTtlSeconds`,
   * and an image URL read later answers 404.
   * @default 86400
   */
  resultTtlSeconds?: number;
  /**
   * Webhooks are configured for the key: the strict profile accepts `callback_url` only then (the
   * kind profile always does). A task submitted with `callback_url` gets one POST when it ends:
   * `{ id, status: 'SUCCESS' | 'FAILURE', progress: '100%', result?, error?, created_at,
   * completed_at?, expires_at? }`.
   * @default false
   */
  webhooks?: boolean;
  /**
   * Signs webhook deliveries the way the proxy's webhook route checks them
   * (server/proxy/routes/webhook.ts): `X-ToAPIs-Webhook-Id`, `X-ToAPIs-Webhook-Timestamp` and
   * `X-ToAPIs-Webhook-Signature: v1=<hex HMAC-SHA256 of "id.timestamp.body">`.
   * @default undefined (unsigned deliveries)
   */
  webhookSecret?: string;
  /**
   * The fetch that delivers webhooks (tests pass a spy or a proxy's `fetch`). Deliveries are made
   * once, never retried; failures are ignored.
   * @default globalThis.fetch
   */
  webhookFetch?: typeof fetch;
  /**
   * Seed of the PRNG behind ids and image colours; the same seed gives the same ids in the same
   * order (also after `reset()`).
   * @default a random seed
   */
  seed?: number;
  /**
   * Milliseconds a task spends waiting (`statusWord`) before `in_progress`.
   * @default 600 (strict profile: 20 % of a total drawn per task, see `profile`)
   */
  queuedMs?: number;
  /**
   * Milliseconds a task spends `in_progress`; `progress` moves 1..99 with time.
   * @default 2400 (strict profile: 80 % of a total drawn per task, see `profile`)
   */
  generatingMs?: number;
  /**
   * How much the `slow` fault stretches `queuedMs` and `generatingMs`.
   * @default 10
   */
  slowFactor?: number;
  /**
   * Faults applied to every task and request.
   * @default []
   */
  faults?: readonly SimulatorFault[];
  /**
   * `Retry-After` seconds sent with the `rate_limit` fault's 429.
   * @default 1 (strict profile: drawn from 5–20 per answer by the seeded PRNG)
   */
  retryAfterSeconds?: number;
  /**
   * How many consecutive 429s the `rate_limit` fault answers before requests go through: per task
   * for polls, per `client_business_id` (else per prompt) for submits.
   * @default 2
   */
  rateLimitCount?: number;
  /**
   * Uploads kept in memory; the oldest is evicted (its URL then answers 404).
   * @default 64
   */
  maxUploads?: number;
  /**
   * Largest accepted upload in bytes; bigger files get a 400 naming the limit.
   * @default 10 * 1024 * 1024
   */
  maxUploadBytes?: number;
  /**
   * Clock in milliseconds, read on every request.
   * @default () => Date.now()
   */
  now?: () => number;
  /**
   * The waiting status reported before `in_progress` (the documentation uses all three words).
   * @default 'queued' (strict profile: 'submitted')
   */
  statusWord?: 'queued' | 'submitted' | 'pending';
  /**
   * Put a random 128-bit token (from `crypto.getRandomValues`, not the seeded PRNG) into every
   * upload and result-image URL, and answer 404 to a URL without the right token, so files served
   * to the public (`npm start` in simulator mode) are only reachable by whoever was handed the URL.
   * Ids and timelines stay seeded.
   * @default false
   */
  secretFileUrls?: boolean;
}

/** Request counters since creation or the last `reset()`. */
export interface SimulatorStats {
  /** `POST …/v1/images/generations` requests, answered or not. */
  submits: number;
  /** `GET …/v1/images/generations/:id` requests. */
  polls: number;
  /** `POST …/v1/uploads/images` requests. */
  uploads: number;
  /** Tasks actually created (an idempotent re-submit creates none). */
  tasksCreated: number;
}

/** One task as `Simulator.tasks()` lists it; `status` is computed for the current time. */
export interface SimulatorTaskSummary {
  id: string;
  clientBusinessId?: string;
  prompt: string;
  status: string;
}

/** An in-memory ToAPIs stand-in; see {@link createSimulator}. */
export interface Simulator {
  /** Answers one request; never throws (internal failures become a 500 envelope). */
  fetch(request: Request): Promise<Response>;
  /** Forgets every task, upload and counter, cancels pending webhooks and re-seeds the PRNG. */
  reset(): void;
  /** Cancels pending webhook deliveries (their timers); the simulator keeps answering requests. */
  close(): void;
  /** A snapshot of the request counters. */
  readonly stats: SimulatorStats;
  /** Every task still in memory, oldest first. */
  tasks(): ReadonlyArray<SimulatorTaskSummary>;
}
