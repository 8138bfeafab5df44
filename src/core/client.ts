/**
 * `createToapisClient` — the three ToAPIs endpoints the kit uses, against any compatible backend
 * (the kit's proxy, the simulator, or ToAPIs itself behind a host's own server). Every call takes
 * an `AbortSignal`; every failure is a `ToapisError`.
 */
import { ToapisError, isAbortError, STREAM_RECONNECT } from './errors';
import {
  parseErrorResponse,
  parseTask,
  parseUpload,
  type SubmitRequest,
  type TaskSnapshot,
  type UploadResult,
} from './protocol';
import { backoffDelay, sleep } from './timing';
import { IMAGE_EXTENSIONS } from './util/image';

export type HeaderRecord = Record<string, string>;
export type HeadersOption = HeaderRecord | (() => HeaderRecord | Promise<HeaderRecord>);
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

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

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface UploadOptions extends RequestOptions {
  /** File name sent in the multipart body. @default 'reference' + extension of the type */
  filename?: string;
}

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

export interface WatchOptions extends RequestOptions {
  /** Every task state the stream delivers, in order. */
  onSnapshot: (snapshot: TaskSnapshot) => void;
  /**
   * The backend's upstream reads are rate limited: the next state comes in about `delayMs` (the
   * stream stays open). For a countdown; the next snapshot supersedes it.
   */
  onRetry?: (error: ToapisError, delayMs: number) => void;
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

let businessIdCounter = 0;

/**
 * A business id that cannot be mistaken for a task id (docs/toapis-api.md §8.15) and never repeats: crypto random
 * where available (also in insecure contexts, unlike `randomUUID`), plus a counter and the time.
 */
export function createBusinessId(random: () => number = Math.random): string {
  let s = '';
  const bytes = new Uint8Array(12);
  if (typeof globalThis.crypto?.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) s += (b % 36).toString(36);
  } else {
    for (let i = 0; i < 12; i += 1) s += Math.floor(random() * 36).toString(36);
  }
  businessIdCounter = (businessIdCounter + 1) % 1_679_616;
  return `kit-${Date.now().toString(36)}-${businessIdCounter.toString(36)}-${s}`;
}

