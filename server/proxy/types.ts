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
   * @default 10485760 (10 MiB, TOAPIS-API.md §4)
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

/** Fixed-window rate limit per client identity. */
export interface ToapisProxyRateLimit {
  /** Window length in milliseconds. */
  windowMs: number;
  /** Requests per identity per window (uploads, submits, status reads, event streams). */
  max: number;
  /**
   * With the default cookie identity only: new anonymous sessions issued per window, all clients
   * together. A client that drops its cookie gets a fresh identity on every request; this caps how
   * far that can stretch the per-identity limit.
   * @default 10 * max
   */
  maxNewSessions?: number;
}

/** Signed ToAPIs task webhooks (TOAPIS-API.md §2.1 `callback_url`, [S25]). */
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
   * Upstream `fetch` (tests pass a simulator's `fetch`).
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
   * Let reference and mask URLs point at loopback, private, link-local and other non-public hosts
   * (`localhost`, `127.0.0.1`, `10.x`, `[::1]`, `*.local`…). Only for a local simulator or a
   * private ToAPIs-compatible upstream; user names and passwords in URLs are refused either way.
   * @default false
   */
  allowPrivateReferenceUrls?: boolean;
  /** Size and count limits. */
  limits?: ToapisProxyLimits;
  /**
   * Per-identity rate limit, answered with 429, `Retry-After` and the §5.1 envelope; `false` turns
   * it off.
   * @default { windowMs: 60000, max: 300 } (5 requests a second per visitor, well inside ToAPIs' own allowance)
   */
  rateLimit?: ToapisProxyRateLimit | false;
  /**
   * Host auth hook (check a session cookie, a bearer token…). Return the caller's identity, a
   * `Response` to short-circuit (e.g. a 401 of your own), or `null` for a 401 envelope. It must not
   * read the request body. Default: an anonymous identity from the signed `gen_sid` cookie, issued
   * with `Set-Cookie` (`HttpOnly; SameSite=Lax; Path=/`, plus `Secure` over https) on first use.
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
   * Log sink, one line per request and per notable event. Never receives the key or request bodies.
   * @default console.log
   */
  log?: (line: string) => void;
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
  /** Answers one request; never throws. */
  fetch(request: Request): Promise<Response>;
  /** Stops every poll loop and timer and ends every event stream; later requests get 503. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  readonly stats: ToapisProxyStats;
}
