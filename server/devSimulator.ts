/**
 * The simulator side of `npm start` (server/dev.ts): its settings from the environment, the line
 * that describes the profile, and the second loopback server the strict profile hands result and
 * upload URLs out from. Node-only, like dev.ts; the simulator itself stays web-standard.
 *
 * Environment: SIM_PROFILE (`kind`, the default, or `strict`), SIM_SEED (random unless set),
 * SIM_LONG=1 (strict: 60–120 s tasks), SIM_RESULT_TTL (seconds results stay downloadable, default
 * 86400), SIM_FILES_PORT (strict: the file server's port, default a free one).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSimulator, type Simulator, type SimulatorOptions, type SimulatorProfile } from './simulator';

/** The key the proxy sends to the embedded simulator; the strict profile accepts exactly this one. */
export const SIM_KEY = 'simulator-no-key';

/** What the environment asks of the simulator. */
export interface SimulatorEnv {
  profile: SimulatorProfile;
  /** Options for `createSimulator` (without `filesOrigin`, which only exists once the file server listens). */
  options: SimulatorOptions;
  /** Strict profile: the file server's port (`0`: the OS picks one). */
  filesPort: number;
}

/** Reads SIM_* variables; throws an Error with a message fit for the console when one is not valid. */
export function simulatorEnv(env: Readonly<Record<string, string | undefined>>): SimulatorEnv {
  const value = (name: string) => env[name]?.trim() || undefined;
  const profile = value('SIM_PROFILE') ?? 'kind';
  if (profile !== 'kind' && profile !== 'strict') {
    throw new Error(`SIM_PROFILE must be kind or strict; got "${profile.slice(0, 40)}".`);
  }
  const options: SimulatorOptions = { profile };
  const seed = value('SIM_SEED');
  if (seed !== undefined) {
    if (!Number.isSafeInteger(Number(seed))) throw new Error('SIM_SEED must be a whole number.');
    options.seed = Number(seed);
  }
  const long = value('SIM_LONG');
  if (long !== undefined && long !== '0' && long !== '1') throw new Error(`SIM_LONG must be 1 or 0; got "${long.slice(0, 40)}".`);
  if (long === '1') options.longTasks = true;
  const ttl = value('SIM_RESULT_TTL');
  if (ttl !== undefined) {
    if (!/^\d{1,9}$/.test(ttl)) throw new Error(`SIM_RESULT_TTL must be a whole number of seconds; got "${ttl.slice(0, 40)}".`);
    options.resultTtlSeconds = Number(ttl);
  }
  const port = value('SIM_FILES_PORT');
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65_535)) {
    throw new Error(`SIM_FILES_PORT must be a port number (0–65535); got "${port.slice(0, 40)}".`);
  }
  return { profile, options, filesPort: port === undefined ? 0 : Number(port) };
}

/** The startup line: which profile, and what it means in a few words. */
export function describeProfile(env: SimulatorEnv, filesOrigin?: string): string {
  if (env.profile === 'kind') {
    return 'Simulator profile: kind (forgiving: any model id, re-submits de-duplicated, ~3 s tasks; SIM_PROFILE=strict behaves like the real service)';
  }
  const seconds = env.options.longTasks ? '60–120 s' : '5–30 s';
  return (
    'Simulator profile: strict (bearer key required, exact model ids checked against the registry, ' +
    `no de-duplication by client_business_id, ${seconds} tasks, Retry-After 5–20 s, ` +
    `results served from ${filesOrigin ?? 'a second origin'} without CORS headers)`
  );
}

/** `http://<host>:<port>` as a browser reaches it (a wildcard address becomes loopback). */
export function originOf(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** The simulator's public file routes, and nothing else. */
const PUBLIC_FILE = /^\/sim\/(?:uploads\/[^/]+|images\/[^/]+\/[^/]+)$/;

export interface FilesServer {
  /** Where the server answers, e.g. `http://127.0.0.1:5555`; pass it as the simulator's `filesOrigin`. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Starts a second HTTP server that serves only `GET /sim/uploads/:file` and
 * `GET /sim/images/:taskId/:file` through `fetchFile` (the simulator's `fetch`); every other request
 * gets a plain 404. It adds no headers of its own, so the strict simulator's answers (without CORS
 * headers) reach the browser as they are.
 */
export function startFilesServer(options: {
  host: string;
  port: number;
  fetchFile: (request: Request) => Promise<Response>;
}): Promise<FilesServer> {
  const { host, port, fetchFile } = options;
  const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request: Request) =>
          request.method === 'GET' && PUBLIC_FILE.test(new URL(request.url).pathname) ? fetchFile(request) : notFound(),
        hostname: host,
        port,
      },
      (info: AddressInfo) => {
        resolve({
          origin: originOf(host, info.port),
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

/** The simulator of `npm start`, with the strict profile's file server when there is one. */
export interface DevSimulator {
  simulator: Simulator;
  /** Strict profile only: the second origin that serves result images and uploads. */
  filesServer: FilesServer | undefined;
  /** The startup line (`Simulator profile: …`). */
  description: string;
  /** Cancels pending webhooks and stops the file server. */
  close(): Promise<void>;
}

/**
 * Creates the simulator as `npm start` runs it: file URLs with a random token, and in the strict
 * profile a file server on `host` (port SIM_FILES_PORT or a free one) whose origin becomes
 * `filesOrigin`, with the key fixed to {@link SIM_KEY}. `overrides` are for tests (a clock, short
 * timelines).
 */
export async function startDevSimulator(env: SimulatorEnv, host: string, overrides: SimulatorOptions = {}): Promise<DevSimulator> {
  const holder: { simulator?: Simulator } = {};
  const filesServer =
    env.profile === 'strict'
      ? await startFilesServer({ host, port: env.filesPort, fetchFile: (request) => holder.simulator!.fetch(request) })
      : undefined;
  const simulator = createSimulator({
    ...env.options,
    secretFileUrls: true,
    ...(filesServer && { filesOrigin: filesServer.origin, apiKey: SIM_KEY }),
    ...overrides,
  });
  holder.simulator = simulator;
  return {
    simulator,
    filesServer,
    description: describeProfile(env, filesServer?.origin),
    async close() {
      simulator.close();
      await filesServer?.close();
    },
  };
}
