/**
 * Following a task over Server-Sent Events (`GET /v1/images/generations/{id}/events`, served by
 * the kit's proxy): the `text/event-stream` reader and the client's `watchTask`. The names a host
 * sees are re-exported by `client.ts`.
 */
import { ToapisError, STREAM_RECONNECT } from './errors';
import type { RequestOptions, Transport } from './http';
import { parseErrorResponse, parseTask, type TaskSnapshot } from './protocol';

export interface WatchOptions extends RequestOptions {
  /** Every task state the stream delivers, in order. */
  onSnapshot: (snapshot: TaskSnapshot) => void;
  /**
   * The backend's upstream reads are rate limited: the next state comes in about `delayMs` (the
   * stream stays open). For a countdown; the next snapshot supersedes it.
   */
  onRetry?: (error: ToapisError, delayMs: number) => void;
}

export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

const MAX_EVENT_BYTES = 1_048_576;

/** `ToapisClient.watchTask`: follows task `id` until it completes or fails; see `ToapisClient`. */
export async function watchTask(transport: Transport, id: string, opts: WatchOptions): Promise<TaskSnapshot> {
  if (!id) throw new ToapisError('invalid_request', 'A task id is required.');
  const { signal } = opts;
  if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.');
  const body = await openEventStream(transport, id, signal);
  try {
    for await (const event of readServerSentEvents(body, signal)) {
      const last = handleEvent(event, opts);
      if (last && (last.phase === 'completed' || last.phase === 'failed')) return last;
    }
  } catch (error) {
    if (signal?.aborted) throw new ToapisError('aborted', 'The request was cancelled.', { cause: error });
    if (error instanceof ToapisError) throw error;
    throw new ToapisError('network', 'The task stream broke off.', { cause: error });
  }
  throw new ToapisError('network', 'The task stream ended before the task finished.');
}

/** Opens the task's event stream; an error reply or a reply that is not a stream becomes a `ToapisError`. */
async function openEventStream(transport: Transport, id: string, signal: AbortSignal | undefined): Promise<ReadableStream<Uint8Array>> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...(await transport.headers()) };
  let response: Response;
  try {
    response = await transport.fetch(`${transport.base}/v1/images/generations/${encodeURIComponent(id)}/events`, { headers, signal });
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
  return response.body;
}

/** One event of the task stream: the task's new state (also passed to `onSnapshot`), or undefined; throws on `error` and `reconnect`. */
function handleEvent(event: ServerSentEvent, opts: WatchOptions): TaskSnapshot | undefined {
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
    return undefined;
  }
  if (event.event === 'reconnect') {
    // The server ended the stream on purpose (its lifetime); the task goes on.
    throw new ToapisError('network', 'The task stream was closed by the server; it will be reopened.', { code: STREAM_RECONNECT });
  }
  if (event.event !== 'task' && event.event !== 'message') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch (cause) {
    throw new ToapisError('protocol', 'The task stream sent an event that is not JSON.', { cause });
  }
  const snapshot = parseTask(json);
  opts.onSnapshot(snapshot);
  return snapshot;
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
