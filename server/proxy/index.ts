/**
 * The proxy: the kit's backend in front of ToAPIs (DESIGN.md "The backend"). One web-standard
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
 * loop is replaced by signed ToAPIs webhooks (TOAPIS-API.md [S25]) plus a slow safety poll.
 * `GET /v1/capabilities` answers `{ stream: true, proxy: true }` so the kit can pick the stream.
 */
import { Hono } from 'hono';
import { getModel, validateGenerationChoices, type FieldIssue } from '../../src/core/models';
import { SubmitRequestSchema, parseProgress, parseRetryAfter, statusToPhase } from '../../src/core/protocol';
import { UPLOAD_MAX_BYTES, sniffImageType } from '../../src/core/references';

/* -------------------------------------------------------------------------------------------------
 * Public types
 * -----------------------------------------------------------------------------------------------*/

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
   * ToAPIs base URL.
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

/* -------------------------------------------------------------------------------------------------
 * Constants
 * -----------------------------------------------------------------------------------------------*/

const DEFAULT_UPSTREAM = 'https://toapis.com';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_REFERENCES = 16;
const DEFAULT_MAX_PROMPT_CHARS = 32_000;
const DEFAULT_POLL_INTERVAL_MS = 3000;
const MIN_POLL_INTERVAL_MS = 1000;
const DEFAULT_SAFETY_POLL_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;
const HEARTBEAT_MS = 15_000;
const UPSTREAM_TIMEOUT_MS = 60_000;
/** Multipart framing allowed on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;
const MAX_UPSTREAM_BODY_BYTES = 2 * 1024 * 1024;
const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
const WEBHOOK_TOLERANCE_S = 300;
const MAX_JSON_DEPTH = 64;
/** Bounded maps: task ownership, business ids, sessions, namespaces, webhook event ids. */
const MAX_RECORDS = 10_000;
const MAX_STREAMS_PER_IDENTITY = 16;
/** A slow reader is dropped once this many events wait in its queue. */
const MAX_QUEUED_EVENTS = 64;
/** Generous cap on `n` for models the registry does not know (Seedream's 15 is the largest documented). */
const MAX_N = 15;
const MAX_URL_CHARS = 4096;
/** Wire business ids are `<16 hex>:<id>`; ToAPIs takes at most 128 characters. */
const NAMESPACE_CHARS = 16;
const MAX_BUSINESS_ID_CHARS = 128 - NAMESPACE_CHARS - 1;
const TASK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const BUSINESS_ID = /^[A-Za-z0-9_.:-]+$/;
const SESSION_COOKIE = 'gen_sid';
const SESSION_VALUE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
const HEADER_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const SAFE_ACCEPT_LANGUAGE = /^[A-Za-z0-9,;=.* -]{1,200}$/;
const RETRY_AFTER_VALUE = /^(\d{1,9}|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;
const GENERATIONS_PATH = '/v1/images/generations';
const WEBHOOK_PATH = '/v1/webhooks/toapis';

const encoder = new TextEncoder();

/** The one not-found body: unknown, foreign and vanished tasks all look exactly like this (§5.1 #2). */
const NOT_FOUND_BODY = JSON.stringify({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });

/* -------------------------------------------------------------------------------------------------
 * Internal types
 * -----------------------------------------------------------------------------------------------*/

type Json = Record<string, unknown>;

interface RequestContext {
  request: Request;
  /** Value for `Access-Control-Allow-Origin`, or undefined (no CORS headers). */
  corsOrigin: string | undefined;
  /** `Set-Cookie` to add to the answer (a freshly issued session). */
  setCookie: string | undefined;
}

type HonoEnv = { Bindings: { ctx: RequestContext } };

interface Caller {
  identity: ProxyIdentity;
  /** 16 hex characters derived from the identity; the business-id namespace and ownership key. */
  ns: string;
}

interface TaskRecord {
  ns: string;
  /** Namespaced business id, when known. */
  businessId?: string;
  /** The terminal task body (raw, namespaced), once seen. */
  final?: Json;
}

interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  open: boolean;
  detach: () => void;
}

interface Watcher {
  taskId: string;
  ns: string;
  subscribers: Set<Subscriber>;
  lastText?: string;
  pollTimer?: ReturnType<typeof setTimeout>;
  heartbeat?: ReturnType<typeof setInterval>;
  inflight?: AbortController;
  failures: number;
  done: boolean;
}

type UpstreamResult =
  | { ok: true; status: number; headers: Headers; text: string; body: unknown }
  | { ok: false; reason: 'unreachable' | 'too_large' };

type ReadResult = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: 'too_large' | 'unreadable' };

/* -------------------------------------------------------------------------------------------------
 * createToapisProxy
 * -----------------------------------------------------------------------------------------------*/

/**
 * Creates the proxy. Routes (under `basePath`):
 * - `POST /v1/uploads/images` — multipart `file` (JPEG/PNG/WebP/GIF by magic bytes), streamed with
 *   a byte cap, re-encoded into a fresh multipart body upstream;
 * - `POST /v1/images/generations` — JSON submit, validated, business id namespaced per identity;
 * - `GET /v1/images/generations/:id` — task id or business id, owner only (else 404);
 * - `GET /v1/images/generations/:id/events` — Server-Sent Events: `event: task` per change,
 *   `: ping` every 15 s, closed after `completed`/`failed`;
 * - `POST /v1/webhooks/toapis` — signed ToAPIs webhooks (only with `webhook`);
 * - `GET /v1/capabilities` — `{ stream: true, proxy: true }`.
 *
 * Throws a `TypeError` for unusable options (no key, bad URLs); the message never holds the key.
 */
