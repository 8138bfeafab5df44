/**
 * One proxy process for the proxy benchmark (scripts/bench/proxy.ts), run as
 * `node --expose-gc --import tsx scripts/bench/proxy-instance.ts`: `createToapisProxy` served by
 * @hono/node-server on a free loopback port, budgets off, printing `ready <port>` once listening.
 *
 * Environment: BENCH_UPSTREAM (the fake ToAPIs), BENCH_POLL_MS (pollIntervalMs), optional
 * BENCH_REDIS_URL + BENCH_PREFIX (Redis state instead of memory), optional BENCH_WEBHOOK_SECRET +
 * BENCH_SAFETY_POLL_MS (signed webhooks). A line `mem` on stdin runs the garbage collector and
 * answers `mem <process.memoryUsage() as JSON>` on stdout. The process exits when its stdin closes
 * or on SIGTERM.
 */
import { createToapisProxy } from '../../server/proxy';
import { serveChild } from '../../test/support/serve-child';
import { createRedisState } from '../../server/redis';
import type { ProxyState } from '../../server/state/types';

const env = process.env;
const upstream = env.BENCH_UPSTREAM;
if (!upstream) throw new Error('proxy-instance: BENCH_UPSTREAM is not set');

const state: ProxyState | undefined = env.BENCH_REDIS_URL
  ? createRedisState({ url: env.BENCH_REDIS_URL, prefix: env.BENCH_PREFIX ?? 'bench:', log: (line) => console.error(line) })
  : undefined;

const proxy = createToapisProxy({
  apiKey: 'sk-bench-key',
  upstream,
  sessionSecret: 'bench-session-secret-0123456789abcdef',
  ...(state ? { state } : {}),
  pollIntervalMs: Number(env.BENCH_POLL_MS ?? 3000),
  ...(env.BENCH_WEBHOOK_SECRET
    ? { webhook: { secret: env.BENCH_WEBHOOK_SECRET, publicUrl: 'http://127.0.0.1:1/api', safetyPollMs: Number(env.BENCH_SAFETY_POLL_MS ?? 30_000) } }
    : {}),
  rateGroup: false,
  rateLimit: false,
  spendLimit: false,
  // The benchmark opens thousands of streams from one visitor: lift the per-instance caps.
  limits: { maxStreams: 100_000, maxStreamsPerIdentity: 100_000 },
  log: (line) => {
    if (/error|unavailable|reconnect/i.test(line)) console.error(line);
  },
});

serveChild(proxy, state);

const gc = (globalThis as { gc?: () => void }).gc;
let input = '';
process.stdin.on('data', (chunk: Buffer) => {
  input += chunk.toString();
  let end: number;
  while ((end = input.indexOf('\n')) >= 0) {
    const command = input.slice(0, end).trim();
    input = input.slice(end + 1);
    if (command === 'mem') {
      gc?.();
      gc?.();
      process.stdout.write(`mem ${JSON.stringify(process.memoryUsage())}\n`);
    }
  }
});
