/**
 * The proxy: the kit's backend in front of ToAPIs (docs/backend.md). One web-standard
 * `(Request) => Promise<Response>` handler — only `Request`, `Response`, `Headers`, `URL`, streams,
 * `TextEncoder`/`TextDecoder`, `FormData` and `crypto.subtle` — so it runs in Node, at the edge, in
 * workers and inside a host product's own server.
 *
 * It forwards the three ToAPIs endpoints with the API key added on the server and validates every
 * body first (size, JSON, the core zod schema and model registry, reference count and URLs), so bad
 * input never costs an upstream call. Every task is tied to the identity the host's `authenticate`
 * hook returns (by default an anonymous session in a signed `gen_sid` cookie): a foreign task id or
 * business id answers the same 404 as an unknown one. Business ids are namespaced per identity on
 * the wire (`<ns>:<id>`) and un-namespaced in every answer, so lookups by business id — the kit's
 * lost-submit recovery — stay scoped to the caller, even after this process restarts (given a fixed
 * `sessionSecret`).
 *
 * Push channel: `GET /v1/images/generations/:id/events` streams the task as Server-Sent Events.
 * There is one upstream poll loop per task however many browsers watch it; with `webhook` set, the
 * loop is replaced by signed ToAPIs webhooks (docs/toapis-api.md [S25]) plus a slow safety poll.
 * `GET /v1/capabilities` answers `{ stream: true, proxy: true, downloads: true }` so the kit can pick
 * the stream and the download route.
 *
 * Budgets (limits.ts, budget.ts, spend.ts): a key-wide budget mirroring the account's ToAPIs
 * allowance sits in front of the upstream client; every admitted request is counted per identity
 * and per client IP (client.ts), new anonymous sessions per IP, and submits against a spending cap.
 * A refusal is a 429 with `Retry-After`, sends nothing upstream and sets no cookie.
 *
 * This file only wires the parts together; each concern has its own module beside it
 * (config, upstream, identity, limits, ownership, cors, log, events) and each route its own file
 * under routes/.
 */
import { createAdmission } from './admission';
import { createKeyBudget, withKeyBudget } from './budget';
import { createClientInfo, type ClientInfo } from './client';
import { resolveConfig } from './config';
import type { RequestContext, RequestNote } from './context';
import type { ProxyDeps } from './deps';
import { createCors, type Cors } from './cors';
import { createStreamHub } from './events';
import { createIdentities } from './identity';
import { createLimiters, createRateLimits } from './limits';
import { createLogger, createScrubber, errorName, requestLogEntry } from './log';
import { createOwnership } from './ownership';
import { createMemoryState } from '../state/memory';
import { createResources } from './resources';
import { createResponses } from './responses';
import { createRouter, routeLabel } from './routes';
import { createHealth } from './routes/health';
import { createSpendCap } from './spend';
import type { ToapisProxy, ToapisProxyOptions, ToapisProxyStats } from './types';
import { createUpstream } from './upstream';

export type {
  Limiter,
  LimiterRes,
  LimiterSpec,
  ProxyIdentity,
  ToapisProxy,
  ToapisProxyLimiters,
  ToapisProxyLimits,
  ToapisProxyOptions,
  ToapisProxyRateLimit,
  ToapisProxySession,
  ToapisProxySpendLimit,
  ToapisProxyStats,
  ToapisProxyWebhook,
  ToapisRateBudget,
  ToapisRateGroup,
  ToapisRateWindow,
} from './types';
export { RATE_GROUPS } from './config';
/** The `state` option's interface, for a host that plugs its own shared store (docs/scaling.md). */
export type { ProxyState, StoredTask } from '../state/types';
export { createMemoryState } from '../state/memory';

/**
 * Creates the proxy. Routes (under `basePath`):
 * - `POST /v1/uploads/images` — multipart `file` (JPEG/PNG/WebP/GIF by magic bytes), streamed with
 *   a byte cap, re-encoded into a fresh multipart body upstream;
 * - `POST /v1/images/generations` — JSON submit, validated, business id namespaced per identity;
 * - `GET /v1/images/generations/:id` — task id or business id, owner only (else 404);
 * - `GET /v1/images/generations/:id/events` — Server-Sent Events: `event: task` per change,
 *   `: ping` every 15 s, closed after `completed`/`failed`;
 * - `GET /v1/images/generations/:id/images/:n` — result image n (from 1) as an attachment, owner
 *   only, fetched from the file host without the key (410 once the results expired);
 * - `POST /v1/webhooks/toapis` — signed ToAPIs webhooks (only with `webhook`);
 * - `GET /v1/capabilities` — `{ stream: true, proxy: true, downloads: true }`;
 * - `GET /v1/health` — state backend and the key-wide budget (remaining per window, pauses).
 *
 * Throws a `TypeError` for unusable options (no key, bad URLs); the message never holds the key.
 */
