/**
 * Burst measurement: how many submits reach the upstream when clients hammer `npm start` with
 * submits. Everything runs on 127.0.0.1: a counting fake ToAPIs (answers every submit with a new
 * queued task), and `server/dev.ts` as a child process pointed at it with a key — the same entry
 * `npm start` runs, default budgets (TOAPIS_RATE_GROUP unset = `default`).
 *
 *   node --import tsx scripts/attack/burst.ts [--requests 1000] [--concurrency 50]
 *
 * Scenarios, each against a fresh server (fresh budgets):
 * - `one address`: N cookieless submits from 127.0.0.1 (every one a fresh client: no cookie);
 * - `N addresses`: N cookieless submits, each from its own client address (TRUST_PROXY=1 and a
 *   distinct X-Forwarded-For per request, as behind a load balancer), so only the key-wide budget
 *   stands between the crowd and the upstream;
 * - `10 cookies`: 2,990 submits spread over 10 visitors who hold a session cookie.
 * Prints one line per scenario and a JSON summary; writes nothing. Needs dist-playground/ (built
 * once by `npm start` or here via Vite if missing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = 'sk-burst-measurement-key-0000';
const START_MS = 120_000;
const REQUEST_TIMEOUT_MS = 15_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const REQUESTS = arg('requests', 1000);
const CONCURRENCY = arg('concurrency', 50);

/* ---- the counting fake upstream ---- */

interface FakeUpstream {
  origin: string;
  submits: number[];
  close(): Promise<void>;
}

async function startFakeUpstream(): Promise<FakeUpstream> {
  const submits: number[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/images/generations') {
        submits.push(performance.now());
        const id = `task_img_burst${String(++next).padStart(6, '0')}`;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id, object: 'generation.task', status: 'queued', progress: 0, created_at: Math.floor(Date.now() / 1000) }));
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    submits,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/* ---- `npm start` as a child process ---- */

interface Dev {
  origin: string;
  stop(): Promise<void>;
}

async function startDev(upstream: string, env: Record<string, string> = {}): Promise<Dev> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/dev.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? ROOT,
      HOST: '127.0.0.1',
      PORT: '0',
      TOAPIS_API_KEY: KEY,
      TOAPIS_BASE_URL: upstream,
      LOG_FORMAT: 'json',
      ...(existsSync(resolve(ROOT, 'dist-playground/index.html')) && { NO_BUILD: '1' }),
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Keep only the tail: one log line per request adds up.
  const keep = (chunk: Buffer) => void (out = (out + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone already
    }
    const timer = new Promise<void>((done) => setTimeout(done, 5000).unref());
    await Promise.race([exited, timer]);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  };
  const deadline = Date.now() + START_MS;
  for (;;) {
    const ready = /Playground ready at (http:\/\/[^\s/]+)\//.exec(out);
    if (ready?.[1]) return { origin: ready[1], stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`server/dev.ts did not start:\n${out}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

/* ---- the burst ---- */

interface Result {
  scenario: string;
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  upstreamSubmits: number;
  /** Most upstream submits inside any sliding 1 s. */
  maxPerSecond: number;
}

const body = JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'burst', size: '1:1', n: 1 });

async function submit(origin: string, headers: Record<string, string>): Promise<string> {
  try {
    const res = await fetch(`${origin}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return String(res.status);
  } catch {
    return 'error';
  }
}

/** Sends `count` submits, `CONCURRENCY` at a time; `headersFor(i)` gives each its headers. */
async function burst(origin: string, count: number, headersFor: (i: number) => Record<string, string>): Promise<{ statuses: Record<string, number>; seconds: number }> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < count) {
        const i = next++;
        const status = await submit(origin, headersFor(i));
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { statuses, seconds: (performance.now() - started) / 1000 };
}

function maxInAnySecond(times: readonly number[]): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function scenario(
  name: string,
  count: number,
  env: Record<string, string>,
  prepare: (origin: string) => Promise<(i: number) => Record<string, string>>,
): Promise<Result> {
  const upstream = await startFakeUpstream();
  const dev = await startDev(upstream.origin, env);
  try {
    const headersFor = await prepare(dev.origin);
    const before = upstream.submits.length;
    const { statuses, seconds } = await burst(dev.origin, count, headersFor);
    const times = upstream.submits.slice(before);
    return { scenario: name, requests: count, seconds: Math.round(seconds * 100) / 100, statuses, upstreamSubmits: times.length, maxPerSecond: maxInAnySecond(times) };
  } finally {
    await dev.stop();
    await upstream.close();
  }
}

const results: Result[] = [];
results.push(await scenario('one address, no cookie', REQUESTS, {}, async () => () => ({})));
results.push(
  await scenario(`${REQUESTS} addresses, no cookie`, REQUESTS, { TRUST_PROXY: '1' }, async () => (i) => ({
    'X-Forwarded-For': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  })),
);
results.push(
  await scenario('10 cookies', 2990, {}, async (origin) => {
    // Ten visitors get their session with one submit each (5 per second fit the default budget).
    const cookies: string[] = [];
    for (let i = 0; i < 10; i++) {
      if (i === 5) await new Promise((done) => setTimeout(done, 1100));
      const res = await fetch(`${origin}/v1/images/generations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      await res.arrayBuffer();
      const cookie = res.headers.get('set-cookie')?.split(';')[0];
      if (!cookie) throw new Error(`no session cookie for visitor ${i} (HTTP ${res.status})`);
      cookies.push(cookie);
    }
    await new Promise((done) => setTimeout(done, 1100));
    return (i) => ({ cookie: cookies[i % cookies.length] as string });
  }),
);

for (const r of results) {
  const statuses = Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(
    `${r.scenario.padEnd(28)} ${String(r.requests).padStart(5)} submits in ${r.seconds.toFixed(2)} s → upstream received ${r.upstreamSubmits} (max ${r.maxPerSecond} in any 1 s); answers ${statuses}`,
  );
}
console.log(JSON.stringify({ requests: REQUESTS, concurrency: CONCURRENCY, results }, null, 2));
