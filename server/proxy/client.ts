/**
 * Where a request comes from: the client IP (for the per-IP budgets and the log line) and whether
 * it arrived over https (for the session cookie). `X-Forwarded-For` and `X-Forwarded-Proto` count
 * only under `trustProxy`; otherwise the IP is the socket's (`@hono/node-server` passes it in
 * `env.incoming.socket`), or whatever the host's `clientIp` hook says.
 */
import type { ProxyConfig } from './config';

export interface ClientInfo {
  /** The client IP as seen, normalised (no port, no brackets, IPv4-mapped IPv6 as IPv4), or undefined. */
  ip: string | undefined;
  /** The key the per-IP budgets count under: the IPv4 address, or the IPv6 /64 prefix. */
  ipKey: string | undefined;
  /** The request reached the host over https (its URL, or a trusted `X-Forwarded-Proto`). */
  https: boolean;
}

export function createClientInfo(
  config: Pick<ProxyConfig, 'clientIp' | 'trustProxyHops'>,
): (request: Request, env: unknown) => ClientInfo {
  const { clientIp, trustProxyHops } = config;

  function ipOf(request: Request, env: unknown): string | undefined {
    if (clientIp) {
      try {
        const given = normaliseIp(clientIp(request, env) ?? undefined);
        if (given) return given;
      } catch {
        // A failing hook is the same as no answer.
      }
    }
    if (trustProxyHops > 0) {
      const forwarded = forwardedValue(request.headers.get('x-forwarded-for'), trustProxyHops);
      const ip = normaliseIp(forwarded);
      if (ip) return ip;
    }
    return normaliseIp(socketAddress(request, env));
  }

  return (request, env) => {
    const ip = ipOf(request, env);
    let https = request.url.startsWith('https:');
    if (!https && trustProxyHops > 0) {
      https = forwardedValue(request.headers.get('x-forwarded-proto'), trustProxyHops)?.toLowerCase() === 'https';
    }
    return { ip, ipKey: ip === undefined ? undefined : ipKey(ip), https };
  };
}

/**
 * The entry a trusted proxy chain vouches for: each of the `hops` proxies appends the address it
 * saw, so the `hops`-th entry from the right is the one the outermost trusted proxy saw. Entries
 * further left are whatever the client sent.
 */
function forwardedValue(header: string | null, hops: number): string | undefined {
  if (!header || header.length > 2048) return undefined;
  const parts = header.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  return parts[Math.max(0, parts.length - hops)];
}

/**
 * The peer address from what the server passed as `env`: `@hono/node-server`'s bindings
 * (`env.incoming.socket.remoteAddress`, or under `env.server`), `Deno.serve`'s handler info
 * (`env.remoteAddr.hostname`) or `Bun.serve`'s server (`env.requestIP(request).address`).
 */
function socketAddress(request: Request, env: unknown): string | undefined {
  if (!isObject(env)) return undefined;
  const bindings = isObject(env.server) ? env.server : env;
  if (isObject(bindings.incoming) && isObject(bindings.incoming.socket)) {
    const address = bindings.incoming.socket.remoteAddress;
    return typeof address === 'string' ? address : undefined;
  }
  if (isObject(env.remoteAddr) && typeof env.remoteAddr.hostname === 'string') return env.remoteAddr.hostname;
  if (typeof env.requestIP === 'function') {
    try {
      const info: unknown = env.requestIP(request);
      return isObject(info) && typeof info.address === 'string' ? info.address : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A plain IPv4 or IPv6 address from what a socket, header or hook gave, or undefined when it is none. */
export function normaliseIp(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  let ip = value.trim();
  if (ip.length === 0 || ip.length > 64) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(ip);
  if (bracketed) ip = bracketed[1] as string;
  else if (/^[\d.]+:\d{1,5}$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  ip = ip.replace(/%[A-Za-z0-9_.-]+$/, '').toLowerCase();
  if (IPV4.test(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return undefined;
  // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return ip;
}

/** The per-IP budget key: an IPv4 address as is; IPv6 by its /64 (one subscriber's usual block). */
export function ipKey(ip: string): string {
  if (IPV4.test(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  if (!/^[0-9a-f:.]+$/.test(ip) || !ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        if (!IPV4.test(piece)) return undefined;
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
