/**
 * `GET /v1/health`: where the budgets keep their state (`memory`, or the host's limiter backend)
 * and the key-wide budget right now: for submits and for status queries, the points left in each
 * window and, after an upstream 429, until when that category is paused. No identity, no cookie,
 * no upstream call. A failing limiter store answers 503 `degraded`.
 */
import type { KeyBudget } from '../budget';
import type { Json } from '../context';
import type { ProxyDeps } from '../deps';
import type { Limiters } from '../limits';
import { errorName } from '../log';

/** The health answer, built from the limiters and the key-wide budget (off: `budget: null`). */
export function createHealth(
  limiters: Pick<Limiters, 'backend'>,
  keyBudget: KeyBudget | undefined,
  log: (line: string) => void,
): () => Promise<{ status: number; body: Json }> {
  return async () => {
    try {
      return { status: 200, body: { status: 'ok', state: limiters.backend, budget: (await keyBudget?.status()) ?? null } };
    } catch (error) {
      log(`health: budget unavailable: ${errorName(error)}`);
      return { status: 503, body: { status: 'degraded', state: limiters.backend, budget: null } };
    }
  };
}

export function createHealthRoute({ responses, health }: ProxyDeps): () => Promise<Response> {
  return async () => {
    const { status, body } = await health();
    return responses.json(status, body);
  };
}
