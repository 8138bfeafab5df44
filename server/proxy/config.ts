/**
 * Options in, one checked and normalised configuration out, plus the constants several modules
 * share. Throws a `TypeError` for unusable options (no key, bad URLs); the message never holds the key.
 */
import { getModel } from '../../src/core/models';
import { UPLOAD_MAX_BYTES } from '../../src/core/util';
import type { ToapisProxyOptions, ToapisProxyRateLimit } from './types';

/* -------------------------------------------------------------------------------------------------
 * Shared constants
 * -----------------------------------------------------------------------------------------------*/

export const UPLOADS_PATH = '/v1/uploads/images';
export const GENERATIONS_PATH = '/v1/images/generations';
export const WEBHOOK_PATH = '/v1/webhooks/toapis';
export const CAPABILITIES_PATH = '/v1/capabilities';

/** `Retry-After` seconds of a 503 for a full upload or memory cap, and what it says. */
export const BUSY_RETRY_AFTER_S = 5;
export const BUSY_MESSAGE = 'The image proxy is busy right now; please retry in a few seconds.';

/** Bounded maps: task ownership, business ids, sessions, namespaces, webhook event ids. */
export const MAX_RECORDS = 10_000;

/** The one not-found body: unknown, foreign and vanished tasks all look exactly like this (§5.1 #2). */
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
  rateLimit: ToapisProxyRateLimit | false;
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
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('[gen] createToapisProxy: `apiKey` is required.');
  }
  const apiKey = options.apiKey.trim();
  // ToAPIs documents both `https://toapis.com` and the SDK-style `https://toapis.com/v1`; every
  // path below starts with `/v1`, so a trailing `/v1` (or `/v1/`) is dropped rather than doubled.
  const upstreamBase = normaliseBaseUrl(options.upstream ?? DEFAULT_UPSTREAM, 'upstream').replace(/\/v1$/i, '');
  const upstreamFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const basePath = normaliseBasePath(options.basePath ?? '');
  const limits = {
    maxBodyBytes: positive(options.limits?.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    maxUploadBytes: positive(options.limits?.maxUploadBytes, UPLOAD_MAX_BYTES),
    maxReferences: positive(options.limits?.maxReferences, DEFAULT_MAX_REFERENCES, true),
    maxPromptChars: positive(options.limits?.maxPromptChars, DEFAULT_MAX_PROMPT_CHARS),
    maxStreamsPerIdentity: positive(options.limits?.maxStreamsPerIdentity, DEFAULT_MAX_STREAMS_PER_IDENTITY),
    maxStreams: positive(options.limits?.maxStreams, DEFAULT_MAX_STREAMS),
    maxStreamMs: positive(options.limits?.maxStreamMs, DEFAULT_MAX_STREAM_MS),
    maxConcurrentUploads: positive(options.limits?.maxConcurrentUploads, DEFAULT_MAX_CONCURRENT_UPLOADS),
    maxBufferedBytes: positive(options.limits?.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES),
    bodyTimeoutMs: positive(options.limits?.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS),
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
    webhookSecrets,
    callbackUrl,
    pollIntervalMs,
    sink: options.log ?? ((line: string) => console.log(line)),
    authenticate: options.authenticate,
    sessionSecret: options.sessionSecret,
  };
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
