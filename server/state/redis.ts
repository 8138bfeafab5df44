/**
 * The shared state on Redis (Node only: it opens TCP connections through `ioredis`). Every proxy
 * instance given the same Redis sees the same task records, budgets, once-only claims and leases,
 * and receives every published event. Nothing here is a cluster protocol of our own: records are
 * plain keys with TTLs, leases are `SET NX PX` renewed by a compare-and-expire script, fan-out is
 * Redis pub/sub on one subscriber connection per instance, budgets are `rate-limiter-flexible`'s
 * `RateLimiterRedis`.
 *
 * When Redis goes away, commands fail at once (no offline queue, so no unbudgeted work piles up
 * behind a dead connection); ioredis reconnects by itself and `onAvailability` says so.
 */
import { Redis, type RedisOptions } from 'ioredis';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
import type { Limiter, LimiterSpec, ProxyState, StoredTask } from './types';

export interface RedisStateOptions {
  /** `redis://[:password@]host:port/db`, e.g. from env `REDIS_URL`. */
  url?: string;
  /** Or a connected client of your own (its options should set `enableOfflineQueue: false`). */
  client?: Redis;
  /** Prefix of every key and channel, so several products can share one Redis. @default 'toapis:' */
  prefix?: string;
  /** Told when Redis becomes unreachable or reachable again (the proxy logs it). */
  log?: (line: string) => void;
}

const RENEW_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisState(options: RedisStateOptions): ProxyState {
  const prefix = options.prefix ?? 'toapis:';
  const clientOptions = redisClientOptions();
  if (!options.client && !options.url) throw new Error('[gen] createRedisState: pass `url` (e.g. process.env.REDIS_URL) or `client`.');
  const client = options.client ?? new Redis(options.url!, clientOptions);
  // Subscriptions need a connection of their own (a subscribed connection takes no other commands).
  const subscriber = client.duplicate({ ...clientOptions, enableOfflineQueue: true });
  let closed = false;
  const isClosed = () => closed;
  const availability = watchAvailability(client, options.log, isClosed);
  subscriber.on('error', () => {});
  const parts: RedisParts = {
    client,
    subscriber,
    prefix,
    k: (kind, id) => `${prefix}${kind}:${id}`,
    connected: afterFirstConnection(client, clientOptions.connectTimeout),
    isClosed,
  };
  const fanOut = redisFanOut(parts);

  return {
    kind: 'redis',
    shared: true,
    ...redisTaskRecords(parts),
    ...redisClaims(parts),
    ...fanOut.methods,
    limiter: redisLimiters(parts),
    async healthy() {
      try {
        return (await parts.connected(() => client.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    onAvailability: availability.onAvailability,
    async close() {
      closed = true;
      fanOut.clear();
      availability.clear();
      subscriber.disconnect();
      if (!options.client) client.disconnect();
    },
  };
}

/** What the parts of the Redis state share. */
interface RedisParts {
  /** The connection for commands. */
  client: Redis;
  /** The connection for subscriptions. */
  subscriber: Redis;
  /** Prefix of every key and channel. */
  prefix: string;
  /** The key (or channel) of `id` of a `kind`: `<prefix><kind>:<id>`. */
  k(kind: string, id: string): string;
  /** Runs `command`, first waiting (briefly) for the first connection if none was made yet. */
  connected<T>(command: () => Promise<T>): Promise<T>;
  /** True once `close()` was called. */
  isClosed(): boolean;
}

/** The options of the connections this state opens (fresh each call). */
function redisClientOptions() {
  return {
    enableOfflineQueue: false, // fail fast while disconnected: the proxy answers 503 instead of waiting
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000), // reconnect for ever, at most every 2 s
    lazyConnect: false,
  } satisfies RedisOptions;
}

/** Follows `client`'s connection: logs and tells the `onAvailability` listeners when it changes. */
function watchAvailability(client: Redis, log: RedisStateOptions['log'], isClosed: () => boolean) {
  const listeners = new Set<(available: boolean) => void>();
  let available = client.status === 'ready';
  const setAvailable = (next: boolean) => {
    if (next === available || isClosed()) return;
    available = next;
    log?.(next ? 'redis: connected' : 'redis: unreachable; reconnecting');
    for (const l of [...listeners]) l(next);
  };
  client.on('ready', () => setAvailable(true));
  client.on('end', () => setAvailable(false));
  client.on('close', () => setAvailable(false));
  client.on('error', () => setAvailable(false)); // without a listener ioredis logs every failed reconnect
  return {
    onAvailability(listener: (available: boolean) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}

/**
 * Until the first connection is made, commands wait for it (briefly, at most `connectTimeout`);
 * after that, a lost connection fails them at once.
 */
function afterFirstConnection(client: Redis, connectTimeout: number): RedisParts['connected'] {
  let everReady = client.status === 'ready';
  const firstReady = new Promise<void>((resolve) => {
    if (everReady) resolve();
    else
      client.once('ready', () => {
        everReady = true;
        resolve();
      });
  });
  return async <T>(command: () => Promise<T>): Promise<T> => {
    if (!everReady) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([firstReady, new Promise((r) => (timer = setTimeout(r, connectTimeout)))]);
      clearTimeout(timer);
    }
    return command();
  };
}

/** Task records: plain keys with TTLs, the business id's key beside the task's. */
function redisTaskRecords({ client, k, connected }: RedisParts): Pick<ProxyState, 'getTask' | 'putTask' | 'taskForBusinessId'> {
  return {
    async getTask(taskId) {
      const raw = await connected(() => client.get(k('task', taskId)));
      if (!raw) return undefined;
      try {
        return JSON.parse(raw) as StoredTask;
      } catch {
        return undefined;
      }
    },
    async putTask(taskId, task, ttlMs) {
      const multi = client.multi().set(k('task', taskId), JSON.stringify(task), 'PX', ttlMs);
      if (task.businessId) multi.set(k('bid', task.businessId), taskId, 'PX', ttlMs);
      const results = await connected(() => multi.exec());
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    },
    async taskForBusinessId(businessId) {
      return (await connected(() => client.get(k('bid', businessId)))) ?? undefined;
    },
  };
}

/** Once-only claims (`SET NX PX`) and leases (`SET NX PX` renewed by a compare-and-expire script). */
function redisClaims({ client, k, connected }: RedisParts): Pick<ProxyState, 'claimOnce' | 'lease' | 'releaseLease'> {
  return {
    async claimOnce(key, ttlMs) {
      return (await connected(() => client.set(k('once', key), '1', 'PX', ttlMs, 'NX'))) === 'OK';
    },
    async lease(name, holder, ttlMs) {
      return (await connected(() => client.eval(RENEW_SCRIPT, 1, k('lease', name), holder, String(ttlMs)))) === 1;
    },
    async releaseLease(name, holder) {
      await connected(() => client.eval(RELEASE_SCRIPT, 1, k('lease', name), holder));
    },
  };
}

/**
 * Fan-out: Redis pub/sub, one subscription per channel on the subscriber connection, handed to
 * every local handler of that channel. `clear` forgets the handlers (on close).
 */
function redisFanOut({ client, subscriber, k, connected, isClosed }: RedisParts) {
  const handlers = new Map<string, Set<(message: string) => void>>();
  /** Channels whose Redis subscription is being made. */
  const subscribing = new Map<string, Promise<void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const h of [...(handlers.get(channel) ?? [])]) {
      try {
        h(message);
      } catch {
        // one subscriber's failure is not the publisher's
      }
    }
  });
  const methods: Pick<ProxyState, 'publish' | 'subscribe'> = {
    async publish(channel, message) {
      await connected(() => client.publish(k('ch', channel), message));
    },
    async subscribe(channel, onMessage) {
      const wire = k('ch', channel);
      let set = handlers.get(wire);
      if (!set) {
        handlers.set(wire, (set = new Set()));
        subscribing.set(
          wire,
          subscriber.subscribe(wire).then(
            () => void subscribing.delete(wire),
            (error: unknown) => {
              // Not subscribed (Redis away): forget the channel, so the next subscribe tries again.
              subscribing.delete(wire);
              if (handlers.get(wire) === set) handlers.delete(wire);
              throw error;
            },
          ),
        );
      }
      await subscribing.get(wire); // every caller learns whether the subscription was made
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0 && handlers.get(wire) === set) {
          handlers.delete(wire);
          if (!isClosed()) await subscriber.unsubscribe(wire).catch(() => {});
        }
      };
    },
  };
  return { methods, clear: () => handlers.clear() };
}

