/**
 * Two proxy instances sharing one Redis (a real redis-server on a loopback port), in front of one
 * fake ToAPIs that — like the English status page — does NOT echo `client_business_id` in task
 * reads. What one instance hands out, the other knows: task ownership, the key-wide budget and
 * webhook de-duplication. When Redis goes away, billable submits are refused (503), never spent
 * outside the budget.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToapisProxy, type ToapisProxy, type ToapisProxyOptions } from '../../../server/proxy';
import { createRedisState } from '../../../server/redis';
import { createSimulator } from '../../../server/simulator';
import type { ProxyState } from '../../../server/state/types';
import { KEY, MODEL, UPSTREAM, readSse, signedWebhook, taskEvents, visitor, type Harness, type Json, type SseReader } from '../proxy/harness';
import { startRedis, type RedisProcess } from '../redis-server';

const WEBHOOK_SECRET = 'whsec_instances_test_0123456789';
let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

interface Fleet {
  a: Harness;
  b: Harness;
  upstream: Request[];
  /** While set, upstream status reads hang (the fake ToAPIs is slow). */
  hold: { on: boolean };
  states: ProxyState[];
}
let fleets: Fleet[] = [];
afterEach(async () => {
  for (const f of fleets) {
    await f.a.proxy.close();
    await f.b.proxy.close();
    for (const s of f.states) await s.close();
  }
  fleets = [];
});

let seq = 0;
function fleet(options: Partial<ToapisProxyOptions> = {}, timeline = { queuedMs: 100, generatingMs: 300 }): Fleet {
  const sim = createSimulator({ seed: 3, ...timeline });
  const upstream: Request[] = [];
  const hold = { on: false };
  const prefix = `fleet${(seq += 1)}:`;
  const states = [createRedisState({ url: redis.url, prefix }), createRedisState({ url: redis.url, prefix })];
  const make = (state: ProxyState): Harness => {
    const h = { upstream, logs: [] as string[], seen: [] as string[], intercept: undefined } as unknown as Harness;
    h.proxy = createToapisProxy({
      apiKey: KEY,
      upstream: UPSTREAM,
      sessionSecret: 'fleet-session-secret-0123456789abcdef',
      state,
      fetch: async (request) => {
        upstream.push(request.clone());
        if (hold.on && request.method === 'GET') await new Promise((r) => setTimeout(r, 8000));
        const res = await sim.fetch(request);
        if (request.method !== 'GET') return res;
        // The status page does not echo client_business_id: ownership must not depend on it.
        const body = (await res.json()) as Json;
        delete body.client_business_id;
        return Response.json(body, { status: res.status, headers: res.headers });
      },
      log: (line) => void h.logs.push(line),
      webhook: { secret: WEBHOOK_SECRET, publicUrl: 'https://app.example.test/api' },
      rateLimit: false,
      spendLimit: false,
      ...options,
    }) as ToapisProxy;
    return h;
  };
  const f = { a: make(states[0]!), b: make(states[1]!), upstream, states, hold };
  fleets.push(f);
  return f;
}

/** Waits (at most `ms`) until `check` holds. */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const lastStatus = (r: SseReader) => String(taskEvents(r).at(-1)?.status ?? '');
const taskGets = (f: Fleet, taskId: string) => f.upstream.filter((r) => r.method === 'GET' && r.url.endsWith(`/${taskId}`)).length;

const submitBody = (prompt: string) =>
  ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: MODEL, prompt, size: '1:1', n: 1 }) }) as const;

