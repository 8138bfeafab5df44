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

/** Tuning of {@link createSimulator}; every field is optional. */
export interface SimulatorOptions {
  /**
   * Seed of the PRNG behind ids and image colours; the same seed gives the same ids in the same
   * order (also after `reset()`).
   * @default a random seed
   */
  seed?: number;
  /**
   * Milliseconds a task spends waiting (`statusWord`) before `in_progress`.
   * @default 600
   */
  queuedMs?: number;
  /**
   * Milliseconds a task spends `in_progress`; `progress` moves 1..99 with time.
   * @default 2400
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
   * @default 1
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
   * Largest accepted upload in bytes; bigger files get a 400 naming the limit (§4).
   * @default 10 * 1024 * 1024
   */
  maxUploadBytes?: number;
  /**
   * Clock in milliseconds, read on every request.
   * @default () => Date.now()
   */
  now?: () => number;
  /**
   * The waiting status reported before `in_progress` (§3.2 / §8.1 vocabulary drift).
   * @default 'queued'
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
  /** Forgets every task, upload and counter and re-seeds the PRNG. */
  reset(): void;
  /** A snapshot of the request counters. */
  readonly stats: SimulatorStats;
  /** Every task still in memory, oldest first. */
  tasks(): ReadonlyArray<SimulatorTaskSummary>;
}
