/**
 * The poller drives any number of tasks of one store to a terminal state on ONE timer:
 * per-phase cadence with jitter, exponential backoff on 429/503/5xx/network (honouring
 * `Retry-After`), no retry on 400/401/402/404/422, an overall deadline, a pause while offline or
 * hidden that ends at once when the page is back, and a clean stop.
 */
import { STREAM_RECONNECT, ToapisError, toToapisError } from './errors';
import type { TaskSnapshot } from './protocol';
import { backoffDelay } from './timing';

/** Where the poller learns whether the page is online and visible. Browser binding lives outside core. */
export interface PollerEnvironment {
  isOnline(): boolean;
  isVisible(): boolean;
  /** Calls `listener` whenever online or visibility changes; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Always online and visible — the default outside browsers. */
export const alwaysOnEnvironment: PollerEnvironment = {
  isOnline: () => true,
  isVisible: () => true,
  subscribe: () => () => {},
};

export interface PollCadence {
  /** Wait before the first read of a new task. @default 3000 */
  firstDelayMs: number;
  /** Between reads while queued. @default 5000 */
  queuedMs: number;
  /** Between reads while generating. @default 4000 */
  generatingMs: number;
  /** Random extra wait, as a fraction of the interval (0.2 = up to +20 %). @default 0.2 */
  jitter: number;
}

export const DEFAULT_CADENCE: PollCadence = { firstDelayMs: 3000, queuedMs: 5000, generatingMs: 4000, jitter: 0.2 };

export interface PollerOptions {
  getTask(id: string, options: { signal: AbortSignal }): Promise<TaskSnapshot>;
  /**
   * Push instead of polling: follows a task until it is final (the proxy's Server-Sent Events).
   * Used only when `canWatch()` resolves true; if a watch fails, that task falls back to polling.
   */
  watchTask?(
    id: string,
    options: { signal: AbortSignal; onSnapshot: (snapshot: TaskSnapshot) => void; onRetry?: (error: ToapisError, delayMs: number) => void },
  ): Promise<TaskSnapshot>;
  /** Whether the backend offers `watchTask` (asked once). */
  canWatch?(): Promise<boolean>;
  /**
   * Streams open at once; further tasks are polled (and move to a stream when one frees up).
   * Browsers allow 6 HTTP/1.1 connections per host, and uploads and submits need some. @default 4
   */
  maxWatches?: number;
  /** Every successful read (including the final one). */
  onUpdate(taskId: string, snapshot: TaskSnapshot): void;
  /** A task ended without a result: non-retryable error, too many failures, or the deadline. */
  onError(taskId: string, error: ToapisError): void;
  /** A retryable failure; the poller will try again after `delayMs`. */
  onRetry?(taskId: string, error: ToapisError, delayMs: number): void;
  /** Fixed milliseconds between reads, overriding the cadence (the provider's `pollInterval`). */
  interval?: number;
  cadence?: Partial<PollCadence>;
  /** Give up on a task this long after it was tracked. @default 600000 (10 min) */
  deadlineMs?: number;
  /** Consecutive retryable failures after which a task fails with the last error. @default 12 */
  maxConsecutiveFailures?: number;
  /** Largest backoff delay. @default 60000 */
  maxBackoffMs?: number;
  environment?: PollerEnvironment;
  random?: () => number;
  now?: () => number;
}

export interface TrackOptions {
  /** When the task started (for the deadline), if not now — e.g. a task resumed after reload. */
  startedAt?: number;
  /** Read it right away instead of after the first delay (resumed tasks). */
  immediate?: boolean;
}

export interface Poller {
  track(taskId: string, options?: TrackOptions): void;
  untrack(taskId: string): void;
  /** Reads every tracked task now (e.g. after coming back online). */
  pollNow(): void;
  /** Stops everything: clears the timer, aborts reads in flight, forgets every task. */
  stop(): void;
  /** Ids of tracked tasks. */
  readonly tracked: readonly string[];
  /** Whether the single timer is currently armed (for tests and the benchmark). */
  readonly hasTimer: boolean;
  readonly paused: boolean;
}

interface Entry {
  id: string;
  startedAt: number;
  nextAt: number;
  failures: number;
  /** Following the task over a stream rather than polling it; `nextAt` is then the deadline. */
  watching: boolean;
  /** A stream failed for this task: poll it from now on. */
  noWatch: boolean;
  /** Earliest time the server allows the next read (from `Retry-After`), or 0. */
  notBefore: number;
  lastPhase: TaskSnapshot['phase'];
  /** The service's last status word (for the deadline's message when it is one we don't know). */
  lastStatus?: string;
  controller: AbortController | undefined;
}

/**
 * A stream the server closed with `event: reconnect` is reopened only if it lasted at least this
 * long; a server that closes streams at once gets the task polled instead of a tight loop.
 */
const MIN_RESUMED_STREAM_MS = 1000;

export function createPoller(options: PollerOptions): Poller {
  const cadence: PollCadence = { ...DEFAULT_CADENCE, ...options.cadence };
  const env = options.environment ?? alwaysOnEnvironment;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => Date.now());
  const deadlineMs = options.deadlineMs ?? 600_000;
  const maxFailures = options.maxConsecutiveFailures ?? 12;
  const entries = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let wasPaused = false;

