/**
 * The poller's reads of one task: `poll` (one status read, then the next read's time or the task's
 * end) and `startWatch` (following the task over the backend's event stream instead). Internal to
 * `poller.ts`, which owns the timer and hands these functions a `PollerCore`.
 */
import { STREAM_RECONNECT, ToapisError, toToapisError } from './errors';
import type { TaskSnapshot } from './protocol';
import { backoffDelay } from './timing';

/** One tracked task. */
export interface Entry {
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

/** What the reads need from the poller: its tasks, settings, the host's callbacks (already guarded) and its timer. */
export interface PollerCore {
  readonly entries: Map<string, Entry>;
  readonly deadlineMs: number;
  readonly maxFailures: number;
  readonly maxBackoffMs: number;
  readonly maxWatches: number;
  readonly now: () => number;
  readonly random: () => number;
  stopped(): boolean;
  /** Whether the backend streams task updates: unknown until asked. */
  watchKnown(): boolean | undefined;
  getTask(id: string, options: { signal: AbortSignal }): Promise<TaskSnapshot>;
  watchTask:
    | ((
        id: string,
        options: { signal: AbortSignal; onSnapshot: (snapshot: TaskSnapshot) => void; onRetry?: (error: ToapisError, delayMs: number) => void },
      ) => Promise<TaskSnapshot>)
    | undefined;
  onUpdate(taskId: string, snapshot: TaskSnapshot): void;
  onError(taskId: string, error: ToapisError): void;
  onRetry(taskId: string, error: ToapisError, delayMs: number): void;
  /** Milliseconds to the next read of a task in `phase`. */
  intervalFor(phase: TaskSnapshot['phase']): number;
  /** Arms the one timer for the earliest due read. */
  schedule(): void;
}

/**
 * A stream the server closed with `event: reconnect` is reopened only if it lasted at least this
 * long; a server that closes streams at once gets the task polled instead of a tight loop.
 */
const MIN_RESUMED_STREAM_MS = 1000;

/** Forgets a task and stops its read in flight. */
export function finish(core: PollerCore, entry: Entry) {
  entry.controller?.abort();
  core.entries.delete(entry.id);
}

const isCurrent = (core: PollerCore, entry: Entry) => core.entries.get(entry.id) === entry;

export function startWatch(core: PollerCore, entry: Entry) {
  const watchTask = core.watchTask;
  if (core.stopped() || entry.watching || entry.noWatch || !isCurrent(core, entry) || !watchTask) return;
  if (entry.controller) return; // a read is in flight; the next schedule will not poll a watched task
  let open = 0;
  for (const e of core.entries.values()) if (e.watching) open += 1;
  if (open >= core.maxWatches) return; // keep polling this one; it upgrades after a later read
  const controller = new AbortController();
  const watchStartedAt = core.now();
  entry.controller = controller;
  entry.watching = true;
  entry.nextAt = entry.startedAt + core.deadlineMs;
  const live = () => !controller.signal.aborted && isCurrent(core, entry);
  const onSnapshot = (snapshot: TaskSnapshot) => {
    if (!live()) return;
    entry.lastPhase = snapshot.phase;
    entry.lastStatus = snapshot.status;
    const terminal = snapshot.phase === 'completed' || snapshot.phase === 'failed';
    if (terminal) finish(core, entry);
    core.onUpdate(entry.id, snapshot);
    if (terminal) core.schedule();
  };
  // The backend's upstream reads are rate limited: show the countdown it announces.
  const onRetry = (error: ToapisError, delayMs: number) => {
    if (live()) core.onRetry(entry.id, error, delayMs);
  };
  watchTask(entry.id, { signal: controller.signal, onSnapshot, onRetry }).then(
    () => {
      if (isCurrent(core, entry)) finish(core, entry);
      core.schedule();
    },
    (raw) => {
      if (!live()) return;
      watchFailed(core, entry, toToapisError(raw), watchStartedAt);
      core.schedule();
    },
  );
  core.schedule();
}

/** A watch ended with an error: the task fails, is read again now and streamed again, or falls back to polling. */
function watchFailed(core: PollerCore, entry: Entry, error: ToapisError, watchStartedAt: number) {
  entry.controller = undefined;
  entry.watching = false;
  if (!error.retryable && error.kind !== 'protocol' && error.kind !== 'aborted') {
    // The backend itself refused (404, 401…): the same answer would come from a poll.
    finish(core, entry);
    core.onError(entry.id, error);
  } else if (error.code === STREAM_RECONNECT && core.now() - watchStartedAt >= MIN_RESUMED_STREAM_MS) {
    entry.nextAt = core.now(); // the server ended the stream on purpose: read once now, then stream again
  } else {
    entry.noWatch = true; // fall back to polling this task, at once
    entry.nextAt = core.now();
  }
}

export async function poll(core: PollerCore, entry: Entry) {
  const controller = new AbortController();
  entry.controller = controller;
  const overDeadline = core.now() - entry.startedAt >= core.deadlineMs;
  let snapshot: TaskSnapshot;
  try {
    snapshot = await core.getTask(entry.id, { signal: controller.signal });
  } catch (raw) {
    if (controller.signal.aborted || !isCurrent(core, entry)) return;
    entry.controller = undefined;
    readFailed(core, entry, toToapisError(raw), overDeadline);
    core.schedule();
    return;
  }
  if (controller.signal.aborted || !isCurrent(core, entry)) return;
  entry.controller = undefined;
  entry.failures = 0;
  entry.notBefore = 0;
  entry.lastPhase = snapshot.phase;
  entry.lastStatus = snapshot.status;
  // Decide the entry's fate before calling out, so a throwing callback cannot cause a retry loop.
  const terminal = snapshot.phase === 'completed' || snapshot.phase === 'failed';
  if (terminal || overDeadline) finish(core, entry);
  else entry.nextAt = core.now() + core.intervalFor(snapshot.phase);
  core.onUpdate(entry.id, snapshot);
  if (!terminal && overDeadline) core.onError(entry.id, timeoutError(core.deadlineMs, entry.lastStatus));
  else if (!terminal && core.watchKnown() === true && !entry.noWatch) startWatch(core, entry);
  core.schedule();
}

/** A read failed: the task fails, times out, or is read again after a backoff. */
function readFailed(core: PollerCore, entry: Entry, error: ToapisError, overDeadline: boolean) {
  entry.failures += 1;
  // A garbled body on a read is usually a proxy's error page: worth a few more reads.
  const retryable = error.retryable || (error.kind === 'protocol' && entry.failures < 3);
  if (!retryable || entry.failures >= core.maxFailures) {
    finish(core, entry);
    core.onError(entry.id, error);
  } else if (overDeadline) {
    finish(core, entry);
    core.onError(entry.id, timeoutError(core.deadlineMs, entry.lastStatus));
  } else {
    // max(Retry-After, backoff, normal cadence): a 429 or a flaky network never speeds reads up.
    const delay = Math.max(
      backoffDelay(entry.failures - 1, { retryAfterMs: error.retryAfterMs, random: core.random, maxMs: core.maxBackoffMs }),
      core.intervalFor(entry.lastPhase),
    );
    entry.nextAt = core.now() + delay;
    entry.notBefore = error.retryAfterMs === undefined ? 0 : core.now() + error.retryAfterMs;
    core.onRetry(entry.id, error, delay);
  }
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
