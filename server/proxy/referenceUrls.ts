/**
 * Reference and mask URLs of a submit: ToAPIs fetches them, so they must be public `http(s)` URLs.
 * Refused: other schemes, user names or passwords in the URL, IP literals outside public unicast
 * space (loopback, private, link-local, unique-local, CGNAT, multicast, reserved, IPv4-mapped…;
 * classified by ipaddr.js), and names that only resolve inside a network (`localhost`,
 * `*.localhost`, single-label names, `*.local`, `*.internal`, `*.home.arpa`, `*.localdomain`).
 * The `allowPrivateReferenceUrls` option turns the address checks off (the simulator serves its
 * uploads from loopback); scheme and credential checks always apply.
 */
import ipaddr from 'ipaddr.js';
import { isHttpUrl } from '../../src/core/util';

const MAX_URL_CHARS = 4096;
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.localdomain'];

/** Why a reference URL is refused, or undefined when it may go upstream. */
export type UrlProblem = 'not_http' | 'credentials' | 'private_host';

export function referenceUrlProblem(value: unknown, allowPrivate: boolean): UrlProblem | undefined {
  if (!isHttpUrl(value, MAX_URL_CHARS)) return 'not_http';
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (allowPrivate) return undefined;
  return isPublicHost(url.hostname) ? undefined : 'private_host';
}

/** A URL's `hostname` (as `URL` normalises it: lower case, IPv4 in dotted form, IPv6 in brackets). */
export function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const literal = host.slice(1, -1);
    if (!ipaddr.IPv6.isValid(literal)) return false;
    return ipaddr.IPv6.parse(literal).range() === 'unicast';
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host).range() === 'unicast';
  if (host === '' || host === 'localhost' || !host.includes('.')) return false;
  return !LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** The message a caller sees for a refused reference (1-based `index`) or mask URL. */
export function urlProblemMessage(problem: UrlProblem, what: string): string {
  switch (problem) {
    case 'not_http':
      return `${what} is not an http(s) URL; upload it first.`;
    case 'credentials':
      return `${what} must not carry a user name or password.`;
    case 'private_host':
      return `${what} points at a local or private address, which the image service cannot reach; upload it first.`;
    default:
      return problem satisfies never;
  }
}
