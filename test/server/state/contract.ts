/**
 * The contract every `ProxyState` passes (server/state/types.ts). `makePair` gives two handles on
 * one state — two instances of a shared state (two Redis connections), or the same object twice for
 * a per-process one — so "another instance sees it" is part of the contract wherever `shared` is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxyState } from '../../../server/state/types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 10 ms for at most `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export function describeStateContract(name: string, makePair: () => Promise<[ProxyState, ProxyState]>): void {
  describe(`ProxyState contract: ${name}`, () => {
    let open: ProxyState[] = [];
    const pair = async () => {
      const [a, b] = await makePair();
      open.push(a, b);
      return [a, b] as const;
    };
    afterEach(async () => {
      for (const s of new Set(open)) await s.close();
      open = [];
    });

    it('a task record written by one instance is read by the other, with its business id index', async () => {
      const [a, b] = await pair();
      await a.putTask('task_1', { ns: 'ns1', businessId: 'ns1:cb_1', model: 'm', createdAt: 5, last: { status: 'queued' } }, 60_000);
      expect(await b.getTask('task_1')).toEqual({ ns: 'ns1', businessId: 'ns1:cb_1', model: 'm', createdAt: 5, last: { status: 'queued' } });
      expect(await b.taskForBusinessId('ns1:cb_1')).toBe('task_1');
      expect(await b.getTask('task_2')).toBeUndefined();
      expect(await b.taskForBusinessId('ns2:cb_1')).toBeUndefined();
    });

    it('a record expires after its TTL; a rewrite extends it', async () => {
      const [a, b] = await pair();
      await a.putTask('short', { ns: 'n', createdAt: 1 }, 80);
      await a.putTask('kept', { ns: 'n', createdAt: 1 }, 80);
      await sleep(50);
      await a.putTask('kept', { ns: 'n', createdAt: 1, last: { status: 'completed' } }, 500);
      await sleep(80);
      expect(await b.getTask('short')).toBeUndefined();
      expect((await b.getTask('kept'))?.last).toEqual({ status: 'completed' });
    });

    it('claimOnce: exactly one of many concurrent claims wins, across instances', async () => {
      const [a, b] = await pair();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimOnce('webhook:evt_1', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.claimOnce('webhook:evt_2', 60_000)).toBe(true);
    });

    it('claimOnce: the claim can be made again once its TTL passed', async () => {
      const [a, b] = await pair();
      expect(await a.claimOnce('k', 60)).toBe(true);
      expect(await b.claimOnce('k', 60)).toBe(false);
      await sleep(100);
      expect(await b.claimOnce('k', 60)).toBe(true);
    });

    it('lease: one holder at a time; the holder renews; release lets the other take it', async () => {
      const [a, b] = await pair();
      expect(await a.lease('poll:task_1', 'A', 1000)).toBe(true);
      expect(await b.lease('poll:task_1', 'B', 1000)).toBe(false);
      expect(await a.lease('poll:task_1', 'A', 1000)).toBe(true); // renewal
      await b.releaseLease('poll:task_1', 'B'); // not B's: no effect
      expect(await b.lease('poll:task_1', 'B', 1000)).toBe(false);
      await a.releaseLease('poll:task_1', 'A');
      expect(await b.lease('poll:task_1', 'B', 1000)).toBe(true);
    });

    it('lease: a holder that stops renewing loses it after the TTL', async () => {
      const [a, b] = await pair();
      expect(await a.lease('poll:t', 'A', 80)).toBe(true);
      expect(await b.lease('poll:t', 'B', 80)).toBe(false);
      await sleep(120);
      expect(await b.lease('poll:t', 'B', 80)).toBe(true);
    });

    it('publish reaches every subscriber of the channel on every instance, and only them', async () => {
      const [a, b] = await pair();
      const gotA: string[] = [];
      const gotB: string[] = [];
      const other: string[] = [];
      const offA = await a.subscribe('task:1', (m) => void gotA.push(m));
      const offB = await b.subscribe('task:1', (m) => void gotB.push(m));
      const offOther = await b.subscribe('task:2', (m) => void other.push(m));
      await a.publish('task:1', 'one');
      await b.publish('task:1', 'two');
      await eventually(() => gotA.length === 2 && gotB.length === 2);
      expect(gotA).toEqual(['one', 'two']);
      expect(gotB).toEqual(['one', 'two']);
      await offB();
      await a.publish('task:1', 'three');
      await eventually(() => gotA.length === 3);
      await sleep(30);
      expect(gotB).toEqual(['one', 'two']);
      expect(other).toEqual([]);
      await offA();
      await offOther();
    });

    it('limiter: points are counted once across instances; over budget rejects with msBeforeNext', async () => {
      const [a, b] = await pair();
      const spec = { name: `test-${Math.random().toString(36).slice(2)}`, points: 3, durationMs: 10_000 };
      await a.limiter(spec).consume('key');
      await b.limiter(spec).consume('key');
      await a.limiter(spec).consume('key');
      const over = await b.limiter(spec).consume('key').then(
        () => undefined,
        (e: unknown) => e as { msBeforeNext?: number },
      );
      expect(over?.msBeforeNext).toBeGreaterThan(0);
      expect(over?.msBeforeNext).toBeLessThanOrEqual(10_000);
      // Another key has its own window.
      await expect(a.limiter(spec).consume('other')).resolves.toMatchObject({ remainingPoints: 2 });
    });

    it('healthy() answers true while the store is up', async () => {
      const [a] = await pair();
      expect(await a.healthy()).toBe(true);
      expect(typeof a.kind).toBe('string');
    });
  });
}
