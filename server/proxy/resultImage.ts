/**
 * Fetching a result image from the file host (ToAPIs serves them from another host than the API)
 * for the download route: only public `http(s)` URLs (private and local addresses only with
 * `allowPrivateReferenceUrls`, as for reference URLs), never with the API key, redirects followed
 * only within the same origin (at most {@link MAX_REDIRECTS}, each checked again), only `image/*`
 * answers (not SVG), at most `maxBytes`, within `timeoutMs` for the whole transfer. The body is
 * streamed on, never buffered whole.
 */
import { readChunks } from './body';
import { referenceUrlProblem } from './referenceUrls';

const MAX_REDIRECTS = 3;

/** Why no image came back. */
export type ImageFailure = 'blocked_url' | 'redirect' | 'unreachable' | 'gone' | 'bad_status' | 'not_image' | 'too_large';

export type ImageFetch =
  | { ok: true; contentType: string; contentLength: number | undefined; body: ReadableStream<Uint8Array> }
  | { ok: false; reason: ImageFailure };

export interface ImageFetchOptions {
  fetch: (request: Request) => Promise<Response>;
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  log: (line: string) => void;
}

const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]{0,62}$/;

export async function fetchResultImage(url: string, options: ImageFetchOptions): Promise<ImageFetch> {
  const controller = new AbortController();
  const deadline = Date.now() + options.timeoutMs;
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let handedOver = false;
  try {
    let target = url;
    let response: Response | undefined;
    for (let hop = 0; ; hop++) {
      if (referenceUrlProblem(target, options.allowPrivate)) return { ok: false, reason: 'blocked_url' };
      try {
        response = await options.fetch(
          new Request(target, {
            method: 'GET',
            headers: { Accept: 'image/*' },
            signal: controller.signal,
            redirect: 'manual',
            cache: 'no-store',
          }),
        );
      } catch {
        return { ok: false, reason: 'unreachable' };
      }
      if (response.type === 'opaqueredirect') {
        options.log('result image answered a redirect that cannot be inspected; not followed');
        return { ok: false, reason: 'redirect' };
      }
      if (response.status < 300 || response.status >= 400) break;
      await response.body?.cancel().catch(() => undefined);
      const next = redirectTarget(target, response.headers.get('location'));
      if (!next || hop >= MAX_REDIRECTS) {
        options.log(`result image redirected ${next ? 'too often' : 'to another host'}; not followed`);
        return { ok: false, reason: 'redirect' };
      }
      target = next;
    }
    if (response.status === 404 || response.status === 410) return drop(response, 'gone');
    if (response.status !== 200) return drop(response, 'bad_status');
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMAGE_TYPE.test(contentType) || contentType === 'image/svg+xml') return drop(response, 'not_image');
    const declared = response.headers.get('content-length');
    const contentLength = declared !== null && /^\d{1,15}$/.test(declared.trim()) ? Number(declared) : undefined;
    if (contentLength !== undefined && contentLength > options.maxBytes) return drop(response, 'too_large');
    const chunks = readChunks(response.body, response.headers, { limit: options.maxBytes, timeoutMs: Math.max(1, deadline - Date.now()) });
    handedOver = true;
    const done = () => clearTimeout(timer);
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        try {
          const step = await chunks.next();
          if (step.done) {
            done();
            stream.close();
          } else stream.enqueue(step.value);
        } catch (error) {
          done();
          controller.abort();
          options.log(`result image transfer stopped: ${error instanceof Error ? error.message : 'error'}`);
          stream.error(error);
        }
      },
      async cancel() {
        done();
        await chunks.return(undefined);
        controller.abort();
      },
    });
    return { ok: true, contentType, contentLength, body };
  } finally {
    if (!handedOver) clearTimeout(timer);
  }
}

async function drop(response: Response, reason: ImageFailure): Promise<ImageFetch> {
  await response.body?.cancel().catch(() => undefined);
  return { ok: false, reason };
}

/** The redirect's absolute URL when it stays on the same origin; undefined otherwise. */
function redirectTarget(from: string, location: string | null): string | undefined {
  if (!location) return undefined;
  try {
    const next = new URL(location, from);
    return next.origin === new URL(from).origin ? next.href : undefined;
  } catch {
    return undefined;
  }
}

/* -------------------------------------------------------------------------------------------------
 * Content-Disposition
 * -----------------------------------------------------------------------------------------------*/

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>` for `stem.ext`: the stem loses path
 * separators, quotes, control and reserved characters (at most 100 characters) and falls back to
 * `fallback`; the ASCII form also loses accents and anything outside `A-Z a-z 0-9 . _ -`.
 */
export function contentDisposition(stem: string | undefined, ext: string, fallback: string): string {
  const clean = (stem ?? '')
    .normalize('NFC')
    // Control characters (C0, DEL, C1), path separators, quotes and reserved characters.
    .replace(/[\p{Cc}"\\/:*?<>|;%]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, 100);
  const unicode = clean || fallback;
  const ascii =
    unicode
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .replace(/_+$/, '') || fallback;
  const rfc5987 = encodeURIComponent(`${unicode}.${ext}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}.${ext}"; filename*=UTF-8''${rfc5987}`;
}
