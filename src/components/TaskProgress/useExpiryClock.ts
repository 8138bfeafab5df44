'use client';
import * as React from 'react';

const MINUTE = 60_000;

/**
 * The current time for expiry text, re-read at most once a minute while `expiresAt` (epoch ms) is
 * still ahead. Ticks fall on whole minutes before the expiry, so the last one lands exactly on it.
 * The one timer exists only while the result is unexpired and is cleared on unmount.
 */
export function useExpiryClock(expiresAt: number | undefined): number {
  const [, tick] = React.useReducer((n: number) => n + 1, 0);
  const now = Date.now();
  const left = expiresAt === undefined ? 0 : expiresAt - now;
  React.useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(tick, left % MINUTE || MINUTE);
    return () => clearTimeout(timer);
  }, [left]);
  return now;
}
