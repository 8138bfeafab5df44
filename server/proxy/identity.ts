/**
 * Who is calling: the host's `authenticate` hook, or by default an anonymous session in a signed
 * cookie, issued on first use. Each identity gets a namespace, an HMAC of its id under
 * `sessionSecret`, that scopes its business ids on the wire and proves ownership statelessly.
 *
 * The session cookie:
 * - over https (the request URL, or `X-Forwarded-Proto: https` under `trustProxy`) it is
 *   `__Host-gen_sid` with `Secure` and no `Domain`, and only that name is read. A sibling subdomain
 *   can toss a `gen_sid` cookie for the whole site (cookie tossing), but browsers refuse a
 *   `__Host-` cookie from anywhere but this host, so a tossed cookie never becomes a visitor's
 *   identity, and a victim's tasks never land in an attacker's session;
 * - over plain http (development on loopback) it is `gen_sid`, without `Secure`;
 * - its value is `<sid>.<issued, base 36 seconds>.<HMAC>`: it lives `Max-Age` seconds
 *   (`session.maxAgeSeconds`, checked here too, not only by the browser), and a valid cookie older
 *   than `session.rotateAfterSeconds` is re-issued with a fresh issue time and signature, for the
 *   same identity, so an active visitor keeps their tasks and an idle cookie expires.
 */
import { BoundedMap } from './boundedMap';
import { MAX_RECORDS, type ProxyConfig } from './config';
import type { RequestContext } from './context';
import { base64url, encoder, fromBase64url, hmac, importHmacKey, randomToken, toHex } from './crypto';
import { errorName } from './log';
import type { Responses } from './responses';
import type { ProxyIdentity } from './types';

/** Wire business ids are `<16 hex>:<id>`. */
export const NAMESPACE_CHARS = 16;
/** The cookie over https; browsers accept it only from this host, with `Secure` and `Path=/`. */
export const HOST_SESSION_COOKIE = '__Host-gen_sid';
/** The cookie over plain http (development). */
export const PLAIN_SESSION_COOKIE = 'gen_sid';
const SESSION_VALUE = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;
/** A cookie issued this far in the future (clock skew between instances) still counts. */
const MAX_CLOCK_SKEW_S = 300;

export interface Identified {
  identity: ProxyIdentity;
  /** A new anonymous session: `setCookie` creates it. */
  fresh: boolean;
  /** `Set-Cookie` to send when the request is admitted (a new or rotated session); never on a refusal. */
  setCookie?: string;
}

export interface Identities {
  /** The caller's identity, or the answer to send instead. `https`: the request arrived over https. */
  identify(ctx: RequestContext, https: boolean): Promise<Identified | Response>;
  /** The identity's namespace: 16 hex characters. */
  namespaceOf(identityId: string): Promise<string>;
  /** A short keyed hash of the identity for log lines (not the namespace, not the id). */
  logIdOf(identityId: string): Promise<string>;
}

export function createIdentities(
  config: Pick<ProxyConfig, 'authenticate' | 'sessionSecret' | 'session'>,
  log: (line: string) => void,
  responses: Responses,
): Identities {
  const sessionKey = importHmacKey(config.sessionSecret ?? randomToken(32));
  const { maxAgeSeconds, rotateAfterSeconds } = config.session;
  const verifiedSessions = new BoundedMap<string, { sid: string; issuedS: number }>(MAX_RECORDS);
  const namespaces = new BoundedMap<string, string>(MAX_RECORDS);
  const logIds = new BoundedMap<string, string>(MAX_RECORDS);

  async function keyedHex(cache: BoundedMap<string, string>, label: string, identityId: string, chars: number): Promise<string> {
    const cached = cache.get(identityId);
    if (cached) return cached;
    const value = toHex(await hmac(sessionKey, `${label}.${identityId}`)).slice(0, chars);
    cache.set(identityId, value);
    return value;
  }

  async function sessionFromCookie(value: string): Promise<{ sid: string; issuedS: number } | undefined> {
    const cached = verifiedSessions.get(value);
    if (cached) return cached;
    const match = SESSION_VALUE.exec(value);
    if (!match) return undefined;
    const [, sid = '', issued = '', sig = ''] = match;
    const signature = fromBase64url(sig);
    if (!signature) return undefined;
    const ok = await crypto.subtle.verify('HMAC', await sessionKey, signature, encoder.encode(`sid2.${sid}.${issued}`));
    if (!ok) return undefined;
    const session = { sid, issuedS: parseInt(issued, 36) };
    verifiedSessions.set(value, session);
    return session;
  }

  async function issue(sid: string, https: boolean): Promise<string> {
    const issued = Math.floor(Date.now() / 1000).toString(36);
    const sig = base64url(await hmac(sessionKey, `sid2.${sid}.${issued}`));
    const name = https ? HOST_SESSION_COOKIE : PLAIN_SESSION_COOKIE;
    return `${name}=${sid}.${issued}.${sig}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${https ? '; Secure' : ''}`;
  }

  async function identify(ctx: RequestContext, https: boolean): Promise<Identified | Response> {
    const { request } = ctx;
    if (config.authenticate) {
      let out: ProxyIdentity | Response | null;
      try {
        out = await config.authenticate(request);
      } catch (error) {
        log(`authenticate hook threw: ${errorName(error)}`);
        return responses.internalError();
      }
      if (out instanceof Response) return out;
      if (out && typeof out.id === 'string' && out.id.length > 0 && out.id.length <= 1024) {
        return { identity: { id: out.id }, fresh: false };
      }
      return responses.errorEnvelope(401, 'unauthorized', 'authentication_error', 'Sign in to generate images.');
    }
    // Over https only the __Host- cookie counts: a `gen_sid` tossed from a sibling subdomain is ignored.
    const cookie = readCookie(request.headers.get('cookie'), https ? HOST_SESSION_COOKIE : PLAIN_SESSION_COOKIE);
    const session = cookie ? await sessionFromCookie(cookie) : undefined;
    if (session) {
      const ageS = Math.floor(Date.now() / 1000) - session.issuedS;
      if (ageS <= maxAgeSeconds && ageS >= -MAX_CLOCK_SKEW_S) {
        const identity = { id: `anon:${session.sid}` };
        if (ageS < rotateAfterSeconds) return { identity, fresh: false };
        return { identity, fresh: false, setCookie: await issue(session.sid, https) };
      }
    }
    const sid = randomToken(16);
    return { identity: { id: `anon:${sid}` }, fresh: true, setCookie: await issue(sid, https) };
  }

  return {
    identify,
    namespaceOf: (identityId) => keyedHex(namespaces, 'ns', identityId, NAMESPACE_CHARS),
    logIdOf: (identityId) => keyedHex(logIds, 'log', identityId, 12),
  };
}

/** The first cookie called `name` in a `Cookie` header. */
function readCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
