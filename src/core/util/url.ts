/** URL checks shared by the kit, the proxy and the simulator. Framework-free; no Node APIs. */

const SAFE_URL = /^(https?:|blob:)/i;

/**
 * An absolute `http(s)` URL, written with its scheme and `//` (so `http:foo` and leading white space
 * are refused even though `new URL` would repair them). Once that prefix matches, a URL that parses
 * has the http(s) protocol and a non-empty host, so parsing is the only other check.
 * @param maxLength longest accepted text in UTF-16 units; no limit when left out.
 */
export function isHttpUrl(value: unknown, maxLength = Infinity): value is string {
  if (typeof value !== 'string' || value.length > maxLength || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value); // throws when it does not parse
    return true;
  } catch {
    return false;
  }
}

/** Only `http(s)` and `blob:` URLs are ever rendered or linked, never `javascript:` or `data:`. */
export function isSafeUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 8192) return false;
  if (!SAFE_URL.test(value)) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'blob:';
  } catch {
    return false;
  }
}
