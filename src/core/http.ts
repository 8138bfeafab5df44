/**
 * The client's transport: one backend base URL, the host's headers, a `fetch` looked up on every
 * call, and `request` — one HTTP exchange that ends in parsed JSON or a `ToapisError`. Internal to
 * `client.ts` and `stream.ts`; the public types are re-exported by `client.ts`.
 */
import { ToapisError, isAbortError } from './errors';
import { parseErrorResponse } from './protocol';

export type HeaderRecord = Record<string, string>;
export type HeadersOption = HeaderRecord | (() => HeaderRecord | Promise<HeaderRecord>);
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TransportOptions {
  backendUrl: string;
  headers?: HeadersOption;
  fetch?: FetchLike;
  requestTimeoutMs?: number;
}

export interface RequestInitLike {
  body?: BodyInit;
  json?: unknown;
  signal?: AbortSignal;
}

export interface Transport {
  /** The backend URL without a trailing slash or `/v1`. */
  readonly base: string;
  /** Milliseconds after which one HTTP request is abandoned. */
  readonly timeoutMs: number;
  /** The host's headers; a failing headers function becomes an `authentication` error. */
  headers(): Promise<HeaderRecord>;
  /** The host's `fetch` if it gave one, else the global one as it is at call time. */
  fetch: FetchLike;
  /** One request: parsed JSON, or a `ToapisError`. */
  request(method: string, path: string, init?: RequestInitLike): Promise<unknown>;
}

const cancelled = (cause: unknown) => new ToapisError('aborted', 'The request was cancelled.', { cause });

export function createTransport(options: TransportOptions): Transport {
  const base = normaliseBase(options.backendUrl);
  const timeoutMs = options.requestTimeoutMs ?? 60_000;

  async function headers(): Promise<HeaderRecord> {
    const h = options.headers;
    if (!h) return {};
    try {
      return typeof h === 'function' ? await h() : h;
    } catch (cause) {
      throw new ToapisError('authentication', 'The host could not provide request headers.', { cause });
    }
  }

  const fetch: FetchLike = (input, init) => {
    const own = options.fetch;
    return own ? own(input, init) : globalThis.fetch(input, init);
  };

  const transport: Transport = { base, timeoutMs, headers, fetch, request: (method, path, init = {}) => request(transport, method, path, init) };
  return transport;
}

async function request(transport: Transport, method: string, path: string, init: RequestInitLike): Promise<unknown> {
  const { signal } = init;
  if (signal?.aborted) throw cancelled(signal.reason);
  const headers: Record<string, string> = { Accept: 'application/json', ...(await transport.headers()) };
  // The host's headers function may be slow; an abort during it must still stop the request.
  if (signal?.aborted) throw cancelled(signal.reason);
  let body = init.body;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const { response, text } = await exchange(transport, `${transport.base}${path}`, { method, headers, body }, signal);
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

/** Sends one request with the transport's timeout and reads the whole reply as text. */
async function exchange(
  transport: Transport,
  url: string,
  init: { method: string; headers: Record<string, string>; body: BodyInit | undefined },
  signal: AbortSignal | undefined,
): Promise<{ response: Response; text: string }> {
  const { timeoutMs } = transport;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let response: Response;
  try {
    response = await transport.fetch(url, { ...init, signal: controller.signal });
  } catch (cause) {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw cancelled(cause);
    if (timedOut) throw new ToapisError('network', `The backend did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause });
    throw new ToapisError('network', 'Could not reach the backend. Check the connection.', { cause });
  }
  try {
    return { response, text: await response.text() };
  } catch (cause) {
    if (signal?.aborted || isAbortError(cause)) {
      throw new ToapisError(signal?.aborted ? 'aborted' : 'network', 'The request was interrupted.', { cause });
    }
    throw new ToapisError('network', 'The connection dropped while reading the reply.', { cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function normaliseBase(url: string): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ToapisError('invalid_request', 'backendUrl is required (the URL of your ToAPIs proxy or simulator).');
  }
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}