export function createToapisClient(options: ToapisClientOptions): ToapisClient {
  const base = normaliseBase(options.backendUrl);
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const random = options.random ?? Math.random;

  async function resolveHeaders(): Promise<HeaderRecord> {
    const h = options.headers;
    if (!h) return {};
    try {
      return typeof h === 'function' ? await h() : h;
    } catch (cause) {
      throw new ToapisError('authentication', 'The host could not provide request headers.', { cause });
    }
  }

  async function request(
    method: string,
    path: string,
    init: { body?: BodyInit; json?: unknown; signal?: AbortSignal } = {},
  ): Promise<unknown> {
    const { signal } = init;
    if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause: signal.reason });
    const headers: Record<string, string> = { Accept: 'application/json', ...(await resolveHeaders()) };
    // The host's headers function may be slow; an abort during it must still stop the request.
    if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause: signal.reason });
    let body = init.body;
    if (init.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const doFetch: FetchLike = options.fetch ?? ((input, i) => globalThis.fetch(input, i));
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body, signal: controller.signal });
    } catch (cause) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause });
      if (timedOut) throw new ToapisError('network', `The backend did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause });
      throw new ToapisError('network', 'Could not reach the backend. Check the connection.', { cause });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted || isAbortError(cause)) {
        throw new ToapisError(signal?.aborted ? 'aborted' : 'network', 'The request was interrupted.', { cause });
      }
      throw new ToapisError('network', 'The connection dropped while reading the reply.', { cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    let parsed: unknown = text;
    let isJson = false;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
        isJson = true;
      } catch {
        isJson = false;
      }
    }
    if (!response.ok) throw parseErrorResponse(response.status, text.length ? parsed : undefined, response.headers);
    if (!isJson) {
      throw new ToapisError('protocol', 'The backend sent a reply that is not JSON.', { status: response.status });
    }
    return parsed;
  }

  async function uploadImage(file: Blob, opts: UploadOptions = {}): Promise<UploadResult> {
    const form = new FormData();
    const name = opts.filename ?? `reference.${IMAGE_EXTENSIONS[file.type] ?? 'bin'}`;
    form.append('file', file, name);
    form.append('purpose', 'generation');
    const json = await request('POST', '/v1/uploads/images', { body: form, signal: opts.signal });
    return parseUpload(json);
  }

  async function getTask(id: string, opts: RequestOptions = {}): Promise<TaskSnapshot> {
    if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
    const json = await request('GET', `/v1/images/generations/${encodeURIComponent(id)}`, { signal: opts.signal });
    return parseTask(json);
  }

  async function createTask(req: SubmitRequest, opts: CreateTaskOptions = {}): Promise<TaskSnapshot> {
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
        const json = await request('POST', '/v1/images/generations', { json: body, signal: opts.signal });
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

  async function downloadImage(id: string, index: number, opts: DownloadOptions = {}): Promise<Blob> {
    if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
    if (!Number.isSafeInteger(index) || index < 1) throw new ToapisError('invalid_request', 'The image number starts at 1.');
    const { signal } = opts;
    const headers: Record<string, string> = { Accept: 'image/*', ...(await resolveHeaders()) };
    const query = opts.filename ? `?filename=${encodeURIComponent(opts.filename)}` : '';
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const doFetch: FetchLike = options.fetch ?? ((input, i) => globalThis.fetch(input, i));
    try {
      const response = await doFetch(`${base}/v1/images/generations/${encodeURIComponent(id)}/images/${index}${query}`, {
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

  async function watchTask(id: string, opts: WatchOptions): Promise<TaskSnapshot> {
    if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
    const { signal } = opts;
    if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.');
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...(await resolveHeaders()) };
    const doFetch: FetchLike = options.fetch ?? ((input, i) => globalThis.fetch(input, i));
    let response: Response;
    try {
      response = await doFetch(`${base}/v1/images/generations/${encodeURIComponent(id)}/events`, { headers, signal });
    } catch (cause) {
      throw new ToapisError(signal?.aborted ? 'aborted' : 'network', 'The task stream could not be opened.', { cause });
    }
    if (!response.ok) {
      let body: unknown;
      try {
        const text = await response.text();
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      throw parseErrorResponse(response.status, body, response.headers);
    }
    if (!response.body || !/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
      throw new ToapisError('protocol', 'The backend did not answer with an event stream.', { status: response.status });
    }
    let last: TaskSnapshot | undefined;
    try {
      for await (const event of readServerSentEvents(response.body, signal)) {
        if (event.event === 'error') {
          let body: unknown;
          try {
            body = JSON.parse(event.data);
          } catch {
            body = event.data;
          }
          const status = typeof body === 'object' && body !== null && typeof (body as { status?: unknown }).status === 'number' ? (body as { status: number }).status : 502;
          throw parseErrorResponse(status, body);
        }
        if (event.event === 'retry') {
          const retry = parseRetryEvent(event.data);
          if (retry) opts.onRetry?.(retry.error, retry.delayMs);
          continue;
        }
        if (event.event === 'reconnect') {
          // The server ended the stream on purpose (its lifetime); the task goes on.
          throw new ToapisError('network', 'The task stream was closed by the server; it will be reopened.', { code: STREAM_RECONNECT });
        }
        if (event.event !== 'task' && event.event !== 'message') continue;
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch (cause) {
          throw new ToapisError('protocol', 'The task stream sent an event that is not JSON.', { cause });
        }
        last = parseTask(json);
        opts.onSnapshot(last);
        if (last.phase === 'completed' || last.phase === 'failed') return last;
      }
    } catch (error) {
      if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause: error });
      if (error instanceof ToapisError) throw error;
      throw new ToapisError('network', 'The task stream broke off.', { cause: error });
    }
    throw new ToapisError('network', 'The task stream ended before the task finished.');
  }

  return { backendUrl: base, uploadImage, createTask, getTask, downloadImage, request, capabilities, watchTask };
}

/** `event: retry` data (`{ status, retry_after_ms, error }`) → the error and delay; garbage → undefined. */
function parseRetryEvent(data: string): { error: ToapisError; delayMs: number } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { status, retry_after_ms: delay } = body as { status?: unknown; retry_after_ms?: unknown };
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) return undefined;
  const delayMs = Math.min(delay, 600_000);
  const error = parseErrorResponse(typeof status === 'number' ? status : 429, body);
  return { error: new ToapisError(error.kind, error.message, { ...(error.code !== undefined && { code: error.code }), status: error.status ?? 429, retryAfterMs: delayMs }), delayMs };
}

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

const MAX_EVENT_BYTES = 1_048_576;

/**
 * Parses a `text/event-stream` body (WHATWG HTML §9.2) into events; comments (heartbeats) are
 * skipped. A single event larger than 1 MiB is refused rather than buffered without bound.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.length > MAX_EVENT_BYTES) throw new ToapisError('protocol', 'The task stream sent an oversized event.');
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
        if (line === '') {
          if (data.length) yield { event: event || 'message', data: data.join('\n'), ...(id !== undefined && { id }) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
        else if (field === 'id') id = val;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void reader.cancel().catch(() => {}); // ends the connection when we stop early

  }
}

function normaliseBase(url: string): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ToapisError('invalid_request', 'backendUrl is required (the URL of your ToAPIs proxy or simulator).');
  }
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}
