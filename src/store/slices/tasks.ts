/**
 * The tasks slice: sending a task, following it (polling or streaming, one tab at a time, the
 * others sharing its updates), retry, cancel, dismiss, re-attaching by id. Every phase change is an
 * event for `reduceTask` (src/core/task.ts).
 */
import { createBusinessId } from '../../core/client';
import { ToapisError, toToapisError } from '../../core/errors';
import { isExpired } from '../../core/expiry';
import { createPoller, type Poller } from '../../core/poller';
import { parseTask, type TaskSnapshot } from '../../core/protocol';
import { isResumable, isRetryable, isRunning, isTerminal, newTask, reduceTask, type GenerationTask, type TaskChange } from '../../core/task';
import type { TabMessage } from '../coordination';
import { rawOfSnapshot } from '../persistence';
import type { GeneratorState } from '../types';
import type { StoreContext } from './context';

type TaskActions = Pick<GeneratorState, 'retry' | 'cancel' | 'dismissTask' | 'fetchResultImage' | 'resumeTask'>;

export interface TasksSlice {
  actions: TaskActions;
  /** Sends a task already in the list; `recover`: it may have landed before a reload (looked up, not created twice). */
  send(localId: string, recover?: boolean): Promise<void>;
  /** After `connect`: a fresh poller; running tasks are followed again, lost submits looked up. */
  resume(): void;
  /** On `disconnect`: no polling, no streams, no claims on tasks, in-flight submits aborted. */
  halt(): void;
}

