/**
 * Who is calling: the host's `authenticate` hook, or by default an anonymous session in a signed
 * `gen_sid` cookie (issued on first use). Each identity gets a namespace, an HMAC of its id under
 * `sessionSecret`, that scopes its business ids on the wire and proves ownership statelessly.
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
const SESSION_COOKIE = 'gen_sid';
const SESSION_VALUE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

export interface Identities {
  /** The caller's identity (`fresh` when a new session cookie was just issued on `ctx`), or the answer to send instead. */
  identify(ctx: RequestContext): Promise<{ identity: ProxyIdentity; fresh: boolean } | Response>;
  /** The identity's namespace: 16 hex characters. */
  namespaceOf(identityId: string): Promise<string>;
}

export function createIdentities(
  config: Pick<ProxyConfig, 'authenticate' | 'sessionSecret'>,
  log: (line: string) => void,
  responses: Responses,
): Identities {
  const sessionKey = importHmacKey(config.sessionSecret ?? randomToken(32));
  const verifiedSessions = new BoundedMap<string, string>(MAX_RECORDS);
  const namespaces = new BoundedMap<string, string>(MAX_RECORDS);

  async function namespaceOf(identityId: string): Promise<string> {
    const cached = namespaces.get(identityId);
    if (cached) return cached;
    const ns = toHex(await hmac(sessionKey, `ns.${identityId}`)).slice(0, NAMESPACE_CHARS);
    namespaces.set(identityId, ns);
    return ns;
  }

  async function sessionFromCookie(value: string): Promise<string | undefined> {
    const cached = verifiedSessions.get(value);
    if (cached) return cached;
    const [sid = '', sig = ''] = value.split('.');
    const signature = fromBase64url(sig);
    if (!signature) return undefined;
    const ok = await crypto.subtle.verify('HMAC', await sessionKey, signature, encoder.encode(`sid.${sid}`));
    if (!ok) return undefined;
    verifiedSessions.set(value, sid);
    return sid;
  }

  async function identify(ctx: RequestContext): Promise<{ identity: ProxyIdentity; fresh: boolean } | Response> {
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
    const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    if (cookie && SESSION_VALUE.test(cookie)) {
      const sid = await sessionFromCookie(cookie);
      if (sid) return { identity: { id: `anon:${sid}` }, fresh: false };
    }
    const sid = randomToken(16);
    const sig = base64url(await hmac(sessionKey, `sid.${sid}`));
    const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
    ctx.setCookie = `${SESSION_COOKIE}=${sid}.${sig}; Path=/; HttpOnly; SameSite=Lax${secure}`;
    return { identity: { id: `anon:${sid}` }, fresh: true };
  }

  return { identify, namespaceOf };
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
