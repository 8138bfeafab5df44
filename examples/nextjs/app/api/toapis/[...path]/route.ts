/**
 * Next.js (App Router) route handler: the image kit's backend under `/api/toapis`.
 *
 * Copy this file to `app/api/toapis/[...path]/route.ts` and point the kit at it:
 * `<GeneratorProvider backendUrl="/api/toapis">`. Put the key in `.env.local` (never a
 * `NEXT_PUBLIC_` variable): `TOAPIS_API_KEY=sk-...`; set `SESSION_SECRET` when more than one
 * server instance answers (it signs the anonymous session cookie).
 *
 * Task ownership is checked statelessly (a shared `SESSION_SECRET` is all several instances need);
 * rate limits and stream fan-out are per instance. The handler uses only web-standard APIs, so
 * `export const runtime = 'edge'` works as well.
 */
import { createToapisProxy, type ToapisProxy } from '@toapis/image-kit/server';

export const runtime = 'nodejs';
/** Never cache or pre-render: every answer is per visitor. */
export const dynamic = 'force-dynamic';

let proxy: ToapisProxy | undefined;

/** Created on the first request, not at import, so `next build` runs without the key. */
function getProxy(): ToapisProxy {
  proxy ??= createToapisProxy({
    apiKey: process.env.TOAPIS_API_KEY ?? '',
    upstream: process.env.TOAPIS_BASE_URL ?? 'https://toapis.com',
    sessionSecret: process.env.SESSION_SECRET,
    basePath: '/api/toapis',
    // Behind a proxy that sets X-Forwarded-For (Vercel, a load balancer): TRUST_PROXY=1 gives the
    // per-IP budgets the visitor's address instead of one bucket for everyone.
    trustProxy: process.env.TRUST_PROXY === '1',
  });
  return proxy;
}

export const GET = (request: Request): Promise<Response> => getProxy().fetch(request);
export const POST = (request: Request): Promise<Response> => getProxy().fetch(request);
export const OPTIONS = (request: Request): Promise<Response> => getProxy().fetch(request);