export function createToapisProxy(options: ToapisProxyOptions): ToapisProxy {
  const config = resolveConfig(options);
  const scrub = createScrubber(config.apiKey);
  const logger = createLogger(config.sink, scrub, config.logFormat);
  const log = logger.event;
  let closed = false;
  const isClosed = () => closed;

  /** Each browser request's log note, found again by the upstream client through the request. */
  const notes = new WeakMap<Request, RequestNote>();
  const { deps, limiters, cors, clientInfo } = createParts(options, { config, log, scrub, isClosed }, notes);
  const { responses, upstream, streams, resources } = deps;
  const handle = createHandler(deps, cors);

  return {
    async fetch(request: Request, env?: unknown): Promise<Response> {
      const started = Date.now();
      const note: RequestNote = {};
      let response: Response;
      let label = 'other';
      let ip: string | undefined;
      try {
        notes.set(request, note);
        label = routeLabel(new URL(request.url).pathname, config.basePath);
        const client = clientInfo(request, env);
        ip = client.ip;
        response = await handle(request, client, note);
      } catch (error) {
        log(`request failed: ${errorName(error)}`);
        response = responses.internalError();
      }
      try {
        logger.request(await requestLogEntry({ request, response, route: label, ms: Date.now() - started, ip, note, basePath: config.basePath }));
      } catch {
        // Logging never fails a request.
      }
      return response;
    },
    async close(): Promise<void> {
      closed = true;
      streams.close();
      upstream.abortAll();
      await limiters.clear();
    },
    get stats(): ToapisProxyStats {
      const { upstreamRequests, upstreamPolls } = upstream.stats;
      const { uploadsInFlight, bufferedBytes } = resources.stats;
      return { upstreamRequests, upstreamPolls, subscribers: streams.subscriberCount(), uploadsInFlight, bufferedBytes };
    },
  };
}

/** Builds every part once, in dependency order: what the routes get (`deps`), and what the handler itself needs. */
function createParts(
  options: ToapisProxyOptions,
  { config, log, scrub, isClosed }: Pick<ProxyDeps, 'config' | 'log' | 'scrub' | 'isClosed'>,
  notes: WeakMap<Request, RequestNote>,
) {
  const responses = createResponses(scrub);
  const limiters = createLimiters(config);
  const keyBudget = createKeyBudget(config, limiters);
  const upstream = withKeyBudget(
    createUpstream(config, log, isClosed),
    keyBudget,
    (client, note) => {
      const target = notes.get(client);
      if (target) Object.assign(target, note);
    },
    log,
  );
  const identities = createIdentities(config, log, responses);
  const limits = createRateLimits(config, limiters);
  const spend = createSpendCap(config, limiters, responses);
  const state = options.state ?? createMemoryState();
  const ownership = createOwnership(upstream, responses, state, log);
  const streams = createStreamHub({ pollIntervalMs: config.pollIntervalMs, maxStreamMs: config.limits.maxStreamMs, upstream, ownership, scrub, isClosed, state, log });
  const resources = createResources(config.limits);
  const cors = createCors(config, responses);
  const clientInfo = createClientInfo(config);

  const admit = createAdmission({ config, identities, limits, responses, log });
  const health = createHealth(limiters, keyBudget, log, state);

  const deps: ProxyDeps = { config, log, scrub, responses, upstream, ownership, state, streams, resources, admit, spend, health, isClosed };
  return { deps, limiters, cors, clientInfo };
}

/** One request after its log note is set up: closed, preflight, method, cross-site check, then the route. */
function createHandler(deps: ProxyDeps, cors: Cors): (request: Request, client: ClientInfo, note: RequestNote) => Promise<Response> {
  const { responses, isClosed } = deps;
  const route = createRouter(deps);

  return async function handle(request, client, note) {
    if (isClosed()) return responses.closed();
    if (request.method === 'OPTIONS') return cors.preflight(request);
    if (request.method !== 'GET' && request.method !== 'POST') {
      const message = { error: { code: 'method_not_allowed', type: 'invalid_request_error', message: 'Use GET or POST.' } };
      return responses.json(405, message, { Allow: 'GET, POST, OPTIONS' });
    }
    const ctx: RequestContext = {
      request,
      corsOrigin: cors.originFor(request),
      setCookie: undefined,
      client,
      note,
    };
    // A browser POST from a foreign site that CORS does not allow never reaches upstream (CSRF).
    if (cors.isForbiddenCrossSite(ctx)) return responses.forbiddenOrigin();
    // `ctx.setCookie` is set only once the request was admitted (admission.ts): a request refused
    // before its session would exist (CSRF, per-client budget, bad task id) carries no cookie.
    return cors.finish(await route(ctx), ctx);
  };
}
