/**
 * One proxy instance of the fleet test (test/server/fleet.test.ts), run as its own process:
 * `node --import tsx test/server/fleet/instance.ts`. It serves `createToapisProxy` with the Redis
 * state on a free loopback port and prints `ready <port>` once listening. Every upstream request
 * carries `x-fleet-instance: <name>` so the fake upstream can tell who asked.
 *
 * Settings come from the environment: FLEET_NAME, FLEET_UPSTREAM, REDIS_URL, FLEET_PREFIX,
 * FLEET_SESSION_SECRET, FLEET_WEBHOOK_SECRET, FLEET_SUBMITS (key-wide submit budget per minute),
 * FLEET_QUERIES (key-wide status queries per second). The process exits when its stdin closes
 * (the test process went away) or on SIGTERM.
 */
import { createToapisProxy } from '../../../server/proxy';
import { serveChild } from '../../support/serve-child';
import { createRedisState } from '../../../server/redis';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`instance: ${name} is not set`);
  return value;
};

const name = env('FLEET_NAME');
const state = createRedisState({ url: env('REDIS_URL'), prefix: env('FLEET_PREFIX'), log: (line) => console.error(`[${name}] ${line}`) });
const proxy = createToapisProxy({
  apiKey: 'sk-fleet-test-key',
  upstream: env('FLEET_UPSTREAM'),
  sessionSecret: env('FLEET_SESSION_SECRET'),
  state,
  // With a webhook configured the stream hub polls at `safetyPollMs`, not `pollIntervalMs`
  // (server/proxy/config.ts), and the poll lease lasts 1.5 of those; 1 s keeps polling, lease
  // takeover and the per-interval read count measurable within the run.
  pollIntervalMs: 1000,
  webhook: { secret: env('FLEET_WEBHOOK_SECRET'), publicUrl: 'http://127.0.0.1:1/api', safetyPollMs: 1000 },
  rateGroup: {
    submit: [{ points: Number(env('FLEET_SUBMITS')), windowMs: 60_000 }],
    query: [{ points: Number(env('FLEET_QUERIES')), windowMs: 1000 }],
  },
  rateLimit: false,
  spendLimit: false,
  fetch: (request) => {
    const headers = new Headers(request.headers);
    headers.set('x-fleet-instance', name);
    return fetch(new Request(request, { headers }));
  },
  log: (line) => {
    if (/error|unavailable|reconnect/i.test(line)) console.error(`[${name}] ${line}`);
  },
});

serveChild(proxy, state);
