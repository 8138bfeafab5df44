/**
 * `POST /v1/uploads/images`: a multipart `file`, parsed while it streams in
 * (@remix-run/multipart-parser) with a byte cap, a deadline and the shared memory budget, checked
 * by magic bytes (JPEG, PNG, WebP or GIF) and re-sent to ToAPIs in a fresh multipart body.
 *
 * Memory: the body is copied as it arrives into one buffer (sized by Content-Length when declared,
 * with room kept before and after it), and the parser hands out views of it, so the file is held
 * once; the upstream form is written around the file in that same buffer (a second copy only when
 * the file arrived split across buffers), and fetch sends it as it is. One large block per copy, rather than thousands of socket-sized ones, is also what lets the
 * process give the memory back afterwards. A refused upload is answered unread, and its connection
 * closed. Uploads in flight are capped
 * (`maxConcurrentUploads`), and every byte read counts against `maxBufferedBytes` until the upload
 * is answered; over either cap the answer is 503 with `Retry-After`.
 */
import { MultipartParseError, MultipartParser, MaxFileSizeExceededError, type MultipartPart } from '@remix-run/multipart-parser';
import { formatBytes, isRecord, safeFileName, sniffImageType } from '../../../src/core/util';
import { ReadError, readChunks } from '../body';
import { BUSY_MESSAGE, BUSY_RETRY_AFTER_S, UPLOADS_PATH } from '../config';
import type { ProxyDeps, RouteHandler } from '../deps';

/** Multipart framing allowed on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;
/** Parts accepted in one upload form (`file`, `purpose` and a little slack). */
const MAX_PARTS = 8;
/** First size of the receive buffer when the body declares no Content-Length. */
const INITIAL_BUFFER_BYTES = 1024 * 1024;
/** Bytes kept free before and after the body in the receive buffer, where the upstream form's framing goes. */
const HEADROOM = 512;
const TAILROOM = 512;
/** Bytes read from the start of the file for sniffing. */
const SNIFF_BYTES = 32;
const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i;

export function createUploadRoute({ config, responses, upstream, resources, admit, ownership }: ProxyDeps): RouteHandler {
  const { maxUploadBytes, bodyTimeoutMs } = config.limits;
  const { uploadError } = responses;

  return async function handleUpload(ctx) {
    const { request } = ctx;
    const caller = await admit(ctx);
    if (caller instanceof Response) return refuseUnread(request, caller);
    const contentType = request.headers.get('content-type') ?? '';
    const boundaryMatch = /^multipart\/form-data\s*;/i.test(contentType) && contentType.length <= 512 ? BOUNDARY.exec(contentType) : null;
    const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
    if (!boundary) return uploadError(400, 'Send the image as multipart/form-data with a "file" field.');
    const tooLarge = uploadError(413, `File too large; the maximum is ${formatBytes(maxUploadBytes)} per file.`);

    const release = resources.acquireUpload();
    if (!release) return refuseUnread(request, responses.busy('uploads_busy', BUSY_MESSAGE, BUSY_RETRY_AFTER_S, true));
    const lease = resources.lease();
    try {
      const parsed = await readForm(request, boundary, { limit: maxUploadBytes + UPLOAD_OVERHEAD_BYTES, timeoutMs: bodyTimeoutMs, lease, maxUploadBytes });
      switch (parsed.kind) {
        case 'too_large':
          return tooLarge;
        case 'timeout':
          return responses.requestTimeout(true);
        case 'busy':
          return responses.busy('proxy_busy', BUSY_MESSAGE, BUSY_RETRY_AFTER_S, true);
        case 'bad':
          return uploadError(400, parsed.message);
        case 'ok':
          break;
      }
      const { file, purpose } = parsed;
      const mimeType = sniffImageType(firstBytes(file.content, SNIFF_BYTES));
      if (!mimeType) return uploadError(400, 'Unsupported file type; use JPEG, PNG, WebP or GIF.');

      const form = multipartBody(file.content, safeFileName(file.filename ?? '', mimeType), mimeType, purpose !== undefined && /^[a-z_]{1,32}$/.test(purpose) ? purpose : undefined);
      file.content.length = 0;

      const result = await upstream.call('POST', UPLOADS_PATH, { client: request, body: form.body, contentType: form.contentType });
      if (!result.ok) return responses.upstreamFailed(result.reason);
      if (result.status !== 200) return responses.relayError(result);
      if (!isRecord(result.body)) return responses.badUpstream();
      // The URL is this caller's: a submit's mask_url must be one the proxy handed out (issue 15).
      const url = isRecord(result.body.data) ? result.body.data.url : undefined;
      if (typeof url === 'string' && url.length <= 4096) await ownership.rememberUpload(url, caller.ns);
      return responses.json(200, result.body);
    } finally {
      lease.done();
      release();
    }
  };
}

/**
 * A refused upload is answered without reading its body, and its connection is closed: a client
 * that sends the file anyway does not make the proxy take in megabytes only to drop them.
 */
async function refuseUnread(request: Request, answer: Response): Promise<Response> {
  await request.body?.cancel().catch(() => undefined);
  answer.headers.set('Connection', 'close');
  return answer;
}

