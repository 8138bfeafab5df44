/**
 * The fleet test of issue 10: three proxy PROCESSES (test/server/fleet/instance.ts) share one real
 * redis-server, in front of one fake ToAPIs served here on a loopback port (the simulator, wrapped
 * to count submits and status reads per task, and — like the English status page — not echoing
 * `client_business_id`). Visitors keep their cookie and every request goes to a random instance.
 *
 * 200 tasks, 3 event streams each (600 subscribers) on random instances, signed webhooks for about
 * half of the tasks delivered to random instances (some twice), and one instance SIGKILLed mid-run;
 * streams that were on it re-open on another instance, as the kit does. Asserted: every subscriber
 * sees its task complete, nothing is submitted twice upstream, submits stay inside the shared
 * budget, status reads stay at about one per task per poll interval fleet-wide, a surviving
 * instance takes the killed one's polls over within a few poll intervals, and a webhook on one
 * instance reaches subscribers on the others (fan-out, measured; only a generous bound here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../server/simulator';
import { MODEL, signedWebhook } from './proxy/harness';
import { startRedis, type RedisProcess } from './redis-server';

const TASKS = 200;
const STREAMS_PER_TASK = 3;
const INSTANCES = 3;
const VISITORS = 50;
/** Submits over the shared budget, sent along with the others: each must be refused, none spent. */
const EXTRA_SUBMITS = 10;
const POLL_MS = 1000;
const QUERIES_PER_S = 400;
const SESSION_SECRET = 'fleet-test-session-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_fleet_test_0123456789';
/** Long enough that the kill lands while every task still runs. */
const TIMELINE = { queuedMs: 300, generatingMs: 8000 };
/** Nothing in the run may take longer than this. */
const RUN_DEADLINE_MS = 45_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pick = <T,>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/* ---- The fake upstream: the simulator behind a counter ---- */

interface UpstreamCall {
  method: 'GET' | 'POST';
  taskId?: string;
  businessId?: string;
  instance: string;
  at: number;
}

const calls: UpstreamCall[] = [];
const sim = createSimulator({ seed: 10, ...TIMELINE });
let upstream: ServerType | undefined;
let upstreamUrl = '';

async function upstreamFetch(request: Request): Promise<Response> {
  const instance = request.headers.get('x-fleet-instance') ?? '?';
  const path = new URL(request.url).pathname;
  if (request.method === 'POST' && path === '/v1/images/generations') {
    const body = (await request.clone().json()) as Record<string, unknown>;
    const res = await sim.fetch(request);
    const answer = (await res.clone().json()) as Record<string, unknown>;
    calls.push({ method: 'POST', businessId: String(body.client_business_id), taskId: String(answer.id), instance, at: Date.now() });
    return res;
  }
  const read = /^\/v1\/images\/generations\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && read) {
    calls.push({ method: 'GET', taskId: decodeURIComponent(read[1]!), instance, at: Date.now() });
    const res = await sim.fetch(request);
    const body = (await res.json()) as Record<string, unknown>;
    delete body.client_business_id; // ownership must not depend on the upstream echoing it
    return Response.json(body, { status: res.status, headers: res.headers });
  }
  return sim.fetch(request);
}

/* ---- Proxy instances as child processes ---- */

interface Instance {
  name: string;
  child: ChildProcess;
  port: number;
  alive: boolean;
  output: string;
}

const instances: Instance[] = [];
let redis: RedisProcess | undefined;

function startInstance(name: string, redisUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/fleet/instance.ts'], {
    cwd: ROOT,
    detached: true, // its own process group: killed as a whole
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FLEET_NAME: name,
      FLEET_UPSTREAM: upstreamUrl,
      REDIS_URL: redisUrl,
      FLEET_PREFIX: 'fleet-test:',
      FLEET_SESSION_SECRET: SESSION_SECRET,
      FLEET_WEBHOOK_SECRET: WEBHOOK_SECRET,
      FLEET_SUBMITS: String(TASKS),
      FLEET_QUERIES: String(QUERIES_PER_S),
    },
  });
  const instance: Instance = { name, child, port: 0, alive: false, output: '' };
  instances.push(instance);
  child.stderr?.on('data', (c: Buffer) => void (instance.output += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${name} did not start:\n${instance.output}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      instance.output += c.toString();
      const ready = /ready (\d+)/.exec(instance.output);
      if (ready && !instance.alive) {
        clearTimeout(timer);
        instance.port = Number(ready[1]);
        instance.alive = true;
        resolve(instance);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      instance.alive = false;
      reject(new Error(`instance ${name} exited (${code ?? signal}):\n${instance.output}`));
    });
  });
}

