/** The task state machine: every event from every phase (the reducer's table), and the phase helpers. */
import { describe, expect, it } from 'vitest';
import { ToapisError } from '../../src/core/errors';
import type { TaskSnapshot } from '../../src/core/protocol';
import {
  TASK_PHASES,
  isResumable,
  isRetryable,
  isRunning,
  isTerminal,
  newTask,
  reduceTask,
  type GenerationTask,
  type TaskChange,
  type TaskPhase,
} from '../../src/core/task';

const AT = 1_000_000;
const LATER = AT + 5_000;

function task(phase: TaskPhase, extra: Partial<GenerationTask> = {}): GenerationTask {
  return {
    ...newTask({ id: 't1', phase: 'submitting', request: { model: 'm', prompt: 'a cat', client_business_id: 'b1' }, model: 'm', at: AT }),
    phase,
    ...extra,
  };
}

const snapshot = (over: Partial<TaskSnapshot>): TaskSnapshot => ({ id: 'up1', status: 'in_progress', phase: 'generating', progress: 40, images: [], ...over });
const networkError = new ToapisError('network', 'offline');

/** One event of each type. */
const EVENTS: Record<TaskChange['type'], TaskChange> = {
  submitted: { type: 'submitted', taskId: 'up1' },
  snapshot: { type: 'snapshot', snapshot: snapshot({}) },
  'retry-scheduled': { type: 'retry-scheduled', retry: { error: new ToapisError('rate_limit', 'slow down'), delayMs: 3000, at: LATER + 3000 } },
  failed: { type: 'failed', error: networkError },
  cancelled: { type: 'cancelled' },
  retried: { type: 'retried', request: { model: 'm', prompt: 'a cat', client_business_id: 'b2' } },
  resumed: { type: 'resumed' },
};

const ACTIVE: TaskPhase[] = ['idle', 'submitting', 'queued', 'generating'];

/** What each event does to a task that has not ended, whatever its phase. */
const EXPECTED_WHILE_ACTIVE: Record<TaskChange['type'], (before: GenerationTask) => Partial<GenerationTask> | 'unchanged'> = {
  submitted: () => ({ taskId: 'up1', retry: undefined }),
  snapshot: () => ({ phase: 'generating', progress: 40, status: 'in_progress', taskId: 'up1' }),
  'retry-scheduled': () => ({ retry: expect.objectContaining({ delayMs: 3000 }) }),
  failed: () => ({ phase: 'failed', error: networkError, retry: undefined }),
  cancelled: () => ({ phase: 'cancelled', retry: undefined }),
  retried: () => 'unchanged',
  resumed: () => 'unchanged',
};

describe('reduceTask: every event from every phase', () => {
  for (const phase of ACTIVE) {
    for (const [type, event] of Object.entries(EVENTS) as [TaskChange['type'], TaskChange][]) {
      it(`${phase} + ${type}`, () => {
        const before = task(phase);
        const after = reduceTask(before, { ...event, at: LATER });
        const expected = EXPECTED_WHILE_ACTIVE[type](before);
        if (expected === 'unchanged') expect(after).toBe(before);
        else {
          expect(after).not.toBe(before);
          expect(after).toMatchObject({ ...expected, updatedAt: LATER });
        }
      });
    }
  }

  describe('terminal phases absorb every progress event', () => {
    for (const phase of ['completed', 'failed', 'cancelled'] as const) {
      for (const type of ['submitted', 'snapshot', 'retry-scheduled', 'failed', 'cancelled'] as const) {
        it(`${phase} + ${type} changes nothing`, () => {
          const before = task(phase, { taskId: 'up0', error: phase === 'failed' ? networkError : undefined });
          expect(reduceTask(before, { ...EVENTS[type], at: LATER })).toBe(before);
        });
      }
    }
  });

  it('failed + retried: a fresh attempt with the new request', () => {
    const before = task('failed', { taskId: 'up0', error: networkError, progress: 50, images: [{ url: 'https://x/1.png' }] });
    expect(reduceTask(before, { ...EVENTS.retried, at: LATER })).toMatchObject({
      phase: 'submitting',
      taskId: undefined,
      error: undefined,
      progress: null,
      images: [],
      clientBusinessId: 'b2',
      request: { client_business_id: 'b2' },
      createdAt: LATER,
    });
  });

  it('cancelled + retried: the same', () => {
    expect(reduceTask(task('cancelled'), { ...EVENTS.retried, at: LATER }).phase).toBe('submitting');
  });

  it('completed + retried and completed + resumed change nothing', () => {
    const before = task('completed', { taskId: 'up0' });
    expect(reduceTask(before, { ...EVENTS.retried, at: LATER })).toBe(before);
    expect(reduceTask(before, { ...EVENTS.resumed, at: LATER })).toBe(before);
  });

  it('failed + resumed: followed again when it exists upstream and the failure was transient', () => {
    const withProgress = task('failed', { taskId: 'up0', error: networkError, progress: 30 });
    expect(reduceTask(withProgress, { type: 'resumed', at: LATER })).toMatchObject({ phase: 'generating', error: undefined });
    const without = task('failed', { taskId: 'up0', error: networkError, progress: null });
    expect(reduceTask(without, { type: 'resumed', at: LATER }).phase).toBe('queued');
    // Not created upstream, or refused for good: nothing to follow.
    const noId = task('failed', { error: networkError });
    expect(reduceTask(noId, { type: 'resumed', at: LATER })).toBe(noId);
    const refused = task('failed', { taskId: 'up0', error: new ToapisError('content_policy', 'no') });
    expect(reduceTask(refused, { type: 'resumed', at: LATER })).toBe(refused);
    const cancelled = task('cancelled', { taskId: 'up0' });
    expect(reduceTask(cancelled, { type: 'resumed', at: LATER })).toBe(cancelled);
  });
});

