/**
 * The Redis state against a real redis-server on a loopback port: the shared contract with two
 * separate connections (two "instances"), then what happens when Redis goes away and comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisState } from '../../../server/redis';
import { REDIS_SERVER, startRedis, type RedisProcess } from '../redis-server';
import { describeStateContract } from './contract';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

// Without redis-server installed these fail loudly (startRedis throws); .ci/run installs it.
it('redis-server is installed', () => {
  expect(REDIS_SERVER, 'apt-get install -y redis-server').toBeTruthy();
});

let prefixSeq = 0;
describeStateContract('redis', async () => {
  const prefix = `contract${(prefixSeq += 1)}:`;
  return [createRedisState({ url: redis.url, prefix }), createRedisState({ url: redis.url, prefix })];
});

describe('Redis going away', () => {
  it('commands fail fast while Redis is down, availability is reported, and it recovers by itself', async () => {
    const port = redis.port;
    const lines: string[] = [];
    const state = createRedisState({ url: redis.url, prefix: 'outage:', log: (l) => void lines.push(l) });
    const changes: boolean[] = [];
    state.onAvailability((up) => void changes.push(up));
    try {
      expect(await state.healthy()).toBe(true);
      await state.putTask('t', { ns: 'n', createdAt: 1 }, 60_000);

      await redis.stop();
      const started = Date.now();
      await expect(state.putTask('t2', { ns: 'n', createdAt: 1 }, 60_000)).rejects.toBeDefined();
      // The budgets of billable work fail (submits are refused); the others count in this process.
      await expect(state.limiter({ name: 'key-submit-1000', points: 5, durationMs: 1000 }).consume('k')).rejects.toBeInstanceOf(Error);
      await expect(state.limiter({ name: 'spend-identity', points: 5, durationMs: 1000 }).consume('k')).rejects.toBeInstanceOf(Error);
      const perIdentity = state.limiter({ name: 'identity', points: 2, durationMs: 60_000 });
      await expect(perIdentity.consume('k')).resolves.toMatchObject({ remainingPoints: 1 });
      await expect(perIdentity.consume('k')).resolves.toMatchObject({ remainingPoints: 0 });
      await expect(perIdentity.consume('k')).rejects.toMatchObject({ remainingPoints: 0 }); // still a budget
      expect(Date.now() - started).toBeLessThan(5000); // no offline queue: no waiting behind a dead socket
      expect(await state.healthy()).toBe(false);
      const seenDown = Date.now() + 5000;
      while (!changes.includes(false) && Date.now() < seenDown) await new Promise((r) => setTimeout(r, 20));
      expect(changes).toContain(false);

      redis = await startRedis(port); // same port: the client reconnects on its own
      const until = Date.now() + 10_000;
      while (!(await state.healthy()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(await state.healthy()).toBe(true);
      await state.putTask('t3', { ns: 'n', createdAt: 1 }, 60_000);
      expect(await state.getTask('t3')).toEqual({ ns: 'n', createdAt: 1 });
      expect(changes.at(-1)).toBe(true);
      expect(lines).toEqual(expect.arrayContaining(['redis: unreachable; reconnecting', 'redis: connected']));
    } finally {
      await state.close();
    }
  }, 30_000);
});
