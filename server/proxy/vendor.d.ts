/**
 * rate-limiter-flexible's memory limiter, imported from its own file: the package's index also
 * loads its cluster, database and Redis limiters (Node's `cluster` and `crypto` among them), which
 * the web-standard proxy must not pull into edge and worker bundles.
 */
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import type { RateLimiterMemory } from 'rate-limiter-flexible';
  const RateLimiterMemoryClass: typeof RateLimiterMemory;
  export default RateLimiterMemoryClass;
}
/** The Redis limiter likewise, for the Node-only Redis state (server/state/redis.ts). */
declare module 'rate-limiter-flexible/lib/RateLimiterRedis.js' {
  import type { RateLimiterRedis } from 'rate-limiter-flexible';
  const RateLimiterRedisClass: typeof RateLimiterRedis;
  export default RateLimiterRedisClass;
}
