/**
 * CORS and CSRF. Without `allowedOrigins` the proxy sends no CORS headers at all (same-origin
 * only); a listed origin is echoed from the configuration, never from the request. A browser POST
 * from a foreign site that CORS does not allow is refused before it reaches any route.
 */
import type { ProxyConfig } from './config';
import type { RequestContext } from './context';
import type { Responses } from './responses';

export interface Cors {
  /** `Access-Control-Allow-Origin` value for this request's Origin, or undefined. */
  originFor(request: Request): string | undefined;
  /** The answer to an `OPTIONS` request. */
  preflight(request: Request): Response;
  /** A POST a browser marks cross-site or same-site, from an origin CORS does not allow. */
  isForbiddenCrossSite(ctx: RequestContext): boolean;
  /** Adds the CORS headers (and a freshly issued session cookie) to an answer. */
  finish(response: Response, ctx: RequestContext): Response;
}

export function createCors(config: Pick<ProxyConfig, 'allowedOrigins' | 'allowedRequestHeaders'>, responses: Responses): Cors {
  const { allowedOrigins, allowedRequestHeaders } = config;

  function originFor(request: Request): string | undefined {
    const origin = request.headers.get('origin');
    if (!origin) return undefined;
    if (allowedOrigins === '*') return '*';
    const normalised = origin.trim().toLowerCase().replace(/\/+$/, '');
    // The configured entry is echoed, never the request's own header.
    return allowedOrigins.find((o) => o === normalised);
  }

  return {
    originFor,

    preflight(request) {
      const origin = originFor(request);
      if (!request.headers.get('origin')) return new Response(null, { status: 204, headers: { Allow: 'GET, POST, OPTIONS' } });
      if (!origin) return responses.forbiddenOrigin();
      const headers: Record<string, string> = {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': allowedRequestHeaders.join(', '),
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      };
      if (origin !== '*') headers['Access-Control-Allow-Credentials'] = 'true';
      return new Response(null, { status: 204, headers });
    },

    isForbiddenCrossSite({ request, corsOrigin }) {
      const site = request.headers.get('sec-fetch-site');
      return request.method === 'POST' && !corsOrigin && !!request.headers.get('origin') && (site === 'cross-site' || site === 'same-site');
    },

    finish(response, ctx) {
      const headers = new Headers(response.headers);
      if (allowedOrigins === '*' || allowedOrigins.length > 0) headers.append('Vary', 'Origin');
      if (ctx.corsOrigin) {
        headers.set('Access-Control-Allow-Origin', ctx.corsOrigin);
        headers.set('Access-Control-Expose-Headers', 'Retry-After');
        if (ctx.corsOrigin !== '*') headers.set('Access-Control-Allow-Credentials', 'true');
      }
      if (ctx.setCookie) headers.append('Set-Cookie', ctx.setCookie);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    },
  };
}
