/**
 * Following sent tasks for the tasks slice (src/store/slices/tasks.ts): polling or streaming, one
 * tab at a time per task (the others share its updates), and the task events every update becomes
 * (`reduceTask` in src/core/task.ts).
 */
import { ToapisError } from '../../core/errors';
import type { Poller, PollerOptions } from '../../core/poller';
import type { TaskSnapshot } from '../../core/protocol';
import { lazyModule, withModule } from '../../core/util/lazy';
import { isTerminal, reduceTask, type GenerationTask, type TaskChange } from '../../core/task';
import type { TabMessage } from '../coordination';
import { rawOfSnapshot } from '../persistence';
import type { StoreContext } from './context';
import { learnDuration } from './durations';

/** Looking tasks up and moving them on, shared by the tasks slice and its following. */
export interface TaskEvents {
  findTask(id: string): GenerationTask | undefined;
  findByTaskId(taskId: string): GenerationTask | undefined;
  /** Applies one event to a task; returns the task before and after (the same object when nothing changed). */
  dispatch(localId: string, change: TaskChange): { before: GenerationTask; after: GenerationTask } | undefined;
  /** A failure the task did not have before goes to the host's `onError`. */
  fail(localId: string, error: ToapisError): void;
  /**
   * Applies a status read or stream event; `shared`: another tab's update (that tab learns the
   * task's generation time, so this one does not count it twice).
   */
  applySnapshot(localId: string, snapshot: TaskSnapshot, shared?: boolean): void;
}

export function taskEvents(ctx: StoreContext): TaskEvents {
  const { set, get, now, options } = ctx;
  const findTask = (id: string) => get().tasks.find((t) => t.id === id);

  const dispatch: TaskEvents['dispatch'] = (localId, change) => {
    const before = findTask(localId);
    if (!before) return undefined;
    const after = reduceTask(before, { ...change, at: now() });
    if (after !== before) set((s) => ({ tasks: s.tasks.map((t) => (t.id === localId ? after : t)) }));
    return { before, after };
  };

  return {
    findTask,
    findByTaskId: (taskId) => get().tasks.find((t) => t.taskId === taskId),
    dispatch,
    fail: (localId, error) => {
      const moved = dispatch(localId, { type: 'failed', error });
      if (moved && moved.after !== moved.before) ctx.reportError(error, moved.after);
    },
    applySnapshot: (localId, snapshot, shared = false) => {
      const moved = dispatch(localId, { type: 'snapshot', snapshot });
      if (!moved || moved.after === moved.before) return;
      const task = moved.after;
      if (task.phase === 'failed' && task.error) ctx.reportError(task.error, task);
      if (task.phase === 'completed') {
        if (!shared) learnDuration(ctx, task);
        try {
          options.onTaskComplete?.(task);
        } catch {
          // host callback errors are the host's
        }
      }
    },
  };
}

export interface Following {
  /** Follows a task: this tab polls (or streams) it only while it leads; other tabs share updates. */
  follow(taskId: string, trackOptions?: { immediate?: boolean; startedAt?: number }): void;
  unfollow(taskId: string): void;
  /** After `connect`: a fresh poller, other tabs listened to again. */
  resume(): void;
  /** On `disconnect`: no polling, no streams, no claims on tasks, no listening to other tabs. */
  halt(): void;
}

export function createFollowing(ctx: StoreContext, events: TaskEvents): Following {
  const { coordinator } = ctx;
  const leads = new Map<string, { release: () => void }>(); // task id -> this tab's claim to follow it
  let unsubscribeTabs: (() => void) | undefined;

  const unfollow = (taskId: string) => {
    poller.untrack(taskId);
    const holder = leads.get(taskId);
    leads.delete(taskId);
    holder?.release();
  };
  let poller = makePoller(ctx, events, unfollow);

  const follow: Following['follow'] = (taskId, trackOptions = {}) => {
    if (!ctx.runtime.connected || leads.has(taskId)) return;
    const holder = { release: () => {} };
    leads.set(taskId, holder);
    holder.release = coordinator.lead(`toapis-kit:task:${taskId}`, () => {
      if (ctx.runtime.connected && leads.get(taskId) === holder) poller.track(taskId, trackOptions);
    });
  };

  const onTabMessage = tabListener(events, unfollow);
  const listenToTabs = () => {
    unsubscribeTabs ??= coordinator.subscribe(onTabMessage);
  };
  if (ctx.runtime.connected) listenToTabs();

  return {
    follow,
    unfollow,
    resume: () => {
      poller = makePoller(ctx, events, unfollow);
      listenToTabs();
    },
    halt: () => {
      poller.stop();
      for (const holder of leads.values()) holder.release();
      leads.clear();
      unsubscribeTabs?.();
      unsubscribeTabs = undefined;
    },
  };
}

