/** Byte counts for people, shared by the kit's messages, the proxy and the simulator. */

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** Bytes for people, in 1024 steps: `'512 bytes'`, `'734 KB'`, `'10 MB'`, `'12.5 MB'`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0 bytes';
  if (n < 1024) return `${Math.round(n)} ${Math.round(n) === 1 ? 'byte' : 'bytes'}`;
  let value = n / 1024;
  let unit = 0;
  // Promote when rounding would print 1024 of a unit.
  while (unit < UNITS.length - 1 && (unit === 0 ? Math.round(value) : Math.round(value * 10) / 10) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown.toLocaleString('en-US')} ${UNITS[unit]}`;
}
