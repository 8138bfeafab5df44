/**
 * Options in, one checked and normalised configuration out, plus the constants several modules
 * share. Throws a `TypeError` for unusable options (no key, bad URLs); the message never holds the key.
 */
import { getModel, MODELS } from '../../src/core/models';
import { UPLOAD_MAX_BYTES } from '../../src/core/util';
import type { Limiter, LimiterSpec, ToapisProxyOptions, ToapisRateBudget, ToapisRateGroup } from './types';

/* -------------------------------------------------------------------------------------------------
 * Shared constants
 * -----------------------------------------------------------------------------------------------*/

export const UPLOADS_PATH = '/v1/uploads/images';
export const GENERATIONS_PATH = '/v1/images/generations';
export const WEBHOOK_PATH = '/v1/webhooks/toapis';
export const CAPABILITIES_PATH = '/v1/capabilities';
export const HEALTH_PATH = '/v1/health';

/** `Retry-After` seconds of a 503 for a full upload or memory cap, and what it says. */
export const BUSY_RETRY_AFTER_S = 5;
export const BUSY_MESSAGE = 'The image proxy is busy right now; please retry in a few seconds.';

/** Bounded maps: task ownership, business ids, sessions, namespaces, webhook event ids. */
export const MAX_RECORDS = 10_000;

/** The one not-found body: unknown, foreign and vanished tasks all look exactly like this (docs/toapis-api.md §5.1 #2). */
export const NOT_FOUND_BODY = JSON.stringify({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });

const DEFAULT_UPSTREAM = 'https://toapis.com';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_REFERENCES = 16;
const DEFAULT_MAX_PROMPT_CHARS = 32_000;
const DEFAULT_POLL_INTERVAL_MS = 3000;
const MIN_POLL_INTERVAL_MS = 1000;
const DEFAULT_SAFETY_POLL_MS = 30_000;
const DEFAULT_MAX_STREAMS_PER_IDENTITY = 16;
const DEFAULT_MAX_STREAMS = 1000;
const DEFAULT_MAX_STREAM_MS = 5 * 60_000;
const DEFAULT_MAX_CONCURRENT_UPLOADS = 16;
const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 30_000;
const HEADER_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const DEFAULT_SPEND_WINDOW_MS = 60 * 60 * 1000;
const DEFAULT_SPEND_MAX_USD = 2;
const DEFAULT_SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;
const DEFAULT_SESSION_ROTATE_S = 24 * 60 * 60;

/**
 * ToAPIs' async-task allowance per user and group, per second, per 10 s and per minute, for
 * submits and for status queries (https://docs.toapis.com/docs/en/api-reference/rate-limits/async-tasks).
 * Fractional per-second rates (16.7, 33.3, 166.7) are rounded down, so the proxy never outruns
 * the upstream.
 */
export const RATE_GROUPS: Readonly<Record<ToapisRateGroup, ToapisRateBudget>> = {
  default: budget([5, 50, 300], [50, 500, 3000]),
  vip: budget([16, 167, 1000], [166, 1667, 10_000]),
  svip: budget([33, 334, 2000], [500, 5000, 30_000]),
};

function budget(submit: readonly [number, number, number], query: readonly [number, number, number]): ToapisRateBudget {
  const windows = ([s, ten, min]: readonly [number, number, number]) => [
    { points: s, windowMs: 1000 },
    { points: ten, windowMs: 10_000 },
    { points: min, windowMs: 60_000 },
  ];
  return { submit: windows(submit), query: windows(query) };
}

/** The highest landing price per image in the registry: what an image without a known price costs. */
export const HIGHEST_PRICE_PER_IMAGE = Math.max(
  0,
  ...Object.values(MODELS).flatMap((m) => Object.values(m.pricePerImage ?? {})),
);

/* -------------------------------------------------------------------------------------------------
 * ProxyConfig
 * -----------------------------------------------------------------------------------------------*/