/** The poller's code (timers, backoff, streams) loads with the first task to follow, or when idle. */
const pollerModule = /* @__PURE__ */ lazyModule(() => import('../../core/poller'));

/**
 * A poller now when its code has loaded; otherwise one that queues what it is asked until the code
 * arrives (tried again every 2 s if loading fails, until stopped).
 */
function deferredPoller(options: PollerOptions): Poller {
  const ready = pollerModule.get();
  if (ready) return ready.createPoller(options);
  let real: Poller | undefined;
  let stopped = false;
  const queue: Array<(p: Poller) => void> = [];
  const start = () => {
    pollerModule.load().then(
      (m) => {
        if (stopped) return;
        real = m.createPoller(options);
        for (const op of queue.splice(0)) op(real);
      },
      () => {
        if (!stopped) setTimeout(start, 2000);
      },
    );
  };
  start();
  const call = (op: (p: Poller) => void) => (real ? op(real) : void queue.push(op));
  return {
    track: (taskId, o) => call((p) => p.track(taskId, o)),
    untrack: (taskId) => call((p) => p.untrack(taskId)),
    pollNow: () => call((p) => p.pollNow()),
    stop: () => {
      stopped = true;
      queue.length = 0;
      real?.stop();
    },
    get tracked() {
      return real?.tracked ?? [];
    },
    get hasTimer() {
      return real?.hasTimer ?? false;
    },
    get paused() {
      return real?.paused ?? false;
    },
  };
}

function makePoller(ctx: StoreContext, events: TaskEvents, unfollow: (taskId: string) => void): Poller {
  const { now, options, coordinator } = ctx;
  const { findByTaskId, applySnapshot, dispatch, fail } = events;
  return deferredPoller({
    getTask: (id, o) => ctx.client.getTask(id, o),
    ...(options.stream !== false && {
      watchTask: (id, o) => ctx.client.watchTask(id, o),
      canWatch: () => ctx.client.capabilities().then((c) => c.stream),
    }),
    onUpdate: (taskId, snap) => {
      coordinator.publish({ type: 'task-snapshot', taskId, payload: snap });
      const local = findByTaskId(taskId);
      if (local) applySnapshot(local.id, snap);
      if (snap.phase === 'completed' || snap.phase === 'failed') unfollow(taskId);
    },
    onError: (taskId, error) => {
      coordinator.publish({ type: 'task-error', taskId, payload: error.toJSON() });
      unfollow(taskId);
      const local = findByTaskId(taskId);
      if (local) fail(local.id, error);
    },
    onRetry: (taskId, error, delayMs) => {
      const local = findByTaskId(taskId);
      if (local) dispatch(local.id, { type: 'retry-scheduled', retry: { error, delayMs, at: now() + delayMs } });
    },
    ...(options.pollInterval !== undefined && { interval: options.pollInterval }),
    ...(options.cadence !== undefined && { cadence: options.cadence }),
    ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
    ...(options.environment !== undefined && { environment: options.environment }),
    random: ctx.random,
    now,
  });
}

/** Reply validation; it arrives with the client, so a page that never shares a task never loads it here. */
const protocol = /* @__PURE__ */ lazyModule(() => import('../../core/protocol'));

/** Updates another tab shares for a task this tab has too. */
function tabListener(events: TaskEvents, unfollow: (taskId: string) => void) {
  return (message: TabMessage) => {
    const local = events.findByTaskId(message.taskId);
    if (!local || isTerminal(local.phase)) return;
    if (message.type === 'task-snapshot') {
      void withModule(protocol, ({ parseTask }) => {
        const snap = parseTask(message.payload && typeof message.payload === 'object' ? rawOfSnapshot(message.payload) : undefined);
        const still = events.findByTaskId(message.taskId);
        if (!still || isTerminal(still.phase)) return;
        events.applySnapshot(still.id, snap, true);
        if (snap.phase === 'completed' || snap.phase === 'failed') unfollow(message.taskId);
      }).catch(() => {
        // a garbled message from another tab is ignored; our own follow-up still runs
      });
    } else if (message.type === 'task-error') {
      unfollow(message.taskId);
      events.dispatch(local.id, { type: 'failed', error: ToapisError.fromJSON(message.payload) });
    }
  };
}