async function killInstance(instance: Instance, signal: NodeJS.Signals): Promise<void> {
  const { child } = instance;
  instance.alive = false;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  try {
    process.kill(-child.pid, signal);
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

const alive = () => instances.filter((i) => i.alive);
const origin = (i: Instance) => `http://127.0.0.1:${i.port}`;

beforeAll(async () => {
  redis = await startRedis();
  await new Promise<void>((ready) => {
    upstream = serve({ fetch: upstreamFetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      upstreamUrl = `http://127.0.0.1:${info.port}`;
      ready();
    });
  });
  await Promise.all(Array.from({ length: INSTANCES }, (_, n) => startInstance(`i${n + 1}`, redis!.url)));
}, 60_000);

afterAll(async () => {
  stopFollowing.abort();
  await Promise.all(instances.map((i) => killInstance(i, 'SIGTERM')));
  await new Promise<void>((done) => (upstream ? upstream.close(() => done()) : done()));
  await redis?.stop();
}, 20_000);

/* ---- Visitors, subscribers, webhooks ---- */

interface Visitor {
  cookie?: string;
}

/** Sends a request for the visitor to a random live instance (another one if that one is down). */
async function send(v: Visitor, path: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const target = pick(alive());
    const headers = new Headers(init.headers);
    if (v.cookie) headers.set('cookie', v.cookie);
    try {
      const res = await fetch(`${origin(target)}${path}`, { ...init, headers });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) v.cookie = setCookie.split(';')[0];
      return res;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

interface Task {
  id: string;
  visitor: Visitor;
  submittedAt: number;
  /** First delivery of its webhook (when it has one), to which instance. */
  webhookAt?: number;
  webhookTo?: string;
}

interface Subscriber {
  task: Task;
  /** Instance of the current connection, when it opened, and whether it has had an event yet. */
  instance?: string;
  connectedAt: number;
  established: boolean;
  connects: number;
  completedAt?: number;
  /** Instance whose stream delivered `completed`. */
  completedOn?: string;
  problems: string[];
}

const stopFollowing = new AbortController();

/** Follows the task's event stream until it completes, re-opening it on a random live instance when it ends early. */
async function follow(sub: Subscriber, deadline: number): Promise<void> {
  const path = `/v1/images/generations/${encodeURIComponent(sub.task.id)}/events`;
  while (sub.completedAt === undefined && Date.now() < deadline && !stopFollowing.signal.aborted) {
    const target = pick(alive());
    sub.instance = target.name;
    sub.connectedAt = Date.now();
    sub.established = false;
    sub.connects++;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (sub.task.visitor.cookie) headers.cookie = sub.task.visitor.cookie;
    let res: Response;
    try {
      res = await fetch(`${origin(target)}${path}`, { headers, signal: stopFollowing.signal });
    } catch {
      await sleep(50);
      continue;
    }
    if (res.status !== 200 || !res.body) {
      sub.problems.push(`HTTP ${res.status} from ${target.name}`);
      await res.body?.cancel();
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'task' && data) {
            sub.established = true;
            const status = (JSON.parse(data) as { status?: string }).status;
            if (status === 'completed' && sub.completedAt === undefined) {
              sub.completedAt = Date.now();
              sub.completedOn = target.name;
            } else if (status === 'failed') sub.problems.push(`failed on ${target.name}: ${data}`);
          } else if (event === 'error') sub.problems.push(`error on ${target.name}: ${data}`);
          // `event: reconnect` is followed by the end of the stream: re-opened below.
        }
      }
    } catch {
      // The instance went away mid-stream: re-open elsewhere.
    }
  }
}

