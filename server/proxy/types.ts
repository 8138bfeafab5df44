/**
 * The proxy's public types, exported from `@toapis/image-kit/server` as documented in
 * docs/backend.md.
 */

/** Who is calling, as the host's auth (or the default anonymous session) sees it. */
export interface ProxyIdentity {
  /** Stable id of the caller (user id, session id); tasks and business ids are scoped to it. */
  id: string;
}

/** Size and count limits checked before anything goes upstream. */
export interface ToapisProxyLimits {
  /**
   * Largest JSON body of a submit, in bytes.
   * @default 65536 (64 KiB)
   */
  maxBodyBytes?: number;
  /**
   * Largest uploaded file, in bytes (the multipart body may be 64 KiB larger).
   * @default 10485760 (10 MiB, docs/toapis-api.md §4)
   */
  maxUploadBytes?: number;
  /**
   * Most reference URLs in one submit (`image_urls` plus `reference_images`); the model's own
   * limit applies too where the registry knows the model.
   * @default 16
   */
  maxReferences?: number;
  /**
   * Longest prompt, in characters (code points); the model's own limit applies too.
   * @default 32000
   */
  maxPromptChars?: number;
  /**
   * Event streams one identity may hold open; one more answers 429 with `Retry-After` (the kit then
   * polls that task).
   * @default 16
   */
  maxStreamsPerIdentity?: number;
  /**
   * Event streams open at once, all visitors together; one more answers 503 with `Retry-After`.
   * @default 1000
   */
  maxStreams?: number;
  /**
   * Longest life of one event stream, in milliseconds. Then the proxy sends `event: reconnect` and
   * closes it cleanly; the kit reads the task once and opens a new stream.
   * @default 300000 (5 minutes)
   */
  maxStreamMs?: number;
  /**
   * Uploads in flight at once, all visitors together; one more answers 503 with `Retry-After`
   * before its body is read.
   * @default 16
   */
  maxConcurrentUploads?: number;
  /**
   * Bytes of request bodies (uploads and submits) held in memory at once, all visitors together;
   * a request that would go over answers 503 with `Retry-After`. Each upload is held at most
   * twice in memory while it is checked and re-sent, so the proxy's peak is about twice this.
   * @default 268435456 (256 MiB)
   */
  maxBufferedBytes?: number;
  /**
   * Milliseconds a request body (upload, submit, webhook) may take to arrive, from when the proxy
   * starts reading it; later answers 408 and closes the connection.
   * @default 30000
   */
  bodyTimeoutMs?: number;
}

/**
 * Per-client request budget (fixed windows): per identity, per client IP, and new anonymous
 * sessions per client IP. Over it: 429 with `Retry-After` and no cookie.
 */
export interface ToapisProxyRateLimit {
  /** Window length in milliseconds. */
  windowMs: number;
  /** Requests per identity per window (uploads, submits, status reads, event streams). */
  max: number;
  /**
   * Requests per client IP per window, all identities on that IP together (IPv6 counted per /64).
   * Requests whose IP is unknown share one bucket.
   * @default 2 * max
   */
  maxPerIp?: number;
  /**
   * With the default cookie identity only: new anonymous sessions issued per client IP per window.
   * A client that drops its cookie gets a fresh identity on every request; this caps how far that
   * stretches the per-identity limit without locking out visitors on other IPs.
   * @default 20
   */
  maxNewSessions?: number;
}

/**
 * ToAPIs' per-user rate-limit groups (https://docs.toapis.com/docs/en/api-reference/rate-limits/async-tasks);
 * the key-wide budget mirrors one of them.
 */
export type ToapisRateGroup = 'default' | 'vip' | 'svip';

/** At most `points` requests per `windowMs`. */
export interface ToapisRateWindow {
  points: number;
  windowMs: number;
}

/** A key-wide budget: windows for task submits and for task status queries, every one enforced. */
export interface ToapisRateBudget {
  submit: readonly ToapisRateWindow[];
  query: readonly ToapisRateWindow[];
}

/**
 * Spending cap: images × landing price per image (the model registry's `pricePerImage`), per
 * identity and per client IP, over a window. Over it: 429 `spend_limit_exceeded` with `Retry-After`.
 */
export interface ToapisProxySpendLimit {
  /**
   * Window length in milliseconds.
   * @default 3600000 (one hour)
   */
  windowMs?: number;
  /**
   * US dollars one identity may order per window.
   * @default 2
   */
  maxUsd?: number;
  /**
   * US dollars all identities on one client IP may order per window.
   * @default 5 * maxUsd
   */
  maxUsdPerIp?: number;
  /**
   * Price of one image where the registry gives none (unknown model or resolution).
   * @default the highest price in the registry (0.04)
   */
  fallbackPricePerImage?: number;
}