describe('two instances, one Redis', () => {
  it('a task submitted through A is read through B by its owner (no upstream echo needed); a stranger gets 404 on both', async () => {
    const f = fleet({ rateGroup: false });
    const owner = visitor(f.a);
    const res = await owner.send('/v1/images/generations', submitBody('a fox in the snow'));
    expect(res.status).toBe(200);
    const taskId = String(((await res.json()) as Json).id);

    const onB = visitor(f.b, owner.cookie); // the same browser, routed to the other instance
    const read = await onB.send(`/v1/images/generations/${taskId}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as Json).id).toBe(taskId);

    const stranger = visitor(f.b);
    expect((await stranger.send(`/v1/images/generations/${taskId}`)).status).toBe(404);
    expect((await visitor(f.a, stranger.cookie).send(`/v1/images/generations/${taskId}`)).status).toBe(404);
  });

  it('the key-wide submit budget is one budget for both instances', async () => {
    const f = fleet({ rateGroup: { submit: [{ points: 4, windowMs: 60_000 }], query: [{ points: 1000, windowMs: 60_000 }] } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await visitor(i % 2 ? f.b : f.a).send('/v1/images/generations', submitBody(`budget ${i}`));
      statuses.push(res.status);
    }
    const submitsUpstream = f.upstream.filter((r) => r.method === 'POST').length;
    expect(submitsUpstream).toBe(4); // per instance it would have been 8
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });

  it('the per-visitor and per-address budgets are one budget for both instances', async () => {
    const f = fleet({ rateGroup: false, rateLimit: { windowMs: 60_000, max: 3, maxPerIp: 5 } });
    const read = '/v1/images/generations/task_nope';
    const first = visitor(f.a);
    const statuses = [(await first.send(read)).status];
    for (let i = 1; i < 4; i++) statuses.push((await visitor(i % 2 ? f.b : f.a, first.cookie).send(read)).status);
    expect(statuses).toEqual([404, 404, 404, 429]); // one visitor, alternating instances, counted together
    // Another visitor on the same address: the address's 5 leave room for two more (a refused
    // request is given back), whichever instance they reach.
    const other = visitor(f.b);
    expect((await other.send(read)).status).toBe(404);
    expect((await visitor(f.a, other.cookie).send(read)).status).toBe(404);
    expect((await visitor(f.b, other.cookie).send(read)).status).toBe(429);
  });

  it('a webhook landing on B for a task submitted through A is taken, and its repeat on A is a duplicate', async () => {
    const f = fleet({ rateGroup: false });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('webhook across'))).json()) as Json).id);
    const delivery = { event: 'task.completed', data: { task_id: taskId, status: 'SUCCESS', progress: '100%', result: { data: [{ url: 'https://files.example.test/a.png' }] } } };

    const onB = await f.b.proxy.fetch(new Request('http://127.0.0.1/v1/webhooks/toapis', signedWebhook(delivery, WEBHOOK_SECRET, { id: 'evt_fleet_1' })));
    expect(await onB.json()).toEqual({ ok: true });
    const again = await f.a.proxy.fetch(new Request('http://127.0.0.1/v1/webhooks/toapis', signedWebhook(delivery, WEBHOOK_SECRET, { id: 'evt_fleet_1' })));
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
  });

  it('with Redis gone, submits are refused with 503 and nothing is spent upstream; /v1/health names the Redis state', async () => {
    const f = fleet();
    const owner = visitor(f.a);
    expect((await owner.send('/v1/images/generations', submitBody('before the outage'))).status).toBe(200);
    const before = f.upstream.filter((r) => r.method === 'POST').length;
    const port = redis.port;
    await redis.stop();
    try {
      const res = await visitor(f.b, owner.cookie).send('/v1/images/generations', submitBody('during the outage'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(((await res.json()) as { error: Json }).error.code).toBe('rate_limit_unavailable');
      expect(f.upstream.filter((r) => r.method === 'POST').length).toBe(before);
      const health = (await (await f.a.proxy.fetch(new Request('http://127.0.0.1/v1/health'))).json()) as Json;
      expect(JSON.stringify(health)).toContain('redis');
    } finally {
      redis = await startRedis(port);
    }
  }, 30_000);

  it('with Redis gone, reads and streams go on under the default budgets (polling upstream), an unverifiable read is 503 not 404, and both instances follow the task to its end once Redis is back', async () => {
    const f = fleet({ rateLimit: undefined, rateGroup: 'default', webhook: undefined, pollIntervalMs: 500 }, { queuedMs: 100, generatingMs: 6000 });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('through the outage'))).json()) as Json).id);
    const port = redis.port;
    await redis.stop();
    let outage: SseReader;
    try {
      // Health says so. A knows its own task and answers; B cannot check whose it is, and says
      // "try again" (503) rather than "not found" (which would end the task in the kit).
      expect((await f.a.proxy.fetch(new Request('http://127.0.0.1/v1/health'))).status).toBe(503);
      expect((await owner.send(`/v1/images/generations/${taskId}`)).status).toBe(200);
      const onB = await visitor(f.b, owner.cookie).send(`/v1/images/generations/${taskId}`);
      expect([onB.status, onB.headers.get('retry-after')]).toEqual([503, '5']);
      const stream = await owner.send(`/v1/images/generations/${taskId}/events`);
      expect(stream.status).toBe(200);
      outage = readSse(f.a, stream);
      const readsBefore = taskGets(f, taskId);
      await until(() => taskGets(f, taskId) >= readsBefore + 2, 5000); // A polls upstream itself
      expect((await owner.send('/v1/images/generations', submitBody('not while Redis is away'))).status).toBe(503);
    } finally {
      redis = await startRedis(port);
    }
    for (const end = Date.now() + 10_000; !(await f.states[1]!.healthy()) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    // Back (a fresh Redis: the records are gone). The owner's next read through A puts A's record
    // of the task back; then B knows the task again and follows it with the fleet.
    expect((await owner.send(`/v1/images/generations/${taskId}`)).status).toBe(200);
    const after = readSse(f.b, await visitor(f.b, owner.cookie).send(`/v1/images/generations/${taskId}/events`));
    await until(() => outage.finished() && after.finished(), 20_000);
    expect([lastStatus(outage), lastStatus(after)]).toEqual(['completed', 'completed']);
    expect((await f.a.proxy.fetch(new Request('http://127.0.0.1/v1/health'))).status).toBe(200);
  }, 40_000);

  it('streams on both instances share one upstream poll loop, and every subscriber sees the task complete', async () => {
    const f = fleet({ rateGroup: false, webhook: undefined, pollIntervalMs: 1000 }, { queuedMs: 100, generatingMs: 2600 });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('one loop'))).json()) as Json).id);
    const onB = visitor(f.b, owner.cookie);
    const readers: SseReader[] = [];
    for (const v of [owner, onB, owner, onB, owner, onB]) {
      const res = await v.send(`/v1/images/generations/${taskId}/events`);
      expect(res.status).toBe(200);
      readers.push(readSse(f.a, res));
    }
    await until(() => readers.every((r) => r.finished()));
    expect(readers.map(lastStatus)).toEqual(Array(6).fill('completed'));
    // ~2.7 s of task at a 1 s cadence is about 3 reads for ONE loop; two loops would make about 6.
    expect(taskGets(f, taskId)).toBeLessThanOrEqual(4);
  }, 30_000);

  it('a webhook on B reaches the subscribers on A without another upstream read', async () => {
    const f = fleet({ rateGroup: false, webhook: { secret: WEBHOOK_SECRET, publicUrl: 'https://app.example.test/api', safetyPollMs: 30_000 } }, { queuedMs: 100, generatingMs: 60_000 });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('pushed across'))).json()) as Json).id);
    const reader = readSse(f.a, await owner.send(`/v1/images/generations/${taskId}/events`));
    await until(() => taskEvents(reader).length > 0); // the first (safety) read
    const readsBefore = taskGets(f, taskId);
    const delivery = { event: 'task.completed', data: { task_id: taskId, status: 'SUCCESS', progress: '100%', result: { data: [{ url: 'https://files.example.test/done.png' }] } } };
    const res = await f.b.proxy.fetch(new Request('http://127.0.0.1/v1/webhooks/toapis', signedWebhook(delivery, WEBHOOK_SECRET, { id: 'evt_push_1' })));
    expect(await res.json()).toEqual({ ok: true });
    await until(() => reader.finished(), 5000);
    expect(lastStatus(reader)).toBe('completed');
    expect(taskGets(f, taskId)).toBe(readsBefore);
  }, 30_000);

  it('when the polling instance closes, the other one takes the poll over and its subscribers see the end', async () => {
    const f = fleet({ rateGroup: false, webhook: undefined, pollIntervalMs: 1000 }, { queuedMs: 100, generatingMs: 3500 });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('take over'))).json()) as Json).id);
    const onA = readSse(f.a, await owner.send(`/v1/images/generations/${taskId}/events`)); // A polls first
    await until(() => taskEvents(onA).length > 0);
    const onB = readSse(f.b, await visitor(f.b, owner.cookie).send(`/v1/images/generations/${taskId}/events`));
    await f.a.proxy.close(); // A goes away mid-task
    await until(() => onB.finished());
    expect(lastStatus(onB)).toBe('completed');
  }, 30_000);

  it('a new subscriber on another instance gets the last state the fleet saw at once, without waiting for the upstream', async () => {
    const f = fleet({ rateGroup: false, webhook: undefined, pollIntervalMs: 1000 }, { queuedMs: 100, generatingMs: 20_000 });
    const owner = visitor(f.a);
    const taskId = String(((await (await owner.send('/v1/images/generations', submitBody('snapshot'))).json()) as Json).id);
    const onA = readSse(f.a, await owner.send(`/v1/images/generations/${taskId}/events`));
    await until(() => taskEvents(onA).some((t) => t.status === 'in_progress'));
    f.hold.on = true; // from now on the upstream takes 8 s per read
    const onB = readSse(f.b, await visitor(f.b, owner.cookie).send(`/v1/images/generations/${taskId}/events`));
    await until(() => taskEvents(onB).length > 0, 2000);
    expect(taskEvents(onB)[0]?.status).toBe('in_progress');
    await onA.cancel();
    await onB.cancel();
  }, 30_000);
});
