/**
 * Long-lived storage for what outlives a session: prompt history, the user's presets and learned
 * generation times. The provider passes `localStorage`, scoped by backend URL; without it these live
 * in memory for the store's life. Reads are validated by the caller's parser (anything garbled is
 * ignored, never trusted); writes are best effort (a full or blocked storage loses nothing in memory).
 */
import type { KeepOptions } from './types';

export type { KeepOptions };

/** The storage key for one kind of kept data, e.g. `toapis-kit:history:https://api.example.com`. */
export function keptKey(keep: KeepOptions, name: string): string {
  return `toapis-kit:${name}:${keep.scope}`;
}

/** Reads and parses one kind of kept data; undefined when absent, unreadable or refused by `parse`. */
export function readKept<T>(keep: KeepOptions | undefined, name: string, parse: (value: unknown) => T | undefined): T | undefined {
  if (!keep) return undefined;
  try {
    const raw = keep.storage.getItem(keptKey(keep, name));
    return raw ? parse(JSON.parse(raw)) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes one kind of kept data as JSON; a storage that is full or blocked is ignored. */
export function writeKept(keep: KeepOptions | undefined, name: string, value: unknown): void {
  if (!keep) return;
  try {
    keep.storage.setItem(keptKey(keep, name), JSON.stringify(value));
  } catch {
    // full or blocked (private mode): kept in memory only
  }
}