export function createTasks(ctx: StoreContext): TasksSlice {
  const { set, get, now, options, coordinator } = ctx;
  const taskAborts = new Map<string, AbortController>();
  const leads = new Map<string, { release: () => void }>(); // task id -> this tab's claim to follow it
  let unsubscribeTabs: (() => void) | undefined;

  const findTask = (id: string) => get().tasks.find((t) => t.id === id);
  const findByTaskId = (taskId: string) => get().tasks.find((t) => t.taskId === taskId);

  /** Applies one event to a task; returns the task before and after (the same object when nothing changed). */
  const dispatch = (localId: string, change: TaskChange): { before: GenerationTask; after: GenerationTask } | undefined => {
    const before = findTask(localId);
    if (!before) return undefined;
    const after = reduceTask(before, { ...change, at: now() });
    if (after !== before) set((s) => ({ tasks: s.tasks.map((t) => (t.id === localId ? after : t)) }));
    return { before, after };
  };

  /** A failure the task did not have before goes to the host's `onError`. */
  const fail = (localId: string, error: ToapisError) => {
    const moved = dispatch(localId, { type: 'failed', error });
    if (moved && moved.after !== moved.before) ctx.reportError(error, moved.after);
  };

  const applySnapshot = (localId: string, snapshot: TaskSnapshot) => {
    const moved = dispatch(localId, { type: 'snapshot', snapshot });
    if (!moved || moved.after === moved.before) return;
    const task = moved.after;
    if (task.phase === 'failed' && task.error) ctx.reportError(task.error, task);
    if (task.phase === 'completed') {
      try {
        options.onTaskComplete?.(task);
      } catch {
        // host callback errors are the host's
      }
    }
  };

  const makePoller = (): Poller =>
    createPoller({
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
  let poller = makePoller();

  /** Follows a task: this tab polls (or streams) it only while it leads; other tabs share updates. */
  const follow = (taskId: string, trackOptions: { immediate?: boolean; startedAt?: number } = {}) => {
    if (!ctx.runtime.connected || leads.has(taskId)) return;
    const holder = { release: () => {} };
    leads.set(taskId, holder);
    holder.release = coordinator.lead(`toapis-kit:task:${taskId}`, () => {
      if (ctx.runtime.connected && leads.get(taskId) === holder) poller.track(taskId, trackOptions);
    });
  };
  const unfollow = (taskId: string) => {
    poller.untrack(taskId);
    const holder = leads.get(taskId);
    leads.delete(taskId);
    holder?.release();
  };

  const onTabMessage = (message: TabMessage) => {
    const local = findByTaskId(message.taskId);
    if (!local || isTerminal(local.phase)) return;
    if (message.type === 'task-snapshot') {
      try {
        const snap = parseTask(message.payload && typeof message.payload === 'object' ? rawOfSnapshot(message.payload) : undefined);
        applySnapshot(local.id, snap);
        if (snap.phase === 'completed' || snap.phase === 'failed') unfollow(message.taskId);
      } catch {
        // a garbled message from another tab is ignored; our own follow-up still runs
      }
    } else if (message.type === 'task-error') {
      unfollow(message.taskId);
      dispatch(local.id, { type: 'failed', error: ToapisError.fromJSON(message.payload) });
    }
  };
  const listenToTabs = () => {
    unsubscribeTabs ??= coordinator.subscribe(onTabMessage);
  };
  if (ctx.runtime.connected) listenToTabs();

  const send = async (localId: string, recover = false) => {
    const task = findTask(localId);
    if (!task) return;
    const controller = new AbortController();
    taskAborts.set(localId, controller);
    try {
      // One tab at a time per business id: a duplicated tab restoring the same submit waits, then
      // finds the task by lookup instead of creating a second one.
      const snap = await coordinator.exclusive(`toapis-kit:submit:${task.clientBusinessId}`, () =>
        ctx.client.createTask(task.request, {
          signal: controller.signal,
          mayExist: recover,
          onRetry: (error, delayMs) => dispatch(localId, { type: 'retry-scheduled', retry: { error, delayMs, at: now() + delayMs } }),
        }),
      );
      const current = findTask(localId);
      if (!current || current.phase === 'cancelled') return;
      dispatch(localId, { type: 'submitted', taskId: snap.id });
      applySnapshot(localId, snap);
      const after = findTask(localId);
      if (after && !isTerminal(after.phase) && ctx.runtime.connected) follow(snap.id);
    } catch (raw) {
      const error = toToapisError(raw);
      if (error.kind !== 'aborted') fail(localId, error);
    } finally {
      taskAborts.delete(localId);
    }
  };

  const actions: TaskActions = {
    retry: async (localId) => {
      const task = findTask(localId);
      if (!task || !ctx.runtime.connected || !isRetryable(task.phase)) return;
      if (isResumable(task)) {
        dispatch(localId, { type: 'resumed' });
        follow(task.taskId!, { immediate: true });
        return;
      }
      // A new attempt is a new task upstream: fresh business id, same settings.
      dispatch(localId, { type: 'retried', request: { ...task.request, client_business_id: createBusinessId(ctx.random) } });
      await send(localId);
    },

    cancel: (localId) => {
      const task = findTask(localId);
      if (!task || isTerminal(task.phase)) return;
      taskAborts.get(localId)?.abort();
      if (task.taskId) unfollow(task.taskId);
      dispatch(localId, { type: 'cancelled' });
    },

    dismissTask: (localId) => {
      const task = findTask(localId);
      if (!task) return;
      taskAborts.get(localId)?.abort();
      if (task.taskId) unfollow(task.taskId);
      set((s) => ({ tasks: s.tasks.filter((x) => x.id !== localId) }));
    },

    fetchResultImage: async (localId, index, opts = {}) => {
      const task = findTask(localId);
      const { client } = ctx;
      if (!task?.taskId || task.phase !== 'completed' || isExpired(task.expiresAt, now()) || !client.downloadImage) return undefined;
      try {
        if (!(await client.capabilities()).downloads) return undefined;
        return await client.downloadImage(task.taskId, index, opts);
      } catch {
        return undefined;
      }
    },

    resumeTask: (record) => {
      if (!ctx.runtime.connected || !record.taskId || findByTaskId(record.taskId)) return;
      const at = now();
      const model = record.model ?? get().model;
      const task = newTask({
        id: ctx.nextId('t'),
        phase: 'queued',
        taskId: record.taskId,
        clientBusinessId: record.clientBusinessId ?? '',
        request: { model, prompt: record.prompt ?? '' },
        model,
        aspectRatio: record.aspectRatio,
        resolution: record.resolution,
        n: record.n ?? 1,
        createdAt: record.createdAt ?? at,
        at,
      });
      set((s) => ({ tasks: [...s.tasks, task] }));
      follow(record.taskId, { immediate: true, startedAt: record.createdAt ?? at });
    },
  };

  return {
    actions,
    send,
    resume: () => {
      poller = makePoller();
      listenToTabs();
      for (const t of get().tasks) {
        if (t.phase === 'submitting' && !t.taskId) void send(t.id, true); // the lost submit may have landed
        else if (isRunning(t.phase) && t.taskId) follow(t.taskId, { immediate: true, startedAt: t.createdAt });
      }
    },
    halt: () => {
      poller.stop();
      for (const holder of leads.values()) holder.release();
      leads.clear();
      unsubscribeTabs?.();
      unsubscribeTabs = undefined;
      for (const c of taskAborts.values()) c.abort();
      taskAborts.clear();
    },
  };
}
