/**
 * Learning generation times (the engine's part of the ETA; src/store/eta.ts estimates from them).
 * When a task completes that the kit saw generating, `completedAt - generatingAt` is recorded under
 * its model and resolution: the last 20 per key, at most 50 keys, kept in long-lived storage
 * (`keep`, name `durations`, `{ v: 1, durations: { [key]: number[] } }`). Whatever is read back is
 * validated; anything garbled is ignored.
 */
import type { GenerationTask } from '../../core/task';
import { durationKey } from '../eta';
import { readKept, writeKept } from '../keep';
import type { Durations } from '../types';
import type { StoreContext } from './context';

/** Durations kept per key (the estimate is their median). */
export const MAX_DURATIONS = 20;
/** Keys kept; the least recently updated goes first. */
export const MAX_DURATION_KEYS = 50;
/** Longest duration believed (one hour); anything longer is not a generation time. */
export const MAX_DURATION_MS = 3_600_000;

const KEPT_NAME = 'durations';
const VERSION = 1;

const isDuration = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < MAX_DURATION_MS;

/** Kept durations as read back: undefined unless it is `{ v: 1, durations }` within every limit. */
export function parseDurations(value: unknown): Durations | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { v, durations } = value as { v?: unknown; durations?: unknown };
  if (v !== VERSION || !durations || typeof durations !== 'object' || Array.isArray(durations)) return undefined;
  const entries = Object.entries(durations as Record<string, unknown>);
  if (entries.length > MAX_DURATION_KEYS) return undefined;
  const out: Record<string, number[]> = {};
  for (const [key, list] of entries) {
    if (key.length > 300 || !Array.isArray(list) || list.length > MAX_DURATIONS || !list.every(isDuration)) return undefined;
    if (list.length > 0) out[key] = [...list];
  }
  return out;
}

/** `durations` with `ms` added under `key`: the last 20 kept, the key moved last, at most 50 keys. */
export function addDuration(durations: Durations, key: string, ms: number): Durations {
  if (!isDuration(ms)) return durations;
  const list = [...(Object.hasOwn(durations, key) ? durations[key]! : []), ms].slice(-MAX_DURATIONS);
  const entries = Object.entries(durations).filter(([k]) => k !== key);
  return Object.fromEntries([...entries.slice(-(MAX_DURATION_KEYS - 1)), [key, list]]);
}

/** Reads the kept durations into the state (when the engine loads); those already in the state win. */
export function loadDurations(ctx: StoreContext): void {
  const kept = readKept(ctx.options.keep || undefined, KEPT_NAME, parseDurations);
  if (kept && Object.keys(kept).length > 0) ctx.set((s) => ({ durations: { ...kept, ...s.durations } }));
}

/**
 * Records the generation time of a task that has just completed, if the kit saw it generating.
 * Another tab may have learned meanwhile: the kept durations are read again first, so tabs add to
 * one list instead of overwriting each other's.
 */
export function learnDuration(ctx: StoreContext, task: GenerationTask): void {
  if (task.phase !== 'completed' || task.generatingAt === undefined) return;
  const ms = (task.completedAt ?? ctx.now()) - task.generatingAt;
  if (!isDuration(ms)) return;
  const keep = ctx.options.keep || undefined;
  const base = { ...ctx.get().durations, ...readKept(keep, KEPT_NAME, parseDurations) };
  const durations = addDuration(base, durationKey(task.model, task.resolution), ms);
  ctx.set({ durations });
  writeKept(keep, KEPT_NAME, { v: VERSION, durations });
}