export function createToapisProxy(options: ToapisProxyOptions): ToapisProxy {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('[gen] createToapisProxy: `apiKey` is required.');
  }
  const apiKey = options.apiKey.trim();
  const upstreamBase = normaliseBaseUrl(options.upstream ?? DEFAULT_UPSTREAM, 'upstream');
  const upstreamFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const basePath = normaliseBasePath(options.basePath ?? '');
  const limits = {
    maxBodyBytes: positive(options.limits?.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    maxUploadBytes: positive(options.limits?.maxUploadBytes, UPLOAD_MAX_BYTES),
    maxReferences: positive(options.limits?.maxReferences, DEFAULT_MAX_REFERENCES, true),
    maxPromptChars: positive(options.limits?.maxPromptChars, DEFAULT_MAX_PROMPT_CHARS),
  };
  const allowedOrigins = normaliseOrigins(options.allowedOrigins ?? []);
  const forwardRequestHeaders = (options.forwardRequestHeaders ?? [])
    .map((h) => h.toLowerCase())
    .filter((h) => h !== 'authorization' && h !== 'cookie' && h !== 'host' && h !== 'content-length');
  const allowedRequestHeaders = (options.allowedRequestHeaders ?? ['content-type', 'x-requested-with'])
    .map((h) => h.trim().toLowerCase())
    .filter((h) => HEADER_TOKEN.test(h));
  const allowedModels = options.allowedModels
    ? new Set(options.allowedModels.flatMap((m) => [m, getModel(m)?.id ?? m]))
    : undefined;
  const rateLimit = options.rateLimit === undefined ? { windowMs: 60_000, max: 300 } : options.rateLimit;
  if (rateLimit && !(rateLimit.windowMs > 0 && rateLimit.max >= 1)) {
    throw new TypeError('[gen] createToapisProxy: `rateLimit` needs windowMs > 0 and max >= 1.');
  }
  const webhook = options.webhook;
  const webhookSecrets = webhook ? (typeof webhook.secret === 'string' ? [webhook.secret] : [...webhook.secret]) : [];
  if (webhook && (webhookSecrets.length === 0 || webhookSecrets.some((s) => typeof s !== 'string' || s === ''))) {
    throw new TypeError('[gen] createToapisProxy: `webhook.secret` must be a non-empty string.');
  }
  const callbackUrl = webhook ? `${normaliseBaseUrl(webhook.publicUrl, 'webhook.publicUrl')}${WEBHOOK_PATH}` : undefined;
  const pollIntervalMs = webhook
    ? Math.max(MIN_POLL_INTERVAL_MS, positive(webhook.safetyPollMs, DEFAULT_SAFETY_POLL_MS))
    : Math.max(MIN_POLL_INTERVAL_MS, positive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS));
  const sink = options.log ?? ((line: string) => console.log(line));
  const keyJson = JSON.stringify(apiKey).slice(1, -1);

  /** Removes the key from any text that leaves the proxy (upstream echoes, logs). */
  function scrub(text: string): string {
    if (apiKey.length < 8) return text; // too short to tell from ordinary text; real keys are long
    let out = text.split(apiKey).join('[redacted]');
    if (keyJson !== apiKey) out = out.split(keyJson).join('[redacted]');
    return out;
  }

  function log(line: string): void {
    try {
      sink(scrub(`[toapis-proxy] ${line}`));
    } catch {
      // A failing log sink must not fail the request.
    }
  }

  /* ----------------------------------------------------------------------------------------------
   * State
   * --------------------------------------------------------------------------------------------*/

  let closed = false;
  const stats = { upstreamRequests: 0, upstreamPolls: 0 };
  const tasks = new BoundedMap<string, TaskRecord>(MAX_RECORDS);
  const businessIndex = new BoundedMap<string, string>(MAX_RECORDS);
  const watchers = new Map<string, Watcher>();
  const streamsPerNs = new Map<string, number>();
  /** In-flight upstream requests and their timeout timers, so `close()` can stop both. */
  const inflight = new Map<AbortController, ReturnType<typeof setTimeout>>();
  const seenWebhookEvents = new BoundedMap<string, true>(MAX_RECORDS);
  const limiter = rateLimit ? new FixedWindowLimiter(rateLimit.windowMs) : undefined;
  const maxNewSessions = rateLimit ? positive(rateLimit.maxNewSessions, rateLimit.max * 10) : 0;

  const sessionKey = importHmacKey(options.sessionSecret ?? base64url(crypto.getRandomValues(new Uint8Array(32))));
  const webhookKeys = webhookSecrets.map(importHmacKey);
  const verifiedSessions = new BoundedMap<string, string>(MAX_RECORDS);
  const namespaces = new BoundedMap<string, string>(MAX_RECORDS);

  function subscriberCount(): number {
    let n = 0;
    for (const w of watchers.values()) n += w.subscribers.size;
    return n;
  }

  /* ----------------------------------------------------------------------------------------------
   * Responses
   * --------------------------------------------------------------------------------------------*/

  function jsonText(status: number, text: string, headers: Record<string, string> = {}): Response {
    return new Response(scrub(text), {
      status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      },
    });
  }

  function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return jsonText(status, JSON.stringify(body), headers);
  }

  function errorEnvelope(status: number, code: string, type: string, message: string, param?: string): Response {
    return json(status, { error: { code, type, message, ...(param !== undefined && { param }) } });
  }

  function invalid(message: string, param?: string, status = 400): Response {
    return errorEnvelope(status, 'invalid_request', 'invalid_request_error', message, param);
  }

  function uploadError(status: number, message: string): Response {
    return json(status, { success: false, message });
  }

  function notFound(): Response {
    return jsonText(404, NOT_FOUND_BODY);
  }

  function unreachable(): Response {
    return json(502, {
      error: { code: 'upstream_unreachable', type: 'server_error', message: 'The image service could not be reached; please retry.' },
    });
  }

  function badUpstream(): Response {
    return json(502, {
      error: { code: 'upstream_invalid_response', type: 'server_error', message: 'The image service sent a reply the proxy could not read.' },
    });
  }

  function internalError(): Response {
    return errorEnvelope(500, 'internal_error', 'server_error', 'The proxy failed; please retry later.');
  }

  /** Upstream error statuses pass through with their §5.1 envelope, re-serialised; garbage becomes a plain envelope. */
  function relayError(result: Extract<UpstreamResult, { ok: true }>): Response {
    const status = result.status >= 400 && result.status <= 599 ? result.status : 502;
    const headers = retryAfterHeader(result.headers);
    const body = result.body;
    if (isRecord(body) && ('error' in body || 'message' in body || 'success' in body)) {
      return json(status, body, headers);
    }
    const code = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'upstream_error' : 'invalid_request';
    const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return json(status, { error: { code, type, message: `The image service answered HTTP ${result.status}.` } }, headers);
  }

  /* ----------------------------------------------------------------------------------------------
   * Upstream
   * --------------------------------------------------------------------------------------------*/

  function upstreamHeaders(client: Request | undefined, extra: Record<string, string> = {}): Headers {
    const headers = new Headers({ Accept: 'application/json', ...extra });
    // Only a safe allow-list is ever copied from the browser; the key is set last.
    const language = client?.headers.get('accept-language');
    if (language && SAFE_ACCEPT_LANGUAGE.test(language)) headers.set('Accept-Language', language);
    for (const name of forwardRequestHeaders) {
      const value = client?.headers.get(name);
      if (value && value.length <= 200 && /^[\x20-\x7e]*$/.test(value)) headers.set(name, value);
    }
    headers.set('Authorization', `Bearer ${apiKey}`);
    return headers;
  }

  async function callUpstream(
    method: 'GET' | 'POST',
    path: string,
    init: { client?: Request; body?: BodyInit; contentType?: string; poll?: boolean; controller?: AbortController } = {},
  ): Promise<UpstreamResult> {
    const controller = init.controller ?? new AbortController();
    const timer = setTimeout(() => controller.abort(), UPSTREAM_TIMEOUT_MS);
    inflight.set(controller, timer);
    stats.upstreamRequests++;
    if (init.poll) stats.upstreamPolls++;
    try {
      const request = new Request(`${upstreamBase}${path}`, {
        method,
        headers: upstreamHeaders(init.client, init.contentType ? { 'Content-Type': init.contentType } : {}),
        ...(init.body !== undefined && { body: init.body }),
        signal: controller.signal,
      });
      const response = await upstreamFetch(request);
      if (response.type === 'error' || response.status === 0) return { ok: false, reason: 'unreachable' };
      const read = await readBounded(response.body, response.headers, MAX_UPSTREAM_BODY_BYTES);
      if (!read.ok) return { ok: false, reason: read.reason === 'too_large' ? 'too_large' : 'unreachable' };
      const text = new TextDecoder().decode(read.bytes);
      let body: unknown;
      try {
        body = text.length > 0 && jsonDepthOk(text) ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { ok: true, status: response.status, headers: response.headers, text, body };
    } catch (error) {
      if (!controller.signal.aborted || !closed) log(`upstream ${method} failed: ${errorName(error)}`);
      return { ok: false, reason: 'unreachable' };
    } finally {
      clearTimeout(timer);
      inflight.delete(controller);
    }
  }

  /* ----------------------------------------------------------------------------------------------
   * Identity, namespaces, rate limit
   * --------------------------------------------------------------------------------------------*/

  async function hmac(key: Promise<CryptoKey>, text: string): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(text)));
  }

  async function namespaceOf(identityId: string): Promise<string> {
    const cached = namespaces.get(identityId);
    if (cached) return cached;
    const ns = toHex(await hmac(sessionKey, `ns.${identityId}`)).slice(0, NAMESPACE_CHARS);
    namespaces.set(identityId, ns);
    return ns;
  }

  async function sessionFromCookie(value: string): Promise<string | undefined> {
    const cached = verifiedSessions.get(value);
    if (cached) return cached;
    const [sid = '', sig = ''] = value.split('.');
    const signature = fromBase64url(sig);
    if (!signature) return undefined;
    const ok = await crypto.subtle.verify('HMAC', await sessionKey, signature, encoder.encode(`sid.${sid}`));
    if (!ok) return undefined;
    verifiedSessions.set(value, sid);
    return sid;
  }

  async function identify(ctx: RequestContext): Promise<{ identity: ProxyIdentity; fresh: boolean } | Response> {
    const { request } = ctx;
    if (options.authenticate) {
      let out: ProxyIdentity | Response | null;
      try {
        out = await options.authenticate(request);
      } catch (error) {
        log(`authenticate hook threw: ${errorName(error)}`);
        return internalError();
      }
      if (out instanceof Response) return out;
      if (out && typeof out.id === 'string' && out.id.length > 0 && out.id.length <= 1024) {
        return { identity: { id: out.id }, fresh: false };
      }
      return errorEnvelope(401, 'unauthorized', 'authentication_error', 'Sign in to generate images.');
    }
    const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    if (cookie && SESSION_VALUE.test(cookie)) {
      const sid = await sessionFromCookie(cookie);
      if (sid) return { identity: { id: `anon:${sid}` }, fresh: false };
    }
    const sid = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const sig = base64url(await hmac(sessionKey, `sid.${sid}`));
    const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
    ctx.setCookie = `${SESSION_COOKIE}=${sid}.${sig}; Path=/; HttpOnly; SameSite=Lax${secure}`;
    return { identity: { id: `anon:${sid}` }, fresh: true };
  }

  function tooManyRequests(retryAfterS: number): Response {
    return json(
      429,
      { error: { code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'Too many requests; please slow down and retry shortly.' } },
      { 'Retry-After': String(retryAfterS) },
    );
  }

  /** Identity, then rate limit: what every upload, submit, status read and stream goes through. */
  async function admit(ctx: RequestContext): Promise<Caller | Response> {
    const who = await identify(ctx);
    if (who instanceof Response) return who;
    if (limiter && rateLimit) {
      const now = Date.now();
      if (who.fresh) {
        const wait = limiter.hit('new-sessions', maxNewSessions, now);
        if (wait !== undefined) return tooManyRequests(wait);
      }
      const wait = limiter.hit(`id:${who.identity.id}`, rateLimit.max, now);
      if (wait !== undefined) return tooManyRequests(wait);
    }
    return { identity: who.identity, ns: await namespaceOf(who.identity.id) };
  }

  /* ----------------------------------------------------------------------------------------------
   * Ownership
   * --------------------------------------------------------------------------------------------*/

  function remember(taskId: string, ns: string, businessId: string | undefined): TaskRecord {
    const existing = tasks.get(taskId);
    // A task keeps its first owner; namespaced business ids make a second one impossible anyway.
    if (existing && existing.ns !== ns) return existing;
    const record: TaskRecord = existing ?? { ns };
    if (businessId && businessId.startsWith(`${ns}:`)) {
      record.businessId = businessId;
      businessIndex.set(businessId, taskId);
    }
    tasks.set(taskId, record);
    return record;
  }

  function rememberFromBody(body: Json, ns: string): string | undefined {
    const taskId = asId(body.id) ?? asId(body.task_id);
    if (!taskId) return undefined;
    const record = remember(taskId, ns, typeof body.client_business_id === 'string' ? body.client_business_id : undefined);
    if (isTerminal(body)) record.final = body;
    return taskId;
  }

  type Resolution =
    | { kind: 'task'; taskId: string }
    | { kind: 'lookup'; wireId: string }
    | { kind: 'probe'; taskId: string; wireId: string }
    | { kind: 'none' };

  /** A task id the caller owns, one of their business ids, or a business-id lookup in their namespace. */
  function resolve(id: string, ns: string): Resolution {
    const record = tasks.get(id);
    if (record) return record.ns === ns ? { kind: 'task', taskId: id } : { kind: 'none' };
    const wireId = `${ns}:${id}`;
    const viaBusiness = businessIndex.get(wireId);
    if (viaBusiness !== undefined) return { kind: 'task', taskId: viaBusiness };
    // Unknown here (another instance, or a restart): ownership is proven by the upstream task's own
    // namespaced business id, so several instances sharing `sessionSecret` need no shared state.
    return wireId.length <= 128 ? { kind: 'probe', taskId: id, wireId } : { kind: 'none' };
  }

  /** Reads a task upstream for the caller; records ownership when found by business id. */
  async function readTask(resolution: Resolution, ns: string, client: Request): Promise<{ taskId: string; body: Json } | Response> {
    if (resolution.kind === 'none') return notFound();
    if (resolution.kind === 'probe') {
      const byId = await callUpstream('GET', `${GENERATIONS_PATH}/${encodeURIComponent(resolution.taskId)}`, { client });
      if (!byId.ok) return byId.reason === 'too_large' ? badUpstream() : unreachable();
      if (byId.status === 200 && isRecord(byId.body)) {
        const cbid = byId.body.client_business_id;
        if (typeof cbid === 'string' && cbid.startsWith(`${ns}:`)) {
          const taskId = rememberFromBody(byId.body, ns);
          if (taskId === resolution.taskId) return { taskId, body: byId.body };
        }
      } else if (byId.status !== 404) {
        return relayError(byId);
      }
      return readTask({ kind: 'lookup', wireId: resolution.wireId }, ns, client);
    }
    const wireId = resolution.kind === 'task' ? resolution.taskId : resolution.wireId;
    const result = await callUpstream('GET', `${GENERATIONS_PATH}/${encodeURIComponent(wireId)}`, { client });
    if (!result.ok) return result.reason === 'too_large' ? badUpstream() : unreachable();
    if (result.status === 404) return notFound();
    if (result.status !== 200) return relayError(result);
    if (!isRecord(result.body)) return badUpstream();
    const body = result.body;
    if (resolution.kind === 'lookup') {
      // Only a task carrying this caller's namespaced business id counts as found.
      if (body.client_business_id !== undefined && body.client_business_id !== resolution.wireId) return notFound();
      const taskId = rememberFromBody({ ...body, client_business_id: resolution.wireId }, ns);
      if (!taskId) return badUpstream();
      return { taskId, body };
    }
    const record = tasks.get(resolution.taskId);
    if (record && isTerminal(body)) record.final = body;
    return { taskId: resolution.taskId, body };
  }

  /* ----------------------------------------------------------------------------------------------
   * Route: POST /v1/uploads/images
   * --------------------------------------------------------------------------------------------*/

  async function handleUpload(ctx: RequestContext): Promise<Response> {
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const { request } = ctx;
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^multipart\/form-data\s*;(.*;)?\s*boundary=/i.test(contentType) || contentType.length > 512) {
      return uploadError(400, 'Send the image as multipart/form-data with a "file" field.');
    }
    const tooLarge = uploadError(413, `File too large; the maximum is ${formatBytes(limits.maxUploadBytes)} per file.`);
    const read = await readBounded(request.body, request.headers, limits.maxUploadBytes + UPLOAD_OVERHEAD_BYTES);
    if (!read.ok) return read.reason === 'too_large' ? tooLarge : uploadError(400, 'The upload could not be read.');

    let form: FormData;
    try {
      form = await new Request('http://proxy.invalid/', {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: read.bytes,
      }).formData();
    } catch {
      return uploadError(400, 'The multipart body could not be read.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') return uploadError(400, 'Missing the "file" field.');
    if (file.size === 0) return uploadError(400, 'The file is empty.');
    if (file.size > limits.maxUploadBytes) return tooLarge;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const mimeType = sniffImageType(bytes);
    if (!mimeType) return uploadError(400, 'Unsupported file type; use JPEG, PNG, WebP or GIF.');

    const upstreamForm = new FormData();
    upstreamForm.set('file', new Blob([bytes], { type: mimeType }), safeFileName(file.name, mimeType));
    const purpose = form.get('purpose');
    if (typeof purpose === 'string' && /^[a-z_]{1,32}$/.test(purpose)) upstreamForm.set('purpose', purpose);

    const result = await callUpstream('POST', '/v1/uploads/images', { client: request, body: upstreamForm });
    if (!result.ok) return result.reason === 'too_large' ? badUpstream() : unreachable();
    if (result.status !== 200) return relayError(result);
    if (!isRecord(result.body)) return badUpstream();
    return json(200, result.body);
  }

  /* ----------------------------------------------------------------------------------------------
   * Route: POST /v1/images/generations
   * --------------------------------------------------------------------------------------------*/

  async function handleSubmit(ctx: RequestContext): Promise<Response> {
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const { request } = ctx;
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return invalid('Send the request as JSON (Content-Type: application/json).', undefined, 415);
    }
    const read = await readBounded(request.body, request.headers, limits.maxBodyBytes);
    if (!read.ok) {
      return read.reason === 'too_large'
        ? invalid(`The request body is larger than ${formatBytes(limits.maxBodyBytes)}.`, undefined, 413)
        : invalid('The request body could not be read.');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    } catch {
      return invalid('The request body is not valid UTF-8.');
    }
    if (!jsonDepthOk(text)) return invalid('The request body is nested too deeply.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return invalid('The request body is not valid JSON.');
    }
    if (!isRecord(parsed)) return invalid('The request body must be a JSON object.', 'body');

    const problem = validateSubmit(parsed);
    if (problem) return invalid(problem.message, problem.param);

    const body: Json = { ...parsed };
    const model = getModel(body.model as string);
    if (model) body.model = model.id;
    // The caller's business id lives in their namespace on the wire; a client-set callback is dropped.
    const metadata = isRecord(body.metadata) ? { ...body.metadata } : undefined;
    const given =
      typeof body.client_business_id === 'string'
        ? body.client_business_id
        : typeof metadata?.client_business_id === 'string'
          ? metadata.client_business_id
          : undefined;
    if (metadata) {
      delete metadata.client_business_id;
      body.metadata = metadata;
    }
    if (given !== undefined && (given.length > MAX_BUSINESS_ID_CHARS || !BUSINESS_ID.test(given))) {
      return invalid(
        `client_business_id must be 1 to ${MAX_BUSINESS_ID_CHARS} letters, digits or the characters _ . : -`,
        'client_business_id',
      );
    }
    const wireBusinessId = `${caller.ns}:${given ?? `px-${base64url(crypto.getRandomValues(new Uint8Array(12)))}`}`;
    body.client_business_id = wireBusinessId;
    delete body.callback_url;
    if (callbackUrl) body.callback_url = callbackUrl;

    const result = await callUpstream('POST', GENERATIONS_PATH, {
      client: request,
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    if (!result.ok) return result.reason === 'too_large' ? badUpstream() : unreachable();
    if (result.status !== 200) return relayError(result);
    if (!isRecord(result.body)) return badUpstream();
    const task = result.body;
    rememberFromBody({ ...task, client_business_id: wireBusinessId }, caller.ns);
    return json(200, present(task, caller.ns));
  }

  /** Field checks beyond JSON syntax; the first problem, with the field it is about. */
  function validateSubmit(body: Json): { message: string; param?: string } | undefined {
    const schema = SubmitRequestSchema.safeParse(body);
    if (!schema.success) {
      const issue = schema.error.issues[0];
      const param = issue?.path.map(String).join('.') || 'body';
      const message =
        param === 'n'
          ? 'n must be a whole number (a JSON number, not a string) of at least 1.'
          : `Invalid value for ${param}: ${issue?.message ?? 'not accepted'}.`;
      return { message, param };
    }
    const data = schema.data;
    const modelId = data.model.trim();
    const model = getModel(modelId);
    if (allowedModels) {
      if (!allowedModels.has(modelId) && !(model && allowedModels.has(model.id))) {
        return { message: `The model ${clip(modelId)} is not available here.`, param: 'model' };
      }
    } else if (!model) {
      return { message: `Unknown model ${clip(modelId)}.`, param: 'model' };
    }

    const prompt = data.prompt.trim();
    if (prompt === '') return { message: 'Enter a prompt.', param: 'prompt' };
    const promptChars = [...prompt].length;
    if (promptChars > limits.maxPromptChars) {
      return { message: `The prompt is ${promptChars} characters; the limit is ${limits.maxPromptChars}.`, param: 'prompt' };
    }
    if (data.n !== undefined && data.n > MAX_N) return { message: `n must be at most ${MAX_N}.`, param: 'n' };

    const refField = data.image_urls !== undefined ? 'image_urls' : 'reference_images';
    const refs = [...(data.image_urls ?? []), ...(data.reference_images ?? [])];
    if (refs.length > limits.maxReferences) {
      return { message: `At most ${limits.maxReferences} reference images are allowed; there are ${refs.length}.`, param: refField };
    }
    const badRef = refs.findIndex((url) => !isHttpUrl(url));
    if (badRef >= 0) {
      return { message: `Reference image ${badRef + 1} is not an http(s) URL; upload it first.`, param: refField };
    }
    if (data.mask_url !== undefined && !isHttpUrl(data.mask_url)) {
      return { message: 'mask_url must be an http(s) URL.', param: 'mask_url' };
    }

    if (model) {
      const metaResolution = typeof data.metadata?.resolution === 'string' ? data.metadata.resolution : undefined;
      const topFirst = model.resolutionField === 'top';
      const resolution = topFirst ? (data.resolution ?? metaResolution) : (metaResolution ?? data.resolution);
      const resolutionParam = resolution === undefined ? 'resolution' : resolution === data.resolution ? 'resolution' : 'metadata.resolution';
      const issues = validateGenerationChoices({
        model: model.id,
        prompt,
        ...(data.size !== undefined && { aspectRatio: data.size }),
        ...(resolution !== undefined && { resolution }),
        ...(data.n !== undefined && { n: data.n }),
        referenceUrls: refs,
      });
      const issue = issues[0];
      if (issue) return { message: issue.message, param: paramFor(issue, refField, resolutionParam) };
    }
    return undefined;
  }

  /* ----------------------------------------------------------------------------------------------
   * Routes: GET /v1/images/generations/:id and /:id/events
   * --------------------------------------------------------------------------------------------*/

  async function handleTaskPath(ctx: RequestContext): Promise<Response> {
    const pathname = new URL(ctx.request.url).pathname;
    const prefix = `${basePath}${GENERATIONS_PATH}/`;
    if (!pathname.startsWith(prefix)) return routeNotFound();
    const rest = pathname.slice(prefix.length);
    const match = /^([^/]*)(\/events)?$/.exec(rest);
    const id = match ? decodeId(match[1] ?? '') : undefined;
    if (!match || id === undefined) {
      return invalid('The task id may only hold letters, digits and _ . : - (at most 128).', 'id');
    }
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const resolution = resolve(id, caller.ns);
    if (match[2]) return handleEvents(ctx, caller, resolution);

    const found = await readTask(resolution, caller.ns, ctx.request);
    if (found instanceof Response) return found;
    return json(200, present(found.body, caller.ns));
  }

  async function handleEvents(ctx: RequestContext, caller: Caller, resolution: Resolution): Promise<Response> {
    if (resolution.kind === 'none') return notFound();
    let taskId: string;
    let initial: Json | undefined;
    if (resolution.kind === 'lookup' || resolution.kind === 'probe') {
      const found = await readTask(resolution, caller.ns, ctx.request);
      if (found instanceof Response) return found;
      taskId = found.taskId;
      initial = found.body;
    } else {
      taskId = resolution.taskId;
    }
    if ((streamsPerNs.get(caller.ns) ?? 0) >= MAX_STREAMS_PER_IDENTITY) return tooManyRequests(5);
    if (closed) return closedResponse();
    return subscribe(taskId, caller.ns, initial ?? (watchers.has(taskId) ? undefined : tasks.get(taskId)?.final), ctx.request.signal);
  }

  /* ----------------------------------------------------------------------------------------------
   * Event streams and the poll loop
   * --------------------------------------------------------------------------------------------*/

  function write(sub: Subscriber, chunk: string): void {
    if (!sub.open) return;
    try {
      const queued = sub.controller.desiredSize;
      if (queued !== null && queued < -MAX_QUEUED_EVENTS) {
        endSubscriber(sub);
        return;
      }
      sub.controller.enqueue(encoder.encode(chunk));
    } catch {
      sub.open = false;
    }
  }

  function broadcast(watcher: Watcher, chunk: string): void {
    for (const sub of [...watcher.subscribers]) write(sub, chunk);
  }

  function endSubscriber(sub: Subscriber): void {
    if (!sub.open) return;
    sub.open = false;
    sub.detach();
    try {
      sub.controller.close();
    } catch {
      // Already closed or errored by the reader.
    }
  }

  function dropSubscriber(watcher: Watcher, sub: Subscriber): void {
    if (!watcher.subscribers.delete(sub)) return;
    streamsPerNs.set(watcher.ns, Math.max(0, (streamsPerNs.get(watcher.ns) ?? 1) - 1));
    if (streamsPerNs.get(watcher.ns) === 0) streamsPerNs.delete(watcher.ns);
    if (watcher.subscribers.size === 0) stopWatcher(watcher);
  }

  function stopWatcher(watcher: Watcher): void {
    watcher.done = true;
    if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
    if (watcher.heartbeat !== undefined) clearInterval(watcher.heartbeat);
    watcher.pollTimer = undefined;
    watcher.heartbeat = undefined;
    watcher.inflight?.abort();
    watcher.inflight = undefined;
    for (const sub of [...watcher.subscribers]) {
      endSubscriber(sub);
      dropSubscriber(watcher, sub);
    }
    if (watchers.get(watcher.taskId) === watcher) watchers.delete(watcher.taskId);
  }

  /** A new upstream state: sent when it differs from the last one; a terminal state ends the streams. */
  function update(watcher: Watcher, raw: Json): void {
    if (watcher.done) return;
    const text = scrub(JSON.stringify(present(raw, watcher.ns)));
    if (text !== watcher.lastText) {
      watcher.lastText = text;
      broadcast(watcher, `event: task\ndata: ${text}\n\n`);
    }
    if (isTerminal(raw)) {
      const record = tasks.get(watcher.taskId);
      if (record) record.final = raw;
      stopWatcher(watcher);
    }
  }

  function schedule(watcher: Watcher, delayMs: number): void {
    if (watcher.done || closed) return;
    if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
    watcher.pollTimer = setTimeout(() => {
      watcher.pollTimer = undefined;
      void poll(watcher);
    }, delayMs);
  }

  function jitter(ms: number): number {
    return Math.floor(Math.random() * ms * 0.1);
  }

  async function poll(watcher: Watcher): Promise<void> {
    if (watcher.done || closed) return;
    const controller = new AbortController();
    watcher.inflight = controller;
    const result = await callUpstream('GET', `${GENERATIONS_PATH}/${encodeURIComponent(watcher.taskId)}`, {
      poll: true,
      controller,
    });
    if (watcher.inflight === controller) watcher.inflight = undefined;
    if (watcher.done || closed) return;

    if (result.ok && result.status === 200 && isRecord(result.body)) {
      watcher.failures = 0;
      update(watcher, result.body);
      schedule(watcher, pollIntervalMs + jitter(pollIntervalMs));
      return;
    }
    const retryable = !result.ok || result.status === 429 || result.status >= 500 || result.status === 200;
    if (retryable) {
      watcher.failures++;
      const retryAfter = result.ok ? (parseRetryAfter(result.headers.get('retry-after')) ?? 0) : 0;
      const backoff = Math.min(pollIntervalMs * 2 ** watcher.failures, MAX_BACKOFF_MS);
      const delay = Math.max(retryAfter, backoff);
      schedule(watcher, delay + jitter(delay));
      return;
    }
    // 4xx other than 429: the task is gone or the key is refused; tell the watchers and stop.
    const errorBody =
      result.status === 404
        ? NOT_FOUND_BODY
        : JSON.stringify(
            isRecord(result.body) && 'error' in result.body
              ? { error: result.body.error }
              : { error: { code: 'upstream_error', message: `The image service answered HTTP ${result.status}.` } },
          );
    broadcast(watcher, `event: error\ndata: ${scrub(errorBody)}\n\n`);
    stopWatcher(watcher);
  }

  function subscribe(taskId: string, ns: string, initial: Json | undefined, signal: AbortSignal): Response {
    let watcher = watchers.get(taskId);
    const isNew = watcher === undefined;
    if (!watcher) {
      watcher = { taskId, ns, subscribers: new Set(), failures: 0, done: false };
      watchers.set(taskId, watcher);
      const w = watcher;
      w.heartbeat = setInterval(() => broadcast(w, ': ping\n\n'), HEARTBEAT_MS);
    }
    const w = watcher;
    let sub: Subscriber | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const onAbort = () => {
            if (sub) {
              endSubscriber(sub);
              dropSubscriber(w, sub);
            }
          };
          sub = {
            controller,
            open: true,
            detach: () => signal.removeEventListener('abort', onAbort),
          };
          signal.addEventListener('abort', onAbort, { once: true });
        },
        cancel() {
          if (sub) {
            sub.open = false;
            sub.detach();
            dropSubscriber(w, sub);
          }
        },
      },
      { highWaterMark: 1 },
    );
    const subscriber = sub as Subscriber | undefined;
    if (subscriber) {
      w.subscribers.add(subscriber);
      streamsPerNs.set(ns, (streamsPerNs.get(ns) ?? 0) + 1);
      if (w.lastText !== undefined) write(subscriber, `event: task\ndata: ${w.lastText}\n\n`);
    }
    if (isNew) {
      if (initial) {
        update(w, initial);
        schedule(w, pollIntervalMs + jitter(pollIntervalMs));
      } else {
        void poll(w);
      }
    }
    if (signal.aborted && subscriber) {
      endSubscriber(subscriber);
      dropSubscriber(w, subscriber);
    }
    return new Response(stream, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  }

  /* ----------------------------------------------------------------------------------------------
   * Route: POST /v1/webhooks/toapis
   * --------------------------------------------------------------------------------------------*/

  async function verifyWebhook(request: Request, raw: Uint8Array<ArrayBuffer>): Promise<boolean> {
    const id = request.headers.get('x-toapis-webhook-id') ?? '';
    const timestamp = request.headers.get('x-toapis-webhook-timestamp') ?? '';
    const signature = request.headers.get('x-toapis-webhook-signature') ?? '';
    if (!id || id.length > 256 || !/^\d{1,12}$/.test(timestamp) || !signature || signature.length > 1024) return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_S) return false;
    const candidates = signature
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.startsWith('v1='))
      .slice(0, 4)
      .map((part) => fromHex(part.slice(3)))
      .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== undefined && bytes.length === 32);
    if (candidates.length === 0) return false;
    const prefix = encoder.encode(`${id}.${timestamp}.`);
    const signed = new Uint8Array(prefix.length + raw.length);
    signed.set(prefix);
    signed.set(raw, prefix.length);
    let ok = false;
    // HMAC verification inside crypto.subtle compares in constant time; try every key and value.
    for (const key of webhookKeys) {
      for (const candidate of candidates) {
        if (await crypto.subtle.verify('HMAC', await key, candidate, signed)) ok = true;
      }
    }
    return ok;
  }

  async function handleWebhook(ctx: RequestContext): Promise<Response> {
    const { request } = ctx;
    const read = await readBounded(request.body, request.headers, MAX_WEBHOOK_BODY_BYTES);
    if (!read.ok) return invalid('The webhook body is too large or unreadable.', undefined, read.reason === 'too_large' ? 413 : 400);
    if (!(await verifyWebhook(request, read.bytes))) {
      log('webhook rejected: bad or missing signature');
      return errorEnvelope(401, 'unauthorized', 'authentication_error', 'The webhook signature is missing or not valid.');
    }
    let payload: unknown;
    try {
      const text = new TextDecoder().decode(read.bytes);
      payload = jsonDepthOk(text) ? JSON.parse(text) : undefined;
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload)) return invalid('The webhook body is not a JSON object.');
    const eventId = request.headers.get('x-toapis-webhook-id') ?? '';
    if (seenWebhookEvents.has(eventId)) return json(200, { ok: true, duplicate: true });
    seenWebhookEvents.set(eventId, true);
    if (payload.type === 'endpoint.test') return json(200, { ok: true });

    const task = webhookToTask(isRecord(payload.data) ? payload.data : payload);
    const taskId = task ? asId(task.id) : undefined;
    if (!task || !taskId) return json(200, { ok: true, ignored: true });
    const record = tasks.get(taskId);
    if (!record) return json(200, { ok: true, ignored: true }); // not a task this proxy handed out
    if (isTerminal(task)) record.final = task;
    const watcher = watchers.get(taskId);
    if (watcher) update(watcher, task);
    return json(200, { ok: true });
  }

  /* ----------------------------------------------------------------------------------------------
   * Routing, CORS, finishing touches
   * --------------------------------------------------------------------------------------------*/

  function routeNotFound(): Response {
    return errorEnvelope(404, 'not_found', 'not_found_error', 'No such endpoint.');
  }

  function closedResponse(): Response {
    return errorEnvelope(503, 'proxy_closed', 'server_error', 'The image proxy is shutting down; please retry.');
  }

  const app = new Hono<HonoEnv>({ strict: true });
  const routes = basePath ? app.basePath(basePath) : app;
  routes.post('/v1/uploads/images', (c) => handleUpload(c.env.ctx));
  routes.post(GENERATIONS_PATH, (c) => handleSubmit(c.env.ctx));
  routes.get(`${GENERATIONS_PATH}/*`, (c) => handleTaskPath(c.env.ctx));
  routes.get('/v1/capabilities', () => json(200, { stream: true, proxy: true }));
  if (webhook) routes.post(WEBHOOK_PATH, (c) => handleWebhook(c.env.ctx));
  routes.notFound(() => routeNotFound());
  routes.onError((error) => {
    log(`handler failed: ${errorName(error)}`);
    return internalError();
  });

  /** `Access-Control-Allow-Origin` value for this request's Origin, or undefined. */
  function corsOriginFor(request: Request): string | undefined {
    const origin = request.headers.get('origin');
    if (!origin) return undefined;
    if (allowedOrigins === '*') return '*';
    const normalised = origin.trim().toLowerCase().replace(/\/+$/, '');
    // The configured entry is echoed, never the request's own header.
    return allowedOrigins.find((o) => o === normalised);
  }

  function preflight(request: Request): Response {
    const origin = corsOriginFor(request);
    if (!request.headers.get('origin')) return new Response(null, { status: 204, headers: { Allow: 'GET, POST, OPTIONS' } });
    if (!origin) {
      return errorEnvelope(403, 'forbidden_origin', 'permission_error', 'This origin may not call the image API.');
    }
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': allowedRequestHeaders.join(', '),
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
    if (origin !== '*') headers['Access-Control-Allow-Credentials'] = 'true';
    return new Response(null, { status: 204, headers });
  }

  function finish(response: Response, ctx: RequestContext): Response {
    const headers = new Headers(response.headers);
    if (allowedOrigins === '*' || allowedOrigins.length > 0) headers.append('Vary', 'Origin');
    if (ctx.corsOrigin) {
      headers.set('Access-Control-Allow-Origin', ctx.corsOrigin);
      headers.set('Access-Control-Expose-Headers', 'Retry-After');
      if (ctx.corsOrigin !== '*') headers.set('Access-Control-Allow-Credentials', 'true');
    }
    if (ctx.setCookie) headers.append('Set-Cookie', ctx.setCookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  function routeLabel(pathname: string): string {
    const p = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    if (p === '/v1/uploads/images') return 'upload';
    if (p === GENERATIONS_PATH) return 'submit';
    if (p.startsWith(`${GENERATIONS_PATH}/`)) return p.endsWith('/events') ? 'events' : 'task';
    if (p === WEBHOOK_PATH) return 'webhook';
    if (p === '/v1/capabilities') return 'capabilities';
    return 'other';
  }

  async function handle(request: Request): Promise<Response> {
    if (closed) return closedResponse();
    if (request.method === 'OPTIONS') return preflight(request);
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json(405, { error: { code: 'method_not_allowed', type: 'invalid_request_error', message: 'Use GET or POST.' } }, {
        Allow: 'GET, POST, OPTIONS',
      });
    }
    const ctx: RequestContext = { request, corsOrigin: corsOriginFor(request), setCookie: undefined };
    // A browser POST from a foreign site that CORS does not allow never reaches upstream (CSRF).
    const site = request.headers.get('sec-fetch-site');
    if (request.method === 'POST' && !ctx.corsOrigin && request.headers.get('origin') && (site === 'cross-site' || site === 'same-site')) {
      return errorEnvelope(403, 'forbidden_origin', 'permission_error', 'This origin may not call the image API.');
    }
    const response = await routes.fetch(request, { ctx });
    return finish(response, ctx);
  }

  return {
    async fetch(request: Request): Promise<Response> {
      const started = Date.now();
      let response: Response;
      let label = 'other';
      try {
        label = routeLabel(new URL(request.url).pathname);
        response = await handle(request);
      } catch (error) {
        log(`request failed: ${errorName(error)}`);
        response = internalError();
      }
      log(`${request.method.slice(0, 8)} ${label} ${response.status} ${Date.now() - started}ms`);
      return response;
    },
    async close(): Promise<void> {
      closed = true;
      for (const watcher of [...watchers.values()]) stopWatcher(watcher);
      watchers.clear();
      streamsPerNs.clear();
      for (const [controller, timer] of [...inflight]) {
        clearTimeout(timer);
        controller.abort();
      }
      inflight.clear();
      limiter?.clear();
    },
    get stats(): ToapisProxyStats {
      return { upstreamRequests: stats.upstreamRequests, upstreamPolls: stats.upstreamPolls, subscribers: subscriberCount() };
    },
  };
}

