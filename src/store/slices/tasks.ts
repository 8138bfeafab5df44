/**
 * The tasks slice: sending a task, following it (polling or streaming, one tab at a time, the
 * others sharing its updates; src/store/slices/follow.ts), retry, cancel, dismiss, re-attaching by
 * id. Every phase change is an event for `reduceTask` (src/core/task.ts).
 */
import { createBusinessId } from '../../core/util/business-id';
import { toToapisError } from '../../core/errors';
import { isExpired } from '../../core/expiry';
import { isResumable, isRetryable, isRunning, isTerminal, newTask } from '../../core/task';
import type { GeneratorState } from '../types';
import type { StoreContext } from './context';
import { loadDurations } from './durations';
import { createFollowing, taskEvents, type Following, type TaskEvents } from './follow';

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

/** What sending and the task actions work with. */
interface TaskDeps {
  events: TaskEvents;
  following: Following;
  /** Local task id -> the abort of its in-flight submit. */
  taskAborts: Map<string, AbortController>;
  send: TasksSlice['send'];
}

export function createTasks(ctx: StoreContext): TasksSlice {
  loadDurations(ctx); // the learned generation times, for the ETA of what this engine follows
  const events = taskEvents(ctx);
  const following = createFollowing(ctx, events);
  const taskAborts = new Map<string, AbortController>();
  const send = sender(ctx, { events, following, taskAborts });

  return {
    actions: taskActions(ctx, { events, following, taskAborts, send }),
    send,
    resume: () => {
      following.resume();
      for (const t of ctx.get().tasks) {
        if (t.phase === 'submitting' && !t.taskId) void send(t.id, true); // the lost submit may have landed
        else if (isRunning(t.phase) && t.taskId) following.follow(t.taskId, { immediate: true, startedAt: t.createdAt });
      }
    },
    halt: () => {
      following.halt();
      for (const c of taskAborts.values()) c.abort();
      taskAborts.clear();
    },
  };
}

function sender(ctx: StoreContext, { events, following, taskAborts }: Omit<TaskDeps, 'send'>): TasksSlice['send'] {
  const { now, coordinator } = ctx;
  const { findTask, dispatch, applySnapshot, fail } = events;
  return async (localId, recover = false) => {
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
      if (after && !isTerminal(after.phase) && ctx.runtime.connected) following.follow(snap.id);
    } catch (raw) {
      const error = toToapisError(raw);
      if (error.kind !== 'aborted') fail(localId, error);
    } finally {
      taskAborts.delete(localId);
    }
  };
}

function taskActions(ctx: StoreContext, { events, following, taskAborts, send }: TaskDeps): TaskActions {
  const { set, get, now } = ctx;
  const { findTask, findByTaskId, dispatch } = events;
  const { follow, unfollow } = following;
  return {
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
}
