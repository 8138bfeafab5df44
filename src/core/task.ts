/**
 * One generation task as a state machine: its record (`GenerationTask`), its phases, the events that
 * move it, and the pure `reduceTask(task, event)` every phase change in the kit goes through.
 * Framework-free; the store dispatches events, components ask `isRunning` / `isTerminal`.
 *
 * The table (rows: the phase now; a blank cell leaves the task as it is):
 *
 * | event            | idle / submitting / queued / generating     | failed                 | completed, cancelled |
 * |------------------|---------------------------------------------|------------------------|----------------------|
 * | submitted        | taskId set, retry cleared                   |                        |                      |
 * | snapshot         | the snapshot's phase, progress, images      |                        |                      |
 * | retry-scheduled  | retry set ("retrying in N s")               |                        |                      |
 * | failed           | failed, with the error                      |                        |                      |
 * | cancelled        | cancelled                                   |                        |                      |
 * | retried          |                                             | submitting, fresh      | cancelled: same as failed; completed: — |
 * | resumed          |                                             | queued / generating    |                      |
 *
 * Terminal phases absorb every progress event: a late snapshot or error for a cancelled task changes
 * nothing. Only `retried` (and `resumed`, for a failed task that exists upstream) leaves one.
 */
import { ToapisError, taskFailureKind, type ToapisErrorKind } from './errors';
import { RESULT_TTL_MS, resultExpiresAt } from './expiry';
import type { ModelParameters } from './parameters';
import type { SubmitRequest, TaskImage, TaskSnapshot } from './protocol';

/** Where one generation is. Lifecycle values are one string, never pairs of booleans. */
export type TaskPhase = 'idle' | 'submitting' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';

/** Every phase, in lifecycle order. */
export const TASK_PHASES: readonly TaskPhase[] = ['idle', 'submitting', 'queued', 'generating', 'completed', 'failed', 'cancelled'];

const RUNNING: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['submitting', 'queued', 'generating']);
const TERMINAL: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['completed', 'failed', 'cancelled']);

/** The task is on its way: being sent, waiting upstream, or generating. */
export function isRunning(phase: TaskPhase): boolean {
  return RUNNING.has(phase);
}

/** The task is over (it may still be retried): completed, failed or cancelled. */
export function isTerminal(phase: TaskPhase): boolean {
  return TERMINAL.has(phase);
}

/** The user may retry the task: it failed or was cancelled. */
export function isRetryable(phase: TaskPhase): boolean {
  return phase === 'failed' || phase === 'cancelled';
}

/** A rate limit or transient failure the kit is riding out; shown as "retrying in N s". */
export interface RetryInfo {
  error: ToapisError;
  /** Epoch milliseconds when the next attempt happens. */
  at: number;
  delayMs: number;
}

export interface GenerationTask {
  /** Local id, stable from the click on Generate. */
  id: string;
  /** The backend's task id, once the submit answered. */
  taskId: string | undefined;
  clientBusinessId: string;
  phase: TaskPhase;
  /** 0–100 while generating when known; never moves backwards. */
  progress: number | null;
  /** Raw status string last seen. */
  status: string | undefined;
  /** The exact request sent (kept for retry). */
  request: SubmitRequest;
  prompt: string;
  model: string;
  aspectRatio: string | undefined;
  resolution: string | undefined;
  n: number;
  /** The model parameters it was submitted with (absent on tasks re-attached by id). */
  parameters?: ModelParameters;
  images: TaskImage[];
  revisedPrompt: string | undefined;
  error: ToapisError | undefined;
  retry: RetryInfo | undefined;
  createdAt: number;
  updatedAt: number;
  completedAt: number | undefined;
  /**
   * Epoch milliseconds after which the result URLs no longer work (the backend's `expires_at`,
   * else 24 h after completion). Set once the task completed.
   */
  expiresAt?: number | undefined;
  /**
   * Epoch milliseconds when the kit first saw the task generating (set by the snapshot that moved it
   * to `generating`, kept by later ones, cleared by a retry), so queue time never counts as
   * generation time. Absent until then.
   */
  generatingAt?: number;
  /** The backend's position for the task in its queue, while queued and when the backend reports one. */
  queuePosition?: number;
}

/** What a new task record is made from; everything else starts empty. */
export interface NewTaskFields {
  id: string;
  request: SubmitRequest;
  model: string;
  phase: 'submitting' | 'queued';
  at: number;
  taskId?: string | undefined;
  clientBusinessId?: string;
  aspectRatio?: string | undefined;
  resolution?: string | undefined;
  n?: number;
  parameters?: ModelParameters;
  createdAt?: number;
}

/** A fresh task record: no progress, no images, no error. The prompt is the request's. */
export function newTask(fields: NewTaskFields): GenerationTask {
  return {
    id: fields.id,
    taskId: fields.taskId,
    clientBusinessId: fields.clientBusinessId ?? fields.request.client_business_id ?? '',
    phase: fields.phase,
    progress: null,
    status: undefined,
    request: fields.request,
    prompt: fields.request.prompt,
    model: fields.model,
    aspectRatio: fields.aspectRatio,
    resolution: fields.resolution,
    n: fields.n ?? 1,
    ...(fields.parameters !== undefined && { parameters: fields.parameters }),
    images: [],
    revisedPrompt: undefined,
    error: undefined,
    retry: undefined,
    createdAt: fields.createdAt ?? fields.at,
    updatedAt: fields.at,
    completedAt: undefined,
  };
}