/* -------------------------------------------------------------------------------------------------
 * Webhook payload → task shape
 * -----------------------------------------------------------------------------------------------*/

/**
 * Maps a webhook's `data` (SUCCESS/FAILURE, progress `"100%"`, `task_id`) to the task API shape the
 * kit reads (§3.1): `status` completed/failed/in_progress/queued, numeric `progress`, `id`.
 */
function webhookToTask(data: Json): Json | undefined {
  const id = asId(data.task_id) ?? asId(data.id);
  if (!id) return undefined;
  const rawStatus = typeof data.status === 'string' ? data.status : '';
  const phase = statusToPhase(rawStatus);
  const status =
    phase === 'completed' ? 'completed' : phase === 'failed' ? 'failed' : phase === 'generating' ? 'in_progress' : 'queued';
  const task: Json = { id, object: 'generation.task', status };
  if (typeof data.model === 'string') task.model = data.model;
  const progress = parseProgress(data.progress);
  task.progress = phase === 'completed' ? 100 : phase === 'failed' ? 0 : (progress ?? 0);
  if (typeof data.submitted_at === 'number' && data.submitted_at > 0) task.created_at = data.submitted_at;
  if (typeof data.client_business_id === 'string') task.client_business_id = data.client_business_id;
  if (phase === 'completed') {
    if (isRecord(data.result)) task.result = data.result;
    if (typeof data.url === 'string') task.url = data.url;
    if (typeof data.finished_at === 'number' && data.finished_at > 0) {
      task.completed_at = data.finished_at;
      task.expires_at = data.finished_at + 86_400;
    }
  }
  if (phase === 'failed') {
    task.error = isRecord(data.error) ? data.error : { code: 'generation_failed', message: 'The image could not be generated.' };
  }
  return task;
}

