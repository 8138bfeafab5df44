/** `GET /v1/capabilities`: tells the kit it may follow tasks on the event stream. */
import type { ProxyDeps } from '../context';

export function createCapabilitiesRoute({ responses }: ProxyDeps): () => Response {
  return () => responses.json(200, { stream: true, proxy: true });
}