/** {@link ToapisProxyOptions} after defaults and checks. */
export interface ProxyConfig {
  apiKey: string;
  /** Origin and path, no trailing slash. */
  upstreamBase: string;
  upstreamFetch: (request: Request) => Promise<Response>;
  /** `''` or `/segment[/segment…]`, no trailing slash. */
  basePath: string;
  limits: {
    maxBodyBytes: number;
    maxUploadBytes: number;
    maxReferences: number;
    maxPromptChars: number;
    maxStreamsPerIdentity: number;
    maxStreams: number;
    maxStreamMs: number;
    maxConcurrentUploads: number;
    maxBufferedBytes: number;
    bodyTimeoutMs: number;
  };
  /** Lower-case origins without a trailing slash, or `'*'`. */
  allowedOrigins: readonly string[] | '*';
  allowedRequestHeaders: readonly string[];
  /** Lower-case names; never `authorization`, `cookie`, `host` or `content-length`. */
  forwardRequestHeaders: readonly string[];
  /** Accepted model ids and aliases; undefined: every model in the registry. */
  allowedModels: ReadonlySet<string> | undefined;
  /** Reference and mask URLs may point at loopback, private and link-local hosts (the simulator). */
  allowPrivateReferenceUrls: boolean;
  /** Per-client request budget, defaults filled in. */
  rateLimit: { windowMs: number; max: number; maxPerIp: number; maxNewSessions: number } | false;
  /** Key-wide budget and the name `GET /v1/health` reports (`default`, `vip`, `svip` or `custom`). */
  keyBudget: { group: string; windows: ToapisRateBudget } | false;
  /** Spending cap in micro-dollars (whole numbers, so any limiter store can count them). */
  spendLimit: { windowMs: number; maxMicroUsd: number; maxMicroUsdPerIp: number; fallbackPricePerImage: number } | false;
  /** Where limiter counters live; construction happens once, in limits.ts. */
  limiters: { backend: string; create: ((spec: LimiterSpec) => Limiter) | undefined; instances: Readonly<Record<string, Limiter>> };
  /** How many reverse proxies to trust for `X-Forwarded-For`/`-Proto`; 0: none. */
  trustProxyHops: number;
  clientIp: ToapisProxyOptions['clientIp'];
  session: { maxAgeSeconds: number; rotateAfterSeconds: number };
  logFormat: 'json' | 'pretty';
  /** Empty without `webhook`. */
  webhookSecrets: readonly string[];
  /** `<publicUrl>/v1/webhooks/toapis`, sent with every submit; undefined without `webhook`. */
  callbackUrl: string | undefined;
  /** Poll cadence of the event streams (the safety poll when a webhook is set). */
  pollIntervalMs: number;
  sink: (line: string) => void;
  authenticate: ToapisProxyOptions['authenticate'];
  sessionSecret: string | undefined;
}

/** Checks and normalises the options, in the order the errors are reported. */
export function resolveConfig(options: ToapisProxyOptions): ProxyConfig {
  const apiKey = resolveApiKey(options);
  // ToAPIs documents both `https://toapis.com` and the SDK-style `https://toapis.com/v1`; every
  // path below starts with `/v1`, so a trailing `/v1` (or `/v1/`) is dropped rather than doubled.
  const upstreamBase = normaliseBaseUrl(options.upstream ?? DEFAULT_UPSTREAM, 'upstream').replace(/\/v1$/i, '');
  const upstreamFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const basePath = normaliseBasePath(options.basePath ?? '');
  const limits = resolveLimits(options.limits);
  const allowedOrigins = normaliseOrigins(options.allowedOrigins ?? []);
  const { forwardRequestHeaders, allowedRequestHeaders } = resolveHeaders(options);
  const allowedModels = options.allowedModels
    ? new Set(options.allowedModels.flatMap((m) => [m, getModel(m)?.id ?? m]))
    : undefined;
  const rateLimit = resolveRateLimit(options.rateLimit);
  const keyBudget = resolveKeyBudget(options.rateGroup);
  const spendLimit = resolveSpendLimit(options.spendLimit);
  const trustProxyHops =
    options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? positive(options.trustProxy, 0, true) : 0;
  const session = {
    maxAgeSeconds: positive(options.session?.maxAgeSeconds, DEFAULT_SESSION_MAX_AGE_S),
    rotateAfterSeconds: positive(options.session?.rotateAfterSeconds, DEFAULT_SESSION_ROTATE_S),
  };
  const logFormat = resolveLogFormat(options.logFormat);
  const { webhookSecrets, callbackUrl, pollIntervalMs } = resolveWebhook(options);
  return {
    apiKey,
    upstreamBase,
    upstreamFetch,
    basePath,
    limits,
    allowedOrigins,
    allowedRequestHeaders,
    forwardRequestHeaders,
    allowedModels,
    allowPrivateReferenceUrls: options.allowPrivateReferenceUrls === true,
    rateLimit,
    keyBudget,
    spendLimit,
    limiters: resolveLimiters(options),
    trustProxyHops,
    clientIp: options.clientIp,
    session,
    logFormat,
    webhookSecrets,
    callbackUrl,
    pollIntervalMs,
    sink: options.log ?? ((line: string) => console.log(line)),
    authenticate: options.authenticate,
    sessionSecret: options.sessionSecret,
  };
}