type FormRead =
  | { kind: 'ok'; file: MultipartPart; purpose: string | undefined }
  | { kind: 'too_large' | 'timeout' | 'busy' }
  | { kind: 'bad'; message: string };

/** Streams the multipart body through the parser, keeping only the first `file` part and `purpose`. */
async function readForm(
  request: Request,
  boundary: string,
  { maxUploadBytes, ...limits }: { limit: number; timeoutMs: number; lease: ReturnType<ProxyDeps['resources']['lease']>; maxUploadBytes: number },
): Promise<FormRead> {
  const parser = new MultipartParser(boundary, {
    maxFileSize: maxUploadBytes,
    maxTotalSize: limits.limit,
    maxParts: MAX_PARTS,
    maxHeaderSize: 8 * 1024,
  });
  let file: MultipartPart | undefined;
  let purpose: string | undefined;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  // Room around the body for the upstream form's own framing (see multipartBody).
  let buffer = new Uint8Array(HEADROOM + (Number.isSafeInteger(declared) && declared > 0 && declared <= limits.limit ? declared : INITIAL_BUFFER_BYTES) + TAILROOM);
  let used = HEADROOM;
  try {
    for await (const chunk of readChunks(request.body, request.headers, limits)) {
      if (used + chunk.byteLength + TAILROOM > buffer.byteLength) {
        // No (or a wrong) Content-Length: grow by doubling; views handed out earlier keep the old block.
        const body = Math.min(limits.limit, Math.max(used - HEADROOM + chunk.byteLength, (buffer.byteLength - HEADROOM - TAILROOM) * 2));
        const grown = new Uint8Array(HEADROOM + body + TAILROOM);
        grown.set(buffer.subarray(0, used));
        buffer = grown;
      }
      buffer.set(chunk, used);
      const view = buffer.subarray(used, used + chunk.byteLength);
      used += chunk.byteLength;
      for (const part of parser.write(view)) {
        if (part.name === 'file' && part.filename !== undefined && !file) file = part;
        else if (part.name === 'purpose' && purpose === undefined && part.size <= 64) purpose = part.text;
      }
    }
    parser.finish();
  } catch (error) {
    if (error instanceof ReadError) {
      if (error.reason === 'unreadable') return { kind: 'bad', message: 'The upload could not be read.' };
      return { kind: error.reason };
    }
    if (error instanceof MaxFileSizeExceededError) return { kind: 'too_large' };
    if (error instanceof MultipartParseError) return { kind: 'bad', message: 'The multipart body could not be read.' };
    return { kind: 'bad', message: 'The multipart body could not be read.' };
  }
  if (!file) return { kind: 'bad', message: 'Missing the "file" field.' };
  if (file.size === 0) return { kind: 'bad', message: 'The file is empty.' };
  if (file.size > maxUploadBytes) return { kind: 'too_large' };
  return { kind: 'ok', file, purpose };
}

/**
 * The upstream form as one buffer: the part headers, the file's bytes, the `purpose` field and the
 * closing boundary; fetch sends it as it is, with its length. When the file is one run of the
 * receive buffer (the usual case), the form is written around it in place, over the client's own
 * framing and into the room kept before and after the body, so the file is never copied again;
 * otherwise its pieces are copied into a new buffer (the upload's second copy). A FormData with a
 * Blob would add the Blob's copy and the stream's chunks on top.
 */
function multipartBody(chunks: readonly Uint8Array[], filename: string, mimeType: string, purpose: string | undefined): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----toapis-kit-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${mimeType}\r\n\r\n`);
  const tail = encoder.encode(
    (purpose === undefined ? '' : `\r\n--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}`) + `\r\n--${boundary}--\r\n`,
  );
  const run = oneRun(chunks);
  if (run && run.byteOffset >= head.byteLength && run.byteOffset + run.byteLength + tail.byteLength <= run.buffer.byteLength) {
    const start = run.byteOffset - head.byteLength;
    const body = new Uint8Array(run.buffer, start, head.byteLength + run.byteLength + tail.byteLength);
    body.set(head, 0);
    body.set(tail, head.byteLength + run.byteLength);
    return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  }
  const size = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const body = new Uint8Array(head.byteLength + size + tail.byteLength);
  body.set(head, 0);
  let offset = head.byteLength;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  body.set(tail, offset);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The chunks as one view when they are consecutive pieces of one buffer, else undefined. */
function oneRun(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> | undefined {
  const first = chunks[0];
  if (!first || !(first.buffer instanceof ArrayBuffer)) return undefined;
  let end = first.byteOffset + first.byteLength;
  for (const chunk of chunks.slice(1)) {
    if (chunk.buffer !== first.buffer || chunk.byteOffset !== end) return undefined;
    end += chunk.byteLength;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** The first `n` bytes of a list of chunks (fewer when the chunks are shorter). */
function firstBytes(chunks: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(Math.min(n, chunks.reduce((sum, c) => sum + c.byteLength, 0)));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= out.length) break;
    const piece = chunk.subarray(0, out.length - offset);
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}