  const isPaused = () => !env.isOnline() || !env.isVisible();

  function intervalFor(phase: TaskSnapshot['phase']): number {
    if (options.interval !== undefined) return options.interval; // fixed, as documented
    const base = phase === 'generating' ? cadence.generatingMs : cadence.queuedMs;
    return Math.round(base * (1 + cadence.jitter * random()));
  }

  function ensureSubscribed() {
    if (unsubscribe || stopped) return;
    wasPaused = isPaused();
    unsubscribe = env.subscribe(() => {
      const paused = isPaused();
      if (wasPaused && !paused) {
        wasPaused = false;
        pollNow();
        return;
      }
      wasPaused = paused;
      schedule();
    });
  }

  function clearTimer() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  }

  function schedule() {
    if (stopped) return;
    if (entries.size === 0) {
      clearTimer();
      unsubscribe?.();
      unsubscribe = undefined;
      return;
    }
    if (isPaused()) {
      clearTimer(); // nothing runs while offline or hidden; the environment listener wakes us
      return;
    }
    let next = Infinity;
    for (const e of entries.values()) if ((!e.controller || e.watching) && e.nextAt < next) next = e.nextAt;
    if (next === Infinity) {
      clearTimer();
      return;
    }
    if (timer !== undefined && timerAt <= next) return;
    clearTimer();
    timerAt = next;
    timer = setTimeout(tick, Math.max(0, next - now()));
  }

  function tick() {
    timer = undefined;
    timerAt = Infinity;
    if (stopped || isPaused()) return;
    const t = now();
    for (const e of entries.values()) {
      if (e.nextAt > t) continue;
      if (e.watching) {
        // The deadline passed while streaming: stop the stream; one last read decides.
        e.watching = false;
        e.noWatch = true;
        e.controller?.abort();
        e.controller = undefined;
      }
      if (!e.controller) void poll(e);
    }
    schedule();
  }

  let watchSupport: Promise<boolean> | undefined;
  let watchKnown: boolean | undefined;
  function supportsWatch(): Promise<boolean> {
    if (!options.watchTask || !options.canWatch) return Promise.resolve(false);
    watchSupport ??= options.canWatch().then(
      (ok) => (watchKnown = ok),
      () => (watchKnown = false),
    );
    return watchSupport;
  }

  function startWatch(entry: Entry) {
    if (stopped || entry.watching || entry.noWatch || entries.get(entry.id) !== entry || !options.watchTask) return;
    if (entry.controller) return; // a read is in flight; the next schedule will not poll a watched task
    let open = 0;
    for (const e of entries.values()) if (e.watching) open += 1;
    if (open >= (options.maxWatches ?? 4)) return; // keep polling this one; it upgrades after a later read
    const controller = new AbortController();
    const watchStartedAt = now();
    entry.controller = controller;
    entry.watching = true;
    entry.nextAt = entry.startedAt + deadlineMs;
    const onSnapshot = (snapshot: TaskSnapshot) => {
      if (controller.signal.aborted || entries.get(entry.id) !== entry) return;
      entry.lastPhase = snapshot.phase;
      entry.lastStatus = snapshot.status;
      const terminal = snapshot.phase === 'completed' || snapshot.phase === 'failed';
      if (terminal) finish(entry);
      safely(() => options.onUpdate(entry.id, snapshot));
      if (terminal) schedule();
    };
    // The backend's upstream reads are rate limited: show the countdown it announces.
    const onRetry = (error: ToapisError, delayMs: number) => {
      if (controller.signal.aborted || entries.get(entry.id) !== entry) return;
      safely(() => options.onRetry?.(entry.id, error, delayMs));
    };
    options.watchTask(entry.id, { signal: controller.signal, onSnapshot, onRetry }).then(
      () => {
        if (entries.get(entry.id) === entry) finish(entry);
        schedule();
      },
      (raw) => {
        if (controller.signal.aborted || entries.get(entry.id) !== entry) return;
        const error = toToapisError(raw);
        entry.controller = undefined;
        entry.watching = false;
        if (!error.retryable && error.kind !== 'protocol' && error.kind !== 'aborted') {
          // The backend itself refused (404, 401…): the same answer would come from a poll.
          finish(entry);
          safely(() => options.onError(entry.id, error));
        } else if (error.code === STREAM_RECONNECT && now() - watchStartedAt >= MIN_RESUMED_STREAM_MS) {
          entry.nextAt = now(); // the server ended the stream on purpose: read once now, then stream again
        } else {
          entry.noWatch = true; // fall back to polling this task, at once
          entry.nextAt = now();
        }
        schedule();
      },
    );
    schedule();
  }

  function finish(entry: Entry) {
    entry.controller?.abort();
    entries.delete(entry.id);
  }

  /** Host callbacks must never break the poller's bookkeeping. */
  function safely(fn: () => void) {
    try {
      fn();
    } catch (error) {
      console.error('[gen] a task callback threw:', error);
    }
  }

  async function poll(entry: Entry) {
    const controller = new AbortController();
    entry.controller = controller;
    const overDeadline = now() - entry.startedAt >= deadlineMs;
    let snapshot: TaskSnapshot;
    try {
      snapshot = await options.getTask(entry.id, { signal: controller.signal });
    } catch (raw) {
      if (controller.signal.aborted || entries.get(entry.id) !== entry) return;
      entry.controller = undefined;
      const error = toToapisError(raw);
      entry.failures += 1;
      // A garbled body on a read is usually a proxy's error page: worth a few more reads.
      const retryable = error.retryable || (error.kind === 'protocol' && entry.failures < 3);
      if (!retryable || entry.failures >= maxFailures) {
        finish(entry);
        safely(() => options.onError(entry.id, error));
      } else if (overDeadline) {
        finish(entry);
        safely(() => options.onError(entry.id, timeoutError(deadlineMs, entry.lastStatus)));
      } else {
        // max(Retry-After, backoff, normal cadence): a 429 or a flaky network never speeds reads up.
        const delay = Math.max(
          backoffDelay(entry.failures - 1, { retryAfterMs: error.retryAfterMs, random, maxMs: options.maxBackoffMs ?? 60_000 }),
          intervalFor(entry.lastPhase),
        );
        entry.nextAt = now() + delay;
        entry.notBefore = error.retryAfterMs === undefined ? 0 : now() + error.retryAfterMs;
        safely(() => options.onRetry?.(entry.id, error, delay));
      }
      schedule();
      return;
    }
    if (controller.signal.aborted || entries.get(entry.id) !== entry) return;
    entry.controller = undefined;
    entry.failures = 0;
    entry.notBefore = 0;
    entry.lastPhase = snapshot.phase;
    entry.lastStatus = snapshot.status;
    // Decide the entry's fate before calling out, so a throwing callback cannot cause a retry loop.
    const terminal = snapshot.phase === 'completed' || snapshot.phase === 'failed';
    if (terminal || overDeadline) finish(entry);
    else entry.nextAt = now() + intervalFor(snapshot.phase);
    safely(() => options.onUpdate(entry.id, snapshot));
    if (!terminal && overDeadline) safely(() => options.onError(entry.id, timeoutError(deadlineMs, entry.lastStatus)));
    else if (!terminal && watchKnown === true && !entry.noWatch) startWatch(entry);
    schedule();
  }

  function pollNow() {
    if (stopped) return;
    const t = now();
    // Back online or visible: read at once, except where the server asked us to wait (Retry-After).
    for (const e of entries.values()) if (!e.controller && !e.watching) e.nextAt = Math.max(t, e.notBefore);
    clearTimer();
    schedule();
  }

  return {
    track(taskId, trackOptions = {}) {
      if (stopped) return;
      const existing = entries.get(taskId);
      if (existing) return;
      const t = now();
      entries.set(taskId, {
        id: taskId,
        startedAt: trackOptions.startedAt ?? t,
        nextAt: trackOptions.immediate ? t : t + (options.interval ?? cadence.firstDelayMs),
        failures: 0,
        watching: false,
        noWatch: false,
        notBefore: 0,
        lastPhase: 'queued',
        controller: undefined,
      });
      ensureSubscribed();
      schedule();
      if (options.watchTask && options.canWatch) {
        void supportsWatch().then((ok) => {
          const entry = entries.get(taskId);
          if (ok && entry) startWatch(entry);
        });
      }
    },
    untrack(taskId) {
      const e = entries.get(taskId);
      if (e) finish(e);
      schedule();
    },
    pollNow,
    stop() {
      stopped = true;
      clearTimer();
      for (const e of entries.values()) e.controller?.abort();
      entries.clear();
      unsubscribe?.();
      unsubscribe = undefined;
    },
    get tracked() {
      return [...entries.keys()];
    },
    get hasTimer() {
      return timer !== undefined;
    },
    get paused() {
      return isPaused();
    },
  };
}

/** Status words the service documents for a task still on its way (anything else is unknown). */
const WAITING_STATUSES = new Set(['queued', 'submitted', 'pending', 'in_progress', 'processing', 'running', 'generating', 'waiting']);

function timeoutError(deadlineMs: number, lastStatus?: string): ToapisError {
  const within = `The task did not finish within ${Math.round(deadlineMs / 1000)} s.`;
  const word = lastStatus?.trim().toLowerCase().slice(0, 40);
  if (!word || WAITING_STATUSES.has(word)) return new ToapisError('timeout', within);
  // A status we don't know kept the task "waiting": say so, it is what support will ask about.
  return new ToapisError('timeout', `${within} The service kept reporting the status "${word}", which this kit does not know.`, {
    code: 'unknown_status',
  });
}
