/**
 * The bench's own backend: one in-process Hono server on a free loopback port serving the bench
 * page, the simulator under `/__sim` (the "polling" backend, and the proxy's upstream) and the
 * proxy at `/v1` (the "stream" backend) — the same wiring as `npm start` (server/dev.ts).
 *
 * The upstream is instrumented, whoever calls it (the browser directly, or the proxy's poll loop):
 * it records the exact instant each task was created (the simulator's own clock read at submit)
 * and the instant the upstream first answered `completed` for it (= when the backend learned of
 * completion). With several `generatingMs` values, one simulator per value takes the submits in
 * turn, so tasks end at different phases of the pollers' cadences; every later request about a
 * task goes to the simulator that owns it.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createToapisProxy, type ToapisProxy } from '../../server/proxy';
import { createSimulator, type Simulator } from '../../server/simulator';

/** High-resolution wall clock, milliseconds since the epoch (the page uses the same definition). */
export const clock = () => performance.timeOrigin + performance.now();

export const SIM_PREFIX = '/__sim';

export interface BackendConfig {
  seed: number;
  queuedMs: number;
  /** One value, or one per simulator (submits rotate over them). */
  generatingMs: number | readonly number[];
  /** The proxy's upstream poll cadence for event streams (its minimum is 1000). */
  proxyPollIntervalMs: number;
}

export interface Learned {
  at: number;
  /** Who read the first `completed`: the proxy's poll loop, or the browser polling the simulator. */
  by: 'proxy' | 'browser';
}

export interface Created {
  /** The simulator's clock when it created the task. */
  at: number;
  /** When the task is complete upstream: `at + queuedMs + generatingMs` of its simulator. */
  completeAt: number;
}

/** What the instrumented upstream saw, per task id. */
export interface Instrumentation {
  config: BackendConfig;
  created: Map<string, Created>;
  learned: Map<string, Learned>;
  /** Upstream status reads by caller. */
  upstreamReads: { proxy: number; browser: number };
  /** Result image requests (`/sim/images/…`) by URL path: when the request reached the server, and when the simulator answered. */
  images: Map<string, { arrivedAt: number; answeredAt: number }>;
  simulators: Simulator[];
  proxy: ToapisProxy;
}

export interface BenchServer {
  origin: string;
  /** Fresh simulators and a fresh proxy (the previous proxy is closed). */
  configure(config: BackendConfig): Promise<Instrumentation>;
  stop(): Promise<void>;
}

type SimFetch = (request: Request, by: Learned['by']) => Promise<Response>;

const SUBMIT = /\/v1\/images\/generations$/;
const READ = /\/v1\/images\/generations\/([^/]+)$/;
const IMAGE = /\/sim\/images\/([^/]+)\//;

function instrument(config: BackendConfig, origin: string): { inst: Instrumentation; simFetch: SimFetch } {
  let capture = false;
  let captured: number | undefined;
  // The simulator reads the clock synchronously when a submit arrives: that read is the task's creation.
  const now = () => {
    const t = clock();
    if (capture) {
      captured = t;
      capture = false;
    }
    return t;
  };
  const durations = typeof config.generatingMs === 'number' ? [config.generatingMs] : [...config.generatingMs];
  const simulators = durations.map((generatingMs, i) => createSimulator({ seed: config.seed * 100 + i, queuedMs: config.queuedMs, generatingMs, now }));
  const owner = new Map<string, number>();
  const created = new Map<string, Created>();
  const learned = new Map<string, Learned>();
  const upstreamReads = { proxy: 0, browser: 0 };
  const images = new Map<string, { arrivedAt: number; answeredAt: number }>();
  let turn = 0;

  const simFetch: SimFetch = async (request, by) => {
    const arrivedAt = clock();
    const path = new URL(request.url).pathname;
    const isSubmit = request.method === 'POST' && SUBMIT.test(path);
    const isRead = request.method === 'GET' && READ.test(path);
    const taskInPath = READ.exec(path)?.[1] ?? IMAGE.exec(path)?.[1];
    const index = isSubmit ? turn++ % simulators.length : (owner.get(decodeURIComponent(taskInPath ?? '')) ?? 0);
    const simulator = simulators[index]!;
    let createdAt: number | undefined;
    let response: Response;
    if (isSubmit) {
      capture = true;
      captured = undefined;
      const before = clock();
      const pending = simulator.fetch(request);
      capture = false;
      createdAt = captured ?? before;
      response = await pending;
    } else {
      response = await simulator.fetch(request);
    }
    const answeredAt = clock();
    if (request.method === 'GET' && IMAGE.test(path) && !images.has(path)) images.set(path, { arrivedAt, answeredAt });
    if ((isSubmit || isRead) && response.ok) {
      if (isRead) upstreamReads[by] += 1;
      const body = (await response.clone().json()) as { id?: unknown; status?: unknown };
      const id = typeof body.id === 'string' ? body.id : undefined;
      if (id && isSubmit && createdAt !== undefined && !created.has(id)) {
        owner.set(id, index);
        created.set(id, { at: createdAt, completeAt: createdAt + config.queuedMs + durations[index]! });
      }
      if (id && body.status === 'completed' && !learned.has(id)) learned.set(id, { at: answeredAt, by });
    }
    return response;
  };

  const proxy = createToapisProxy({
    apiKey: 'bench-simulator-no-key',
    upstream: `${origin}${SIM_PREFIX}`,
    fetch: (request) => simFetch(request, 'proxy'),
    authenticate: () => ({ id: 'bench-visitor' }),
    // The bench measures the kit, not the budgets: every budget off.
    rateLimit: false,
    rateGroup: false,
    spendLimit: false,
    pollIntervalMs: config.proxyPollIntervalMs,
    log: () => {},
  });
  return { inst: { config, created, learned, upstreamReads, images, simulators, proxy }, simFetch };
}

export async function startBenchServer(pageDir: string): Promise<BenchServer> {
  let current: { inst: Instrumentation; simFetch: SimFetch } | undefined;

  const app = new Hono();
  app.all(`${SIM_PREFIX}/*`, (c) => (current ? current.simFetch(c.req.raw, 'browser') : c.text('no backend', 503)));
  app.all('/v1/*', (c) => (current ? current.inst.proxy.fetch(c.req.raw) : c.text('no backend', 503)));
  app.use('/*', serveStatic({ root: pageDir }));

  const server: ServerType = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolveServer(s));
    s.once('error', reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    async configure(config) {
      if (current) await current.inst.proxy.close();
      current = instrument(config, origin);
      return current.inst;
    },
    async stop() {
      if (current) await current.inst.proxy.close();
      current = undefined;
      await new Promise<void>((done) => {
        const timer = setTimeout(done, 3000);
        server.close(() => {
          clearTimeout(timer);
          done();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
