/**
 * The simulator's common checks of a submit body (both profiles) and of `size` values; the strict
 * profile adds per-model checks (strict.ts).
 */
import { isHttpUrl, isRecord } from '../../src/core/util';
import { openAiError } from './responses';

const MAX_IMAGE_URLS = 16;
const MAX_N = 10;
const MAX_URL_CHARS = 4096;
const IMAGE_LONG_SIDE = 256;
const SIZE_RATIO = /^(\d{1,5}):(\d{1,5})$/;
const SIZE_PIXELS = /^(\d{1,5})x(\d{1,5})$/i;

/** The `client_business_id` of a submit, at the top level or in `metadata`. */
export function businessIdOf(fields: Record<string, unknown>): string | undefined {
  if (typeof fields.client_business_id === 'string' && fields.client_business_id !== '') return fields.client_business_id;
  const metadata = fields.metadata;
  if (isRecord(metadata) && typeof metadata.client_business_id === 'string' && metadata.client_business_id !== '') {
    return metadata.client_business_id;
  }
  return undefined;
}

function invalid(param: string, message: string): Response {
  return openAiError(400, 'invalid_request', 'invalid_request_error', message, param);
}

/**
 * Field checks common to every model; returns the first 400 or `undefined` when the body is
 * acceptable. `perModel` (the strict profile) leaves the ranges of `n` and of the reference count
 * to the model's own limits (strict.ts).
 */
export function validateSubmit(body: unknown, perModel = false): Response | undefined {
  if (!isRecord(body)) return invalid('body', 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model.trim() === '') return invalid('model', 'model is required');
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return invalid('prompt', 'prompt is required');
  if (body.size !== undefined) {
    if (typeof body.size !== 'string' || !parseSize(body.size)) {
      return invalid('size', `Unsupported aspect ratio ${String(body.size)} for this model`);
    }
  }
  if (body.n !== undefined) {
    if (typeof body.n !== 'number' || !Number.isInteger(body.n)) return invalid('n', 'n must be a JSON integer');
    if (!perModel && (body.n < 1 || body.n > MAX_N)) return invalid('n', `n must be between 1 and ${MAX_N}`);
  }
  for (const field of ['image_urls', 'reference_images'] as const) {
    const urls = body[field];
    if (urls === undefined) continue;
    if (!Array.isArray(urls)) return invalid(field, `${field} must be an array of URLs`);
    if (!perModel && urls.length > MAX_IMAGE_URLS) return invalid(field, `At most ${MAX_IMAGE_URLS} reference images are allowed`);
    if (!urls.every((url) => isHttpUrl(url, MAX_URL_CHARS))) {
      return invalid(field, `${field} must hold http(s) URLs; upload local images first via /v1/uploads/images`);
    }
  }
  if (body.mask_url !== undefined && !isHttpUrl(body.mask_url, MAX_URL_CHARS)) {
    return invalid('mask_url', 'mask_url must be an http(s) URL');
  }
  if (body.callback_url !== undefined && !isHttpUrl(body.callback_url, MAX_URL_CHARS)) {
    return invalid('callback_url', 'callback_url must be an http(s) URL');
  }
  if (body.metadata !== undefined && !isRecord(body.metadata)) return invalid('metadata', 'metadata must be an object');
  if (body.client_business_id !== undefined) {
    const id = body.client_business_id;
    if (typeof id !== 'string' || id === '' || id.length > 128) {
      return invalid('client_business_id', 'client_business_id must be a string of 1 to 128 characters');
    }
  }
  return undefined;
}

/** Width:height of a `size` value: `W:H`, pixel `WxH`, or `auto`/`match_input_image` (square). */
function parseSize(size: string): [number, number] | undefined {
  if (size === 'auto' || size === 'match_input_image') return [1, 1];
  const m = SIZE_RATIO.exec(size) ?? SIZE_PIXELS.exec(size);
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? [w, h] : undefined;
}

/** Placeholder dimensions: the task's aspect ratio with a long side of 256 px. */
export function imageDimensions(size: string): [number, number] {
  const [w, h] = parseSize(size) ?? [1, 1];
  if (w >= h) return [IMAGE_LONG_SIDE, Math.max(1, Math.round((IMAGE_LONG_SIDE * h) / w))];
  return [Math.max(1, Math.round((IMAGE_LONG_SIDE * w) / h)), IMAGE_LONG_SIDE];
}
