/**
 * `POST /v1/uploads/images`: a multipart `file`, read with a byte cap while it streams in, checked
 * by magic bytes (JPEG, PNG, WebP or GIF) and re-encoded into a fresh multipart body for ToAPIs.
 */
import { formatBytes, isRecord, safeFileName, sniffImageType } from '../../../src/core/util';
import { readBounded } from '../body';
import { UPLOADS_PATH } from '../config';
import type { ProxyDeps, RouteHandler } from '../context';

/** Multipart framing allowed on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;

export function createUploadRoute({ config, responses, upstream, admit }: ProxyDeps): RouteHandler {
  const { maxUploadBytes } = config.limits;
  const { uploadError } = responses;

  return async function handleUpload(ctx) {
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const { request } = ctx;
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^multipart\/form-data\s*;(.*;)?\s*boundary=/i.test(contentType) || contentType.length > 512) {
      return uploadError(400, 'Send the image as multipart/form-data with a "file" field.');
    }
    const tooLarge = uploadError(413, `File too large; the maximum is ${formatBytes(maxUploadBytes)} per file.`);
    const read = await readBounded(request.body, request.headers, maxUploadBytes + UPLOAD_OVERHEAD_BYTES);
    if (!read.ok) return read.reason === 'too_large' ? tooLarge : uploadError(400, 'The upload could not be read.');

    let form: FormData;
    try {
      form = await new Request('http://proxy.invalid/', {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: read.bytes,
      }).formData();
    } catch {
      return uploadError(400, 'The multipart body could not be read.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') return uploadError(400, 'Missing the "file" field.');
    if (file.size === 0) return uploadError(400, 'The file is empty.');
    if (file.size > maxUploadBytes) return tooLarge;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const mimeType = sniffImageType(bytes);
    if (!mimeType) return uploadError(400, 'Unsupported file type; use JPEG, PNG, WebP or GIF.');

    const upstreamForm = new FormData();
    upstreamForm.set('file', new Blob([bytes], { type: mimeType }), safeFileName(file.name, mimeType));
    const purpose = form.get('purpose');
    if (typeof purpose === 'string' && /^[a-z_]{1,32}$/.test(purpose)) upstreamForm.set('purpose', purpose);

    const result = await upstream.call('POST', UPLOADS_PATH, { client: request, body: upstreamForm });
    if (!result.ok) return responses.upstreamFailed(result.reason);
    if (result.status !== 200) return responses.relayError(result);
    if (!isRecord(result.body)) return responses.badUpstream();
    return responses.json(200, result.body);
  };
}
