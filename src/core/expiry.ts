/**
 * When a task's result URLs stop working. ToAPIs keeps results for 24 hours and says so in
 * `expires_at` (`completed_at + 86400`, in seconds); a backend that leaves it out gets the same 24 h
 * from `completed_at`.
 */
import type { TaskSnapshot } from './protocol';

/** How long result URLs live after the task completed. */
export const RESULT_TTL_MS = 24 * 60 * 60 * 1000;

/** Epoch milliseconds from a Unix time in seconds (or, when it is clearly one, in milliseconds). */
export function epochMs(value: number): number {
  return value > 100_000_000_000 ? value : value * 1000;
}

/**
 * Epoch milliseconds at which the results of a completed task expire: `expires_at`, else
 * `completed_at` + 24 h, else undefined (the server said neither).
 */
export function resultExpiresAt(snapshot: Pick<TaskSnapshot, 'expiresAt' | 'completedAt'>): number | undefined {
  if (snapshot.expiresAt !== undefined && snapshot.expiresAt > 0) return epochMs(snapshot.expiresAt);
  if (snapshot.completedAt !== undefined && snapshot.completedAt > 0) return epochMs(snapshot.completedAt) + RESULT_TTL_MS;
  return undefined;
}

/** Whether results that expire at `expiresAt` (epoch ms, or unknown) are gone at `now`. */
export function isExpired(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && now >= expiresAt;
}