/** What happened to a task (an event without its time). */
export type TaskChange =
  /** The submit call answered with the service's task id. */
  | { type: 'submitted'; taskId: string }
  /** A status read, stream event or another tab's update. */
  | { type: 'snapshot'; snapshot: TaskSnapshot }
  /** A rate limit or transient failure; the next attempt is scheduled. */
  | { type: 'retry-scheduled'; retry: RetryInfo }
  /** The submit or the follow-up gave up. */
  | { type: 'failed'; error: ToapisError }
  /** The user cancelled. */
  | { type: 'cancelled' }
  /** The user retried: a new attempt with this request (a fresh business id). */
  | { type: 'retried'; request: SubmitRequest }
  /** The user retried a failed task that exists upstream: it is followed again. */
  | { type: 'resumed' };

/** Something that happened to a task; `at` is when (epoch ms). */
export type TaskEvent = TaskChange & { at: number };

export type TaskEventType = TaskEvent['type'];

/** Error kinds after which the task may still be running upstream, so following it again can succeed. */
const RESUMABLE_KINDS: ReadonlySet<ToapisErrorKind> = new Set<ToapisErrorKind>(['network', 'server', 'rate_limit', 'timeout', 'protocol']);

/** A failed task the service created whose failure was ours to see (network, timeout…): follow it again. */
export function isResumable(task: Pick<GenerationTask, 'phase' | 'taskId' | 'error'>): boolean {
  return task.phase === 'failed' && task.taskId !== undefined && task.error !== undefined && RESUMABLE_KINDS.has(task.error.kind);
}

/** The error of a task the service reports as failed (its code decides the kind). */
export function taskFailureError(snapshot: Pick<TaskSnapshot, 'error'>): ToapisError {
  const code = snapshot.error?.code;
  const message = snapshot.error?.message ?? 'The image could not be generated.';
  return new ToapisError(taskFailureKind(code), message, code === undefined ? {} : { code });
}

/**
 * The task after `event`. Pure: returns `task` itself (same object) when the event does not apply
 * in its phase, so a caller can tell "nothing happened" by identity.
 */
export function reduceTask(task: GenerationTask, event: TaskEvent): GenerationTask {
  const next = reduce(task, event);
  // A queue position only means something while queued.
  if (next === task || next.phase === 'queued' || next.queuePosition === undefined) return next;
  const { queuePosition: _left, ...rest } = next;
  return rest;
}

function reduce(task: GenerationTask, event: TaskEvent): GenerationTask {
  if (isTerminal(task.phase)) return reduceFinished(task, event);
  switch (event.type) {
    case 'submitted':
      return { ...task, taskId: event.taskId, retry: undefined, updatedAt: event.at };
    case 'snapshot':
      return applySnapshot(task, event.snapshot, event.at);
    case 'retry-scheduled':
      return { ...task, retry: event.retry, updatedAt: event.at };
    case 'failed':
      return { ...task, phase: 'failed', error: event.error, retry: undefined, updatedAt: event.at };
    case 'cancelled':
      return { ...task, phase: 'cancelled', retry: undefined, updatedAt: event.at };
    case 'retried':
    case 'resumed':
      return task;
    default:
      return event satisfies never;
  }
}

/** Completed, failed and cancelled tasks only leave their phase when the user retries. */
function reduceFinished(task: GenerationTask, event: TaskEvent): GenerationTask {
  if (event.type === 'retried' && task.phase !== 'completed') {
    // A new attempt is a new task upstream: the request carries a fresh business id.
    const { generatingAt: _old, ...rest } = task;
    return {
      ...rest,
      phase: 'submitting',
      error: undefined,
      retry: undefined,
      progress: null,
      images: [],
      taskId: undefined,
      request: event.request,
      clientBusinessId: event.request.client_business_id ?? task.clientBusinessId,
      createdAt: event.at,
      updatedAt: event.at,
    };
  }
  if (event.type === 'resumed' && isResumable(task)) {
    return { ...task, phase: task.progress ? 'generating' : 'queued', error: undefined, updatedAt: event.at };
  }
  return task;
}

function applySnapshot(task: GenerationTask, snap: TaskSnapshot, at: number): GenerationTask {
  if (snap.phase === 'failed') {
    return { ...task, phase: 'failed', status: snap.status, error: taskFailureError(snap), retry: undefined, taskId: snap.id, updatedAt: at };
  }
  // Progress never moves backwards, and a queued task keeps what it had.
  const progress =
    snap.phase === 'completed'
      ? 100
      : snap.phase === 'queued' || snap.progress === null
        ? task.progress
        : Math.max(task.progress ?? 0, snap.progress);
  // The position of the latest queued snapshot (none when it reports none).
  const { queuePosition: _was, ...rest } = task;
  return {
    ...rest,
    phase: snap.phase,
    status: snap.status,
    progress,
    ...(snap.phase === 'queued' && snap.queuePosition !== undefined && { queuePosition: snap.queuePosition }),
    ...(task.generatingAt === undefined && snap.phase === 'generating' && { generatingAt: at }),
    taskId: snap.id,
    retry: undefined,
    ...(snap.images.length > 0 && { images: snap.images }),
    ...(snap.revisedPrompt !== undefined && { revisedPrompt: snap.revisedPrompt }),
    ...(snap.phase === 'completed' && { completedAt: at, expiresAt: resultExpiresAt(snap) ?? at + RESULT_TTL_MS }),
    updatedAt: at,
  };
}
