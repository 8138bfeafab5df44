import { ToapisError, type ToapisErrorKind } from '../../src/core/errors';
import { DEFAULT_CADENCE, alwaysOnEnvironment, createPoller, type PollerEnvironment, type PollerOptions } from '../../src/core/poller';
import { parseTask, type TaskSnapshot } from '../../src/core/protocol';

const T0 = 1_767_000_000_000;
const HOUR = 3_600_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Harness: a scripted getTask (no network) that records every call
 * -----------------------------------------------------------------------------------------------*/

type Step = TaskSnapshot | Error | 'hang';

function snap(id: string, status: string, progress?: number): TaskSnapshot {
  return parseTask({
    id,
    status,
    ...(progress !== undefined && { progress }),
    ...(status === 'completed' && { result: { data: [{ url: `https://files.toapis.com/${id}.png` }] } }),
  });
}

const err = (kind: ToapisErrorKind, retryAfterMs?: number) =>
  new ToapisError(kind, `${kind} error`, retryAfterMs === undefined ? {} : { retryAfterMs });

interface Call {
  id: string;
  at: number; // ms since T0
  signal: AbortSignal;
}

function harness(script: Record<string, Step[]>, options: Partial<PollerOptions> = {}) {
  const calls: Call[] = [];
  const cursor = new Map<string, number>();
  const getTask = vi.fn((id: string, { signal }: { signal: AbortSignal }): Promise<TaskSnapshot> => {
    calls.push({ id, at: Date.now() - T0, signal });
    const steps = script[id] ?? [snap(id, 'queued')];
    const i = cursor.get(id) ?? 0;
    cursor.set(id, i + 1);
    const step = steps[Math.min(i, steps.length - 1)]!;
    if (step === 'hang') {
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  });
  const onUpdate = vi.fn<(id: string, s: TaskSnapshot) => void>();
  const onError = vi.fn<(id: string, e: ToapisError) => void>();
  const onRetry = vi.fn<(id: string, e: ToapisError, delayMs: number) => void>();
  const poller = createPoller({ getTask, onUpdate, onError, onRetry, random: () => 0, ...options });
  const times = (id?: string) => calls.filter((c) => id === undefined || c.id === id).map((c) => c.at);
  return { poller, calls, getTask, onUpdate, onError, onRetry, times };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** A cadence shorter than the backoff steps, so the backoff itself shows in the read times. */
const FAST = { cadence: { queuedMs: 500, generatingMs: 500 } } as const;

function fakeEnvironment(online = true, visible = true) {
  const listeners = new Set<() => void>();
  const state = { online, visible };
  const env: PollerEnvironment = {
    isOnline: () => state.online,
    isVisible: () => state.visible,
    subscribe: vi.fn((listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  const set = (next: Partial<typeof state>) => {
    Object.assign(state, next);
    for (const l of [...listeners]) l();
  };
  return { env, set, listeners };
}

/* -------------------------------------------------------------------------------------------------
 * Cadence
 * -----------------------------------------------------------------------------------------------*/

describe('cadence', () => {
  it('defaults follow docs/toapis-api.md §3.3 in spirit: 3 s first, 5 s queued, 4 s generating, 20 % jitter', () => {
    expect(DEFAULT_CADENCE).toEqual({ firstDelayMs: 3000, queuedMs: 5000, generatingMs: 4000, jitter: 0.2 });
  });

  it('first read happens after cadence.firstDelayMs, not before', async () => {
    const h = harness({});
    h.poller.track('t1');
    expect(h.poller.hasTimer).toBe(true);
    await advance(2999);
    expect(h.calls).toHaveLength(0);
    await advance(1);
    expect(h.times()).toEqual([3000]);
    expect(h.getTask).toHaveBeenCalledWith('t1', { signal: expect.any(AbortSignal) });
  });

  it('custom firstDelayMs', async () => {
    const h = harness({}, { cadence: { firstDelayMs: 250 } });
    h.poller.track('t1');
    await advance(249);
    expect(h.calls).toHaveLength(0);
    await advance(1);
    expect(h.times()).toEqual([250]);
  });

  it('`immediate` reads right away', async () => {
    const h = harness({});
    h.poller.track('t1', { immediate: true });
    await advance(0);
    expect(h.times()).toEqual([0]);
  });

  it('waits queuedMs while queued and generatingMs while generating (no jitter when random is 0)', async () => {
    const h = harness({
      t1: [snap('t1', 'queued'), snap('t1', 'submitted'), snap('t1', 'in_progress', 30), snap('t1', 'in_progress', 60), snap('t1', 'completed')],
    });
    h.poller.track('t1');
    await advance(60_000);
    // 3000 first; +5000 after queued; +5000 after submitted; +4000 after in_progress twice
    expect(h.times()).toEqual([3000, 8000, 13000, 17000, 21000]);
    expect(h.onUpdate.mock.calls.map(([, s]) => s.status)).toEqual(['queued', 'submitted', 'in_progress', 'in_progress', 'completed']);
  });

  it('custom cadence per phase', async () => {
    const h = harness(
      { t1: [snap('t1', 'pending'), snap('t1', 'in_progress'), snap('t1', 'completed')] },
      { cadence: { firstDelayMs: 100, queuedMs: 1000, generatingMs: 300, jitter: 0 } },
    );
    h.poller.track('t1');
    await advance(10_000);
    expect(h.times()).toEqual([100, 1100, 1400]);
  });

  it('jitter adds random * jitter * interval, using the injected random', async () => {
    const randoms = [0.5, 0.999, 0.25];
    let i = 0;
    const h = harness(
      { t1: [snap('t1', 'queued'), snap('t1', 'in_progress'), snap('t1', 'queued'), snap('t1', 'completed')] },
      { random: () => randoms[i++ % randoms.length]! },
    );
    h.poller.track('t1');
    await advance(60_000);
    const t = h.times();
    const gaps = t.slice(1).map((x, k) => x - t[k]!);
    // queued 5000*(1+0.2*0.5)=5500; generating 4000*(1+0.2*0.999)=4799; queued 5000*(1+0.2*0.25)=5250
    expect(gaps).toEqual([5500, 4799, 5250]);
  });

  it('with Math.random, every gap stays within [interval, interval * (1 + jitter)]', async () => {
    const steps: Step[] = [...Array.from({ length: 30 }, () => snap('t1', 'queued')), snap('t1', 'completed')];
    const h = harness({ t1: steps }, { random: Math.random });
    h.poller.track('t1');
    await advance(30 * 6000 + 10_000);
    const t = h.times();
    expect(t).toHaveLength(31);
    for (let k = 1; k < t.length; k += 1) {
      const gap = t[k]! - t[k - 1]!;
      expect(gap).toBeGreaterThanOrEqual(5000);
      expect(gap).toBeLessThanOrEqual(6000);
    }
  });

  it('`interval` overrides the first delay and every phase', async () => {
    const h = harness(
      { t1: [snap('t1', 'queued'), snap('t1', 'in_progress'), snap('t1', 'in_progress'), snap('t1', 'completed')] },
      { interval: 2000 },
    );
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([2000, 4000, 6000, 8000]);
  });

  it('`interval` is also the floor of the error backoff', async () => {
    const h = harness({ t1: [err('server'), snap('t1', 'completed')] }, { interval: 10_000 });
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([10_000, 20_000]);
    expect(h.onRetry).toHaveBeenCalledWith('t1', expect.any(ToapisError), 10_000);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Terminal states and unknown statuses
 * -----------------------------------------------------------------------------------------------*/

describe('terminal states', () => {
  it.each(['completed', 'failed', 'SUCCESS', 'FAILURE'])('%s: onUpdate, then untracked, no timer, no more reads', async (status) => {
    const final = status === 'SUCCESS' ? parseTask({ id: 't1', status, url: 'https://a.test/x.png' }) : snap('t1', status);
    const h = harness({ t1: [snap('t1', 'queued'), final] });
    h.poller.track('t1');
    await advance(8000);
    expect(h.times()).toEqual([3000, 8000]);
    expect(h.onUpdate).toHaveBeenCalledTimes(2);
    expect(h.onUpdate).toHaveBeenLastCalledWith('t1', final);
    expect(h.poller.tracked).toEqual([]);
    expect(h.poller.hasTimer).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await advance(HOUR);
    expect(h.calls).toHaveLength(2);
    expect(h.onError).not.toHaveBeenCalled();
  });

  it('an unknown status keeps polling', async () => {
    const h = harness({
      t1: [
        parseTask({ id: 't1', status: 'mystery' }),
        parseTask({ id: 't1', status: 'warming_up' }),
        parseTask({ id: 't1', status: 'unknown' }),
        snap('t1', 'completed'),
      ],
    });
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 8000, 13000, 18000]);
    expect(h.poller.tracked).toEqual([]);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Errors: backoff, no-retry kinds, failure budget, deadline
 * -----------------------------------------------------------------------------------------------*/

describe('errors', () => {
  it('backs off 1 s, 2 s, 4 s on retryable errors, then resumes the cadence', async () => {
    const h = harness({ t1: [err('server'), err('network'), err('rate_limit'), snap('t1', 'queued'), snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 4000, 6000, 10_000, 10_500]); // then the (FAST) cadence again
    expect(h.onRetry.mock.calls.map(([, e, d]) => [e.kind, d])).toEqual([
      ['server', 1000],
      ['network', 2000],
      ['rate_limit', 4000],
    ]);
    expect(h.onError).not.toHaveBeenCalled();
  });

  it('a 429 never makes polling faster than the normal cadence: the next read waits max(Retry-After, backoff, cadence)', async () => {
    // Default cadence: first read at 3 s, then 5 s apart while queued.
    const h = harness({ t1: [snap('t1', 'queued'), err('rate_limit', 1000), err('rate_limit', 1000), snap('t1', 'queued'), snap('t1', 'completed')] });
    h.poller.track('t1');
    await advance(60_000);
    const times = h.times();
    expect(times).toEqual([3000, 8000, 13_000, 18_000, 23_000]);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5000);
  });

  it('a long Retry-After still wins over the cadence', async () => {
    const h = harness({ t1: [snap('t1', 'queued'), err('rate_limit', 12_000), snap('t1', 'completed')] });
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 8000, 20_000]);
  });

  it('a success resets the backoff', async () => {
    const h = harness({ t1: [err('server'), err('server'), snap('t1', 'queued'), err('server'), snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 4000, 6000, 6500, 7500]); // 1 s again after the success, not 8 s
  });

  it('honours Retry-After as a floor', async () => {
    const h = harness({ t1: [err('rate_limit', 7000), err('rate_limit', 500), snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(60_000);
    // 3000 + max(1000, 7000); then 10000 + max(2000, 500)
    expect(h.times()).toEqual([3000, 10_000, 12_000]);
    expect(h.onRetry.mock.calls.map(([, , d]) => d)).toEqual([7000, 2000]);
  });

  it('caps the backoff at maxBackoffMs', async () => {
    const h = harness({ t1: [err('server'), err('server'), err('server'), snap('t1', 'completed')] }, { ...FAST, ...{ maxBackoffMs: 1500 } });
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 4000, 5500, 7000]);
  });

  it('a plain thrown TypeError counts as a network error and is retried', async () => {
    const h = harness({ t1: [new TypeError('fetch failed'), snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(60_000);
    expect(h.times()).toEqual([3000, 4000]);
    expect(h.onRetry.mock.calls[0]![1].kind).toBe('network');
  });

  it.each<ToapisErrorKind>(['invalid_request', 'authentication', 'quota', 'not_found', 'content_policy', 'task_failed', 'aborted'])(
    '%s is not retried: exactly one read, onError once, task dropped',
    async (kind) => {
      const e = err(kind);
      const h = harness({ t1: [e, snap('t1', 'completed')] });
      h.poller.track('t1');
      await advance(3000);
      expect(h.calls).toHaveLength(1);
      expect(h.onError).toHaveBeenCalledTimes(1);
      expect(h.onError).toHaveBeenCalledWith('t1', e);
      expect(h.onRetry).not.toHaveBeenCalled();
      expect(h.poller.tracked).toEqual([]);
      expect(h.poller.hasTimer).toBe(false);
      await advance(HOUR);
      expect(h.calls).toHaveLength(1);
      expect(h.onError).toHaveBeenCalledTimes(1);
    },
  );

  it('a garbled body (protocol) gets two more reads with backoff, then fails', async () => {
    const last = err('protocol');
    const h = harness({ t1: [err('protocol'), err('protocol'), last, snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 4000, 6000]);
    expect(h.onRetry.mock.calls.map(([, e, d]) => [e.kind, d])).toEqual([
      ['protocol', 1000],
      ['protocol', 2000],
    ]);
    expect(h.onError).toHaveBeenCalledTimes(1);
    expect(h.onError).toHaveBeenCalledWith('t1', last);
    expect(h.poller.tracked).toEqual([]);
  });

  it('a protocol error followed by a good read recovers', async () => {
    const h = harness({ t1: [err('protocol'), snap('t1', 'completed')] }, FAST);
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 4000]);
    expect(h.onError).not.toHaveBeenCalled();
    expect(h.onUpdate.mock.calls.at(-1)![1].phase).toBe('completed');
  });

  it('a non-retryable error on one task does not disturb another', async () => {
    const h = harness({ bad: [err('not_found')], good: [snap('good', 'queued'), snap('good', 'completed')] });
    h.poller.track('bad');
    h.poller.track('good');
    await advance(60_000);
    expect(h.times('bad')).toEqual([3000]);
    expect(h.times('good')).toEqual([3000, 8000]);
    expect(h.onError.mock.calls.map(([id]) => id)).toEqual(['bad']);
  });

  it('gives up after maxConsecutiveFailures with the last error', async () => {
    const last = err('server');
    const h = harness({ t1: [err('network'), err('rate_limit'), last, snap('t1', 'completed')] }, { ...FAST, ...{ maxConsecutiveFailures: 3 } });
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 4000, 6000]);
    expect(h.onRetry).toHaveBeenCalledTimes(2);
    expect(h.onError).toHaveBeenCalledTimes(1);
    expect(h.onError).toHaveBeenCalledWith('t1', last);
    expect(h.poller.tracked).toEqual([]);
  });

  it('default failure budget is 12 consecutive failures', async () => {
    const h = harness({ t1: [err('server')] });
    h.poller.track('t1');
    await advance(24 * HOUR);
    expect(h.calls).toHaveLength(12);
    expect(h.onError).toHaveBeenCalledTimes(1);
    expect(h.onError.mock.calls[0]![1].kind).toBe('server');
  });

  it('reports a timeout once the deadline has passed, and stops', async () => {
    const h = harness({ t1: [snap('t1', 'queued')] }, { deadlineMs: 20_000 });
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 8000, 13_000, 18_000, 23_000]);
    expect(h.onError).toHaveBeenCalledTimes(1);
    const [id, e] = h.onError.mock.calls[0]!;
    expect(id).toBe('t1');
    expect(e).toBeInstanceOf(ToapisError);
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('20 s');
    expect(h.poller.tracked).toEqual([]);
    expect(h.poller.hasTimer).toBe(false);
  });

  it('a status word the kit does not know keeps the normal cadence, then ends at the deadline naming it', async () => {
    const h = harness({ t1: [snap('t1', 'paused_by_ops')] }, { deadlineMs: 20_000 });
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 8000, 13_000, 18_000, 23_000]); // the same cadence as queued
    expect(h.onError).toHaveBeenCalledTimes(1);
    const e = h.onError.mock.calls[0]![1] as ToapisError;
    expect(e.kind).toBe('timeout');
    expect(e.code).toBe('unknown_status');
    expect(e.message).toContain('20 s');
    expect(e.message).toContain('"paused_by_ops"');
  });

  it('a documented waiting status at the deadline is a plain timeout (no unknown-status code)', async () => {
    const h = harness({ t1: [snap('t1', 'submitted')] }, { deadlineMs: 20_000 });
    h.poller.track('t1');
    await advance(HOUR);
    const e = h.onError.mock.calls[0]![1] as ToapisError;
    expect(e.code).toBeUndefined();
    expect(e.message).not.toContain('status');
  });

  it('a task that completes on the read after the deadline is still a success', async () => {
    const h = harness({ t1: [snap('t1', 'queued'), snap('t1', 'completed')] }, { deadlineMs: 5000 });
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 8000]);
    expect(h.onUpdate.mock.calls.at(-1)![1].phase).toBe('completed');
    expect(h.onError).not.toHaveBeenCalled();
  });

  it('deadline is measured from startedAt (resumed tasks)', async () => {
    const h = harness({ t1: [snap('t1', 'queued')] }, { deadlineMs: 60_000 });
    h.poller.track('t1', { startedAt: T0 - 60_000, immediate: true });
    await advance(0);
    expect(h.calls).toHaveLength(1);
    expect(h.onError.mock.calls[0]![1].kind).toBe('timeout');
  });

  it('a retryable error after the deadline becomes a timeout', async () => {
    const h = harness({ t1: [snap('t1', 'queued'), err('server')] }, { deadlineMs: 5000 });
    h.poller.track('t1');
    await advance(HOUR);
    expect(h.times()).toEqual([3000, 8000]);
    expect(h.onRetry).not.toHaveBeenCalled();
    expect(h.onError.mock.calls.map(([, e]) => e.kind)).toEqual(['timeout']);
  });
});

/* -------------------------------------------------------------------------------------------------
 * One timer for many tasks
 * -----------------------------------------------------------------------------------------------*/

describe('one timer', () => {
  it('20 tracked tasks never hold more than one timer', async () => {
    const script: Record<string, Step[]> = {};
    const ids = Array.from({ length: 20 }, (_, i) => `task_${i}`);
    ids.forEach((id, i) => {
      const statuses = ['queued', 'in_progress', 'in_progress', 'queued'].slice(0, 1 + (i % 4));
      script[id] = [...statuses.map((s) => snap(id, s)), i % 5 === 0 ? snap(id, 'failed') : snap(id, 'completed')];
    });
    const h = harness(script, { random: Math.random });
    let maxTimers = 0;
    for (const id of ids) {
      h.poller.track(id);
      maxTimers = Math.max(maxTimers, vi.getTimerCount());
      await advance(137); // staggered, so every task has its own due time
      maxTimers = Math.max(maxTimers, vi.getTimerCount());
    }
    expect(h.poller.tracked).toHaveLength(20);
    for (let elapsed = 0; elapsed < 60_000; elapsed += 100) {
      await advance(100);
      maxTimers = Math.max(maxTimers, vi.getTimerCount());
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    }
    expect(maxTimers).toBe(1);
    expect(h.poller.tracked).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.onUpdate).toHaveBeenCalledTimes(ids.reduce((n, id) => n + script[id]!.length, 0));
    for (const id of ids) expect(h.times(id)).toHaveLength(script[id]!.length);
  });

  it('tracking an earlier-due task re-arms the single timer for the earlier time', async () => {
    const h = harness({});
    h.poller.track('late');
    h.poller.track('soon', { immediate: true });
    expect(vi.getTimerCount()).toBe(1);
    await advance(0);
    expect(h.calls.map((c) => c.id)).toEqual(['soon']);
    expect(vi.getTimerCount()).toBe(1);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Pause while offline / hidden
 * -----------------------------------------------------------------------------------------------*/

describe('pause', () => {
  it('does not read while hidden, even after an hour; reads at once when visible again', async () => {
    const { env, set } = fakeEnvironment(true, false);
    const h = harness({ t1: [snap('t1', 'queued'), snap('t1', 'completed')] }, { environment: env, deadlineMs: 24 * HOUR });
    h.poller.track('t1');
    expect(h.poller.paused).toBe(true);
    expect(h.poller.hasTimer).toBe(false);
    await advance(HOUR);
    expect(h.calls).toHaveLength(0);
    set({ visible: true });
    expect(h.poller.paused).toBe(false);
    await advance(0);
    expect(h.times()).toEqual([HOUR]);
    await advance(5000);
    expect(h.times()).toEqual([HOUR, HOUR + 5000]);
    expect(h.poller.tracked).toEqual([]);
  });

  it('stops reading when going offline mid-way and resumes at once when online', async () => {
    const { env, set } = fakeEnvironment();
    const h = harness({ t1: [snap('t1', 'queued'), snap('t1', 'in_progress'), snap('t1', 'completed')] }, { environment: env, deadlineMs: 24 * HOUR });
    h.poller.track('t1');
    await advance(4000);
    expect(h.times()).toEqual([3000]);
    set({ online: false });
    expect(h.poller.hasTimer).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
    set({ online: true });
    await advance(0);
    expect(h.times()).toEqual([3000, 4000 + HOUR]);
    await advance(4000);
    expect(h.times()).toEqual([3000, 4000 + HOUR, 8000 + HOUR]);
    expect(h.poller.tracked).toEqual([]);
  });

  it('stays paused while either condition holds', async () => {
    const { env, set } = fakeEnvironment(false, false);
    const h = harness({}, { environment: env, deadlineMs: 24 * HOUR });
    h.poller.track('t1');
    set({ online: true }); // still hidden
    await advance(HOUR);
    expect(h.calls).toHaveLength(0);
    set({ visible: true });
    await advance(0);
    expect(h.calls).toHaveLength(1);
  });

  it('a change that does not end a pause just re-schedules', async () => {
    const { env, set } = fakeEnvironment();
    const h = harness({}, { environment: env });
    h.poller.track('t1');
    await advance(1000);
    set({}); // spurious notification while online and visible
    await advance(1999);
    expect(h.calls).toHaveLength(0);
    await advance(1);
    expect(h.times()).toEqual([3000]);
  });

  // Bug: pollNow() (called when the page comes back) sets nextAt = now for every idle task, wiping a
  // server-requested Retry-After window: a quick tab switch re-polls a rate-limited task at once.
  it('coming back does not poll before a Retry-After the server asked for', async () => {
    const { env, set } = fakeEnvironment();
    const h = harness({ t1: [err('rate_limit', 30_000), snap('t1', 'completed')] }, { environment: env });
    h.poller.track('t1', { immediate: true });
    await advance(1000);
    set({ visible: false });
    await advance(500);
    set({ visible: true });
    await advance(0);
    expect(h.times()).toEqual([0]); // no read at 1500: Retry-After runs until 30000
    await advance(30_000);
    expect(h.times()).toEqual([0, 30_000]);
  });

  it('subscribes once while tasks exist and unsubscribes when the last one ends', async () => {
    const { env, listeners } = fakeEnvironment();
    const h = harness({ a: [snap('a', 'completed')], b: [snap('b', 'completed')] }, { environment: env });
    h.poller.track('a');
    h.poller.track('b');
    expect(env.subscribe).toHaveBeenCalledTimes(1);
    expect(listeners.size).toBe(1);
    await advance(3000);
    expect(h.poller.tracked).toEqual([]);
    expect(listeners.size).toBe(0);
  });

  it('alwaysOnEnvironment is online, visible and has a no-op subscription', () => {
    expect(alwaysOnEnvironment.isOnline()).toBe(true);
    expect(alwaysOnEnvironment.isVisible()).toBe(true);
    const off = alwaysOnEnvironment.subscribe(() => {});
    expect(typeof off).toBe('function');
    expect(off()).toBeUndefined();
  });
});

/* -------------------------------------------------------------------------------------------------
 * track / untrack / pollNow / stop
 * -----------------------------------------------------------------------------------------------*/

describe('lifecycle', () => {
  it('`tracked` lists tasks in order; tracking twice is a no-op', async () => {
    const h = harness({});
    h.poller.track('a');
    h.poller.track('b');
    h.poller.track('a');
    h.poller.track('c');
    expect(h.poller.tracked).toEqual(['a', 'b', 'c']);
    h.poller.untrack('b');
    expect(h.poller.tracked).toEqual(['a', 'c']);
    h.poller.untrack('nope');
    expect(h.poller.tracked).toEqual(['a', 'c']);
    await advance(3000);
    expect(h.calls.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('untrack aborts the read in flight and reports nothing', async () => {
    const h = harness({ t1: ['hang'] });
    h.poller.track('t1');
    await advance(3000);
    expect(h.calls).toHaveLength(1);
    const { signal } = h.calls[0]!;
    expect(signal.aborted).toBe(false);
    h.poller.untrack('t1');
    expect(signal.aborted).toBe(true);
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
    expect(h.onUpdate).not.toHaveBeenCalled();
    expect(h.onError).not.toHaveBeenCalled();
    expect(h.onRetry).not.toHaveBeenCalled();
    expect(h.poller.tracked).toEqual([]);
    expect(h.poller.hasTimer).toBe(false);
  });

  it('a read that resolves after untrack is ignored', async () => {
    let resolve!: (s: TaskSnapshot) => void;
    const onUpdate = vi.fn();
    const poller = createPoller({
      getTask: () => new Promise((r) => (resolve = r)),
      onUpdate,
      onError: vi.fn(),
      random: () => 0,
    });
    poller.track('t1', { immediate: true });
    await advance(0);
    poller.untrack('t1');
    resolve(snap('t1', 'completed'));
    await advance(0);
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('untrack of one task leaves the others polling', async () => {
    const h = harness({});
    h.poller.track('a');
    h.poller.track('b');
    h.poller.untrack('a');
    await advance(8000);
    expect(h.calls.map((c) => c.id)).toEqual(['b', 'b']);
  });

  it('pollNow reads every idle tracked task at once', async () => {
    const h = harness({});
    h.poller.track('a');
    h.poller.track('b');
    h.poller.pollNow();
    await advance(0);
    expect(h.calls.map((c) => [c.id, c.at])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    await advance(4999);
    expect(h.calls).toHaveLength(2);
    await advance(1);
    expect(h.calls).toHaveLength(4);
  });

  it('never starts a second read of a task while one is in flight', async () => {
    const h = harness({ t1: ['hang'] });
    h.poller.track('t1');
    await advance(3000);
    h.poller.pollNow();
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
  });

  it('stop() aborts reads in flight, clears the timer, forgets tasks, and nothing runs afterwards', async () => {
    const { env, listeners } = fakeEnvironment();
    const h = harness({ a: ['hang'] }, { environment: env });
    h.poller.track('a', { immediate: true });
    h.poller.track('b');
    h.poller.track('c');
    await advance(0);
    expect(h.calls).toHaveLength(1);
    const { signal } = h.calls[0]!;
    h.poller.stop();
    expect(signal.aborted).toBe(true);
    expect(h.poller.tracked).toEqual([]);
    expect(h.poller.hasTimer).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners.size).toBe(0);
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
    // a stopped poller stays stopped
    h.poller.track('d', { immediate: true });
    h.poller.pollNow();
    h.poller.untrack('a');
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
    expect(h.poller.tracked).toEqual([]);
    expect(h.onUpdate).not.toHaveBeenCalled();
    expect(h.onError).not.toHaveBeenCalled();
  });

  // Bug: poll() resets entry.failures and calls onUpdate inside the same try as getTask, so a throwing
  // onUpdate is caught as a "network" read failure: a completed task is re-read (and onUpdate re-fired)
  // every second until the deadline, and failures never reach maxConsecutiveFailures.
  it('a throwing onUpdate does not turn a finished task into a retry loop', async () => {
    const h = harness({ t1: [snap('t1', 'completed')] });
    h.onUpdate.mockImplementation(() => {
      throw new Error('host callback bug');
    });
    h.poller.track('t1', { immediate: true });
    await advance(HOUR);
    expect(h.calls).toHaveLength(1);
    expect(h.onUpdate).toHaveBeenCalledTimes(1);
    expect(h.poller.tracked).toEqual([]);
    expect(h.onRetry).not.toHaveBeenCalled();
  });

  it('uses the injected clock', async () => {
    let fakeNow = 1000;
    const h = harness({ t1: [snap('t1', 'queued')] }, { now: () => fakeNow, deadlineMs: 10_000 });
    h.poller.track('t1');
    fakeNow = 1000 + 20_000; // the injected clock says the deadline has passed
    await advance(3000);
    expect(h.onError.mock.calls.map(([, e]) => e.kind)).toEqual(['timeout']);
  });
});
