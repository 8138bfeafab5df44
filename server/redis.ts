/**
 * `@toapis/image-kit/server/redis`: the proxy's shared state on Redis, for several proxy instances
 * behind one load balancer (Node only; the browser and edge entries never import a Redis client).
 *
 * ```ts
 * import { createToapisProxy } from '@toapis/image-kit/server';
 * import { createRedisState } from '@toapis/image-kit/server/redis';
 * const proxy = createToapisProxy({ apiKey, sessionSecret, state: createRedisState({ url: process.env.REDIS_URL }) });
 * ```
 */
export { createRedisState, type RedisStateOptions } from './state/redis';
export type { ProxyState, StoredTask, Limiter, LimiterSpec } from './state/types';
