/**
 * The poller drives any number of tasks of one store to a terminal state on ONE timer:
 * per-phase cadence with jitter, exponential backoff on 429/503/5xx/network (honouring
 * `Retry-After`), no retry on 400/401/402/404/422, an overall deadline, a pause while offline or
 * hidden that ends at once when the page is back, and a clean stop.
 */
import type { ToapisError } from './errors';
import { finish, poll, startWatch, type Entry, type PollerCore } from './poller-reads';
import type { TaskSnapshot } from './protocol';

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

export function createPoller(options: PollerOptions): Poller {
  const cadence: PollCadence = { ...DEFAULT_CADENCE, ...options.cadence };
  const env = options.environment ?? alwaysOnEnvironment;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, Entry>();
  const timer = createTimer(env, now, entries, (entry) => void poll(core, entry));

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

  const core: PollerCore = createCore(options, cadence, {
    entries,
    now,
    random,
    stopped: () => timer.stopped,
    watchKnown: () => watchKnown,
    schedule: timer.schedule,
  });

  function track(taskId: string, trackOptions: TrackOptions = {}) {
    if (timer.stopped) return;
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
    timer.ensureSubscribed();
    timer.schedule();
    if (options.watchTask && options.canWatch) {
      void supportsWatch().then((ok) => {
        const entry = entries.get(taskId);
        if (ok && entry) startWatch(core, entry);
      });
    }
  }

  return {
    track,
    untrack(taskId) {
      const e = entries.get(taskId);
      if (e) finish(core, e);
      timer.schedule();
    },
    pollNow: timer.pollNow,
    stop: timer.stop,
    get tracked() {
      return [...entries.keys()];
    },
    get hasTimer() {
      return timer.armed;
    },
    get paused() {
      return timer.paused;
    },
  };
}

interface Timer {
  /** Arms the one timer for the earliest due read (or clears it: no tasks, offline, hidden). */
  schedule(): void;
  /** Reads every task now, except where the server asked to wait. */
  pollNow(): void;
  /** Listens to the environment once there are tasks. */
  ensureSubscribed(): void;
  /** Clears the timer, aborts every read, forgets every task, for good. */
  stop(): void;
  readonly stopped: boolean;
  readonly armed: boolean;
  readonly paused: boolean;
}

/** The poller's ONE timer over every task, paused while offline or hidden; `read` starts a due task's read. */
function createTimer(env: PollerEnvironment, now: () => number, entries: Map<string, Entry>, read: (entry: Entry) => void): Timer {
  const alarm = createAlarm(now);
  const clearTimer = alarm.clear;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  const isPaused = () => isPausedIn(env);

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
    const next = earliestDue(entries);
    if (next === Infinity) {
      clearTimer();
      return;
    }
    alarm.setFor(next, tick);
  }

  function tick() {
    alarm.fired();
    if (stopped || isPaused()) return;
    startDue(entries, now(), read);
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

  function ensureSubscribed() {
    if (unsubscribe || stopped) return;
    unsubscribe = subscribeToEnvironment(env, pollNow, schedule);
  }

  function stop() {
    stopped = true;
    clearTimer();
    for (const e of entries.values()) e.controller?.abort();
    entries.clear();
    unsubscribe?.();
    unsubscribe = undefined;
  }

  return {
    schedule,
    pollNow,
    ensureSubscribed,
    stop,
    get stopped() {
      return stopped;
    },
    get armed() {
      return alarm.armed;
    },
    get paused() {
      return isPaused();
    },
  };
}

/** One `setTimeout` that knows when it fires: set for a time, cleared, or told it fired. */
function createAlarm(now: () => number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;

  function clear() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  }

  return {
    clear,
    /** Fires `fire` at `at`, unless it is already set to fire no later. */
    setFor(at: number, fire: () => void) {
      if (timer !== undefined && timerAt <= at) return;
      clear();
      timerAt = at;
      timer = setTimeout(fire, Math.max(0, at - now()));
    },
    fired() {
      timer = undefined;
      timerAt = Infinity;
    },
    get armed() {
      return timer !== undefined;
    },
  };
}

const isPausedIn = (env: PollerEnvironment) => !env.isOnline() || !env.isVisible();

/** Listens to online/visibility changes: `onBack` when the page is back (online and visible), else `onChange`. */
function subscribeToEnvironment(env: PollerEnvironment, onBack: () => void, onChange: () => void): () => void {
  let wasPaused = isPausedIn(env);
  return env.subscribe(() => {
    const paused = isPausedIn(env);
    if (wasPaused && !paused) {
      wasPaused = false;
      onBack();
      return;
    }
    wasPaused = paused;
    onChange();
  });
}

/** When the next read is due: the earliest `nextAt` of the tasks not being read (watched ones count: their deadline). */
function earliestDue(entries: Map<string, Entry>): number {
  let next = Infinity;
  for (const e of entries.values()) if ((!e.controller || e.watching) && e.nextAt < next) next = e.nextAt;
  return next;
}

/** Starts the read of every task due at `t`. */
function startDue(entries: Map<string, Entry>, t: number, read: (entry: Entry) => void) {
  for (const e of entries.values()) {
    if (e.nextAt > t) continue;
    if (e.watching) {
      // The deadline passed while streaming: stop the stream; one last read decides.
      e.watching = false;
      e.noWatch = true;
      e.controller?.abort();
      e.controller = undefined;
    }
    if (!e.controller) read(e);
  }
}

/** The reads' view of the poller: its settings, and the host's callbacks guarded so they never break the bookkeeping. */
function createCore(
  options: PollerOptions,
  cadence: PollCadence,
  own: Pick<PollerCore, 'entries' | 'now' | 'random' | 'stopped' | 'watchKnown' | 'schedule'>,
): PollerCore {
  const { watchTask } = options;
  return {
    ...own,
    deadlineMs: options.deadlineMs ?? 600_000,
    maxFailures: options.maxConsecutiveFailures ?? 12,
    maxBackoffMs: options.maxBackoffMs ?? 60_000,
    maxWatches: options.maxWatches ?? 4,
    getTask: (id, o) => options.getTask(id, o),
    watchTask: watchTask ? (id, o) => options.watchTask!(id, o) : undefined,
    onUpdate: (id, snapshot) => safely(() => options.onUpdate(id, snapshot)),
    onError: (id, error) => safely(() => options.onError(id, error)),
    onRetry: (id, error, delayMs) => safely(() => options.onRetry?.(id, error, delayMs)),
    intervalFor(phase) {
      if (options.interval !== undefined) return options.interval; // fixed, as documented
      const base = phase === 'generating' ? cadence.generatingMs : cadence.queuedMs;
      return Math.round(base * (1 + cadence.jitter * own.random()));
    },
  };
}

/** Host callbacks must never break the poller's bookkeeping. */
function safely(fn: () => void) {
  try {
    fn();
  } catch (error) {
    console.error('[gen] a task callback threw:', error);
  }
}
