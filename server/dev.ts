/**
 * `npm start`: one Node server on loopback serving the playground and the backend — the
 * simulator when no TOAPIS_API_KEY is set. The only file under server/ that touches Node APIs.
 *
 * Environment: PORT (default 8787), HOST (default 127.0.0.1), SIM_SEED, NO_BUILD=1 to reuse an
 * existing dist-playground/.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createSimulator } from './simulator';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'dist-playground');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8787);

async function buildPlayground() {
  if (process.env.NO_BUILD === '1' && existsSync(resolve(outDir, 'index.html'))) return;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: resolve(root, 'vite.playground.config.ts'), logLevel: 'warn' });
  console.log(`Playground built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await buildPlayground();

const simulator = createSimulator({ seed: Number(process.env.SIM_SEED ?? Date.now() % 100_000) });
const backendName = 'simulator (no TOAPIS_API_KEY set)';
const backend = (req: Request) => simulator.fetch(req);

const app = new Hono();
app.all('/v1/*', (c) => backend(c.req.raw));
app.all('/sim/*', (c) => backend(c.req.raw));
app.use('/*', serveStatic({ root: outDir }));
app.get('*', serveStatic({ path: resolve(outDir, 'index.html') }));

const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}/`;
  console.log(`Backend: ${backendName}`);
  console.log(`Playground ready at ${url}`);
});

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
