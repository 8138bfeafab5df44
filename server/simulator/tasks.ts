/**
 * The simulator's tasks and their timelines. A task's state is computed from the clock on every
 * read (waiting, then `in_progress` with moving progress, then completed, failed or the status word
 * the submit asked for), so fake clocks drive it completely; only webhooks use timers (webhooks.ts).
 */
import type { SimSettings } from './settings';
import type { SimulatorFault } from './types';

export type OneShotFault = 'server_error' | 'drop_poll' | 'garbled';

export interface TaskRecord {
  id: string;
  clientBusinessId?: string;
  model: string;
  prompt: string;
  size: string;
  n: number;
  /** Milliseconds. */
  createdAt: number;
  queuedMs: number;
  generatingMs: number;
  faults: ReadonlySet<SimulatorFault>;
  colorSeed: number;
  /** With `secretFileUrls`: the token in this task's image URLs. */
  fileToken?: string;
  /** The status word the submit asked for (`x-simulator-status`, `[sim:status=…]`). */
  endStatus?: string;
  /** Where the end of the task is POSTed (webhooks.ts). */
  callbackUrl?: string;
  pollRateLimited: number;
  spent: Set<OneShotFault>;
  /** A masked request (issue 15): one byte per result pixel, 1 where the mask was transparent (tinted). */
  repaint?: Uint8Array;
}

export type Phase =
  | { status: 'waiting'; progress: 0 }
  | { status: 'in_progress'; progress: number }
  | { status: 'completed'; completedAt: number }
  | { status: 'failed' }
  /** A requested status word: `error` is set for the words that end a task, absent for unknown ones. */
  | { status: 'ended'; word: string; error?: { code: string; message: string } };

const MAX_TASKS = 1000;

/**
 * Status words that end a task as a failure when a submit asks for them; the task then reports
 * `error: { code: <word>, message }`. Any other word (`paused`…) is reported forever, without an error.
 */
const ENDING_WORDS: Readonly<Record<string, string>> = {
  failed: 'The task failed.',
  error: 'The task ended with an error.',
  cancelled: 'The task was cancelled.',
  canceled: 'The task was canceled.',
  expired: 'The task expired before it finished.',
  timeout: 'The task timed out.',
  timed_out: 'The task timed out.',
  rejected: 'The task was rejected.',
};

