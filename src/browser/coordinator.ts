/**
 * Tabs of one product coordinate so that a task is submitted once and polled by one tab:
 * Web Locks (`navigator.locks`) for exclusivity and leadership, BroadcastChannel to share task
 * updates with the tabs that follow. Falls back to single-tab behaviour where either is missing.
 */
import { soloCoordinator, type TabCoordinator, type TabMessage } from '../store/coordination';

export function createBrowserCoordinator(channelName = 'toapis-image-kit'): TabCoordinator {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const hasChannel = typeof BroadcastChannel === 'function';
  if (!locks || !hasChannel) return soloCoordinator;
  // The channel is opened while someone listens and closed after, so an idle store holds nothing.
  let channel: BroadcastChannel | undefined;
  const listeners = new Set<(m: TabMessage) => void>();
  const open = (): BroadcastChannel => {
    if (!channel) {
      channel = new BroadcastChannel(channelName);
      channel.onmessage = (event: MessageEvent<TabMessage>) => {
        const m = event.data;
        if (!m || typeof m !== 'object' || typeof m.taskId !== 'string') return;
        for (const l of listeners) l(m);
      };
    }
    return channel;
  };
  return {
    exclusive: (name, fn) => locks.request(name, { mode: 'exclusive' }, () => fn()) as Promise<Awaited<ReturnType<typeof fn>>>,
    lead(name, onLeader) {
      const controller = new AbortController();
      let releaseHeld: () => void = () => {};
      locks
        .request(name, { signal: controller.signal }, () => {
          onLeader();
          return new Promise<void>((resolve) => (releaseHeld = resolve)); // held until released
        })
        .catch(() => {}); // AbortError when released before being granted
      return () => {
        controller.abort();
        releaseHeld();
      };
    },
    publish: (message) => {
      try {
        if (listeners.size > 0) open().postMessage(message); // only a connected store publishes
      } catch {
        // an unclonable payload is simply not shared
      }
    },
    subscribe: (fn) => {
      listeners.add(fn);
      open();
      return () => {
        listeners.delete(fn);
        if (listeners.size === 0) {
          channel?.close();
          channel = undefined;
        }
      };
    },
  };
}
