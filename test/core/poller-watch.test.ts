/** The poller's push path: streams when offered, at most `maxWatches` at once, polling otherwise. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPoller } from '../../src/core/poller';
import { ToapisError } from '../../src/core/errors';
import type { TaskSnapshot } from '../../src/core/protocol';

const snap = (id: string, phase: TaskSnapshot['phase'], progress: number | null = null): TaskSnapshot => ({
  id,
  status: phase === 'generating' ? 'in_progress' : phase,
  phase,
  progress,
  images: phase === 'completed' ? [{ url: `https://x.test/${id}.png` }] : [],
});

afterEach(() => vi.useRealTimers());

describe('poller with watchTask', () => {
  it('streams at most maxWatches tasks; the rest are polled until a stream frees up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const open = new Map<string, (s: TaskSnapshot) => void>();
    const polls: string[] = [];
    const updates: string[] = [];
    const poller = createPoller({
      getTask: async (id) => {
        polls.push(id);
        return snap(id, 'generating', 10);
      },
      watchTask: (id, { onSnapshot }) =>
        new Promise<TaskSnapshot>((resolve) => {
          open.set(id, (s) => {
            onSnapshot(s);
            open.delete(id);
            resolve(s);
          });
        }),
      canWatch: async () => true,
      maxWatches: 2,
      onUpdate: (id, s) => updates.push(`${id}:${s.phase}`),
      onError: () => {},
      interval: 1000,
      random: () => 0,
    });
    for (const id of ['a', 'b', 'c']) poller.track(id);
    await vi.advanceTimersByTimeAsync(0);
    expect([...open.keys()]).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(polls).toEqual(['c']); // the third is polled
    open.get('a')!(snap('a', 'completed', 100));
    await vi.advanceTimersByTimeAsync(1000); // c's next read succeeds, then it moves to the free stream
    expect([...open.keys()].sort()).toEqual(['b', 'c']);
    const pollsBefore = polls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls.length).toBe(pollsBefore); // streamed tasks are not polled
    expect(updates).toContain('a:completed');
    open.get('b')!(snap('b', 'completed', 100));
    open.get('c')!(snap('c', 'completed', 100));
    await vi.advanceTimersByTimeAsync(0);
    expect(poller.tracked).toEqual([]);
    expect(poller.hasTimer).toBe(false);
    poller.stop();
  });

  it('a stream that fails with a retryable error falls back to polling; a 404 ends the task', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const errors: string[] = [];
    const polls: string[] = [];
    const poller = createPoller({
      getTask: async (id) => {
        polls.push(id);
        return snap(id, 'completed', 100);
      },
      watchTask: async (id) => {
        throw id === 'gone' ? new ToapisError('not_found', 'Task not found', { status: 404 }) : new ToapisError('network', 'broke');
      },
      canWatch: async () => true,
      onUpdate: () => {},
      onError: (id, e) => errors.push(`${id}:${e.kind}`),
      interval: 1000,
      random: () => 0,
    });
    poller.track('flaky');
    poller.track('gone');
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toEqual(['gone:not_found']);
    expect(polls).toEqual(['flaky']); // fell back at once
    expect(poller.tracked).toEqual([]);
    poller.stop();
  });
});
