/**
 * The simulator's tasks and their timelines. A task's state is computed from the clock on every
 * read (waiting, then `in_progress` with moving progress, then completed or failed), so there are
 * no timers and fake clocks drive it completely.
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
  pollRateLimited: number;
  spent: Set<OneShotFault>;
}

export type Phase =
  | { status: 'waiting'; progress: 0 }
  | { status: 'in_progress'; progress: number }
  | { status: 'completed'; completedAt: number }
  | { status: 'failed' };

const MAX_TASKS = 1000;
/** Seconds a result stays downloadable after completion. */
export const RESULT_TTL_SECONDS = 86_400;

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore({ statusWord }: Pick<SimSettings, 'statusWord'>) {
  const tasks = new Map<string, TaskRecord>();
  const byBusinessId = new Map<string, string>();

  function phaseOf(task: TaskRecord, at: number): Phase {
    const elapsed = Math.max(0, at - task.createdAt);
    if (elapsed < task.queuedMs) return { status: 'waiting', progress: 0 };
    const generating = elapsed - task.queuedMs;
    if (generating < task.generatingMs) {
      const progress = Math.min(99, Math.max(1, Math.floor((100 * generating) / task.generatingMs)));
      return { status: 'in_progress', progress };
    }
    if (task.faults.has('task_failed')) return { status: 'failed' };
    return { status: 'completed', completedAt: Math.floor((task.createdAt + task.queuedMs + task.generatingMs) / 1000) };
  }

  function statusString(phase: Phase): string {
    return phase.status === 'waiting' ? statusWord : phase.status;
  }

  /** The task as `GET /v1/images/generations/:id` answers it at `at`; image URLs start with `base`. */
  function taskBody(task: TaskRecord, base: string, at: number): Record<string, unknown> {
    const phase = phaseOf(task, at);
    const body: Record<string, unknown> = {
      id: task.id,
      object: 'generation.task',
      model: task.model,
      status: statusString(phase),
      progress: 0,
      created_at: Math.floor(task.createdAt / 1000),
    };
    if (task.clientBusinessId !== undefined) body.client_business_id = task.clientBusinessId;
    switch (phase.status) {
      case 'waiting':
        break;
      case 'in_progress':
        body.progress = phase.progress;
        break;
      case 'completed':
        body.progress = 100;
        body.completed_at = phase.completedAt;
        body.expires_at = phase.completedAt + RESULT_TTL_SECONDS;
        body.result = {
          type: 'image',
          data: Array.from({ length: task.n }, (_, i) => ({
            url: `${base}/sim/images/${encodeURIComponent(task.id)}/${i}${task.fileToken ? `-${task.fileToken}` : ''}.png`,
          })),
        };
        break;
      case 'failed':
        body.error = { code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' };
        break;
    }
    return body;
  }

  return {
    phaseOf,
    statusString,
    taskBody,
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