/* -------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------*/

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isTerminal(task: Json): boolean {
  const phase = statusToPhase(typeof task.status === 'string' ? task.status : '');
  return phase === 'completed' || phase === 'failed';
}

/** The task as the caller sees it: the business id without this caller's namespace (or not at all). */
function present(task: Json, ns: string): Json {
  const out: Json = { ...task };
  const strip = (value: unknown): string | undefined =>
    typeof value === 'string' && value.startsWith(`${ns}:`) ? value.slice(ns.length + 1) : undefined;
  if ('client_business_id' in out) {
    const id = strip(out.client_business_id);
    if (id === undefined) delete out.client_business_id;
    else out.client_business_id = id;
  }
  if (isRecord(out.metadata) && 'client_business_id' in out.metadata) {
    const metadata = { ...out.metadata };
    const id = strip(metadata.client_business_id);
    if (id === undefined) delete metadata.client_business_id;
    else metadata.client_business_id = id;
    out.metadata = metadata;
  }
  return out;
}

function paramFor(issue: FieldIssue, refField: string, resolutionParam: string): string {
  switch (issue.field) {
    case 'model':
      return 'model';
    case 'prompt':
      return 'prompt';
    case 'aspectRatio':
      return 'size';
    case 'resolution':
      return resolutionParam;
    case 'n':
      return 'n';
    case 'references':
      return refField;
    default:
      return issue.field satisfies never;
  }
}

