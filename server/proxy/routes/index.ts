/** The route table: one Hono router under `basePath`, each route from its own file. */
import { Hono } from 'hono';
import { CAPABILITIES_PATH, GENERATIONS_PATH, HEALTH_PATH, UPLOADS_PATH, WEBHOOK_PATH } from '../config';
import type { RequestContext } from '../context';
import type { ProxyDeps } from '../deps';
import { errorName } from '../log';
import { createCapabilitiesRoute } from './capabilities';
import { createEventsRoute } from './events';
import { createHealthRoute } from './health';
import { createImageRoute } from './image';
import { createSubmitRoute } from './submit';
import { createTaskRoute } from './task';
import { createUploadRoute } from './upload';
import { createWebhookRoute } from './webhook';

type HonoEnv = { Bindings: { ctx: RequestContext } };

/** Answers one request that passed the CORS and CSRF checks. */
export function createRouter(deps: ProxyDeps): (ctx: RequestContext) => Promise<Response> {
  const { config, responses, log } = deps;
  const app = new Hono<HonoEnv>({ strict: true });
  const routes = config.basePath ? app.basePath(config.basePath) : app;
  const upload = createUploadRoute(deps);
  const submit = createSubmitRoute(deps);
  const task = createTaskRoute(deps, createEventsRoute(deps), createImageRoute(deps));
  routes.post(UPLOADS_PATH, (c) => upload(c.env.ctx));
  routes.post(GENERATIONS_PATH, (c) => submit(c.env.ctx));
  routes.get(`${GENERATIONS_PATH}/*`, (c) => task(c.env.ctx));
  routes.get(CAPABILITIES_PATH, createCapabilitiesRoute(deps));
  routes.get(HEALTH_PATH, createHealthRoute(deps));
  if (config.callbackUrl) {
    const webhook = createWebhookRoute(deps);
    routes.post(WEBHOOK_PATH, (c) => webhook(c.env.ctx));
  }
  routes.notFound(() => responses.routeNotFound());
  routes.onError((error) => {
    log(`handler failed: ${errorName(error)}`);
    return responses.internalError();
  });
  return async (ctx) => routes.fetch(ctx.request, { ctx });
}

/** The route a path belongs to, for the log line. */
export function routeLabel(pathname: string, basePath: string): string {
  const p = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  if (p === UPLOADS_PATH) return 'upload';
  if (p === GENERATIONS_PATH) return 'submit';
  if (p.startsWith(`${GENERATIONS_PATH}/`)) return p.endsWith('/events') ? 'events' : /\/images\/[^/]*$/.test(p) ? 'image' : 'task';
  if (p === WEBHOOK_PATH) return 'webhook';
  if (p === CAPABILITIES_PATH) return 'capabilities';
  if (p === HEALTH_PATH) return 'health';
  return 'other';
}

