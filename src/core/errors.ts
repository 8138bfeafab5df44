/**
 * Every failure the kit reports is one `ToapisError` with a `kind` a UI can `switch` on.
 * Only `src/core` creates it: the client maps HTTP status, network failure, schema failure and
 * abort to a kind exactly once; everything above checks `instanceof` and never parses messages.
 */
export type ToapisErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'quota'
  | 'not_found'
  | 'content_policy'
  | 'rate_limit'
  | 'server'
  | 'network'
  | 'protocol'
  | 'task_failed'
  | 'timeout'
  | 'aborted';

export const ERROR_KINDS: readonly ToapisErrorKind[] = [
  'invalid_request',
  'authentication',
  'quota',
  'not_found',
  'content_policy',
  'rate_limit',
  'server',
  'network',
  'protocol',
  'task_failed',
  'timeout',
  'aborted',
];

/**
 * `code` of the `network` error a task stream ends with when the server closed it on purpose
 * (`event: reconnect`, the proxy's stream lifetime): the poller reads the task once and streams again.
 */
export const STREAM_RECONNECT = 'stream_reconnect';

export interface ToapisErrorOptions {
  /** HTTP status of the response that carried the error, when there was one. */
  status?: number;
  /** The server's own error code (`invalid_request`, `generation_failed`, `429`…), as a string. */
  code?: string;
  /** The request field the server blamed (`prompt`, `size`…), when it said. */
  param?: string;
  /** How long the server asked us to wait before trying again, in milliseconds. */
  retryAfterMs?: number;
  /** The underlying error (a `TypeError` from fetch, a zod error…). */
  cause?: unknown;
}

export class ToapisError extends Error {
  override readonly name = 'ToapisError';
  readonly kind: ToapisErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ToapisErrorKind, message: string, options: ToapisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether trying the same request again later can succeed (429, 503, other 5xx, network). */
  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }

  /** The fields worth keeping (session storage, another tab): no cause, no retry delay. */
  toJSON(): ToapisErrorJSON {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.code !== undefined && { code: this.code }),
      ...(this.param !== undefined && { param: this.param }),
    };
  }

  /**
   * The error `toJSON` described, from data that may be garbled (storage, another tab): an unknown
   * kind becomes `protocol`, a missing message a generic one, fields of the wrong type are left out.
   */
  static fromJSON(value: unknown): ToapisError {
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const kind = ERROR_KINDS.includes(v.kind as ToapisErrorKind) ? (v.kind as ToapisErrorKind) : 'protocol';
    const message = typeof v.message === 'string' ? v.message.slice(0, 500) : 'Unknown error.';
    return new ToapisError(kind, message, {
      ...(typeof v.status === 'number' && { status: v.status }),
      ...(typeof v.code === 'string' && { code: v.code }),
      ...(typeof v.param === 'string' && { param: v.param }),
    });
  }
}

/** What `ToapisError#toJSON` writes and `ToapisError.fromJSON` reads. */
export interface ToapisErrorJSON {
  kind: ToapisErrorKind;
  message: string;
  status?: number;
  code?: string;
  param?: string;
}

export function isRetryableKind(kind: ToapisErrorKind): boolean {
  switch (kind) {
    case 'rate_limit':
    case 'server':
    case 'network':
      return true;
    case 'invalid_request':
    case 'authentication':
    case 'quota':
    case 'not_found':
    case 'content_policy':
    case 'protocol':
    case 'task_failed':
    case 'timeout':
    case 'aborted':
      return false;
    default:
      return kind satisfies never;
  }
}

export function isToapisError(value: unknown): value is ToapisError {
  return value instanceof ToapisError;
}

/**
 * Whether the server's error code says a safety filter refused the prompt or images
 * (`content_policy_violation`, `moderation_blocked`, `SAFETY_FILTER`, `content_filter`…). The one
 * rule for HTTP errors and for tasks that failed upstream.
 */
export function isContentPolicyCode(code: string | undefined): boolean {
  return code !== undefined && /content[\s_-]*(policy|filter|violation)|policy|safety|moderation/i.test(code);
}

/** The kind of a task the service reports as failed: refused by a filter, or failed. */
export function taskFailureKind(code: string | undefined): 'content_policy' | 'task_failed' {
  return isContentPolicyCode(code) ? 'content_policy' : 'task_failed';
}

/** Maps an HTTP status (and the server's code, which wins when it is more specific) to a kind. */
export function kindForStatus(status: number, code?: string): ToapisErrorKind {
  const c = code?.toLowerCase();
  if (c) {
    if (isContentPolicyCode(c)) return 'content_policy';
    if (c === 'insufficient_quota' || c.includes('balance')) return 'quota';
    if (c.startsWith('rate_limit')) return 'rate_limit';
    if (c === 'task_not_found' || c === 'not_found') return 'not_found';
    if (c === 'unauthorized' || c.startsWith('authentication')) return 'authentication';
  }
  if (status === 400 || status === 413 || status === 415) return 'invalid_request';
  if (status === 401 || status === 403) return 'authentication';
  if (status === 402) return 'quota';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 422) return 'content_policy';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

/** Converts anything thrown into a `ToapisError` without losing the original as `cause`. */
export function toToapisError(error: unknown, fallback: ToapisErrorKind = 'network'): ToapisError {
  if (error instanceof ToapisError) return error;
  if (isAbortError(error)) return new ToapisError('aborted', 'The request was cancelled.', { cause: error });
  const message = error instanceof Error && error.message ? error.message : 'The request failed.';
  return new ToapisError(fallback, message, { cause: error });
}

export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    ((error as { name: unknown }).name === 'AbortError' || (error as { name: unknown }).name === 'TimeoutError')
  );
}

/** A hint beyond the error's sentence, for the cases support sees most. */
export type ErrorHint = 'wrong_endpoint' | 'billed_failure';

/**
 * Which hint fits: `wrong_endpoint` when the service says "invalid apitype" (the base URL or
 * endpoint is wrong), `billed_failure` when a task the service created (and charged up front)
 * failed — then the user should send its id and details to support.
 */
export function errorHint(error: { kind: ToapisErrorKind; code?: string | undefined; message?: string | undefined } | undefined, taskCreated: boolean): ErrorHint | undefined {
  if (!error) return undefined;
  if (/invalid[\s_-]*api[\s_-]*type/i.test(`${error.code ?? ''} ${error.message ?? ''}`)) return 'wrong_endpoint';
  if (taskCreated && error.kind !== 'authentication' && error.kind !== 'quota') return 'billed_failure';
  return undefined;
}