/** Delivers a signed SUCCESS webhook for the task to a random live instance (another one on a connection error). */
async function deliverWebhook(task: Task, eventId: string): Promise<{ instance: string; at: number; body: Record<string, unknown>; retried: boolean }> {
  const delivery = {
    event: 'task.completed',
    data: { task_id: task.id, status: 'SUCCESS', progress: '100%', result: { data: [{ url: `https://files.example.test/${task.id}.png` }] } },
  };
  for (let attempt = 0; ; attempt++) {
    const target = pick(alive());
    const at = Date.now();
    try {
      const res = await fetch(`${origin(target)}/v1/webhooks/toapis`, signedWebhook(delivery, WEBHOOK_SECRET, { id: eventId }));
      return { instance: target.name, at, body: (await res.json()) as Record<string, unknown>, retried: attempt > 0 };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);

/* ---- The run ---- */

describe('a fleet of three proxy processes on one Redis', () => {
  it('200 tasks, 600 subscribers, webhooks to random instances (some twice), one instance killed: nothing lost, nothing duplicated', async () => {
    const started = Date.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const deadline = started + RUN_DEADLINE_MS;

    // 1. Submits through random instances: the shared budget lets exactly TASKS through.
    const visitors: Visitor[] = Array.from({ length: VISITORS }, () => ({}));
    const tasks: Task[] = [];
    const refused: number[] = [];
    const perVisitor = Math.ceil((TASKS + EXTRA_SUBMITS) / VISITORS);
    let sent = 0;
    await Promise.all(
      visitors.map(async (v, vi) => {
        for (let k = 0; k < perVisitor && sent < TASKS + EXTRA_SUBMITS; k++) {
          sent++;
          const res = await send(v, '/v1/images/generations', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ model: MODEL, prompt: `fleet ${vi}.${k}`, size: '1:1', n: 1 }),
          });
          const body = (await res.json()) as Record<string, unknown>;
          if (res.status === 200) tasks.push({ id: String(body.id), visitor: v, submittedAt: Date.now() });
          else refused.push(res.status);
        }
      }),
    );
    const submitDone = Date.now();
    expect(tasks).toHaveLength(TASKS);
    expect(refused).toEqual(Array(EXTRA_SUBMITS).fill(429));

    // 2. Three streams per task, each on a random instance.
    const subscribers: Subscriber[] = tasks.flatMap((task) =>
      Array.from({ length: STREAMS_PER_TASK }, () => ({ task, connectedAt: 0, established: false, connects: 0, problems: [] })),
    );
    const following = Promise.all(subscribers.map((s) => follow(s, deadline)));

    // 3. Webhooks for about half of the tasks, at a random moment while the task still runs; about
    //    a third of those twice (same webhook id), the repeat to another random instance.
    const hooked = tasks.filter(() => Math.random() < 0.5);
    const repeats: Array<Record<string, unknown>> = [];
    const webhooks = Promise.all(
      hooked.map(async (task, n) => {
        await sleep(Math.max(0, task.submittedAt + 1500 + Math.random() * 4000 - Date.now()));
        const eventId = `evt_fleet_${n}`;
        const first = await deliverWebhook(task, eventId);
        // A delivery cut off by the kill may have been taken before the instance died: its retry is then a duplicate.
        expect(first.body).toEqual(first.retried ? expect.objectContaining({ ok: true }) : { ok: true });
        task.webhookAt = first.at;
        task.webhookTo = first.instance;
        if (Math.random() < 0.35) repeats.push((await deliverWebhook(task, eventId)).body);
      }),
    );

    // 4. Kill one instance once every stream is open and its pollers run, while the tasks still run.
    const killWait = Date.now() + 10_000;
    while (Date.now() < killWait && subscribers.some((s) => !s.established)) await sleep(50);
    await sleep(1200);
    const victim = instances[0]!;
    const killedAt = Date.now();
    const openAtKill = tasks.filter((t) => !subscribers.some((s) => s.task === t && s.completedAt !== undefined)).length;
    await killInstance(victim, 'SIGKILL');

    await webhooks;
    await following;
    const finished = Date.now();
    loopDelay.disable();

    // Nothing lost: every subscriber saw its task complete, with no error on the way.
    const lost = subscribers.filter((s) => s.completedAt === undefined);
    const problems = subscribers.flatMap((s) => s.problems);
    // Nothing duplicated upstream: one submit per task, distinct business ids and task ids.
    const posts = calls.filter((c) => c.method === 'POST');
    const duplicateSubmits = posts.length - TASKS;
    // Status reads per task against its lifetime (submit → its last read).
    const gets = new Map<string, UpstreamCall[]>();
    for (const c of calls) if (c.method === 'GET' && c.taskId) gets.set(c.taskId, [...(gets.get(c.taskId) ?? []), c]);
    const overBudget: string[] = [];
    const perTask: number[] = [];
    for (const task of tasks) {
      const list = gets.get(task.id) ?? [];
      perTask.push(list.length);
      const lifetimeS = ((list.at(-1)?.at ?? task.submittedAt) - task.submittedAt) / 1000;
      if (list.length > Math.floor(lifetimeS * (1000 / POLL_MS)) + 3) overBudget.push(`${task.id}: ${list.length} reads in ${lifetimeS.toFixed(1)} s`);
    }
    // Takeover: for each task whose poller was the killed instance, kill → first read by a survivor.
    const takeovers: number[] = [];
    for (const list of gets.values()) {
      const before = list.filter((c) => c.at <= killedAt).at(-1);
      const after = list.find((c) => c.at > killedAt && c.instance !== victim.name);
      if (before?.instance === victim.name && after) takeovers.push(after.at - killedAt);
    }
    // Fan-out: webhook delivered to instance X → `completed` at a subscriber whose stream was on
    // another instance, already established before the delivery.
    const fanout: number[] = [];
    for (const s of subscribers) {
      const { webhookAt, webhookTo } = s.task;
      if (webhookAt === undefined || s.completedAt === undefined || s.completedOn === webhookTo) continue;
      if (s.connectedAt < webhookAt && s.completedAt >= webhookAt) {
        fanout.push(s.completedAt - webhookAt);
      }
    }
    // Reads of a task more than 500 ms after its webhook completed it (the fleet knew it was final).
    const readsAfterWebhook = tasks.reduce(
      (n, t) => n + (t.webhookAt === undefined ? 0 : (gets.get(t.id) ?? []).filter((c) => c.at > t.webhookAt! + 500).length),
      0,
    );
    fanout.sort((a, b) => a - b);
    takeovers.sort((a, b) => a - b);
    const reads = perTask.reduce((a, b) => a + b, 0);
    const reconnects = subscribers.reduce((n, s) => n + s.connects - 1, 0);

    console.log(
      `[fleet] tasks ${TASKS}, subscribers ${subscribers.length}, instances ${INSTANCES} (1 killed with ${openAtKill} tasks open) | ` +
        `events lost ${lost.length}, stream problems ${problems.length}, duplicate upstream submits ${duplicateSubmits}, ` +
        `submits upstream ${posts.length} (budget ${TASKS}, ${refused.length} refused) | ` +
        `status reads per task max ${Math.max(...perTask)} avg ${(reads / TASKS).toFixed(2)} (${overBudget.length} over lifetime+3) | ` +
        `takeover after kill max ${takeovers.at(-1) ?? NaN} ms p50 ${quantile(takeovers, 0.5)} ms over ${takeovers.length} tasks | ` +
        `fan-out p50 ${quantile(fanout, 0.5)} ms p99 ${quantile(fanout, 0.99)} ms max ${fanout.at(-1) ?? NaN} ms (n=${fanout.length}) | ` +
        `webhooks ${hooked.length} (+${repeats.length} repeats), reads after a webhook ${readsAfterWebhook} | reconnects ${reconnects} | ` +
        `submits ${submitDone - started} ms, run ${finished - started} ms | ` +
        `test-process event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );

    expect(lost.map((s) => `${s.task.id} (${s.problems.join('; ')})`)).toEqual([]);
    expect(problems).toEqual([]);
    expect(duplicateSubmits).toBe(0);
    expect(new Set(posts.map((c) => c.businessId)).size).toBe(TASKS);
    expect(new Set(posts.map((c) => c.taskId)).size).toBe(TASKS);
    expect(repeats.every((r) => r.duplicate === true)).toBe(true);
    expect(overBudget).toEqual([]);
    // The kill landed mid-run, took pollers away, and the survivors took them over within ~2 intervals.
    expect(killedAt).toBeLessThan(Math.min(...tasks.map((t) => t.submittedAt)) + TIMELINE.queuedMs + TIMELINE.generatingMs);
    expect(openAtKill).toBeGreaterThan(TASKS / 4);
    expect(takeovers.length).toBeGreaterThan(0);
    // (~2 intervals when the machine is idle; the bound only says "by the lease, not by the 30 s
    // safety poll", so a busy CI machine does not fail it — the figure itself is printed above.)
    expect(takeovers.at(-1)!).toBeLessThanOrEqual(10 * POLL_MS);
    // Fan-out: measured above; the speed target belongs to the benchmark, here only a generous bound.
    expect(fanout.length).toBeGreaterThan(10);
    // (p99 was 24–205 ms in most runs on a shared 2-core machine, once 1.4 s while the survivors
    // took over the killed instance's streams, 4.4 s with four other test runs on the machine.)
    expect(quantile(fanout, 0.99)).toBeLessThan(10_000);
  }, 90_000);
});
