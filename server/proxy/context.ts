/** The types the proxy's modules pass between them. */
import type { ClientInfo } from './client';
import type { ProxyConfig } from './config';
import type { StreamHub } from './events';
import type { Ownership } from './ownership';
import type { ProxyState } from '../state/types';
import type { Resources } from './resources';
import type { Responses } from './responses';
import type { SpendCap } from './spend';
import type { ProxyIdentity } from './types';
import type { Upstream } from './upstream';

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

/** What every route handler may use; built once by `createToapisProxy`. */
export interface ProxyDeps {
  config: ProxyConfig;
  log: (line: string) => void;
  scrub: (text: string) => string;
  responses: Responses;
  upstream: Upstream;
  ownership: Ownership;
  /** Shared state (memory or Redis): task records, webhook de-duplication, budget counters. */
  state: ProxyState;
  streams: StreamHub;
  /** Upload slots and the shared budget of buffered request bytes. */
  resources: Resources;
  /** Identity, then rate limit: what every upload, submit, status read and stream goes through. */
  admit: (ctx: RequestContext) => Promise<Caller | Response>;
  /** The spending cap, checked by the submit route. */
  spend: SpendCap;
  /** The body of `GET /v1/health`. */
  health: () => Promise<{ status: number; body: Json }>;
  isClosed: () => boolean;
}

export type RouteHandler = (ctx: RequestContext) => Promise<Response>;