/** The `error` of a task failed by the `task_failed` fault. */
export const TASK_FAILED = { code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' } as const;

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore(settings: Pick<SimSettings, 'statusWord' | 'resultTtlSeconds'> & Partial<Pick<SimSettings, 'profile' | 'partialResults'>>) {
  const timelines = createTaskTimelines(settings);
  const index = createTaskIndex();
  /**
   * The kind profile's queue: while several tasks of one model wait, each waiting task reports its
   * place among them (`queue_position`, 1 = next). The service does not document a queue position,
   * so the strict profile never sends one.
   */
  function queuePosition(task: TaskRecord, at: number): number | undefined {
    if (settings.profile === 'strict' || phaseOf(task, at).status !== 'waiting') return undefined;
    let ahead = 0;
    let waiting = 0;
    let seen = false; // tasks are kept in the order they were created
    for (const other of index.all()) {
      if (other === task) seen = true;
      if (other.model !== task.model || phaseOf(other, at).status !== 'waiting') continue;
      waiting++;
      if (!seen) ahead++;
    }
    return waiting > 1 ? ahead + 1 : undefined;
  }
  return {
    ...timelines,
    ...index,
    queuePosition,
    taskBody(task: TaskRecord, base: string, at: number, withBusinessId: boolean): Record<string, unknown> {
      const body = timelines.taskBody(task, base, at, withBusinessId);
      const position = queuePosition(task, at);
      if (position !== undefined) body.queue_position = position;
      return body;
    },
  };
}

/** Where a task is on its timeline at `at` (clock milliseconds). */
function phaseOf(task: TaskRecord, at: number): Phase {
  const elapsed = Math.max(0, at - task.createdAt);
  if (elapsed < task.queuedMs) return { status: 'waiting', progress: 0 };
  const generating = elapsed - task.queuedMs;
  if (generating < task.generatingMs) {
    const progress = Math.min(99, Math.max(1, Math.floor((100 * generating) / task.generatingMs)));
    return { status: 'in_progress', progress };
  }
  const word = task.endStatus;
  if (word !== undefined && word !== 'completed') {
    const message = Object.hasOwn(ENDING_WORDS, word) ? ENDING_WORDS[word] : undefined;
    return message === undefined ? { status: 'ended', word } : { status: 'ended', word, error: { code: word, message } };
  }
  if (task.faults.has('task_failed')) return { status: 'failed' };
  return { status: 'completed', completedAt: Math.floor((task.createdAt + task.queuedMs + task.generatingMs) / 1000) };
}

/** Milliseconds (clock time) at which the task's timeline ends. */
function endsAt(task: TaskRecord): number {
  return task.createdAt + task.queuedMs + task.generatingMs;
}

/**
 * How many images of a running task are ready (`partialResults`, kind profile): image k of n once
 * progress has passed k/n; the last only on completion. 0 for a single image.
 */
function readyImages(task: TaskRecord, progress: number): number {
  return task.n > 1 ? Math.min(task.n - 1, Math.floor((progress * task.n) / 100)) : 0;
}

/** The `result` of a completed task (or its first `count` images); image URLs start with `base`. */
function result(task: TaskRecord, base: string, count = task.n): { type: 'image'; data: Array<{ url: string }> } {
  return {
    type: 'image',
    data: Array.from({ length: count }, (_, i) => ({
      url: `${base}/sim/images/${encodeURIComponent(task.id)}/${i}${task.fileToken ? `-${task.fileToken}` : ''}.png`,
    })),
  };
}

/** The timeline's reading of a task: its phase, status word, end, result and polled body. */
function createTaskTimelines({
  statusWord,
  resultTtlSeconds,
  partialResults = false,
}: Pick<SimSettings, 'statusWord' | 'resultTtlSeconds'> & Partial<Pick<SimSettings, 'partialResults'>>) {
  function statusString(phase: Phase): string {
    if (phase.status === 'ended') return phase.word;
    return phase.status === 'waiting' ? statusWord : phase.status;
  }

  /**
   * The task as `GET /v1/images/generations/:id` answers it at `at`; image URLs start with `base`;
   * `client_business_id` is included when the task has one and `withBusinessId` is set.
   */
  function taskBody(task: TaskRecord, base: string, at: number, withBusinessId: boolean): Record<string, unknown> {
    const phase = phaseOf(task, at);
    const body: Record<string, unknown> = {
      id: task.id,
      object: 'generation.task',
      model: task.model,
      status: statusString(phase),
      progress: 0,
      created_at: Math.floor(task.createdAt / 1000),
    };
    if (withBusinessId && task.clientBusinessId !== undefined) body.client_business_id = task.clientBusinessId;
    switch (phase.status) {
      case 'waiting':
        break;
      case 'in_progress': {
        body.progress = phase.progress;
        const ready = partialResults ? readyImages(task, phase.progress) : 0;
        if (ready > 0) body.result = result(task, base, ready);
        break;
      }
      case 'completed':
        body.progress = 100;
        body.completed_at = phase.completedAt;
        body.expires_at = phase.completedAt + resultTtlSeconds;
        body.result = result(task, base);
        break;
      case 'failed':
        body.error = { ...TASK_FAILED };
        break;
      case 'ended':
        if (phase.error) body.error = { ...phase.error };
        break;
    }
    return body;
  }

  /** Whether image `index` (0-based) of a task can be fetched at `at`: completed, or already handed out while running. */
  function imageReady(task: TaskRecord, index: number, at: number): boolean {
    const phase = phaseOf(task, at);
    if (phase.status === 'completed') return index < task.n;
    return partialResults && phase.status === 'in_progress' && index < readyImages(task, phase.progress);
  }

  return { phaseOf, statusString, endsAt, result, taskBody, imageReady };
}

/** The tasks kept, by id and by `client_business_id`. */
function createTaskIndex() {
  const tasks = new Map<string, TaskRecord>();
  const byBusinessId = new Map<string, string>();
  return {
    /** A task by its id only. */
    get: (id: string) => tasks.get(id),
    /** A task by id or `client_business_id`. */
    find(idOrBusinessId: string): TaskRecord | undefined {
      const direct = tasks.get(idOrBusinessId);
      if (direct) return direct;
      const viaBusiness = byBusinessId.get(idOrBusinessId);
      return viaBusiness === undefined ? undefined : tasks.get(viaBusiness);
    },
    /** Keeps the task, forgetting the oldest beyond 1000. */
    store(task: TaskRecord): void {
      tasks.set(task.id, task);
      if (task.clientBusinessId !== undefined) byBusinessId.set(task.clientBusinessId, task.id);
      while (tasks.size > MAX_TASKS) {
        const oldest = tasks.values().next().value;
        if (!oldest) break;
        tasks.delete(oldest.id);
        if (oldest.clientBusinessId !== undefined && byBusinessId.get(oldest.clientBusinessId) === oldest.id) {
          byBusinessId.delete(oldest.clientBusinessId);
        }
      }
    },
    /** Every task, oldest first. */
    all: () => tasks.values(),
    clear(): void {
      tasks.clear();
      byBusinessId.clear();
    },
  };
}
