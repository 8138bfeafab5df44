/**
 * Runs `task` when the browser is idle (`requestIdleCallback`, at most `timeoutMs` later), or after
 * `timeoutMs` where there is no idle callback (Safari). Returns a cancel function. Does nothing on
 * a server.
 */
export function whenIdle(task: () => void, timeoutMs = 2000): () => void {
  if (typeof window === 'undefined') return () => {};
  const w = window as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (id: number) => void };
  if (typeof w.requestIdleCallback === 'function' && typeof w.cancelIdleCallback === 'function') {
    const id = w.requestIdleCallback(task, { timeout: timeoutMs });
    return () => w.cancelIdleCallback!(id);
  }
  const id = setTimeout(task, timeoutMs);
  return () => clearTimeout(id);
}
