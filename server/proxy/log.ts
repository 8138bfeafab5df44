/**
 * Logging and key scrubbing: the key is removed from any text that leaves the proxy (upstream
 * echoes in answers, log lines, stream events), and a failing log sink never fails a request.
 * One line per request (`json` or `pretty`), plus notable events.
 */
import { GENERATIONS_PATH } from './config';
import type { RequestNote } from './context';
import { encoder } from './crypto';

/** The scrubber lives in scrub.ts; re-exported here for the modules that import it from the log. */
export { createScrubber } from './scrub';

/** A notable event (`upstream POST failed: TypeError`); never holds the key, a body or a prompt. */
export type EventLog = (line: string) => void;

/** The one line written per request. */
export interface RequestLogEntry {
  method: string;
  route: string;
  status: number;
  ms: number;
  /** Hashed identity (12 hex), or null before/without admission. */
  id: string | null;
  ip: string | null;
  task: string | null;
  /** Status of the upstream call made for the request, or null when none was made. */
  upstream: number | null;
  /** Bytes of the answer's body, or null for a stream. */
  bytes: number | null;
  /** The budget that refused the request, or null. */
  limit: string | null;
}

export interface Logger {
  event: EventLog;
  request(entry: RequestLogEntry): void;
}

/**
 * Lines to the sink, scrubbed of the key. `json`: one JSON object per line (`time` first);
 * `pretty`: `[toapis-proxy] POST submit 200 41ms id=… ip=… task=… upstream=200 bytes=312`.
 * A failing sink never fails a request.
 */
export function createLogger(sink: (line: string) => void, scrub: (text: string) => string, format: 'json' | 'pretty' = 'pretty'): Logger {
  const write = (line: string) => {
    try {
      sink(scrub(line));
    } catch {
      // A failing log sink must not fail the request.
    }
  };
  return {
    event(line) {
      write(format === 'json' ? JSON.stringify({ time: new Date().toISOString(), event: line }) : `[toapis-proxy] ${line}`);
    },
    request(entry) {
      if (format === 'json') {
        write(JSON.stringify({ time: new Date().toISOString(), ...entry }));
        return;
      }
      const extras = (['id', 'ip', 'task', 'upstream', 'bytes', 'limit'] as const)
        .filter((k) => entry[k] !== null)
        .map((k) => `${k}=${String(entry[k])}`);
      write(`[toapis-proxy] ${[entry.method, entry.route, entry.status, `${entry.ms}ms`, ...extras].join(' ')}`);
    },
  };
}

/** The log entry of an answered request: bytes and task id are read from the answer itself. */
export async function requestLogEntry(r: {
  request: Request;
  response: Response;
  route: string;
  ms: number;
  ip: string | undefined;
  note: RequestNote;
  basePath: string;
}): Promise<RequestLogEntry> {
  const { request, response, route, note } = r;
  let bytes: number | null = 0;
  let task = requestTaskId(request, r.basePath);
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) bytes = null;
  else if (response.body !== null) {
    const text = await response.clone().text().catch(() => '');
    bytes = encoder.encode(text).byteLength;
    if (route === 'submit' && response.status === 200) task = taskIdFrom(text);
  }
  return {
    method: request.method.slice(0, 8),
    route,
    status: response.status,
    ms: r.ms,
    id: note.id ?? null,
    ip: r.ip ?? null,
    task,
    upstream: note.upstream ?? null,
    bytes,
    limit: note.limit ?? null,
  };
}

const PLAIN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The task id in a status or events path (only a plain id; else null). */
function requestTaskId(request: Request, basePath: string): string | null {
  const prefix = `${basePath}${GENERATIONS_PATH}/`;
  const pathname = new URL(request.url).pathname;
  if (!pathname.startsWith(prefix)) return null;
  const segment = pathname.slice(prefix.length).replace(/\/events$/, '');
  return PLAIN_ID.test(segment) ? segment : null;
}

/** The `id` of a submit's answer, when it is a plain task id. */
function taskIdFrom(text: string): string | null {
  try {
    const body = JSON.parse(text) as { id?: unknown };
    return typeof body.id === 'string' && PLAIN_ID.test(body.id) ? body.id : null;
  } catch {
    return null;
  }
}

/** What to log about a thrown value: its class name, never its message (which may quote the key or user input). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
