/**
 * Cloudflare Worker: the image kit's backend on the edge. See `wrangler.toml` next to this file;
 * the key is a secret (`wrangler secret put TOAPIS_API_KEY`), never a `[vars]` entry.
 *
 * One proxy per isolate, reused across requests (rebuilt only if the bindings change). Task
 * ownership is checked statelessly (isolates share only SESSION_SECRET); rate limits and stream
 * fan-out are per isolate. Serve it on the same site as the page (a route such as `example.com/api/toapis/*` with
 * BASE_PATH="/api/toapis"), so the SameSite=Lax session cookie is sent.
 */
import { createToapisProxy, type ToapisProxy } from '@toapis/image-kit/server';

export interface Env {
  /** `wrangler secret put TOAPIS_API_KEY` */
  TOAPIS_API_KEY: string;
  /** `wrangler secret put SESSION_SECRET`: signs the anonymous session cookie in every isolate. */
  SESSION_SECRET: string;
  /** Comma-separated origins allowed to call from a browser (CORS); empty = same-origin only. */
  ALLOWED_ORIGINS?: string;
  /** Mount path when the Worker answers under a route prefix, e.g. `/api/toapis`. */
  BASE_PATH?: string;
  /** @default 'https://toapis.com' */
  TOAPIS_BASE_URL?: string;
}

let cached: { key: string; proxy: ToapisProxy } | undefined;

function proxyFor(env: Env): ToapisProxy {
  const key = JSON.stringify([env.TOAPIS_API_KEY, env.SESSION_SECRET, env.ALLOWED_ORIGINS, env.BASE_PATH, env.TOAPIS_BASE_URL]);
  if (cached?.key !== key) {
    void cached?.proxy.close();
    const proxy = createToapisProxy({
      apiKey: env.TOAPIS_API_KEY,
      sessionSecret: env.SESSION_SECRET,
      upstream: env.TOAPIS_BASE_URL ?? 'https://toapis.com',
      basePath: env.BASE_PATH ?? '',
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      // Cloudflare sets the visitor's address; the per-IP budgets count by it.
      clientIp: (req) => req.headers.get('cf-connecting-ip'),
    });
    cached = { key, proxy };
  }
  return cached.proxy;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return proxyFor(env).fetch(request);
  },
};
