/**
 * The upstream client: every call to ToAPIs goes through {@link Upstream.call}, which adds the key
 * (and only allow-listed browser headers), times out after 60 s, reads at most 2 MiB of the answer
 * and parses it as JSON when it can. Redirects are never followed (`redirect: 'manual'`: a 3xx is a
 * failure, so neither the key nor a body ever goes to another host) and no fetch cache is used
 * (`cache: 'no-store'`, which also opts out of framework caches such as Next.js's patched fetch).
 * `abortAll()` stops whatever is in flight when the proxy closes.
 */
import { jsonDepthOk, readBounded } from './body';
import type { ProxyConfig } from './config';
import { errorName } from './log';

const UPSTREAM_TIMEOUT_MS = 60_000;
const MAX_UPSTREAM_BODY_BYTES = 2 * 1024 * 1024;
const SAFE_ACCEPT_LANGUAGE = /^[A-Za-z0-9,;=.* -]{1,200}$/;
const RETRY_AFTER_VALUE = /^(\d{1,9}|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

export type UpstreamResult =
  | { ok: true; status: number; headers: Headers; text: string; body: unknown }
  | { ok: false; reason: UpstreamFailure };

/** Why an upstream call gave no usable answer. */
export type UpstreamFailure = 'unreachable' | 'too_large' | 'redirect';

export interface UpstreamCallInit {
  /** The browser's request, whose allow-listed headers are copied. */
  client?: Request;
  body?: BodyInit;
  contentType?: string;
  /** Counted as an event-stream poll in the stats. */
  poll?: boolean;
  /** Lets the caller abort the call (the poll loop does when its watcher stops). */
  controller?: AbortController;
}

export interface Upstream {
  call(method: 'GET' | 'POST', path: string, init?: UpstreamCallInit): Promise<UpstreamResult>;
  /** Aborts every call in flight and clears its timer. */
  abortAll(): void;
  /** Every request sent upstream, and those made by the poll loops. */
  readonly stats: { readonly upstreamRequests: number; readonly upstreamPolls: number };
}

export function createUpstream(config: ProxyConfig, log: (line: string) => void, isClosed: () => boolean): Upstream {
  const stats = { upstreamRequests: 0, upstreamPolls: 0 };
  /** In-flight upstream requests and their timeout timers, so `abortAll()` can stop both. */
  const inflight = new Map<AbortController, ReturnType<typeof setTimeout>>();

  function upstreamHeaders(client: Request | undefined, extra: Record<string, string> = {}): Headers {
    const headers = new Headers({ Accept: 'application/json', ...extra });
    // Only a safe allow-list is ever copied from the browser; the key is set last.
    const language = client?.headers.get('accept-language');
    if (language && SAFE_ACCEPT_LANGUAGE.test(language)) headers.set('Accept-Language', language);
    for (const name of config.forwardRequestHeaders) {
      const value = client?.headers.get(name);
      if (value && value.length <= 200 && /^[\x20-\x7e]*$/.test(value)) headers.set(name, value);
    }
    headers.set('Authorization', `Bearer ${config.apiKey}`);
    return headers;
  }

  async function call(method: 'GET' | 'POST', path: string, init: UpstreamCallInit = {}): Promise<UpstreamResult> {
    const controller = init.controller ?? new AbortController();
    const timer = setTimeout(() => controller.abort(), UPSTREAM_TIMEOUT_MS);
    inflight.set(controller, timer);
    stats.upstreamRequests++;
    if (init.poll) stats.upstreamPolls++;
    try {
      const request = new Request(`${config.upstreamBase}${path}`, {
        method,
        headers: upstreamHeaders(init.client, init.contentType ? { 'Content-Type': init.contentType } : {}),
        ...(init.body !== undefined && { body: init.body }),
        signal: controller.signal,
        redirect: 'manual',
        cache: 'no-store',
      });
      const response = await config.upstreamFetch(request);
      // `manual` gives a browser/worker an opaque redirect (status 0) and Node the 3xx itself.
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel().catch(() => undefined);
        log(`upstream ${method} answered a redirect (${response.status}); not followed`);
        return { ok: false, reason: 'redirect' };
      }
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
      if (!controller.signal.aborted || !isClosed()) log(`upstream ${method} failed: ${errorName(error)}`);
      return { ok: false, reason: 'unreachable' };
    } finally {
      clearTimeout(timer);
      inflight.delete(controller);
    }
  }

  function abortAll(): void {
    for (const [controller, timer] of [...inflight]) {
      clearTimeout(timer);
      controller.abort();
    }
    inflight.clear();
  }

  return { call, abortAll, stats };
}

/** The upstream's `Retry-After`, passed on only when it is a plain number of seconds or an HTTP date. */
export function retryAfterHeader(headers: Headers): Record<string, string> {
  const value = headers.get('retry-after')?.trim();
  return value && RETRY_AFTER_VALUE.test(value) ? { 'Retry-After': value } : {};
}
