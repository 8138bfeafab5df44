/**
 * Admission: what every upload, submit, status read and stream goes through before anything else.
 * The caller is identified (identity.ts), then counted against the per-client budget (limits.ts:
 * client IP, new sessions per IP, identity). Only an admitted request gets its session cookie (a
 * new or rotated one), whatever the answer turns out to be, so every session counted against the
 * new-session cap is one the client keeps; a refusal here is a 429 with `Retry-After` and no cookie.
 */
import type { ProxyConfig } from './config';
import type { Caller, RequestContext } from './context';
import type { Identities } from './identity';
import { LimiterStoreError, retryAfterSeconds, type RateLimits } from './limits';
import type { Responses } from './responses';

export interface AdmissionDeps {
  config: Pick<ProxyConfig, 'rateLimit' | 'spendLimit'>;
  identities: Identities;
  limits: RateLimits;
  responses: Responses;
  log: (line: string) => void;
}

export function createAdmission({ config, identities, limits, responses, log }: AdmissionDeps): (ctx: RequestContext) => Promise<Caller | Response> {
  let warnedUnknownIp = false;

  return async function admit(ctx) {
    if (!ctx.client.ipKey && !warnedUnknownIp && (config.rateLimit || config.spendLimit)) {
      warnedUnknownIp = true;
      log('client IP unknown (no socket address, no trusted X-Forwarded-For, no clientIp hook): such requests share one per-IP budget');
    }
    const who = await identities.identify(ctx, ctx.client.https);
    if (who instanceof Response) return who;
    const ns = await identities.namespaceOf(who.identity.id);
    let verdict;
    try {
      verdict = await limits.check({ identityKey: ns, ipKey: ctx.client.ipKey, isNewSession: who.fresh });
    } catch (error) {
      if (!(error instanceof LimiterStoreError)) throw error;
      log('rate limits unavailable: LimiterStoreError');
      return responses.limitsUnavailable();
    }
    if (!verdict.ok) {
      ctx.note.limit = verdict.limit;
      return responses.tooManyRequests(retryAfterSeconds(verdict.retryAfterMs));
    }
    ctx.note.id = await identities.logIdOf(who.identity.id);
    ctx.setCookie = who.setCookie;
    return { identity: who.identity, ns, ipKey: ctx.client.ipKey };
  };
}
