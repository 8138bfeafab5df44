/**
 * Wire shapes of the ToAPIs asynchronous image flow (docs/toapis-api.md §2–§5), as zod/mini schemas,
 * and tolerant parsers that turn whatever a server sends into the kit's own normalised types or a
 * `ToapisError` of kind `protocol` — never anything else (see test/core/protocol.fuzz.test.ts).
 */
import * as z from 'zod/mini';
import { ToapisError, kindForStatus } from './errors';
import { isSafeUrl } from './util/url';

// Shared with the store and the server; part of this module's public surface as before.
export { isSafeUrl };

/* -------------------------------------------------------------------------------------------------
 * Requests
 * -----------------------------------------------------------------------------------------------*/

export { SubmitRequestSchema, type SubmitRequest } from './submit-request';

/* -------------------------------------------------------------------------------------------------
 * Responses (raw)
 * -----------------------------------------------------------------------------------------------*/

const CodeSchema = z.union([z.string(), z.number()]);

const ResultItemSchema = z.looseObject({ url: z.optional(z.unknown()) });

/** A task as `GET /v1/images/generations/{id}` or the submit call returns it (§2.3, §3.1). */
export const TaskResponseSchema = z.looseObject({
  id: z.optional(z.unknown()),
  task_id: z.optional(z.unknown()),
  object: z.optional(z.unknown()),
  model: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  progress: z.optional(z.unknown()),
  created_at: z.optional(z.unknown()),
  completed_at: z.optional(z.unknown()),
  expires_at: z.optional(z.unknown()),
  client_business_id: z.optional(z.unknown()),
  revised_prompt: z.optional(z.unknown()),
  url: z.optional(z.unknown()),
  result: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  fail_reason: z.optional(z.unknown()),
  queue_position: z.optional(z.unknown()),
});

/** `POST /v1/uploads/images` success (§4). */
export const UploadResponseSchema = z.looseObject({
  success: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  data: z.optional(
    z.looseObject({
      id: z.optional(z.unknown()),
      url: z.optional(z.unknown()),
      mime_type: z.optional(z.unknown()),
      size: z.optional(z.unknown()),
    }),
  ),
});

/** Every error envelope of §5.1: OpenAI-style (string or numeric code), limiter, upload. */
export const ErrorEnvelopeSchema = z.looseObject({
  error: z.optional(
    z.union([
      z.looseObject({
        code: z.optional(z.nullable(CodeSchema)),
        message: z.optional(z.nullable(z.string())),
        type: z.optional(z.nullable(z.string())),
        param: z.optional(z.nullable(z.string())),
      }),
      z.string(),
    ]),
  ),
  success: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  code: z.optional(z.unknown()),
});

/* -------------------------------------------------------------------------------------------------
 * Normalised types
 * -----------------------------------------------------------------------------------------------*/

/** Where a task is, as the kit sees it. Only `completed` and `failed` are final (§8.1). */
export type TaskStatusPhase = 'queued' | 'generating' | 'completed' | 'failed';

export interface TaskImage {
  /** An `http(s)` or `blob:` URL; anything else is dropped while parsing. */
  url: string;
  /** Extra per-image fields the server sent (`size`, `z_index`…), untouched. */
  extra?: Record<string, unknown>;
}

export interface TaskSnapshot {
  id: string;
  /** The raw status string the server sent (`queued`, `submitted`, `pending`, `SUCCESS`…). */
  status: string;
  phase: TaskStatusPhase;
  /** 0–100, or `null` when the server did not say. */
  progress: number | null;
  model?: string;
  clientBusinessId?: string;
  createdAt?: number;
  completedAt?: number;
  expiresAt?: number;
  images: TaskImage[];
  revisedPrompt?: string;
  /** Present on `failed` tasks. */
  error?: { code: string; message: string };
  /** The task's place in the backend's queue, when it reports one (`queue_position`, a non-negative integer). */
  queuePosition?: number;
}

export interface UploadResult {
  id?: string;
  url: string;
  mimeType?: string;
  size?: number;
}

