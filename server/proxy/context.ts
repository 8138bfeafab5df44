/**
 * The request-level types the proxy's modules pass between them. They import no module of the
 * proxy's (only `client.ts` and `types.ts`), so any module can use them without an import cycle;
 * the composition's types (`ProxyDeps`) are in deps.ts.
 */
import type { ClientInfo } from './client';
import type { ProxyIdentity } from './types';

export type Json = Record<string, unknown>;

/** One request on its way through the proxy. */
export interface RequestContext {
  request: Request;
  /** Value for `Access-Control-Allow-Origin`, or undefined (no CORS headers). */
  corsOrigin: string | undefined;
  /** `Set-Cookie` to add to the answer (a new or rotated session, once the request is admitted). */
  setCookie: string | undefined;
  /** Client IP and scheme. */
  client: ClientInfo;
  /** What the request's log line says beyond method, route, status and time. */
  note: RequestNote;
}

/** Filled in while a request is handled; never holds the key, a body or a prompt. */
export interface RequestNote {
  /** Hashed identity (12 hex), once the caller is admitted. */
  id?: string;
  /** Status of the last upstream call made for this request. */
  upstream?: number;
  /** The budget that refused the request (`ip`, `identity`, `new_sessions`, `key_submit`, `paused_query`, `spend`, …). */
  limit?: string;
}

/** An admitted caller: identified and within the rate limit. */
export interface Caller {
  identity: ProxyIdentity;
  /** 16 hex characters derived from the identity; the business-id namespace and ownership key. */
  ns: string;
  /** Budget key of the client IP (see client.ts), when known. */
  ipKey: string | undefined;
}