/** The budgets that guard spending: no per-process fallback for them (see {@link redisLimiters}). */
const BILLABLE = /^(?:key-submit-|spend-)/;

/** Budgets: one `RateLimiterRedis` per spec, kept, its commands waiting for the first connection. */
function redisLimiters({ client, prefix, connected }: RedisParts): ProxyState['limiter'] {
  const limiters = new Map<string, Limiter>();
  return (spec: LimiterSpec): Limiter => {
    const key = `${spec.name}|${spec.points}|${spec.durationMs}`;
    const existing = limiters.get(key);
    if (existing) return existing;
    // While Redis is away: the budgets of billable work (the key-wide submit budget and the
    // spending caps) have no fallback, so submits are refused rather than counted per instance
    // (which would multiply the key-wide budget). Every other budget (per identity, per IP, new
    // sessions, the key-wide status-query budget) falls back to a count in this process
    // (rate-limiter-flexible's insurance limiter), so task reads and event streams go on.
    const inner = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${prefix}rl:${spec.name}`,
      points: spec.points,
      duration: spec.durationMs / 1000,
      ...(!BILLABLE.test(spec.name) && {
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `insurance:${spec.name}`, points: spec.points, duration: spec.durationMs / 1000 }),
      }),
    }) as unknown as Limiter;
    const limiter: Limiter = {
      points: spec.points,
      consume: (id, points) => connected(() => inner.consume(id, points)),
      get: (id) => connected(() => inner.get(id)),
      reward: (id, points) => connected(() => inner.reward(id, points)),
      block: (id, seconds) => connected(() => inner.block(id, seconds)),
    };
    limiters.set(key, limiter);
    return limiter;
  };
}