function resolveApiKey(options: ToapisProxyOptions): string {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('[gen] createToapisProxy: `apiKey` is required.');
  }
  return options.apiKey.trim();
}

function resolveLimits(given: ToapisProxyOptions['limits']): ProxyConfig['limits'] {
  return {
    maxBodyBytes: positive(given?.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    maxUploadBytes: positive(given?.maxUploadBytes, UPLOAD_MAX_BYTES),
    maxReferences: positive(given?.maxReferences, DEFAULT_MAX_REFERENCES, true),
    maxPromptChars: positive(given?.maxPromptChars, DEFAULT_MAX_PROMPT_CHARS),
    maxStreamsPerIdentity: positive(given?.maxStreamsPerIdentity, DEFAULT_MAX_STREAMS_PER_IDENTITY),
    maxStreams: positive(given?.maxStreams, DEFAULT_MAX_STREAMS),
    maxStreamMs: positive(given?.maxStreamMs, DEFAULT_MAX_STREAM_MS),
    maxConcurrentUploads: positive(given?.maxConcurrentUploads, DEFAULT_MAX_CONCURRENT_UPLOADS),
    maxBufferedBytes: positive(given?.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES),
    bodyTimeoutMs: positive(given?.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS),
  };
}

function resolveHeaders(options: ToapisProxyOptions): Pick<ProxyConfig, 'forwardRequestHeaders' | 'allowedRequestHeaders'> {
  const forwardRequestHeaders = (options.forwardRequestHeaders ?? [])
    .map((h) => h.toLowerCase())
    .filter((h) => h !== 'authorization' && h !== 'cookie' && h !== 'host' && h !== 'content-length');
  const allowedRequestHeaders = (options.allowedRequestHeaders ?? ['content-type', 'x-requested-with'])
    .map((h) => h.trim().toLowerCase())
    .filter((h) => HEADER_TOKEN.test(h));
  return { forwardRequestHeaders, allowedRequestHeaders };
}

function resolveLogFormat(value: ToapisProxyOptions['logFormat']): ProxyConfig['logFormat'] {
  if (value !== undefined && value !== 'json' && value !== 'pretty') {
    throw new TypeError("[gen] createToapisProxy: `logFormat` must be 'json' or 'pretty'.");
  }
  return value ?? 'json';
}

/** The webhook's secrets and callback URL, and the poll cadence (the slow safety poll when a webhook is set). */
function resolveWebhook(options: ToapisProxyOptions): Pick<ProxyConfig, 'webhookSecrets' | 'callbackUrl' | 'pollIntervalMs'> {
  const webhook = options.webhook;
  const webhookSecrets = webhook ? (typeof webhook.secret === 'string' ? [webhook.secret] : [...webhook.secret]) : [];
  if (webhook && (webhookSecrets.length === 0 || webhookSecrets.some((s) => typeof s !== 'string' || s === ''))) {
    throw new TypeError('[gen] createToapisProxy: `webhook.secret` must be a non-empty string.');
  }
  const callbackUrl = webhook ? `${normaliseBaseUrl(webhook.publicUrl, 'webhook.publicUrl')}${WEBHOOK_PATH}` : undefined;
  const pollIntervalMs = webhook
    ? Math.max(MIN_POLL_INTERVAL_MS, positive(webhook.safetyPollMs, DEFAULT_SAFETY_POLL_MS))
    : Math.max(MIN_POLL_INTERVAL_MS, positive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS));
  return { webhookSecrets, callbackUrl, pollIntervalMs };
}

