/**
 * Counts the page's live timers. Built as a classic script and installed with
 * `page.addInitScript`, so it wraps `setTimeout`/`clearTimeout`/`setInterval`/`clearInterval`
 * before any page script runs. A timeout is live from its creation until it fires or is cleared;
 * an interval until it is cleared. Each entry keeps the function names of the stack that created
 * it (the bench bundle is not minified), so the poller's own timer can be told apart.
 * The bench page's own monitors use `__benchTimers.raw`, which is not counted.
 */
import type { TimerCounter, TimerEntryInfo } from '../scripts/bench/types';

(() => {
  const w = window;
  const raw = {
    setTimeout: w.setTimeout.bind(w),
    clearTimeout: w.clearTimeout.bind(w),
    setInterval: w.setInterval.bind(w),
    clearInterval: w.clearInterval.bind(w),
  };
  const live = new Map<number, TimerEntryInfo>();
  let created = 0;

  /** Names of the calling functions, innermost first, skipping this file's own frames. */
  const labelOf = (): string => {
    const lines = (new Error().stack ?? '').split('\n').slice(3);
    const names: string[] = [];
    for (const line of lines) {
      const match = /^\s*at (?:async )?(?:new )?([^\s(]+) \(/.exec(line);
      if (match?.[1]) names.push(match[1].replace(/^Object\./, ''));
      if (names.length === 3) break;
    }
    return names.length ? names.join('<') : '<anonymous>';
  };

  type Handler = string | ((...args: unknown[]) => void);
  const call = (handler: Handler, args: unknown[]) => {
    if (typeof handler === 'function') handler(...args);
  };

  const setTimeoutWrapped = (handler: Handler, delay?: number, ...args: unknown[]): number => {
    created += 1;
    const info: TimerEntryInfo = { kind: 'timeout', label: labelOf(), delay: Number(delay) || 0 };
    const id: number = raw.setTimeout(() => {
      live.delete(id);
      call(handler, args);
    }, delay);
    live.set(id, info);
    return id;
  };
  const setIntervalWrapped = (handler: Handler, delay?: number, ...args: unknown[]): number => {
    created += 1;
    const info: TimerEntryInfo = { kind: 'interval', label: labelOf(), delay: Number(delay) || 0 };
    const id: number = raw.setInterval(() => call(handler, args), delay);
    live.set(id, info);
    return id;
  };
  const clearTimeoutWrapped = (id?: number) => {
    if (id !== undefined) live.delete(id);
    raw.clearTimeout(id);
  };
  const clearIntervalWrapped = (id?: number) => {
    if (id !== undefined) live.delete(id);
    raw.clearInterval(id);
  };

  w.setTimeout = setTimeoutWrapped as typeof w.setTimeout;
  w.setInterval = setIntervalWrapped as typeof w.setInterval;
  w.clearTimeout = clearTimeoutWrapped as typeof w.clearTimeout;
  w.clearInterval = clearIntervalWrapped as typeof w.clearInterval;

  const counter: TimerCounter = {
    raw: { setTimeout: (fn, ms) => raw.setTimeout(fn, ms), clearTimeout: (id) => raw.clearTimeout(id) },
    snapshot: () => ({ at: performance.timeOrigin + performance.now(), live: [...live.values()], created }),
  };
  w.__benchTimers = counter;
})();
