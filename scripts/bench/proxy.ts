/**
 * `npm run bench:proxy`: what the proxy (server/proxy/) costs and holds, measured on loopback.
 * A measurement, not a test. It serves the simulator (server/simulator/, the fake ToAPIs) from this
 * process with @hono/node-server and runs each proxy as its own process
 * (scripts/bench/proxy-instance.ts: memory state or Redis, budgets off), then measures:
 *
 * 1. added latency per submit and per status read (p50/p99): through the proxy vs the simulator
 *    directly, sequential and concurrent, several rounds;
 * 2. event streams one proxy process holds and its memory per stream (RSS from /proc/<pid>/status
 *    before and after opening them, each after a garbage collection);
 * 3. fan-out latency p50/p99: a signed webhook delivered → `completed` at the stream subscribers,
 *    memory state (one instance) and Redis (webhook on one instance, subscribers on another; a real
 *    redis-server from test/server/redis-server.ts);
 * 4. upstream status queries per minute for N subscribers on one task (pollIntervalMs 1000).
 *
 * Prints tables and JSON, and writes the "Proxy" section of docs/benchmarks.md and the `proxy` key
 * of docs/benchmarks.json, leaving the rest of both files (`npm run bench`'s) as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import { createSimulator } from '../../server/simulator';
import { startRedis, type RedisProcess } from '../../test/server/redis-server';
import { PROXY_HEADING, replaceSection } from './sections';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = 'gemini-3.1-flash-image-preview';
const WEBHOOK_SECRET = 'whsec_bench_proxy_0123456789';
const ROUNDS = Number(process.env.BENCH_PROXY_ROUNDS ?? 3);
const SEQUENTIAL = 300;
const CONCURRENT = 200;
const CONCURRENCY = 10;
const STREAMS = Number(process.env.BENCH_PROXY_STREAMS ?? 2000);
const STREAM_TASKS = 100;
const FANOUT_TASKS = 40;
const FANOUT_SUBSCRIBERS = 5;
const POLL_MS = 1000;
const POLL_WINDOW_MS = 20_000;
const POLL_SUBSCRIBERS = [1, 10, 100];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const loadNow = () => round2(loadavg()[0] ?? 0);

/* ---- Statistics ---- */

function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
}
const median = (values: readonly number[]) => quantile(values, 0.5);
const worst = (values: readonly number[]) => Math.max(...values);

interface Percentiles {
  p50: number;
  p99: number;
  n: number;
}
const percentiles = (samples: readonly number[]): Percentiles => ({ p50: round2(quantile(samples, 0.5)), p99: round2(quantile(samples, 0.99)), n: samples.length });

/** Median and worst over the rounds of one percentile. */
interface AcrossRounds {
  median: number;
  worst: number;
  rounds: number[];
}
const across = (values: readonly number[]): AcrossRounds => ({ median: round2(median(values)), worst: round2(worst(values)), rounds: values.map(round2) });

/* ---- The fake upstream: the simulator, counting status reads per task ---- */

const sim = createSimulator({ seed: 8, queuedMs: 100, generatingMs: 600_000 });
const statusReads = new Map<string, number[]>();
let upstream: ServerType | undefined;
let upstreamUrl = '';

async function upstreamFetch(request: Request): Promise<Response> {
  const read = /^\/v1\/images\/generations\/([^/]+)$/.exec(new URL(request.url).pathname);
  if (request.method === 'GET' && read) {
    const id = decodeURIComponent(read[1]!);
    const list = statusReads.get(id) ?? [];
    list.push(performance.now());
    statusReads.set(id, list);
  }
  return sim.fetch(request);
}

/* ---- Proxy processes ---- */

