'use client';
/**
 * The ETA of a generating task for its row: the store's `estimateRemaining` (src/store/eta.ts) read
 * against a clock that ticks once a second. One clock per task row, shared by the parts that show
 * the ETA (status text and progress bar), running only while one of them shows one, and stopped
 * when the last one unmounts or the task stops generating. A tick re-renders only that row's parts.
 */
import * as React from 'react';
import { estimateRemaining } from '../../store/eta';
import type { Labels } from '../../labels/en';
import { useGenerator } from '../../hooks/useGenerator';
import { useTaskField } from './context';

const TICK_MS = 1000;

interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval>;
}

/** Task id -> its row's clock, while some part of the row shows an ETA. */
const clocks = new Map<string, Clock>();
const noop = () => {};

function subscribeClock(key: string, onTick: () => void, now: number): () => void {
  let clock = clocks.get(key);
  if (!clock) {
    const created: Clock = {
      now,
      listeners: new Set(),
      timer: setInterval(() => {
        created.now = Date.now();
        for (const listener of created.listeners) listener();
      }, TICK_MS),
    };
    clocks.set(key, (clock = created));
  }
  clock.listeners.add(onTick);
  const own = clock;
  return () => {
    own.listeners.delete(onTick);
    if (own.listeners.size === 0 && clocks.get(key) === own) {
      clearInterval(own.timer);
      clocks.delete(key);
    }
  };
}

/** Now (epoch ms), re-read once a second while `active` (the row's shared clock). */
function useRowClock(key: string, active: boolean): number {
  // The time the clock (re)started for this part; a clock this part creates starts from it, so
  // subscribing never changes the value just rendered (no second commit).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the row or `active` changes
  const since = React.useMemo(() => Date.now(), [key, active]);
  const subscribe = React.useCallback((onTick: () => void) => (active ? subscribeClock(key, onTick, since) : noop), [key, active, since]);
  const read = () => (active ? (clocks.get(key)?.now ?? since) : since);
  return React.useSyncExternalStore(subscribe, read, () => since);
}

/**
 * Milliseconds left for a task while it generates and the store has learned how long its model and
 * resolution take; undefined otherwise (the kit never invents an estimate).
 */
export function useEta(taskId: string): number | undefined {
  const phase = useTaskField(taskId, (t) => t.phase);
  const model = useTaskField(taskId, (t) => t.model) ?? '';
  const resolution = useTaskField(taskId, (t) => t.resolution);
  const generatingAt = useTaskField(taskId, (t) => t.generatingAt);
  const durations = useGenerator((s) => s.durations);
  const task = { phase: phase ?? 'idle', model, resolution, generatingAt };
  const known = estimateRemaining({ durations }, task, generatingAt ?? 0) !== undefined;
  const now = useRowClock(taskId, known);
  return known ? estimateRemaining({ durations }, task, now) : undefined;
}

/** "About 20 s left" under a minute (whole seconds, rounded up), "About 2 min left" above, then "Almost done". */
export function etaText(labels: Labels, ms: number): string {
  if (ms <= 0) return labels.etaAlmostDone;
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? labels.etaSeconds(seconds) : labels.etaMinutes(Math.round(seconds / 60));
}
