/**
 * `GET /v1/images/generations/:id/images/:n`: result image `n` (1-based) of a task as a download,
 * for the task's owner only — anyone else gets the same 404 as for an unknown task (ownership.ts,
 * as the status route). Browsers cannot save a cross-origin image under a name of their choosing,
 * and the file host may not allow CORS, so the proxy fetches it (resultImage.ts) and streams it
 * back with `Content-Disposition: attachment`. The task is read from its last known terminal body,
 * else upstream like a status read; past `expires_at` the answer is 410.
 */
import { isExpired, resultExpiresAt } from '../../../src/core/expiry';
import { parseTask, type TaskSnapshot } from '../../../src/core/protocol';
import { fileNameTaskId, imageExtension } from '../../../src/core/util';
import type { Caller, Json, RequestContext } from '../context';
import type { ProxyDeps } from '../deps';
import type { Resolution } from '../ownership';
import { contentDisposition, fetchResultImage, type ImageFailure } from '../resultImage';

/** Largest image passed on. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** Time allowed for the whole transfer from the file host. */
const IMAGE_TIMEOUT_MS = 60_000;

export type ImageHandler = (ctx: RequestContext, caller: Caller, resolution: Resolution, n: number) => Promise<Response>;

export function createImageRoute({ config, responses, ownership, log }: ProxyDeps): ImageHandler {
  const expired = () =>
    responses.errorEnvelope(
      410,
      'result_expired',
      'invalid_request_error',
      'The results of this task have expired (they are kept 24 hours); generate the image again.',
    );
  const failed = (reason: ImageFailure): Response => {
    switch (reason) {
      case 'gone':
        return expired();
      case 'blocked_url':
        return responses.errorEnvelope(502, 'image_url_refused', 'server_error', 'The image URL points at an address the proxy does not fetch.');
      case 'redirect':
        return responses.errorEnvelope(502, 'upstream_redirect', 'server_error', 'The file host answered with a redirect to another host, which the proxy does not follow.');
      case 'not_image':
        return responses.errorEnvelope(502, 'upstream_not_image', 'server_error', 'The file host did not answer with an image.');
      case 'too_large':
        return responses.errorEnvelope(502, 'image_too_large', 'server_error', `The image is larger than the proxy passes on (${MAX_IMAGE_BYTES / 1024 / 1024} MB).`);
      case 'unreachable':
      case 'bad_status':
        return responses.errorEnvelope(502, 'image_unavailable', 'server_error', 'The image could not be fetched from the file host; please retry.');
      default:
        return reason satisfies never;
    }
  };

  /** The task's terminal body the proxy already holds (no upstream read), else a status read. */
  async function taskBody(ctx: RequestContext, caller: Caller, resolution: Resolution): Promise<Json | Response> {
    if (resolution.kind === 'task') {
      const record = await ownership.record(resolution.taskId);
      if (record?.ns === caller.ns && record.final) return record.final;
    }
    const found = await ownership.readTask(resolution, caller.ns, ctx.request);
    return found instanceof Response ? found : found.body;
  }

  return async function handleImage(ctx, caller, resolution, n) {
    const body = await taskBody(ctx, caller, resolution);
    if (body instanceof Response) return body;
    let task: TaskSnapshot;
    try {
      task = parseTask(body);
    } catch {
      return responses.badUpstream();
    }
    if (task.phase !== 'completed') {
      return responses.errorEnvelope(409, 'task_not_completed', 'invalid_request_error', 'The task has no images yet.');
    }
    if (isExpired(resultExpiresAt(task), Date.now())) return expired();
    const image = task.images[n - 1];
    if (!image) {
      return responses.errorEnvelope(404, 'image_not_found', 'not_found_error', `The task has ${task.images.length} image(s); there is no image ${n}.`, 'n');
    }
    const result = await fetchResultImage(image.url, {
      fetch: config.upstreamFetch,
      allowPrivate: config.allowPrivateReferenceUrls,
      maxBytes: MAX_IMAGE_BYTES,
      timeoutMs: IMAGE_TIMEOUT_MS,
      log,
    });
    if (!result.ok) return failed(result.reason);
    const asked = new URL(ctx.request.url).searchParams.get('filename');
    const stem = asked?.replace(/\.[A-Za-z0-9]{1,5}$/, '');
    const fallback = ['image', fileNameTaskId(task.id), String(n)].filter(Boolean).join('-');
    return new Response(result.body, {
      status: 200,
      headers: {
        'Content-Type': result.contentType,
        ...(result.contentLength !== undefined && { 'Content-Length': String(result.contentLength) }),
        'Content-Disposition': contentDisposition(stem, imageExtension(result.contentType, image.url), fallback),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}
