/** The poller's push path: streams when offered, at most `maxWatches` at once, polling otherwise. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPoller } from '../../src/core/poller';
import { STREAM_RECONNECT, ToapisError } from '../../src/core/errors';
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
  it('a stream the server ends on purpose is resumed after one read; one ended at once falls back to polling', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const watches: string[] = [];
    const polls: string[] = [];
    const poller = createPoller({
      getTask: async (id) => {
        polls.push(id);
        // `long` is done at its third read.
        return snap(id, id === 'long' && polls.filter((p) => p === 'long').length >= 3 ? 'completed' : 'generating', 50);
      },
      watchTask: (id) => {
        watches.push(id);
        // `long` streams live 5 s before the server closes them; `flaky` is closed at once.
        const lifetime = id === 'long' ? 5000 : 0;
        return new Promise<TaskSnapshot>((_resolve, reject) =>
          setTimeout(() => reject(new ToapisError('network', 'closed by the server', { code: STREAM_RECONNECT })), lifetime),
        );
      },
      canWatch: async () => true,
      onUpdate: () => {},
      onError: () => {},
      interval: 1000,
      random: () => 0,
    });
    poller.track('long', { immediate: true });
    poller.track('flaky', { immediate: true });
    for (let i = 0; i < 40 && poller.tracked.includes('long'); i++) await vi.advanceTimersByTimeAsync(500);
    expect(poller.tracked).not.toContain('long');
    const longWatches = watches.filter((id) => id === 'long').length;
    expect(longWatches).toBeGreaterThanOrEqual(2); // streamed, closed, read once, streamed again
    expect(polls.filter((id) => id === 'long').length).toBeLessThanOrEqual(longWatches + 1);
    expect(watches.filter((id) => id === 'flaky')).toEqual(['flaky']); // closed at once: polled from then on
    expect(polls.filter((id) => id === 'flaky').length).toBeGreaterThan(2);
    poller.stop();
  });

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

describe('poller with watchTask: rate limits announced by the stream', () => {
  it('passes the stream’s retry announcement on as onRetry for that task, and stops once the task ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const retries: Array<[string, string, number]> = [];
    let finishStream: ((s: TaskSnapshot) => void) | undefined;
    let announce: ((e: ToapisError, ms: number) => void) | undefined;
    const poller = createPoller({
      getTask: async (id) => snap(id, 'generating', 10),
      watchTask: (id, { onSnapshot, onRetry }) =>
        new Promise<TaskSnapshot>((resolve) => {
          announce = (e, ms) => onRetry?.(e, ms);
          finishStream = (s) => {
            onSnapshot(s);
            resolve(s);
          };
        }),
      canWatch: async () => true,
      onUpdate: () => {},
      onError: () => {},
      onRetry: (id, error, delayMs) => retries.push([id, error.kind, delayMs]),
      interval: 1000,
      random: () => 0,
    });
    poller.track('t1', { immediate: true });
    for (let i = 0; i < 10 && !announce; i++) await vi.advanceTimersByTimeAsync(100);
    expect(announce).toBeDefined();
    announce!(new ToapisError('rate_limit', 'slow down', { status: 429, retryAfterMs: 8000 }), 8000);
    expect(retries).toEqual([['t1', 'rate_limit', 8000]]);
    finishStream!(snap('t1', 'completed', 100));
    await vi.advanceTimersByTimeAsync(0);
    announce!(new ToapisError('rate_limit', 'late', { status: 429 }), 1000); // after the end: ignored
    expect(retries).toHaveLength(1);
    expect(poller.tracked).not.toContain('t1');
    poller.stop();
  });
});
