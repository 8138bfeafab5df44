/**
 * `createToapisClient` — the three ToAPIs endpoints the kit uses, against any compatible backend
 * (the kit's proxy, the simulator, or ToAPIs itself behind a host's own server). Every call takes
 * an `AbortSignal`; every failure is a `ToapisError`.
 */
import { ToapisError } from './errors';
import { createTransport, type FetchLike, type HeadersOption, type RequestOptions, type Transport } from './http';
import {
  parseErrorResponse,
  parseTask,
  parseUpload,
  type SubmitRequest,
  type TaskSnapshot,
  type UploadResult,
} from './protocol';
import { watchTask, type WatchOptions } from './stream';
import { backoffDelay, sleep } from './timing';
import { IMAGE_EXTENSIONS } from './util/image';

export type { FetchLike, HeaderRecord, HeadersOption, RequestOptions } from './http';
export { readServerSentEvents, type ServerSentEvent, type WatchOptions } from './stream';

export interface ToapisClientOptions {
  /** Base URL of a ToAPIs-compatible backend, e.g. `https://example.com/api` (paths add `/v1/…`). */
  backendUrl: string;
  /** Extra headers for every request (the host product's own auth), or a function returning them. */
  headers?: HeadersOption;
  /** `fetch` override (tests, instrumentation). @default globalThis.fetch, looked up on every call */
  fetch?: FetchLike;
  /** Milliseconds after which one HTTP request is abandoned as a network failure. @default 60000 */
  requestTimeoutMs?: number;
  /** Random source for jitter and business ids. @default Math.random */
  random?: () => number;
}

export interface UploadOptions extends RequestOptions {
  /** File name sent in the multipart body. @default 'reference' + extension of the type */
  filename?: string;
  /**
   * How many times an upload is attempted when the backend is busy (429, or 503 such as the proxy's
   * `uploads_busy`), each after the `Retry-After` it gave (or 1 s, 2 s… with jitter). A wait over
   * 30 s is not taken: the error comes back at once. @default 3
   */
  maxAttempts?: number;
  /** Called before each wait, so a UI can say "busy, retrying in 5 s". */
  onRetry?: (error: ToapisError, delayMs: number, attempt: number) => void;
}

/** The longest wait an upload takes before trying again; a longer `Retry-After` is reported instead. */
const UPLOAD_MAX_WAIT_MS = 30_000;

export interface CreateTaskOptions extends RequestOptions {
  /** How many times a submit is attempted after 429/503/5xx/network failures. @default 4 */
  maxAttempts?: number;
  /**
   * The request may already have reached the server (e.g. a reload during submit): look the task
   * up by `client_business_id` before sending. @default false
   */
  mayExist?: boolean;
  /** Called before each wait, so a UI can say "rate limited, retrying in 3 s". */
  onRetry?: (error: ToapisError, delayMs: number, attempt: number) => void;
}

export interface BackendCapabilities {
  /** The backend streams task updates at `/v1/images/generations/{id}/events` (the kit's proxy). */
  stream: boolean;
  /**
   * The backend serves result images as downloads at `/v1/images/generations/{id}/images/{n}`
   * (the kit's proxy), for browsers that may not read the file host directly (CORS).
   */
  downloads: boolean;
}

export interface DownloadOptions extends RequestOptions {
  /** File name the backend puts in `Content-Disposition` (it keeps only safe characters). */
  filename?: string;
}

export interface ToapisClient {
  readonly backendUrl: string;
  /**
   * What the backend offers beyond the ToAPIs API, asked once (`GET /v1/capabilities`) and cached.
   * Plain ToAPIs-compatible backends answer 404: that means `{ stream: false }`, never an error.
   */
  capabilities(): Promise<BackendCapabilities>;
  /**
   * Follows a task over Server-Sent Events until it completes or fails; resolves with the final
   * state. Rejects with a `ToapisError` when the stream cannot be opened or ends early — callers
   * then fall back to polling.
   */
  watchTask(id: string, options: WatchOptions): Promise<TaskSnapshot>;
  uploadImage(file: Blob, options?: UploadOptions): Promise<UploadResult>;
  /**
   * Submits a task exactly once. A fresh `client_business_id` is added when the request has none;
   * if the response is lost (network error or 5xx after the request left), the task is looked up by
   * that id before any re-submit, so a flaky network never creates — and charges — a second task.
   */
  createTask(request: SubmitRequest, options?: CreateTaskOptions): Promise<TaskSnapshot>;
  /** Reads a task by its id or by the `client_business_id` it was submitted with. */
  getTask(id: string, options?: RequestOptions): Promise<TaskSnapshot>;
  /**
   * Result image `index` (1-based) of a task through the backend's download route, as a Blob. Only
   * backends whose capabilities say `downloads` have the route. Optional for clients a host builds.
   */
  downloadImage?(id: string, index: number, options?: DownloadOptions): Promise<Blob>;
  /** Low-level: one request, parsed JSON or a `ToapisError`. */
  request(method: string, path: string, init?: { body?: BodyInit; json?: unknown; signal?: AbortSignal }): Promise<unknown>;
}

import { createBusinessId } from './util/business-id';

export { createBusinessId };