describe('reduceTask: snapshots', () => {
  it('progress never moves backwards, and a queued snapshot keeps it', () => {
    const at50 = task('generating', { progress: 50 });
    expect(reduceTask(at50, { type: 'snapshot', snapshot: snapshot({ progress: 20 }), at: LATER }).progress).toBe(50);
    expect(reduceTask(at50, { type: 'snapshot', snapshot: snapshot({ progress: null }), at: LATER }).progress).toBe(50);
    expect(reduceTask(at50, { type: 'snapshot', snapshot: snapshot({ phase: 'queued', status: 'queued', progress: 0 }), at: LATER })).toMatchObject({ phase: 'queued', progress: 50 });
  });

  it('completed: 100 %, the images, completedAt and expiry (expires_at, else 24 h)', () => {
    const images = [{ url: 'https://files.example/1.png' }];
    const done = reduceTask(task('generating'), { type: 'snapshot', snapshot: snapshot({ phase: 'completed', status: 'completed', progress: null, images, revisedPrompt: 'a fat cat' }), at: LATER });
    expect(done).toMatchObject({ phase: 'completed', progress: 100, images, revisedPrompt: 'a fat cat', completedAt: LATER, expiresAt: LATER + 24 * 3600_000 });
    const stamped = reduceTask(task('generating'), { type: 'snapshot', snapshot: snapshot({ phase: 'completed', status: 'completed', images, expiresAt: 2_000_000 }), at: LATER });
    expect(stamped.expiresAt).toBe(2_000_000_000);
  });

  it('failed: the error kind comes from the code (content policy or task failed)', () => {
    const refused = reduceTask(task('generating'), { type: 'snapshot', snapshot: snapshot({ phase: 'failed', status: 'failed', error: { code: 'content_policy_violation', message: 'Refused.' } }), at: LATER });
    expect(refused).toMatchObject({ phase: 'failed', status: 'failed', error: { kind: 'content_policy', code: 'content_policy_violation', message: 'Refused.' } });
    const failed = reduceTask(task('generating'), { type: 'snapshot', snapshot: snapshot({ phase: 'failed', status: 'failed', error: { code: 'generation_failed', message: 'Broke.' } }), at: LATER });
    expect(failed.error).toMatchObject({ kind: 'task_failed', code: 'generation_failed' });
    expect(failed.error).toBeInstanceOf(ToapisError);
  });
});

