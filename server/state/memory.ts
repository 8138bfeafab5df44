/**
 * The default state: plain maps in this process. Right for one instance (`npm start`, a single
 * serverless function instance); several instances each get their own, so budgets multiply and
 * fan-out stays local — use the Redis state there (docs/scaling.md).
 */
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import type { Limiter, LimiterSpec, ProxyState, StoredTask } from './types';

export interface MemoryStateOptions {
  /** Most task records kept; the least recently written go first. @default 10000 */
  maxTasks?: number;
  now?: () => number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export function createMemoryState(options: MemoryStateOptions = {}): ProxyState {
  const now = options.now ?? Date.now;
  const maxTasks = options.maxTasks ?? 10_000;
  const fanOut = memoryFanOut();

  return {
    kind: 'memory',
    shared: false,
    ...memoryTaskRecords(now, maxTasks),
    ...memoryClaims(now, maxTasks),
    ...fanOut.methods,
    limiter: memoryLimiters(),
    async healthy() {
      return true;
    },
    onAvailability() {
      return () => {};
    },
    async close() {
      fanOut.clear();
    },
  };
}

/** The value under `key` unless it expired (an expired entry is removed). */
function live<T>(map: Map<string, Expiring<T>>, key: string, now: () => number): T | undefined {
  const entry = map.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= now()) {
    map.delete(key);
    return undefined;
  }
  return entry.value;
}

/** Drops the oldest-inserted entries of `map` until at most `max` are left. */
function bounded<T>(map: Map<string, T>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}

/** Task records and the business id index, each at most `maxTasks` (least recently written go first). */
function memoryTaskRecords(now: () => number, maxTasks: number): Pick<ProxyState, 'getTask' | 'putTask' | 'taskForBusinessId'> {
  const tasks = new Map<string, Expiring<StoredTask>>();
  const businessIds = new Map<string, Expiring<string>>();
  return {
    async getTask(taskId) {
      return live(tasks, taskId, now);
    },
    async putTask(taskId, task, ttlMs) {
      tasks.delete(taskId);
      tasks.set(taskId, { value: task, expiresAt: now() + ttlMs });
      bounded(tasks, maxTasks);
      if (task.businessId) {
        businessIds.delete(task.businessId);
        businessIds.set(task.businessId, { value: taskId, expiresAt: now() + ttlMs });
        bounded(businessIds, maxTasks);
      }
    },
    async taskForBusinessId(businessId) {
      return live(businessIds, businessId, now);
    },
  };
}

/** Once-only claims (at most `4 × maxTasks` remembered) and leases. */
function memoryClaims(now: () => number, maxTasks: number): Pick<ProxyState, 'claimOnce' | 'lease' | 'releaseLease'> {
  const once = new Map<string, number>();
  const leases = new Map<string, Expiring<string>>();
  return {
    async claimOnce(key, ttlMs) {
      const t = now();
      const until = once.get(key);
      if (until !== undefined && until > t) return false;
      once.delete(key);
      once.set(key, t + ttlMs);
      bounded(once, maxTasks * 4);
      return true;
    },
    async lease(name, holder, ttlMs) {
      const current = live(leases, name, now);
      if (current !== undefined && current !== holder) return false;
      leases.set(name, { value: holder, expiresAt: now() + ttlMs });
      return true;
    },
    async releaseLease(name, holder) {
      if (live(leases, name, now) === holder) leases.delete(name);
    },
  };
}

/** Fan-out within this process. `clear` forgets every subscriber (on close). */
function memoryFanOut() {
  const channels = new Map<string, Set<(message: string) => void>>();
  const methods: Pick<ProxyState, 'publish' | 'subscribe'> = {
    async publish(channel, message) {
      for (const listener of [...(channels.get(channel) ?? [])]) {
        try {
          listener(message);
        } catch {
          // one subscriber's failure is not the publisher's
        }
      }
    },
    async subscribe(channel, onMessage) {
      let set = channels.get(channel);
      if (!set) channels.set(channel, (set = new Set()));
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0 && channels.get(channel) === set) channels.delete(channel);
      };
    },
  };
  return { methods, clear: () => channels.clear() };
}

/** Budgets: one `RateLimiterMemory` per spec, kept. */
function memoryLimiters(): ProxyState['limiter'] {
  const limiters = new Map<string, Limiter>();
  return (spec: LimiterSpec): Limiter => {
    const key = `${spec.name}|${spec.points}|${spec.durationMs}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationMs / 1000 }) as unknown as Limiter;
      limiters.set(key, limiter);
    }
    return limiter;
  };
}