/** Decodes one path segment into a task id, or undefined when it is not a plain id. */
function decodeId(segment: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  if (!TASK_ID.test(id) || /^\.+$/.test(id)) return undefined;
  return id;
}

function isHttpUrl(value: string): boolean {
  if (value.length > MAX_URL_CHARS || !/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function clip(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 64 ? `${safe.slice(0, 64)}…` : safe;
}

/** Reads a body with a byte cap, refusing early on a declared Content-Length and stopping the stream once over. */
async function readBounded(body: ReadableStream<Uint8Array> | null, headers: Headers, limit: number): Promise<ReadResult> {
  const declared = headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (!/^\d+$/.test(declared.trim()) || !Number.isSafeInteger(n)) return { ok: false, reason: 'unreadable' };
    if (n > limit) {
      await body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'too_large' };
    }
  }
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'unreadable' };
      }
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Rejects JSON nested deeper than {@link MAX_JSON_DEPTH} before `JSON.parse`/`stringify` recurse on it. */
function jsonDepthOk(text: string): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

function retryAfterHeader(headers: Headers): Record<string, string> {
  const value = headers.get('retry-after')?.trim();
  return value && RETRY_AFTER_VALUE.test(value) ? { 'Retry-After': value } : {};
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function safeFileName(name: string, mimeType: string): string {
  const ext = mimeType === 'image/jpeg' ? 'jpg' : mimeType.slice('image/'.length);
  const stem = name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
  return `${stem || 'reference'}.${ext}`;
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number(mib.toFixed(1))} MB`;
  const kib = bytes / 1024;
  if (kib >= 1) return `${Number(kib.toFixed(1))} KB`;
  return `${bytes} bytes`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function positive(value: number | undefined, fallback: number, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  if (value < 0 || (!allowZero && value === 0)) return fallback;
  return Math.floor(value);
}

function normaliseBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`[gen] createToapisProxy: \`${name}\` must be an absolute http(s) URL.`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new TypeError(`[gen] createToapisProxy: \`${name}\` must be an http(s) URL without credentials, query or fragment.`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function normaliseBasePath(value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  const path = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw new TypeError('[gen] createToapisProxy: `basePath` must look like "/api".');
  }
  return path;
}

function normaliseOrigins(value: readonly string[] | '*'): readonly string[] | '*' {
  if (value === '*') return '*';
  return value.map((o) => o.trim().toLowerCase().replace(/\/+$/, '')).filter((o) => /^https?:\/\/[^\s/]+$/.test(o));
}

function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A Map that forgets its least recently used entries beyond `max`. */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }
}

/** Fixed-window counters per key; no timers (old windows are pruned lazily). */
class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly windowMs: number) {}
  /** Counts one request; returns seconds to wait when over `max`, else undefined. */
  hit(key: string, max: number, now: number): number | undefined {
    let entry = this.windows.get(key);
    if (!entry || now - entry.start >= this.windowMs) {
      if (this.windows.size >= MAX_RECORDS) this.prune(now);
      entry = { start: now, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, entry);
    }
    if (entry.count >= max) return Math.max(1, Math.ceil((entry.start + this.windowMs - now) / 1000));
    entry.count++;
    return undefined;
  }
  clear(): void {
    this.windows.clear();
  }
  private prune(now: number): void {
    for (const [key, entry] of this.windows) if (now - entry.start >= this.windowMs) this.windows.delete(key);
    while (this.windows.size >= MAX_RECORDS) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}
