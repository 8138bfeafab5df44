/** The simulator's answers, in ToAPIs' own error envelopes, with open CORS. */
import { SIMULATOR_FAULT_HEADER, SIMULATOR_STATUS_HEADER } from './types';

const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'Retry-After, X-RateLimit-Category, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The OpenAI-style envelope: `{ error: { code, type, param?, message } }`. */
export function openAiError(status: number, code: string, type: string, message: string, param?: string): Response {
  return json(status, { error: { code, type, ...(param !== undefined && { param }), message } });
}

export function internalError(): Response {
  return json(500, { error: { code: 'internal_error', message: 'The simulator failed; please retry later' } });
}

/** The envelope with a numeric `code`, as the status endpoint answers an unknown task. */
export function taskNotFound(): Response {
  return json(404, { error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
}

export function fileNotFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The upload endpoint's envelope, `{ success: false, message }` (a 400 even when the file is too large). */
export function uploadError(message: string): Response {
  return json(400, { success: false, message });
}

export function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers':
        request.headers.get('access-control-request-headers') ?? `Authorization, Content-Type, ${SIMULATOR_FAULT_HEADER}, ${SIMULATOR_STATUS_HEADER}`,
      'Access-Control-Max-Age': '600',
    },
  });
}

export function withCors(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/** `<origin><prefix>` of a request whose pathname contains `marker` (last occurrence). */
export function baseOf(request: Request, marker: string): string {
  const url = new URL(request.url);
  const at = url.pathname.lastIndexOf(marker);
  return url.origin + (at > 0 ? url.pathname.slice(0, at) : '');
}
