/** The types the proxy's modules pass between them. */
import type { ProxyConfig } from './config';
import type { StreamHub } from './events';
import type { Ownership } from './ownership';
import type { Resources } from './resources';
import type { Responses } from './responses';
import type { ProxyIdentity } from './types';
import type { Upstream } from './upstream';

export type Json = Record<string, unknown>;

/** One request on its way through the proxy. */
export interface RequestContext {
  request: Request;
  /** Value for `Access-Control-Allow-Origin`, or undefined (no CORS headers). */
  corsOrigin: string | undefined;
  /** `Set-Cookie` to add to the answer (a freshly issued session). */
  setCookie: string | undefined;
}

/** An admitted caller: identified and within the rate limit. */
export interface Caller {
  identity: ProxyIdentity;
  /** 16 hex characters derived from the identity; the business-id namespace and ownership key. */
  ns: string;
}

/** What every route handler may use; built once by `createToapisProxy`. */
export interface ProxyDeps {
  config: ProxyConfig;
  log: (line: string) => void;
  scrub: (text: string) => string;
  responses: Responses;
  upstream: Upstream;
  ownership: Ownership;
  streams: StreamHub;
  /** Upload slots and the shared budget of buffered request bytes. */
  resources: Resources;
  /** Identity, then rate limit: what every upload, submit, status read and stream goes through. */
  admit: (ctx: RequestContext) => Promise<Caller | Response>;
  isClosed: () => boolean;
}

export type RouteHandler = (ctx: RequestContext) => Promise<Response>;
