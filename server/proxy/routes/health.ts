/**
 * `GET /v1/health`: where the budgets keep their state (`memory`, or the host's limiter backend)
 * and the key-wide budget right now: for submits and for status queries, the points left in each
 * window and, after an upstream 429, until when that category is paused. No identity, no cookie,
 * no upstream call.
 */
import type { ProxyDeps } from '../context';

export function createHealthRoute({ responses, health }: ProxyDeps): () => Promise<Response> {
  return async () => {
    const { status, body } = await health();
    return responses.json(status, body);
  };
}
