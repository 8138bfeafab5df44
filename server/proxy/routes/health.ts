/**
 * `GET /v1/health`: where the budgets keep their state (`memory`, or the host's limiter backend)
 * and the key-wide budget right now: for submits and for status queries, the points left in each
 * window and, after an upstream 429, until when that category is paused. No identity, no cookie,
 * no upstream call. A shared state (Redis) that does not answer, or a failing limiter store,
 * answers 503 `degraded`.
 */
import type { KeyBudget } from '../budget';
import type { Json } from '../context';
import type { ProxyDeps } from '../deps';
import type { Limiters } from '../limits';
import { errorName } from '../log';
import type { ProxyState } from '../../state/types';

/** The health answer, built from the limiters and the key-wide budget (off: `budget: null`). */
export function createHealth(
  limiters: Pick<Limiters, 'backend'>,
  keyBudget: KeyBudget | undefined,
  log: (line: string) => void,
  state?: Pick<ProxyState, 'shared' | 'healthy'>,
): () => Promise<{ status: number; body: Json }> {
  return async () => {
    // A shared state (Redis) that does not answer: submits are refused until it is back.
    if (state?.shared && !(await state.healthy().catch(() => false))) {
      return { status: 503, body: { status: 'degraded', state: limiters.backend, budget: null } };
    }
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
