/**
 * Key scrubbing: the API key is removed from any text that leaves the proxy (upstream echoes in
 * answers, log lines, stream events). Caught, each replaced by `[redacted]`:
 * - the key in any letter case, and any run of {@link MIN_RUN} or more of its characters (a key cut
 *   short, or quoted in part, still gives nothing away);
 * - the key as escaped inside JSON;
 * - base64 and base64url of the key and of `Bearer <key>` (an echoed `Authorization` header or a
 *   Basic-auth style blob), at each of the three byte alignments it can have inside a longer
 *   encoded string, with or without padding.
 */

/** Shortest run of the key's characters that is redacted; shorter keys are not scrubbed at all. */
export const MIN_RUN = 8;

const REDACTED = '[redacted]';

export function createScrubber(apiKey: string): (text: string) => string {
  if (apiKey.length < MIN_RUN) return (text) => text; // too short to tell from ordinary text; real keys are long
  const keyLower = apiKey.toLowerCase();
  const exact = new Set<string>();
  const keyJson = JSON.stringify(apiKey).slice(1, -1);
  if (keyJson !== apiKey) exact.add(keyJson);
  for (const plain of [apiKey, `Bearer ${apiKey}`]) {
    for (const core of base64Cores(plain)) {
      exact.add(core);
      exact.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  // Longest first, so a longer encoding is never cut by a shorter one it contains.
  const exactList = [...exact].filter((s) => s.length >= MIN_RUN).sort((a, b) => b.length - a.length);

  // Every MIN_RUN-character window of the key, found in any case; each hit is then grown for as
  // long as the text still matches a run of the key.
  const grams = new Set<string>();
  for (let i = 0; i + MIN_RUN <= keyLower.length; i++) grams.add(keyLower.slice(i, i + MIN_RUN));
  const runs = new RegExp([...grams].map(escapeRegExp).join('|'), 'gi');

  return (text) => {
    let out = text;
    for (const secret of exactList) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    runs.lastIndex = 0;
    let match = runs.exec(out);
    if (!match) return out;
    let result = '';
    let last = 0;
    while (match) {
      const start = match.index;
      let end = start + MIN_RUN;
      while (end < out.length && keyLower.includes(out.slice(start, end + 1).toLowerCase())) end++;
      result += out.slice(last, start) + REDACTED;
      last = end;
      runs.lastIndex = end;
      match = runs.exec(out);
    }
    return result + out.slice(last);
  };
}

/**
 * The base64 characters that depend only on `plain`, for each of the three offsets (mod 3) it can
 * start at inside a longer encoded string: the characters that mix in neighbouring bytes are cut off.
 */
function base64Cores(plain: string): string[] {
  const bytes = new TextEncoder().encode(plain);
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.set(bytes, shift);
    const encoded = toBase64(shifted);
    const from = Math.ceil((8 * shift) / 6);
    const to = Math.floor((8 * (shift + bytes.length)) / 6);
    cores.push(encoded.slice(from, to));
  }
  return cores;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