interface Instance {
  name: string;
  child: ChildProcess;
  origin: string;
  pid: number;
  output: string;
  /** GC in the child, then its process.memoryUsage(). */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

const running = new Set<Instance>();

function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench/proxy-instance.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_UPSTREAM: upstreamUrl, BENCH_POLL_MS: String(POLL_MS), ...env },
  });
  let stdout = '';
  const waiting: Array<(line: string) => void> = [];
  const instance: Instance = {
    name,
    child,
    origin: '',
    pid: child.pid ?? 0,
    output: '',
    async memory() {
      const line = new Promise<string>((r) => waiting.push(r));
      child.stdin?.write('mem\n');
      return JSON.parse((await line).slice(4)) as NodeJS.MemoryUsage;
    },
    async stop() {
      running.delete(instance);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 4000);
      await exited;
      clearTimeout(force);
    },
  };
  running.add(instance);
  child.stderr?.on('data', (c: Buffer) => void (instance.output += c.toString()));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start:\n${instance.output}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      let end: number;
      while ((end = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, end);
        stdout = stdout.slice(end + 1);
        const port = /^ready (\d+)/.exec(line)?.[1];
        if (port) {
          clearTimeout(timer);
          instance.origin = `http://127.0.0.1:${port}`;
          ready(instance);
        } else if (line.startsWith('mem ')) waiting.shift()?.(line);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${code ?? signal}):\n${instance.output}`));
    });
  });
}

/** Resident set size of a process, in bytes (VmRSS in /proc/<pid>/status). */
function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/* ---- Clients ---- */

interface Visitor {
  cookie?: string;
}

async function send(v: Visitor, origin: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (v.cookie) headers.set('cookie', v.cookie);
  const res = await fetch(`${origin}${path}`, { ...init, headers });
  const setCookie = res.headers.get('set-cookie');
  if (setCookie) v.cookie = setCookie.split(';')[0];
  return res;
}

const submitInit = (prompt: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify({ model: MODEL, prompt, size: '1:1', n: 1 }),
});

/** Submits through `origin` (a proxy or the simulator) and answers the task id. */
async function submit(v: Visitor, origin: string, prompt: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await send(v, origin, '/v1/images/generations', submitInit(prompt, headers));
  const body = (await res.json()) as { id?: string };
  if (res.status !== 200 || !body.id) throw new Error(`submit answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

interface Stream {
  /** Resolves at the first `event: task` (the stream is established). */
  ready: Promise<void>;
  /** performance.now() when `completed` arrived. */
  completed: Promise<number>;
  close(): void;
}

function openStream(v: Visitor, origin: string, taskId: string): Stream {
  const abort = new AbortController();
  let established!: () => void;
  let done!: (at: number) => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((r, f) => {
    established = r;
    failed = f;
  });
  const completed = new Promise<number>((r) => (done = r));
  void (async () => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (v.cookie) headers.cookie = v.cookie;
    const res = await fetch(`${origin}/v1/images/generations/${encodeURIComponent(taskId)}/events`, { headers, signal: abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: task$/m.test(block)) {
          const at = performance.now();
          established();
          if (/"status":"completed"/.test(block)) done(at);
        }
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failed(error);
  });
  return { ready, completed, close: () => abort.abort() };
}

/** Signed like ToAPIs' webhooks (HMAC-SHA256 over `id.timestamp.body`, server/proxy/routes/webhook.ts). */
function signedWebhook(payload: unknown, id: string): RequestInit {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', WEBHOOK_SECRET).update(`${id}.${ts}.${body}`).digest('hex');
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-ToAPIs-Webhook-Id': id,
      'X-ToAPIs-Webhook-Timestamp': ts,
      'X-ToAPIs-Webhook-Signature': `v1=${sig}`,
    },
    body,
  };
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/* ---- 1. Added latency ---- */

interface LatencyRound {
  proxy: Record<'submit' | 'read' | 'submitConcurrent' | 'readConcurrent', Percentiles>;
  direct: Record<'submit' | 'read' | 'submitConcurrent' | 'readConcurrent', Percentiles>;
}
type LatencyKind = keyof LatencyRound['proxy'];
const LATENCY_KINDS: LatencyKind[] = ['submit', 'read', 'submitConcurrent', 'readConcurrent'];

