/**
 * `GET /v1/capabilities`: tells the kit it may follow tasks on the event stream and download
 * results through `GET /v1/images/generations/:id/images/:n`.
 */
import type { ProxyDeps } from '../deps';

export function createCapabilitiesRoute({ responses }: ProxyDeps): () => Response {
  return () => responses.json(200, { stream: true, proxy: true, downloads: true });
}
