/**
 * Cross-tab coordination, injected into the store. The browser binding
 * (src/browser/coordinator.ts) uses Web Locks and BroadcastChannel; this file holds the interface,
 * a no-op single-tab version and an in-memory one (several stores in one process behave like
 * several tabs — used by tests and by hosts that mount two generators on one page).
 */

export interface TabMessage {
  type: 'task-snapshot' | 'task-error';
  taskId: string;
  /** A TaskSnapshot (for task-snapshot) or a serialised error (for task-error). */
  payload: unknown;
}

export interface TabCoordinator {
  /** Runs `fn` while holding the cross-tab lock `name` (one holder at a time). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Calls `onLeader` once this tab holds the lock `name` (at once when free). Returns a release. */
  lead(name: string, onLeader: () => void): () => void;
  publish(message: TabMessage): void;
  subscribe(listener: (message: TabMessage) => void): () => void;
}

/** One tab only: locks are granted at once, nothing is shared. */
export const soloCoordinator: TabCoordinator = {
  exclusive: (_name, fn) => fn(),
  lead: (_name, onLeader) => {
    onLeader();
    return () => {};
  },
  publish: () => {},
  subscribe: () => () => {},
};

/** A shared bus for `createMemoryCoordinator`: one per "browser". */
export interface MemoryBus {
  locks: Map<string, { held: boolean; queue: Array<() => void> }>;
  listeners: Set<{ owner: object; fn: (m: TabMessage) => void }>;
}

export function createMemoryBus(): MemoryBus {
  return { locks: new Map(), listeners: new Set() };
}

/** A coordinator for one "tab" on an in-memory bus (same semantics as Web Locks + BroadcastChannel). */
export function createMemoryCoordinator(bus: MemoryBus): TabCoordinator {
  const me = {};
  const acquire = (name: string, grant: () => void): (() => void) => {
    let lock = bus.locks.get(name);
    if (!lock) bus.locks.set(name, (lock = { held: false, queue: [] }));
    let granted = false;
    let cancelled = false;
    const onGrant = () => {
      if (cancelled) return next(name);
      granted = true;
      grant();
    };
    if (!lock.held) {
      lock.held = true;
      onGrant();
    } else lock.queue.push(onGrant);
    return () => {
      if (cancelled) return;
      cancelled = true;
      if (granted) next(name);
      else {
        const l = bus.locks.get(name);
        if (l) l.queue = l.queue.filter((q) => q !== onGrant);
      }
    };
  };
  const next = (name: string) => {
    const lock = bus.locks.get(name);
    if (!lock) return;
    const waiter = lock.queue.shift();
    if (waiter) waiter();
    else {
      lock.held = false;
      bus.locks.delete(name);
    }
  };
  return {
    exclusive: (name, fn) =>
      new Promise((resolve, reject) => {
        let release: () => void = () => {};
        release = acquire(name, () => {
          fn().then(resolve, reject).finally(() => release());
        });
      }),
    lead: (name, onLeader) => acquire(name, onLeader),
    publish: (message) => {
      const copy = JSON.parse(JSON.stringify(message)) as TabMessage; // structured like postMessage
      for (const l of bus.listeners) if (l.owner !== me) l.fn(copy);
    },
    subscribe: (fn) => {
      const entry = { owner: me, fn };
      bus.listeners.add(entry);
      return () => bus.listeners.delete(entry);
    },
  };
}