/** The anonymous session cookie's lifetime and rotation. */
export interface ToapisProxySession {
  /**
   * Lifetime of a session cookie after it was (re-)issued, in seconds: its `Max-Age`, also
   * enforced by the proxy (the issue time is signed into the value).
   * @default 604800 (7 days)
   */
  maxAgeSeconds?: number;
  /**
   * A valid cookie older than this is re-issued (same identity, new issue time and signature).
   * @default 86400 (1 day)
   */
  rotateAfterSeconds?: number;
}

export type { Limiter, LimiterRes, LimiterSpec } from '../state/types';

/** Where the budgets keep their counters. Default: in this process (`RateLimiterMemory`). */
export interface ToapisProxyLimiters {
  /**
   * Name reported as `state` by `GET /v1/health`.
   * @default 'custom'
   */
  backend?: string;
  /** Builds each limiter from its spec (e.g. `new RateLimiterRedis({ storeClient, keyPrefix: spec.name, ... })`). */
  create?: (spec: LimiterSpec) => Limiter;
  /** Ready-made limiters by spec name; they win over `create`. */
  instances?: Readonly<Record<string, Limiter>>;
}

/** Signed ToAPIs task webhooks (docs/toapis-api.md §2.1 `callback_url`, [S25]). */
export interface ToapisProxyWebhook {
  /**
   * The Token's webhook signing secret (or, during a rotation, the current and previous ones).
   * Deliveries are checked against `X-ToAPIs-Webhook-Signature` (HMAC-SHA256 over
   * `id.timestamp.body`); the secret itself never travels in a URL.
   */
  secret: string | readonly string[];
  /**
   * Public base URL of this proxy as ToAPIs reaches it, including any mount path
   * (`https://example.com/api`). Submits carry `callback_url = <publicUrl>/v1/webhooks/toapis`; it
   * must keep the scheme, host and port of the Token's default callback URL.
   */
  publicUrl: string;
  /**
   * Safety poll cadence for streamed tasks while waiting for the webhook, in milliseconds.
   * @default 30000
   */
  safetyPollMs?: number;
}

/** Options of {@link createToapisProxy}. */
import type { Limiter, LimiterSpec, ProxyState } from '../state/types';

