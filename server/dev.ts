/**
 * `npm start`: one Node server on loopback serving the playground and the backend. With
 * TOAPIS_API_KEY set (environment or a git-ignored `.env`), the backend is the proxy to ToAPIs;
 * otherwise it is the same proxy in front of the embedded simulator, so the stream, validation and
 * limits behave the same either way. With server/devSimulator.ts, the only files under server/ that
 * touch Node APIs.
 *
 * Environment: TOAPIS_API_KEY, TOAPIS_BASE_URL (default https://toapis.com), PORT (default 8787),
 * HOST (default 127.0.0.1), ALLOWED_ORIGINS (comma-separated), TOAPIS_RATE_GROUP (default, vip or
 * svip: the key-wide budget), TRUST_PROXY=1 (read X-Forwarded-For/-Proto), SESSION_SECRET,
 * LOG_FORMAT=pretty (default: one JSON line per request), REDIS_URL (shared state for several
 * instances), TOAPIS_WEBHOOK_SECRET + PUBLIC_URL (webhooks), NO_BUILD=1 to reuse an existing
 * dist-playground/, and the simulator's SIM_PROFILE, SIM_SEED, SIM_LONG, SIM_RESULT_TTL and
 * SIM_FILES_PORT (server/devSimulator.ts). In simulator mode /__sim serves only the simulator's files
 * (uploads and result images, by unguessable URL), never its API; with SIM_PROFILE=strict those
 * files come from a second loopback server instead, without CORS headers, like a separate file host.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { SIM_KEY, simulatorEnv, startDevSimulator, type SimulatorEnv } from './devSimulator';
import { createToapisProxy, RATE_GROUPS, type ToapisProxy, type ToapisRateGroup } from './proxy';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'dist-playground');
if (existsSync(resolve(root, '.env'))) process.loadEnvFile(resolve(root, '.env'));
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8787);
const apiKey = process.env.TOAPIS_API_KEY?.trim() || undefined;
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
const rateGroup = (process.env.TOAPIS_RATE_GROUP?.trim() || 'default') as ToapisRateGroup;
if (!Object.hasOwn(RATE_GROUPS, rateGroup)) {
  console.error(`TOAPIS_RATE_GROUP must be one of ${Object.keys(RATE_GROUPS).join(', ')}; got "${rateGroup.slice(0, 40)}".`);
  process.exit(1);
}
const logFormat = process.env.LOG_FORMAT?.trim() === 'pretty' ? 'pretty' : 'json';
/** REDIS_URL: task records, budgets and webhook de-duplication shared with other instances (docs/scaling.md). */
const redisUrl = process.env.REDIS_URL?.trim() || undefined;
const state = redisUrl
  ? (await import('./redis')).createRedisState({ url: redisUrl, log: (line) => console.log(`[toapis-proxy] ${line}`) })
  : undefined;
/** TOAPIS_WEBHOOK_SECRET + PUBLIC_URL: ToAPIs pushes task changes to this server (docs/backend.md). */
const webhookSecret = process.env.TOAPIS_WEBHOOK_SECRET?.trim() || undefined;
const publicUrl = process.env.PUBLIC_URL?.trim() || undefined;
if (Boolean(webhookSecret) !== Boolean(publicUrl)) {
  console.error('Webhooks need both TOAPIS_WEBHOOK_SECRET and PUBLIC_URL (the public URL ToAPIs reaches this server at).');
  process.exit(1);
}
/** Options both backends share: budgets, sessions, client IPs, logs, shared state. */
const shared = {
  allowedOrigins,
  rateGroup,
  trustProxy: process.env.TRUST_PROXY === '1',
  sessionSecret: process.env.SESSION_SECRET || undefined,
  logFormat,
  ...(state && { state }),
} as const;

