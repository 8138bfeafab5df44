/**
 * Express 5: the image kit's backend mounted at `/api/toapis` in a host app.
 *
 *   TOAPIS_API_KEY=sk-... node --import tsx examples/express/server.ts
 *
 * With several instances behind a load balancer, give them the same `SESSION_SECRET` and
 * `REDIS_URL`: budgets, task records, webhooks and event streams are then shared (docs/scaling.md).
 *
 * then point the kit at it: `<GeneratorProvider backendUrl="/api/toapis">`. The proxy is a
 * web-standard `(Request) => Promise<Response>` handler; `getRequestListener` from
 * `@hono/node-server` adapts it to Node's `(req, res)`. It reads the request body itself (with
 * size caps), so mount it BEFORE any body parser (`express.json()`, `multer`, …).
 */
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createToapisProxy, type ToapisProxy, type ToapisProxyOptions } from '@toapis/image-kit/server';
import { createRedisState } from '@toapis/image-kit/server/redis';
import express, { type Express } from 'express';

/** Proxy options that override the environment (`apiKey`, `upstream`, `authenticate`, `log`, …). */
export type CreateAppOptions = Partial<ToapisProxyOptions>;

/** The Express app; `app.locals.toapisProxy` is the proxy (call its `close()` on shutdown). */
export function createApp(options: CreateAppOptions = {}): Express {
  const state = process.env.REDIS_URL ? createRedisState({ url: process.env.REDIS_URL, log: console.log }) : undefined;
  const proxy: ToapisProxy = createToapisProxy({
    apiKey: process.env.TOAPIS_API_KEY ?? '',
    upstream: process.env.TOAPIS_BASE_URL ?? 'https://toapis.com',
    sessionSecret: process.env.SESSION_SECRET,
    ...(state && { state }),
    ...options,
    // Express strips the mount path from `req.url`, so the proxy sees `/v1/...`.
    basePath: '',
  });
  // `overrideGlobalObjects: false` leaves the host's global Request/Response alone. `env` carries
  // the socket, which gives the proxy the client IP for its per-IP budgets.
  const listener = getRequestListener((request, env) => proxy.fetch(request, env), { overrideGlobalObjects: false });

  const app = express();
  app.locals.toapisProxy = proxy;
  app.locals.toapisState = state; // the app owns it: close it after the proxy
  app.use('/api/toapis', (req, res) => listener(req, res));

  // The host's own routes and pages go after it, body parsers included:
  // app.use(express.json());
  // app.use(express.static('public'));
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  const app = createApp();
  const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    console.log(`Image API at http://${process.env.HOST ?? '127.0.0.1'}:${port}/api/toapis`);
  });
  const shutdown = () => {
    void (app.locals.toapisProxy as ToapisProxy)
      .close()
      .then(() => (app.locals.toapisState as { close(): Promise<void> } | undefined)?.close());
    server.close(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