describe('reduceTask: generatingAt and queuePosition', () => {
  const queuedSnap = (queuePosition?: number) =>
    snapshot({ phase: 'queued', status: 'queued', progress: null, ...(queuePosition !== undefined && { queuePosition }) });

  it('generatingAt is set by the snapshot that moves the task to generating, never by a queued one', () => {
    const queued = reduceTask(task('submitting'), { type: 'snapshot', snapshot: queuedSnap(), at: AT + 30_000 });
    expect(queued.generatingAt).toBeUndefined();
    const generating = reduceTask(queued, { type: 'snapshot', snapshot: snapshot({}), at: AT + 31_000 });
    expect(generating.generatingAt).toBe(AT + 31_000);
  });

  it('later snapshots never reset it, completion keeps it', () => {
    const generating = reduceTask(task('queued'), { type: 'snapshot', snapshot: snapshot({ progress: 10 }), at: AT });
    const later = reduceTask(generating, { type: 'snapshot', snapshot: snapshot({ progress: 60 }), at: LATER });
    expect(later.generatingAt).toBe(AT);
    const requeued = reduceTask(later, { type: 'snapshot', snapshot: queuedSnap(), at: LATER + 1 });
    expect(requeued.generatingAt).toBe(AT);
    const done = reduceTask(later, { type: 'snapshot', snapshot: snapshot({ phase: 'completed', status: 'completed', images: [{ url: 'https://x/1.png' }] }), at: LATER + 2 });
    expect(done).toMatchObject({ phase: 'completed', generatingAt: AT, completedAt: LATER + 2 });
  });

  it('a task completed without being seen generating has none', () => {
    const done = reduceTask(task('queued'), { type: 'snapshot', snapshot: snapshot({ phase: 'completed', status: 'completed', images: [{ url: 'https://x/1.png' }] }), at: LATER });
    expect(done.generatingAt).toBeUndefined();
  });

  it('retried clears it; resumed keeps it', () => {
    const failed = task('failed', { taskId: 'up0', error: networkError, progress: 30, generatingAt: AT });
    expect(reduceTask(failed, { type: 'resumed', at: LATER }).generatingAt).toBe(AT);
    const retried = reduceTask(failed, { ...EVENTS.retried, at: LATER });
    expect(retried.phase).toBe('submitting');
    expect(retried).not.toHaveProperty('generatingAt');
  });

  it('queuePosition follows the latest queued snapshot and is dropped once the task leaves the queue', () => {
    const third = reduceTask(task('submitting'), { type: 'snapshot', snapshot: queuedSnap(3), at: AT });
    expect(third).toMatchObject({ phase: 'queued', queuePosition: 3 });
    expect(reduceTask(third, { type: 'snapshot', snapshot: queuedSnap(1), at: AT + 1 }).queuePosition).toBe(1);
    expect(reduceTask(third, { type: 'snapshot', snapshot: queuedSnap(), at: AT + 1 })).not.toHaveProperty('queuePosition');
    expect(reduceTask(third, { type: 'snapshot', snapshot: snapshot({ queuePosition: 2 }), at: AT + 1 })).not.toHaveProperty('queuePosition');
    expect(reduceTask(third, { type: 'cancelled', at: AT + 1 })).not.toHaveProperty('queuePosition');
    expect(reduceTask(third, { type: 'failed', error: networkError, at: AT + 1 })).not.toHaveProperty('queuePosition');
  });
});

describe('phase helpers', () => {
  it('isRunning: submitting, queued, generating', () => {
    expect(TASK_PHASES.filter(isRunning)).toEqual(['submitting', 'queued', 'generating']);
  });

  it('isTerminal: completed, failed, cancelled', () => {
    expect(TASK_PHASES.filter(isTerminal)).toEqual(['completed', 'failed', 'cancelled']);
  });

  it('idle is neither; no phase is both', () => {
    expect(isRunning('idle') || isTerminal('idle')).toBe(false);
    for (const p of TASK_PHASES) expect(isRunning(p) && isTerminal(p)).toBe(false);
  });

  it('isRetryable: failed and cancelled; isResumable needs an upstream id and a transient failure', () => {
    expect(TASK_PHASES.filter(isRetryable)).toEqual(['failed', 'cancelled']);
    expect(isResumable({ phase: 'failed', taskId: 'x', error: new ToapisError('timeout', 't') })).toBe(true);
    expect(isResumable({ phase: 'failed', taskId: 'x', error: new ToapisError('quota', 'q') })).toBe(false);
  });
});