async function buildPlayground() {
  if (process.env.NO_BUILD === '1' && existsSync(resolve(outDir, 'index.html'))) return;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: resolve(root, 'vite.playground.config.ts'), logLevel: 'warn' });
  // The custom element's standalone file (dist/element.js's build), served as /element.js for playground/element.html.
  await build({ configFile: resolve(root, 'vite.element.config.ts'), logLevel: 'warn', build: { outDir } });
  console.log(`Playground built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await buildPlayground();

const SIM_PREFIX = '/__sim';
/** SIM_PROFILE, SIM_SEED (repeatable ids and timelines; random unless set), SIM_LONG, SIM_RESULT_TTL, SIM_FILES_PORT. */
let simEnv: SimulatorEnv;
try {
  simEnv = simulatorEnv(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
/** Without a key: the simulator, and with SIM_PROFILE=strict its second server for files (no CORS). */
const devSimulator = apiKey ? undefined : await startDevSimulator(simEnv, host);
const simulator = devSimulator?.simulator;
const filesServer = devSimulator?.filesServer;
/**
 * What /__sim serves to browsers: only the files the simulator hands out (uploaded references and
 * result images, by URLs that carry a random token). Task reads, submits and uploads go through
 * the proxy under /v1 (which calls the simulator in-process), so a visitor can never read another
 * visitor's task here.
 */
const SIM_PUBLIC_FILES = /^\/__sim\/sim\/(uploads\/[^/]+|images\/[^/]+\/[^/]+)$/;
let proxy: ToapisProxy | undefined;

function makeProxy(origin: string): ToapisProxy {
  if (apiKey) {
    return createToapisProxy({
      ...shared,
      apiKey,
      upstream: process.env.TOAPIS_BASE_URL?.trim() || 'https://toapis.com',
      ...(webhookSecret && publicUrl && { webhook: { secret: webhookSecret, publicUrl } }),
    });
  }
  // The simulator answers as the "upstream", in-process; its image and upload URLs point back at
  // this server under /__sim so the browser can load them.
  return createToapisProxy({
    ...shared,
    apiKey: SIM_KEY,
    upstream: `${origin}${SIM_PREFIX}`,
    fetch: (req) => simulator!.fetch(req),
    allowedRequestHeaders: ['content-type', 'x-requested-with', 'x-simulator-fault', 'x-simulator-status'],
    forwardRequestHeaders: ['x-simulator-fault', 'x-simulator-status'], // the playground's "Simulate" select
    // The simulator's uploads live on loopback: this server, or the strict profile's file server.
    allowPrivateReferenceUrls: true,
    pollIntervalMs: 1000,
    // Quiet in simulator mode unless LOG_FORMAT asks for lines.
    ...(process.env.LOG_FORMAT ? {} : { log: () => {} }),
  });
}

/**
 * The playground runs under a strict Content-Security-Policy, so the kit is proven to need no
 * inline script and no eval. Styles allow 'unsafe-inline' because Radix Select's viewport renders a
 * small <style> element; hosts that forbid it can pass a nonce (see docs).
 */
const filesSource = filesServer ? ` ${filesServer.origin}` : '';
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' blob: data: https: http://127.0.0.1:* http://localhost:*${filesSource}`,
  `connect-src 'self' https: http://127.0.0.1:* http://localhost:*${filesSource}`,
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const app = new Hono();
app.use('*', async (c, next) => {
  await next();
  if (!c.req.path.startsWith('/v1/') && !c.req.path.startsWith(SIM_PREFIX)) {
    c.res.headers.set('Content-Security-Policy', CSP);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
  }
});
// With the strict profile's file server, files are only served there.
app.all(`${SIM_PREFIX}/*`, (c) =>
  simulator && !filesServer && c.req.method === 'GET' && SIM_PUBLIC_FILES.test(c.req.path) ? simulator.fetch(c.req.raw) : c.notFound(),
);
// `c.env` carries the socket: the proxy's per-IP budgets and log lines read the client IP there.
app.all('/v1/*', (c) => (proxy ? proxy.fetch(c.req.raw, c.env) : c.text('starting', 503)));
// The element page: plain HTML, only the script tag and two elements (no bundler, no React on the page).
app.get('/element.html', serveStatic({ path: resolve(root, 'playground/element.html') }));
app.get('/element-page.css', serveStatic({ path: resolve(root, 'playground/element-page.css') }));
app.use('/*', serveStatic({ root: outDir }));
app.get('*', serveStatic({ path: resolve(outDir, 'index.html') }));

/**
 * Node's own request deadline backs up the proxy's `bodyTimeoutMs` (30 s, answered 408 by the
 * proxy): a request whose body is still arriving after 40 s is answered 408 by Node and its
 * connection closed (Node's default is 300 s, checked every 30 s). Event streams are GET requests,
 * complete once their headers are in, so this never cuts them.
 */
const serverOptions = { requestTimeout: 40_000, headersTimeout: 20_000, connectionsCheckingInterval: 2_000 };

const server = serve({ fetch: app.fetch, hostname: host, port, serverOptions }, (info) => {
  const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`;
  proxy = makeProxy(origin);
  console.log(redisUrl ? 'State: Redis (REDIS_URL): budgets, task records and webhooks shared with other instances' : 'State: memory (set REDIS_URL to share it between instances)');
  console.log(apiKey ? `Backend: proxy to ${process.env.TOAPIS_BASE_URL?.trim() || 'https://toapis.com'} (TOAPIS_API_KEY is set; the key stays on this server)` : 'Backend: simulator (no TOAPIS_API_KEY set) behind the proxy');
  if (devSimulator) console.log(devSimulator.description);
  console.log(`Playground ready at ${origin}/`);
});

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void proxy?.close();
  const mainClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  void Promise.all([mainClosed, devSimulator?.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