export function createToapisClient(options: ToapisClientOptions): ToapisClient {
  const transport = createTransport(options);
  const random = options.random ?? Math.random;
  const { request } = transport;

  async function uploadImage(file: Blob, opts: UploadOptions = {}): Promise<UploadResult> {
    const form = new FormData();
    const name = opts.filename ?? `reference.${IMAGE_EXTENSIONS[file.type] ?? 'bin'}`;
    form.append('file', file, name);
    form.append('purpose', 'generation');
    const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return parseUpload(await request('POST', '/v1/uploads/images', { body: form, signal: opts.signal }));
      } catch (error) {
        // Only "busy, come back shortly" is worth waiting for: an upload is not billed, but a
        // refused file (400/413) or a network failure will not change by itself.
        const busy = error instanceof ToapisError && (error.kind === 'rate_limit' || (error.kind === 'server' && error.status === 503));
        if (!busy || attempt + 1 >= maxAttempts) throw error;
        const delay = backoffDelay(attempt, { retryAfterMs: error.retryAfterMs, random });
        if (delay > UPLOAD_MAX_WAIT_MS) throw error;
        opts.onRetry?.(error, delay, attempt + 1);
        await sleep(delay, opts.signal);
      }
    }
  }

  async function getTask(id: string, opts: RequestOptions = {}): Promise<TaskSnapshot> {
    if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
    const json = await request('GET', `/v1/images/generations/${encodeURIComponent(id)}`, { signal: opts.signal });
    return parseTask(json);
  }

  let capabilitiesPromise: Promise<BackendCapabilities> | undefined;
  function capabilities(): Promise<BackendCapabilities> {
    capabilitiesPromise ??= request('GET', '/v1/capabilities').then(
      (json) => {
        const caps = typeof json === 'object' && json !== null ? (json as { stream?: unknown; downloads?: unknown }) : {};
        return { stream: caps.stream === true, downloads: caps.downloads === true };
      },
      () => ({ stream: false, downloads: false }),
    );
    return capabilitiesPromise;
  }

  return {
    backendUrl: transport.base,
    uploadImage,
    createTask: (req, opts = {}) => createTask(transport, getTask, random, req, opts),
    getTask,
    downloadImage: (id, index, opts = {}) => downloadImage(transport, id, index, opts),
    request,
    capabilities,
    watchTask: (id, opts) => watchTask(transport, id, opts),
  };
}

/** `ToapisClient.createTask`: submits once, looking the task up by business id before any re-submit. */
async function createTask(
  transport: Transport,
  getTask: ToapisClient['getTask'],
  random: () => number,
  req: SubmitRequest,
  opts: CreateTaskOptions,
): Promise<TaskSnapshot> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const businessId = req.client_business_id ?? createBusinessId(random);
  const body: SubmitRequest = { ...req, client_business_id: businessId };
  // Once a submit may have reached the server, we never submit again until a lookup says 404.
  let mayExist = opts.mayExist === true && req.client_business_id !== undefined;
  let lastError: ToapisError | undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    try {
      if (mayExist) {
        try {
          const found = await getTask(businessId, { signal: opts.signal });
          found.clientBusinessId ??= businessId;
          return found;
        } catch (error) {
          if (!(error instanceof ToapisError) || error.kind !== 'not_found') throw error;
          mayExist = false; // the server has never seen it: safe to submit
        }
      }
      const json = await transport.request('POST', '/v1/images/generations', { json: body, signal: opts.signal });
      const task = parseTask(json);
      if (!task.clientBusinessId) task.clientBusinessId = businessId;
      return task;
    } catch (error) {
      const e = error instanceof ToapisError ? error : new ToapisError('network', 'The request failed.', { cause: error });
      lastError = e;
      // An unreadable 2xx reply to a submit means the task may well exist: look it up (never resend blindly).
      const unreadableReply = e.kind === 'protocol' && !mayExist;
      if (!e.retryable && !unreadableReply) throw e;
      if (attempt + 1 >= maxAttempts) break;
      // 429 and the limiter's 503 reject before a task exists; a network error or other 5xx may not.
      const rejectedBeforeTask = e.kind === 'rate_limit';
      if (!rejectedBeforeTask) mayExist = true;
      const delay = backoffDelay(attempt, { retryAfterMs: e.retryAfterMs, random });
      opts.onRetry?.(e, delay, attempt + 1);
      await sleep(delay, opts.signal);
    }
  }
  throw lastError ?? new ToapisError('network', 'The task could not be submitted.');
}

/** `ToapisClient.downloadImage`: result image `index` (from 1) through the backend's download route. */
async function downloadImage(transport: Transport, id: string, index: number, opts: DownloadOptions): Promise<Blob> {
  if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
  if (!Number.isSafeInteger(index) || index < 1) throw new ToapisError('invalid_request', 'The image number starts at 1.');
  const { signal } = opts;
  const headers: Record<string, string> = { Accept: 'image/*', ...(await transport.headers()) };
  const query = opts.filename ? `?filename=${encodeURIComponent(opts.filename)}` : '';
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
  try {
    const response = await transport.fetch(`${transport.base}/v1/images/generations/${encodeURIComponent(id)}/images/${index}${query}`, {
      headers,
      signal: controller.signal,
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let body: unknown = text || undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the text itself
      }
      throw parseErrorResponse(response.status, body, response.headers);
    }
    return await response.blob();
  } catch (cause) {
    if (cause instanceof ToapisError) throw cause;
    if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause });
    throw new ToapisError('network', 'The image could not be downloaded.', { cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
