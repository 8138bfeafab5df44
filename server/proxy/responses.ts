/**
 * Every answer the proxy writes itself: JSON with `no-store` and `nosniff`, scrubbed of the key,
 * in the error envelope of docs/toapis-api.md §5.1 (or the §4 upload envelope for upload refusals).
 */
import { isRecord } from '../../src/core/util';
import { NOT_FOUND_BODY } from './config';
import { retryAfterHeader, type UpstreamFailure, type UpstreamResult } from './upstream';

export type Responses = ReturnType<typeof createResponses>;

export function createResponses(scrub: (text: string) => string) {
  const writers = createJsonWriters(scrub);
  return { ...createErrorAnswers(writers), ...createLimitAnswers(writers.json) };
}

type JsonWriters = ReturnType<typeof createJsonWriters>;
type JsonWriter = JsonWriters['json'];

/** The two writers every answer goes through: JSON text or a value, scrubbed, `no-store`, `nosniff`. */
function createJsonWriters(scrub: (text: string) => string) {
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

  return { jsonText, json };
}

/** Refusals and failures in the §5.1 error envelope (or the §4 upload envelope), and `json` itself. */
function createErrorAnswers({ json, jsonText }: JsonWriters) {
  function errorEnvelope(status: number, code: string, type: string, message: string, param?: string): Response {
    return json(status, { error: { code, type, message, ...(param !== undefined && { param }) } });
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

  return {
    json,
    errorEnvelope,
    badUpstream,

    invalid(message: string, param?: string, status = 400): Response {
      return errorEnvelope(status, 'invalid_request', 'invalid_request_error', message, param);
    },

    uploadError(status: number, message: string): Response {
      return json(status, { success: false, message });
    },

    notFound(): Response {
      return jsonText(404, NOT_FOUND_BODY);
    },

    /** An upstream call that never produced a readable answer: 502 either way, with a code saying which. */
    upstreamFailed(reason: UpstreamFailure): Response {
      if (reason === 'redirect') {
        return json(502, {
          error: {
            code: 'upstream_redirect',
            type: 'server_error',
            message: 'The image service answered with a redirect, which the proxy does not follow; check the upstream base URL.',
          },
        });
      }
      return reason === 'too_large' ? badUpstream() : unreachable();
    },

    internalError(): Response {
      return errorEnvelope(500, 'internal_error', 'server_error', 'The proxy failed; please retry later.');
    },

    routeNotFound(): Response {
      return errorEnvelope(404, 'not_found', 'not_found_error', 'No such endpoint.');
    },

    closed(): Response {
      return errorEnvelope(503, 'proxy_closed', 'server_error', 'The image proxy is shutting down; please retry.');
    },

    forbiddenOrigin(): Response {
      return errorEnvelope(403, 'forbidden_origin', 'permission_error', 'This origin may not call the image API.');
    },

    /** Upstream error statuses pass through with their §5.1 envelope, re-serialised; garbage becomes a plain envelope. */
    relayError(result: Extract<UpstreamResult, { ok: true }>): Response {
      const status = result.status >= 400 && result.status <= 599 ? result.status : 502;
      const headers = retryAfterHeader(result.headers);
      const body = result.body;
      if (isRecord(body) && ('error' in body || 'message' in body || 'success' in body)) {
        return json(status, body, headers);
      }
      const code = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'upstream_error' : 'invalid_request';
      const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
      return json(status, { error: { code, type, message: `The image service answered HTTP ${result.status}.` } }, headers);
    },
  };
}

/** Answers to a request that may succeed later: over a budget, a full shared cap, a slow body, a lost limiter store. */
function createLimitAnswers(json: JsonWriter) {
  return {
    tooManyRequests(retryAfterS: number): Response {
      return json(
        429,
        { error: { code: 'rate_limit_exceeded', type: 'rate_limit_error', message: 'Too many requests; please slow down and retry shortly.' } },
        { 'Retry-After': String(retryAfterS) },
      );
    },

    /**
     * 503 with `Retry-After`: a shared cap (uploads in flight, buffered bytes, event streams) is
     * full right now; the same request can succeed shortly.
     */
    busy(code: string, message: string, retryAfterS: number, upload = false): Response {
      const headers = { 'Retry-After': String(retryAfterS) };
      return upload
        ? json(503, { success: false, message, code }, headers)
        : json(503, { error: { code, type: 'server_error', message } }, headers);
    },

    /** 408: the request body did not arrive within the deadline; the connection is closed. */
    requestTimeout(upload = false): Response {
      const message = upload
        ? 'The upload took too long to arrive; check the connection and try again.'
        : 'The request took too long to arrive; check the connection and try again.';
      const headers = { Connection: 'close' };
      return upload
        ? json(408, { success: false, message, code: 'request_timeout' }, headers)
        : json(408, { error: { code: 'request_timeout', type: 'invalid_request_error', message } }, headers);
    },

    /** A limiter store failed (e.g. Redis down): refuse rather than spend unmetered. */
    limitsUnavailable(): Response {
      return json(
        503,
        { error: { code: 'rate_limit_unavailable', type: 'server_error', message: 'The request budget is unavailable; please retry shortly.' } },
        { 'Retry-After': '5' },
      );
    },
  };
}
