/** What the composition root (index.ts) hands every route: the proxy's parts, built once. */
import type { ProxyConfig } from './config';
import type { Caller, Json, RequestContext } from './context';
import type { StreamHub } from './events';
import type { Ownership } from './ownership';
import type { ProxyState } from '../state/types';
import type { Resources } from './resources';
import type { Responses } from './responses';
import type { SpendCap } from './spend';
import type { Upstream } from './upstream';

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
