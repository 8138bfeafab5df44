/**
 * The spending cap: what a submit costs (images × the registry's landing price per image at the
 * requested resolution) is counted per identity and per client IP over a window, so one visitor,
 * or one address minting fresh sessions, cannot order `n` = max at 4K in a loop. Prices are
 * counted in micro-dollars so any limiter store can hold them. A submit that never produced a
 * task (refused upstream, unreachable) gives its cost back.
 */
import { estimatePrice, getModel } from '../../src/core/models';
import { isRecord } from '../../src/core/util';
import type { ProxyConfig } from './config';
import type { Caller, Json } from './context';
import { giveBack, retryAfterSeconds, takeAll, LimiterStoreError, type Limiters, type Take } from './limits';
import type { Responses } from './responses';

export interface SpendCap {
  /**
   * Counts the submit's cost for the caller; answers the refusal instead when over the cap.
   * `release()` gives the cost back (no task was created).
   */
  reserve(caller: Caller, body: Json): Promise<{ release: () => Promise<void> } | Response>;
}

const FREE = { release: async () => {} };

export function createSpendCap(config: Pick<ProxyConfig, 'spendLimit'>, limiters: Limiters, responses: Responses): SpendCap {
  const { spendLimit } = config;
  if (!spendLimit) return { reserve: async () => FREE };
  const durationMs = spendLimit.windowMs;
  const perIdentity = limiters.get({ name: 'spend-identity', points: spendLimit.maxMicroUsd, durationMs });
  const perIp = limiters.get({ name: 'spend-ip', points: spendLimit.maxMicroUsdPerIp, durationMs });
  const cap = Math.min(spendLimit.maxMicroUsd, spendLimit.maxMicroUsdPerIp);

  return {
    async reserve(caller, body) {
      const cost = costOf(body, spendLimit.fallbackPricePerImage);
      if (cost <= 0) return FREE;
      if (cost > cap) {
        return responses.invalid(
          `This order costs about $${(cost / 1e6).toFixed(2)}, more than this site allows per visitor in ${describeWindow(durationMs)} ($${(cap / 1e6).toFixed(2)}); order fewer or smaller images.`,
          'n',
        );
      }
      const takes: Take[] = [
        { limiter: perIdentity, key: caller.ns, points: cost },
        { limiter: perIp, key: caller.ipKey ?? 'unknown', points: cost },
      ];
      try {
        const verdict = await takeAll(takes);
        if (!verdict.ok) {
          return responses.json(
            429,
            {
              error: {
                code: 'spend_limit_exceeded',
                type: 'rate_limit_error',
                message: 'You have ordered as many images as this site allows for now; please retry later.',
              },
            },
            { 'Retry-After': String(retryAfterSeconds(verdict.retryAfterMs)) },
          );
        }
      } catch (error) {
        if (error instanceof LimiterStoreError) return responses.limitsUnavailable();
        throw error;
      }
      return { release: () => giveBack(takes) };
    },
  };
}

/**
 * The landing price of a submit in micro-dollars: `n` (default 1) images at the requested
 * resolution (either documented place; the dearer one when both are set, the model's default
 * when neither is), or at `fallbackPricePerImage` where the registry gives no price.
 */
export function costOf(body: Json, fallbackPricePerImage: number): number {
  const n = typeof body.n === 'number' && Number.isFinite(body.n) && body.n >= 1 ? Math.floor(body.n) : 1;
  const model = typeof body.model === 'string' ? getModel(body.model) : undefined;
  const resolutions = [body.resolution, isRecord(body.metadata) ? body.metadata.resolution : undefined].filter(
    (r): r is string => typeof r === 'string',
  );
  const prices = (resolutions.length > 0 ? resolutions : [undefined]).map((r) =>
    model ? estimatePrice(model, r, n) : undefined,
  );
  const known = prices.filter((p): p is number => p !== undefined);
  const usd = known.length > 0 ? Math.max(...known) : fallbackPricePerImage * n;
  return Math.round(usd * 1e6);
}

function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'an hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'a minute' : `${ms / 60_000} minutes`;
  return `${Math.ceil(ms / 1000)} s`;
}