/* -------------------------------------------------------------------------------------------------
 * Parsers
 * -----------------------------------------------------------------------------------------------*/

/** Maps a raw status to a phase; unknown values keep waiting (§8.1). */
/**
 * Statuses that end a task without images although the API reference does not list them; services
 * send them (a cancelled, expired, timed-out or refused job), so each ends the task as failed with
 * its own error code and message instead of keeping the spinner on until the deadline.
 */
export const ENDING_STATUSES: Readonly<Record<string, { code: string; message: string }>> = {
  cancelled: { code: 'task_cancelled', message: 'The task was cancelled by the service.' },
  canceled: { code: 'task_cancelled', message: 'The task was cancelled by the service.' },
  expired: { code: 'task_expired', message: 'The task expired before it finished.' },
  timeout: { code: 'task_timeout', message: 'The service gave up on the task (it took too long).' },
  timed_out: { code: 'task_timeout', message: 'The service gave up on the task (it took too long).' },
  rejected: { code: 'task_rejected', message: 'The service rejected the task.' },
  error: { code: 'task_error', message: 'The service reported an error for the task.' },
};

export function statusToPhase(status: string): TaskStatusPhase {
  const s = status.trim().toLowerCase();
  if (s === 'completed' || s === 'success' || s === 'succeeded') return 'completed';
  if (s === 'failed' || s === 'failure' || s === 'error' || Object.hasOwn(ENDING_STATUSES, s)) return 'failed';
  if (s === 'in_progress' || s === 'processing' || s === 'running' || s === 'generating') return 'generating';
  return 'queued';
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function asTimestamp(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Progress is an integer 0–100, maybe missing, maybe `"100%"` (§8.5). Clamped, never NaN. */
export function parseProgress(value: unknown): number | null {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
    if (m) n = Number(m[1]);
  }
  if (n === undefined || !Number.isFinite(n)) return null;
  return Math.min(100, Math.max(0, Math.round(n)));
}

function protocolError(message: string, cause?: unknown, status?: number): ToapisError {
  return new ToapisError('protocol', message, { cause, status });
}

/** Parses a task body (submit response or status response). Throws `ToapisError('protocol')`. */
export function parseTask(body: unknown): TaskSnapshot {
  const parsed = TaskResponseSchema.safeParse(body);
  if (!parsed.success) throw protocolError('The server sent a task the kit could not read.', parsed.error);
  const raw = parsed.data;
  const id = asString(raw.id) ?? asString(raw.task_id);
  if (!id) throw protocolError('The server sent a task without an id.');
  const status = typeof raw.status === 'string' && raw.status.length > 0 ? raw.status.slice(0, 64) : 'queued';
  const phase = statusToPhase(status);

  const images: TaskImage[] = [];
  const result = raw.result;
  if (result && typeof result === 'object' && Array.isArray((result as { data?: unknown }).data)) {
    for (const item of (result as { data: unknown[] }).data) {
      const p = ResultItemSchema.safeParse(item);
      if (p.success && isSafeUrl(p.data.url)) {
        const { url, ...extra } = p.data;
        images.push(Object.keys(extra).length ? { url: url as string, extra } : { url: url as string });
      }
    }
  }
  if (images.length === 0 && isSafeUrl(raw.url)) images.push({ url: raw.url });

  const snapshot: TaskSnapshot = {
    id,
    status,
    phase,
    progress: parseProgress(raw.progress),
    images,
  };
  const model = asString(raw.model);
  if (model) snapshot.model = model;
  const cbid = asString(raw.client_business_id);
  if (cbid) snapshot.clientBusinessId = cbid;
  const createdAt = asTimestamp(raw.created_at);
  if (createdAt !== undefined) snapshot.createdAt = createdAt;
  const completedAt = asTimestamp(raw.completed_at);
  if (completedAt !== undefined) snapshot.completedAt = completedAt;
  const expiresAt = asTimestamp(raw.expires_at);
  if (expiresAt !== undefined) snapshot.expiresAt = expiresAt;
  if (typeof raw.revised_prompt === 'string') snapshot.revisedPrompt = raw.revised_prompt;
  const position = raw.queue_position;
  if (typeof position === 'number' && Number.isSafeInteger(position) && position >= 0) snapshot.queuePosition = position;

  if (phase === 'completed') snapshot.progress = 100;
  if (phase === 'failed') {
    const e = raw.error;
    const ending = ENDING_STATUSES[status.trim().toLowerCase()];
    let code = ending?.code ?? 'generation_failed';
    let message = '';
    if (e && typeof e === 'object') {
      code = asString((e as { code?: unknown }).code) ?? code;
      const m = (e as { message?: unknown }).message;
      if (typeof m === 'string') message = m;
    } else if (typeof e === 'string') {
      message = e;
    }
    if (!message && typeof raw.fail_reason === 'string') message = raw.fail_reason;
    snapshot.error = { code, message: message || ending?.message || 'The image could not be generated.' };
  }
  if (phase === 'completed' && images.length === 0) {
    throw protocolError('The server said the task completed but sent no usable image URL.');
  }
  return snapshot;
}

/** Parses an upload body (§4). A `{success:false}` body becomes an `invalid_request` error. */
export function parseUpload(body: unknown): UploadResult {
  const parsed = UploadResponseSchema.safeParse(body);
  if (!parsed.success) throw protocolError('The server sent an upload reply the kit could not read.', parsed.error);
  const raw = parsed.data;
  if (raw.success === false) {
    const message = typeof raw.message === 'string' && raw.message ? raw.message : 'The upload was refused.';
    throw new ToapisError('invalid_request', message);
  }
  const data = raw.data;
  const url = data?.url;
  if (!isSafeUrl(url)) throw protocolError('The upload reply holds no usable URL.');
  const result: UploadResult = { url };
  const id = asString(data?.id);
  if (id) result.id = id;
  if (typeof data?.mime_type === 'string') result.mimeType = data.mime_type;
  if (typeof data?.size === 'number' && Number.isFinite(data.size)) result.size = data.size;
  return result;
}

/**
 * Reads `Retry-After` as seconds or an HTTP date (§8.18). Returns milliseconds, or undefined.
 * Capped at one hour so a hostile header cannot park a task forever.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
  else {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) ms = Math.max(0, t - now);
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return Math.min(ms, 3_600_000);
}

const MAX_MESSAGE = 500;

function cleanMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = value.replace(/\s+/g, ' ').trim();
  if (!m) return undefined;
  return m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}…` : m;
}

/**
 * Turns an error response (any of the §5.1 shapes, or garbage) into a `ToapisError`.
 * `body` is the parsed JSON when the body was JSON, otherwise the text (or undefined).
 */
export function parseErrorResponse(
  status: number,
  body: unknown,
  headers?: { get(name: string): string | null },
  now?: number,
): ToapisError {
  let code: string | undefined;
  let message: string | undefined;
  let param: string | undefined;
  const parsed = ErrorEnvelopeSchema.safeParse(body);
  if (parsed.success) {
    const env = parsed.data;
    if (typeof env.error === 'string') message = cleanMessage(env.error);
    else if (env.error) {
      code = asString(env.error.code ?? undefined);
      message = cleanMessage(env.error.message);
      param = env.error.param ?? undefined;
      if (!code && env.error.type) code = env.error.type;
    }
    message ??= cleanMessage(env.message);
    code ??= asString(env.code);
  } else if (typeof body === 'string' && !/^\s*</.test(body)) {
    message = cleanMessage(body);
  }
  const kind = kindForStatus(status, code);
  const retryAfterMs = parseRetryAfter(headers?.get('retry-after'), now);
  return new ToapisError(kind, message ?? defaultMessage(status), {
    status,
    ...(code !== undefined && { code }),
    ...(param !== undefined && { param }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too many requests.';
  if (status >= 500) return `The server failed (HTTP ${status}).`;
  return `The request failed (HTTP ${status}).`;
}