function resolveLimiters(options: ToapisProxyOptions): ProxyConfig['limiters'] {
  return {
    // The host's own limiters win; then a shared state counts them; else this process does.
    backend: options.limiters ? (options.limiters.backend ?? 'custom') : (options.state?.kind ?? 'memory'),
    create: options.limiters?.create ?? (options.state?.shared ? (spec: LimiterSpec) => options.state!.limiter(spec) : undefined),
    instances: options.limiters?.instances ?? {},
  };
}

function resolveRateLimit(value: ToapisProxyOptions['rateLimit']): ProxyConfig['rateLimit'] {
  if (value === false) return false;
  const given = value ?? { windowMs: 60_000, max: 300 };
  if (!(given.windowMs > 0 && given.max >= 1)) {
    throw new TypeError('[gen] createToapisProxy: `rateLimit` needs windowMs > 0 and max >= 1.');
  }
  const max = Math.floor(given.max);
  return {
    windowMs: given.windowMs,
    max,
    maxPerIp: positive(given.maxPerIp, 2 * max),
    maxNewSessions: positive(given.maxNewSessions, 20),
  };
}

function resolveKeyBudget(value: ToapisProxyOptions['rateGroup']): ProxyConfig['keyBudget'] {
  if (value === false) return false;
  const given = value ?? 'default';
  if (typeof given === 'string') {
    if (!Object.hasOwn(RATE_GROUPS, given)) {
      throw new TypeError("[gen] createToapisProxy: `rateGroup` must be 'default', 'vip', 'svip', a budget or false.");
    }
    return { group: given, windows: RATE_GROUPS[given] };
  }
  const ok = (windows: unknown) =>
    Array.isArray(windows) &&
    windows.length > 0 &&
    windows.every((w: { points?: unknown; windowMs?: unknown }) => typeof w?.points === 'number' && w.points >= 1 && typeof w.windowMs === 'number' && w.windowMs > 0);
  if (!given || !ok(given.submit) || !ok(given.query)) {
    throw new TypeError('[gen] createToapisProxy: a custom `rateGroup` needs submit and query windows with points >= 1 and windowMs > 0.');
  }
  const floor = (windows: ToapisRateBudget['submit']) => windows.map((w) => ({ points: Math.floor(w.points), windowMs: w.windowMs }));
  return { group: 'custom', windows: { submit: floor(given.submit), query: floor(given.query) } };
}

function resolveSpendLimit(value: ToapisProxyOptions['spendLimit']): ProxyConfig['spendLimit'] {
  if (value === false) return false;
  const maxUsd = positiveReal(value?.maxUsd, DEFAULT_SPEND_MAX_USD);
  return {
    windowMs: positive(value?.windowMs, DEFAULT_SPEND_WINDOW_MS),
    maxMicroUsd: Math.round(maxUsd * 1e6),
    maxMicroUsdPerIp: Math.round(positiveReal(value?.maxUsdPerIp, 5 * maxUsd) * 1e6),
    fallbackPricePerImage: positiveReal(value?.fallbackPricePerImage, HIGHEST_PRICE_PER_IMAGE, true),
  };
}

/** A finite number above zero (or zero when allowed), not floored; anything else gives `fallback`. */
function positiveReal(value: number | undefined, fallback: number, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  if (value < 0 || (!allowZero && value === 0)) return fallback;
  return value;
}

/** A finite number above zero (or zero when allowed), floored; anything else gives `fallback`. */
export function positive(value: number | undefined, fallback: number, allowZero = false): number {
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