async function latencyPass(origin: string, headers: Record<string, string>, tag: string): Promise<LatencyRound['proxy']> {
  const v: Visitor = {};
  const timed = async (work: () => Promise<unknown>, into: number[]) => {
    const t0 = performance.now();
    await work();
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < 20; i++) await submit(v, origin, `${tag} warm-up ${i}`, headers); // JIT, cookie, connections
  const ids: string[] = [];
  const submits: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) await timed(async () => ids.push(await submit(v, origin, `${tag} ${i}`, headers)), submits);
  const reads: number[] = [];
  for (const id of ids) {
    await timed(async () => {
      const res = await send(v, origin, `/v1/images/generations/${id}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`read answered ${res.status}`);
    }, reads);
  }
  const submitsC: number[] = [];
  await pool(Array.from({ length: CONCURRENT }, (_, i) => i), CONCURRENCY, (i) => timed(() => submit(v, origin, `${tag} c${i}`, headers), submitsC));
  const readsC: number[] = [];
  await pool(ids.slice(0, CONCURRENT), CONCURRENCY, (id) =>
    timed(async () => void (await (await send(v, origin, `/v1/images/generations/${id}`, { headers })).arrayBuffer()), readsC),
  );
  return { submit: percentiles(submits), read: percentiles(reads), submitConcurrent: percentiles(submitsC), readConcurrent: percentiles(readsC) };
}

async function measureLatency(): Promise<LatencyRound[]> {
  const proxy = await startInstance('latency', {});
  try {
    const rounds: LatencyRound[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate the order, so neither side always runs on a warmer (or busier) machine.
      const direct = () => latencyPass(upstreamUrl, { authorization: 'Bearer sk-bench-key' }, `direct ${r}`);
      const viaProxy = () => latencyPass(proxy.origin, {}, `proxy ${r}`);
      if (r % 2 === 0) {
        const d = await direct();
        rounds.push({ direct: d, proxy: await viaProxy() });
      } else {
        const p = await viaProxy();
        rounds.push({ proxy: p, direct: await direct() });
      }
      console.error(`[bench:proxy] latency round ${r + 1}/${ROUNDS} done`);
    }
    return rounds;
  } finally {
    await proxy.stop();
  }
}

/* ---- 2. Streams one process holds ---- */

interface StreamsRound {
  requested: number;
  open: number;
  failed: number;
  openMs: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  rssPerStreamBytes: number;
  heapPerStreamBytes: number;
}

async function measureStreams(): Promise<StreamsRound> {
  const proxy = await startInstance('streams', { BENCH_WEBHOOK_SECRET: WEBHOOK_SECRET, BENCH_SAFETY_POLL_MS: '600000' });
  const streams: Stream[] = [];
  try {
    const v: Visitor = {};
    const ids: string[] = [];
    for (let i = 0; i < STREAM_TASKS; i++) ids.push(await submit(v, proxy.origin, `streams ${i}`));
    // Warm the stream path (one stream per task, closed again) so the "before" includes the code and watcher setup, not the streams.
    const warm = ids.map((id) => openStream(v, proxy.origin, id));
    await Promise.all(warm.map((s) => s.ready));
    for (const s of warm) s.close();
    await sleep(500);
    const before = await proxy.memory();
    const rssBefore = rssOf(proxy.pid);
    const t0 = performance.now();
    let failed = 0;
    const opening: Array<Promise<void>> = [];
    for (let i = 0; i < STREAMS; i++) {
      const s = openStream(v, proxy.origin, ids[i % ids.length]!);
      streams.push(s);
      opening.push(s.ready.catch(() => void (failed += 1)));
      if (i % 100 === 99) await sleep(10); // let the proxy accept in batches
    }
    await Promise.all(opening);
    const openMs = performance.now() - t0;
    await sleep(500);
    const after = await proxy.memory();
    const rssAfter = rssOf(proxy.pid);
    const open = STREAMS - failed;
    return {
      requested: STREAMS,
      open,
      failed,
      openMs: Math.round(openMs),
      rssBeforeBytes: rssBefore,
      rssAfterBytes: rssAfter,
      heapBeforeBytes: before.heapUsed,
      heapAfterBytes: after.heapUsed,
      rssPerStreamBytes: Math.round((rssAfter - rssBefore) / Math.max(1, open)),
      heapPerStreamBytes: Math.round((after.heapUsed - before.heapUsed) / Math.max(1, open)),
    };
  } finally {
    for (const s of streams) s.close();
    await proxy.stop();
  }
}

/* ---- 3. Fan-out ---- */

/** Webhook to `hookTo` → `completed` at FANOUT_SUBSCRIBERS streams per task on `subscribeOn`; one task at a time. */
async function fanoutRound(submitTo: Instance, subscribeOn: Instance, hookTo: Instance, tag: string): Promise<{ samples: number[]; lost: number }> {
  const v: Visitor = {};
  const ids: string[] = [];
  for (let i = 0; i < FANOUT_TASKS; i++) ids.push(await submit(v, submitTo.origin, `fanout ${tag} ${i}`));
  const streams = ids.map((id) => Array.from({ length: FANOUT_SUBSCRIBERS }, () => openStream(v, subscribeOn.origin, id)));
  await Promise.all(streams.flat().map((s) => s.ready));
  await sleep(300);
  const samples: number[] = [];
  let lost = 0;
  for (const [n, id] of ids.entries()) {
    const delivery = { event: 'task.completed', data: { task_id: id, status: 'SUCCESS', progress: '100%', result: { data: [{ url: `https://files.example.test/${id}.png` }] } } };
    const init = signedWebhook(delivery, `evt_bench_${tag}_${n}`);
    const t0 = performance.now();
    const res = await fetch(`${hookTo.origin}/v1/webhooks/toapis`, init);
    const answer = (await res.json()) as { ok?: boolean };
    if (!answer.ok) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(answer)}`);
    const timeout = sleep(5000).then(() => -1);
    for (const s of streams[n]!) {
      const at = await Promise.race([s.completed, timeout]);
      if (at < 0) lost += 1;
      else samples.push(at - t0);
    }
    await sleep(20);
  }
  for (const s of streams.flat()) s.close();
  return { samples, lost };
}

interface FanoutResult {
  rounds: Array<Percentiles & { lost: number }>;
}

async function measureFanout(redis: RedisProcess): Promise<{ memory: FanoutResult; redis: FanoutResult }> {
  const hookEnv = { BENCH_WEBHOOK_SECRET: WEBHOOK_SECRET, BENCH_SAFETY_POLL_MS: '600000' };
  const memory: FanoutResult = { rounds: [] };
  const shared: FanoutResult = { rounds: [] };
  const one = await startInstance('fanout-memory', hookEnv);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const { samples, lost } = await fanoutRound(one, one, one, `m${r}`);
      memory.rounds.push({ ...percentiles(samples), lost });
    }
  } finally {
    await one.stop();
  }
  const redisEnv = { ...hookEnv, BENCH_REDIS_URL: redis.url, BENCH_PREFIX: 'bench-fanout:' };
  const [a, b] = await Promise.all([startInstance('fanout-redis-a', redisEnv), startInstance('fanout-redis-b', redisEnv)]);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Submitted through B, subscribers on B, webhook on A: the change crosses Redis pub/sub.
      const { samples, lost } = await fanoutRound(b, b, a, `r${r}`);
      shared.rounds.push({ ...percentiles(samples), lost });
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  console.error('[bench:proxy] fan-out done');
  return { memory, redis: shared };
}

/* ---- 4. Upstream status queries per task ---- */

interface PollRow {
  state: 'memory' | 'redis';
  subscribers: number;
  instances: number;
  readsInWindow: number;
  perMinute: number;
}

async function measurePolls(redis: RedisProcess): Promise<PollRow[]> {
  const memory = await startInstance('polls-memory', {});
  const redisEnv = { BENCH_REDIS_URL: redis.url, BENCH_PREFIX: 'bench-polls:' };
  const fleet = await Promise.all([startInstance('polls-redis-a', redisEnv), startInstance('polls-redis-b', redisEnv)]);
  const streams: Stream[] = [];
  try {
    const v: Visitor = {};
    const plan: Array<{ state: PollRow['state']; subscribers: number; instances: number; id: string }> = [];
    for (const n of POLL_SUBSCRIBERS) {
      const id = await submit(v, memory.origin, `polls memory ${n}`);
      plan.push({ state: 'memory', subscribers: n, instances: 1, id });
      for (let i = 0; i < n; i++) streams.push(openStream(v, memory.origin, id));
      const shared = await submit(v, fleet[0].origin, `polls redis ${n}`);
      plan.push({ state: 'redis', subscribers: n, instances: Math.min(2, n), id: shared });
      for (let i = 0; i < n; i++) streams.push(openStream(v, fleet[i % 2]!.origin, shared));
    }
    await Promise.all(streams.map((s) => s.ready));
    await sleep(1500); // past the first reads of the stream openings
    const t0 = performance.now();
    await sleep(POLL_WINDOW_MS);
    const t1 = performance.now();
    console.error('[bench:proxy] polls done');
    return plan.map(({ id, ...row }) => {
      const reads = (statusReads.get(id) ?? []).filter((at) => at >= t0 && at < t1).length;
      return { ...row, readsInWindow: reads, perMinute: round1((reads * 60_000) / (t1 - t0)) };
    });
  } finally {
    for (const s of streams) s.close();
    await Promise.all([memory.stop(), ...fleet.map((i) => i.stop())]);
  }
}

/* ---- Report ---- */

function table(head: string[], rows: Array<Array<string | number>>, align: string[] = []): string {
  const cells = (r: Array<string | number>) => `| ${r.map(String).join(' | ')} |`;
  return [cells(head), `| ${head.map((_, i) => align[i] ?? (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map(cells)].join('\n');
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–');
const MiB = (bytes: number) => (bytes / 1048576).toFixed(1);
const KiB = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadNow();
  await new Promise<void>((ready) => {
    upstream = serve({ fetch: upstreamFetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      upstreamUrl = `http://127.0.0.1:${info.port}`;
      ready();
    });
  });
  const redis = await startRedis();
  let latency: LatencyRound[];
  const streamRounds: StreamsRound[] = [];
  let fanout: Awaited<ReturnType<typeof measureFanout>>;
  let polls: PollRow[];
  try {
    latency = await measureLatency();
    for (let r = 0; r < ROUNDS; r++) {
      streamRounds.push(await measureStreams());
      console.error(`[bench:proxy] streams round ${r + 1}/${ROUNDS} done`);
    }
    fanout = await measureFanout(redis);
    polls = await measurePolls(redis);
  } finally {
    await Promise.all([...running].map((i) => i.stop()));
    await redis.stop();
    await new Promise<void>((done) => (upstream ? upstream.close(() => done()) : done()));
  }
  const finished = new Date();

  // 1. Added latency per kind: per round, proxy percentile − direct percentile.
  const latencyRows = LATENCY_KINDS.map((kind) => {
    const pick = (side: 'proxy' | 'direct', q: 'p50' | 'p99') => latency.map((r) => r[side][kind][q]);
    const added = (q: 'p50' | 'p99') => latency.map((r) => r.proxy[kind][q] - r.direct[kind][q]);
    return {
      kind,
      requests: latency[0]!.proxy[kind].n,
      direct: { p50: across(pick('direct', 'p50')), p99: across(pick('direct', 'p99')) },
      proxy: { p50: across(pick('proxy', 'p50')), p99: across(pick('proxy', 'p99')) },
      added: { p50: across(added('p50')), p99: across(added('p99')) },
    };
  });
  const label: Record<LatencyKind, string> = {
    submit: `submit, sequential (${SEQUENTIAL})`,
    read: `status read, sequential (${SEQUENTIAL})`,
    submitConcurrent: `submit, ${CONCURRENCY} concurrent (${CONCURRENT})`,
    readConcurrent: `status read, ${CONCURRENCY} concurrent (${CONCURRENT})`,
  };
  const mw = (a: AcrossRounds) => `${ms(a.median)} / ${ms(a.worst)}`;
  const latencyTable = table(
    ['Request', 'direct p50', 'direct p99', 'proxy p50', 'proxy p99', 'added p50', 'added p99'],
    latencyRows.map((r) => [label[r.kind], mw(r.direct.p50), mw(r.direct.p99), mw(r.proxy.p50), mw(r.proxy.p99), `**${mw(r.added.p50)}**`, `**${mw(r.added.p99)}**`]),
  );

  // 2. Streams.
  const perStream = across(streamRounds.map((s) => s.rssPerStreamBytes));
  const heapPerStream = across(streamRounds.map((s) => s.heapPerStreamBytes));
  const streamsTable = table(
    ['Round', 'streams open / asked', 'opened in', 'RSS before → after', 'RSS per stream', 'V8 heap per stream'],
    streamRounds.map((s, i) => [
      i + 1,
      `${s.open} / ${s.requested}`,
      `${(s.openMs / 1000).toFixed(1)} s`,
      `${MiB(s.rssBeforeBytes)} → ${MiB(s.rssAfterBytes)} MiB`,
      `${KiB(s.rssPerStreamBytes)} KiB`,
      `${KiB(s.heapPerStreamBytes)} KiB`,
    ]),
  );

  // 3. Fan-out.
  const fanoutSummary = (f: FanoutResult) => ({
    p50: across(f.rounds.map((r) => r.p50)),
    p99: across(f.rounds.map((r) => r.p99)),
    samples: f.rounds.reduce((n, r) => n + r.n, 0),
    lost: f.rounds.reduce((n, r) => n + r.lost, 0),
  });
  const fanMemory = fanoutSummary(fanout.memory);
  const fanRedis = fanoutSummary(fanout.redis);
  const fanoutTable = table(
    ['State', 'path', 'p50 (median / worst round)', 'p99 (median / worst round)', 'events', 'lost'],
    [
      ['memory', 'webhook and subscribers on one instance', mw(fanMemory.p50), mw(fanMemory.p99), fanMemory.samples, fanMemory.lost],
      ['Redis', 'webhook on instance A, subscribers on instance B', mw(fanRedis.p50), mw(fanRedis.p99), fanRedis.samples, fanRedis.lost],
    ],
    ['---', '---'],
  );

  // 4. Polls.
  const pollTable = table(
    ['State', 'subscribers on the task', 'instances they are on', `status reads in ${POLL_WINDOW_MS / 1000} s`, 'per minute'],
    polls.map((p) => [p.state, p.subscribers, p.instances, p.readsInWindow, p.perMinute]),
  );

  const cpu = cpus()[0]?.model ?? 'unknown';
  const json = {
    generatedAt: finished.toISOString(),
    runSeconds: Math.round((finished.getTime() - started.getTime()) / 1000),
    machine: { cpuModel: cpu, cores: cpus().length, ramBytes: totalmem(), node: process.version, loadAverage: { start: loadStart, end: loadNow() } },
    settings: {
      rounds: ROUNDS,
      sequential: SEQUENTIAL,
      concurrent: CONCURRENT,
      concurrency: CONCURRENCY,
      streams: STREAMS,
      streamTasks: STREAM_TASKS,
      fanoutTasks: FANOUT_TASKS,
      fanoutSubscribersPerTask: FANOUT_SUBSCRIBERS,
      pollIntervalMs: POLL_MS,
      pollWindowMs: POLL_WINDOW_MS,
      proxyOptions: { rateGroup: false, rateLimit: false, spendLimit: false, limits: { maxStreams: 100_000, maxStreamsPerIdentity: 100_000 } },
    },
    latencyMs: { summary: latencyRows, rounds: latency },
    streams: { rssPerStreamBytes: perStream, heapPerStreamBytes: heapPerStream, rounds: streamRounds },
    fanoutMs: { memory: { ...fanMemory, rounds: fanout.memory.rounds }, redis: { ...fanRedis, rounds: fanout.redis.rounds } },
    upstreamStatusQueries: polls,
  };

  const section = [
    PROXY_HEADING,
    '',
    'Generated by `npm run bench:proxy` (`scripts/bench/proxy.ts`): a measurement, not a test. The simulator',
    '(`server/simulator/`) is served from the bench process by @hono/node-server on loopback; each proxy runs as its own',
    'process (`scripts/bench/proxy-instance.ts`: `createToapisProxy` on @hono/node-server, budgets off —',
    '`rateGroup: false, rateLimit: false, spendLimit: false` — and the stream caps lifted); Redis is a real',
    '`redis-server` started on a free loopback port (`test/server/redis-server.ts`).',
    '',
    `Run: ${finished.toISOString()} (${json.runSeconds} s) · ${cpu}, ${cpus().length} logical cores · Node ${process.version} · load average (1 min) ${loadStart} at start, ${json.machine.loadAverage.end} at end`,
    '',
    `**Noisy numbers:** a shared 2-core machine (other work ran alongside), with the load generator, the fake upstream and the`,
    `proxies on the same cores. Timings are repeated over ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} and given as **median / worst** round.`,
    '',
    '### Added latency per request (ms)',
    '',
    'Each round: 20 warm-up submits, then sequential submits, sequential status reads of those tasks, then submits and',
    `reads ${CONCURRENCY} at a time; once through the proxy (default cookie session, memory state) and once straight to the simulator.`,
    '"added" is proxy minus direct, per round.',
    '',
    latencyTable,
    '',
    '### Event streams one instance holds',
    '',
    `${STREAMS} event streams on ${STREAM_TASKS} running tasks (webhooks configured, safety poll 10 min, so the poll loop stays out of the`,
    'way), opened against one proxy process, a fresh one per round. RSS is VmRSS from `/proc/<pid>/status` after a',
    'garbage collection in the proxy, before (tasks submitted, one stream per task opened and closed) and after.',
    'The proxy refuses streams past `limits.maxStreams` (default 1000 per instance) with 503; the bench lifts it.',
    '',
    streamsTable,
    '',
    `RSS per stream: **${KiB(perStream.median)} KiB** median, ${KiB(perStream.worst)} KiB worst; V8 heap per stream ${KiB(heapPerStream.median)} KiB median.`,
    '',
    '### Fan-out: webhook delivered → event at the subscribers (ms)',
    '',
    `Per round ${FANOUT_TASKS} running tasks with ${FANOUT_SUBSCRIBERS} streams each; one signed \`task.completed\` webhook at a time; the clock`,
    'starts when the bench sends the webhook and stops when a subscriber has parsed `completed` (both in the bench process).',
    '',
    fanoutTable,
    '',
    `### Upstream status queries per task (pollIntervalMs ${POLL_MS})`,
    '',
    `One running task per row, followed by N event streams; status reads the fake upstream saw for that task over`,
    `${POLL_WINDOW_MS / 1000} s (after the streams were open), extrapolated per minute. One poll loop per task (fleet-wide with Redis)`,
    `means about 60 per minute (the cadence has up to 10 % jitter) whatever N is. One run: a count, not a timing.`,
    '',
    pollTable,
    '',
    'Raw figures, per round, are under the `proxy` key of `docs/benchmarks.json`.',
    '',
  ].join('\n');

  console.log(section);
  console.log(JSON.stringify(json, null, 2));

  const jsonPath = resolve(ROOT, 'docs/benchmarks.json');
  const mdPath = resolve(ROOT, 'docs/benchmarks.md');
  const previous = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(jsonPath, `${JSON.stringify({ ...previous, proxy: json }, null, 2)}\n`);
  writeFileSync(mdPath, replaceSection(existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# Benchmarks\n', PROXY_HEADING, section));
  console.error('[bench:proxy] wrote docs/benchmarks.md (section "Proxy") and docs/benchmarks.json (key "proxy")');
}

const cleanup = () => {
  for (const i of running) i.child.kill('SIGKILL');
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

main().catch((error: unknown) => {
  console.error(error);
  cleanup();
  process.exitCode = 1;
});