export interface ToapisProxyOptions {
  /** The ToAPIs API key. Required. Sent upstream only; never in a response, log line or error. */
  apiKey: string;
  /**
   * ToAPIs base URL, with or without a trailing `/v1` (`https://toapis.com` and
   * `https://toapis.com/v1/` call the same paths). Redirects from it are never followed.
   * @default 'https://toapis.com'
   */
  upstream?: string;
  /**
   * Upstream `fetch` (tests pass a simulator's `fetch`). The download route fetches result images
   * from the file host with it too, without the key.
   * @default globalThis.fetch
   */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * Origins allowed to call the proxy from a browser (CORS). `'*'` allows any origin without
   * credentials; a list allows those origins with credentials (cookies).
   * @default [] (same-origin only: no CORS headers)
   */
  allowedOrigins?: readonly string[] | '*';
  /**
   * Request headers a cross-origin browser may send (answered in preflights).
   * @default ['content-type', 'x-requested-with']
   */
  allowedRequestHeaders?: readonly string[];
  /**
   * Request headers copied from the browser to the upstream, by name (e.g. the simulator's
   * `x-simulator-fault` in development). Never `authorization` or `cookie`.
   * @default []
   */
  forwardRequestHeaders?: readonly string[];
  /** Model ids (or aliases) this proxy accepts; without it, every model in the registry. */
  allowedModels?: readonly string[];
  /**
   * Let reference and mask URLs (and result image URLs the download route fetches) point at
   * loopback, private, link-local and other non-public hosts
   * (`localhost`, `127.0.0.1`, `10.x`, `[::1]`, `*.local`…). Only for a local simulator or a
   * private ToAPIs-compatible upstream; user names and passwords in URLs are refused either way.
   * @default false
   */
  allowPrivateReferenceUrls?: boolean;
  /** Size and count limits. */
  limits?: ToapisProxyLimits;
  /**
   * Per-client request budget (per identity, per IP, new sessions per IP), answered with 429,
   * `Retry-After` and ToAPIs' error envelope; `false` turns it off.
   * @default { windowMs: 60000, max: 300, maxPerIp: 600, maxNewSessions: 20 }
   */
  rateLimit?: ToapisProxyRateLimit | false;
  /**
   * Key-wide budget across all visitors, mirroring ToAPIs' per-user allowance for the key's group
   * (its async-task rate-limit table), or custom windows; `false` turns it off. Over it, or while an upstream
   * 429 pauses submits (or queries): 429 with `Retry-After`, nothing sent upstream.
   * @default 'default' (submits 5/s, 50/10 s, 300/min; queries 50/s, 500/10 s, 3000/min)
   */
  rateGroup?: ToapisRateGroup | ToapisRateBudget | false;
  /**
   * Spending cap per identity and per client IP; `false` turns it off.
   * @default { windowMs: 3600000, maxUsd: 2, maxUsdPerIp: 10 }
   */
  spendLimit?: ToapisProxySpendLimit | false;
  /**
   * Where the budgets keep their counters (e.g. Redis, shared by several instances). Without it,
   * the counters live in `state`.
   */
  limiters?: ToapisProxyLimiters;
  /**
   * Shared state: task records, webhook de-duplication and budget counters. Default: this process's
   * memory (`createMemoryState`). Several instances behind one load balancer pass the same Redis:
   * `createRedisState({ url })` from `@toapis/image-kit/server/redis` (docs/scaling.md).
   */
  state?: ProxyState;
  /**
   * Trust `X-Forwarded-For` and `X-Forwarded-Proto` from a reverse proxy in front: `true` (or 1)
   * takes the client IP from the last `X-Forwarded-For` entry, `n` from the n-th last (n proxies).
   * Without it those headers are ignored.
   * @default false
   */
  trustProxy?: boolean | number;
  /**
   * The client IP for the per-IP budgets, for hosts where neither the socket nor a trusted
   * `X-Forwarded-For` has it (e.g. `(req) => req.headers.get('cf-connecting-ip') ?? undefined`).
   * `env` is the second argument given to `proxy.fetch`.
   * @default the socket address from `@hono/node-server` (`env.incoming.socket.remoteAddress`), else `X-Forwarded-For` under `trustProxy`
   */
  clientIp?: (request: Request, env: unknown) => string | null | undefined;
  /** Session cookie lifetime and rotation (default identity only). */
  session?: ToapisProxySession;
  /**
   * Host auth hook (check a session cookie, a bearer token…). Return the caller's identity, a
   * `Response` to short-circuit (e.g. a 401 of your own), or `null` for a 401 envelope. It must not
   * read the request body. Default: an anonymous identity from a signed session cookie, issued on
   * first use: `__Host-gen_sid` (`Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age`) over https,
   * `gen_sid` (`HttpOnly; SameSite=Lax; Path=/; Max-Age`) over plain http (development).
   */
  authenticate?: (request: Request) => Promise<ProxyIdentity | Response | null> | ProxyIdentity | Response | null;
  /**
   * Key that signs session cookies and derives per-identity business-id namespaces. Set it when
   * several processes serve one site or sessions must survive a restart.
   * @default a random secret per process
   */
  sessionSecret?: string;
  /** Signed ToAPIs webhooks; when set, streamed tasks are updated by webhook instead of polling. */
  webhook?: ToapisProxyWebhook;
  /**
   * Upstream poll cadence of the event streams when no webhook is configured, in milliseconds
   * (at least 1000; a little jitter is added).
   * @default 3000
   */
  pollIntervalMs?: number;
  /**
   * Log sink, one line per request and per notable event. Never receives the key, a request body
   * or a prompt.
   * @default console.log
   */
  log?: (line: string) => void;
  /**
   * `'json'`: one JSON object per line (`time`, `method`, `route`, `status`, `ms`, `id` (hashed
   * identity), `ip`, `task`, `upstream` (status), `bytes`); `'pretty'`: one human-readable line.
   * @default 'json'
   */
  logFormat?: 'json' | 'pretty';
  /**
   * Mount prefix, e.g. `'/api'` when the proxy answers `/api/v1/...`.
   * @default ''
   */
  basePath?: string;
}

/** Counters for tests and dashboards. */
export interface ToapisProxyStats {
  /** Every request sent upstream (uploads, submits, status reads, polls). */
  upstreamRequests: number;
  /** Status reads made by the event-stream poll loops. */
  upstreamPolls: number;
  /** Event streams open right now. */
  subscribers: number;
  /** Uploads being read, checked or sent upstream right now. */
  uploadsInFlight: number;
  /** Bytes of request bodies held against `limits.maxBufferedBytes` right now. */
  bufferedBytes: number;
}

/** The proxy handler returned by {@link createToapisProxy}. */
export interface ToapisProxy {
  /**
   * Answers one request; never throws. `env` is what the host's server passes along (the
   * `@hono/node-server` bindings carry the socket, hence the client IP); see `clientIp`.
   */
  fetch(request: Request, env?: unknown): Promise<Response>;
  /** Stops every poll loop and timer and ends every event stream; later requests get 503. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  readonly stats: ToapisProxyStats;
}
