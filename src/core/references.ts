/**
 * Reference images before they are uploaded (docs/toapis-api.md §4, §6.1): what a file really is (magic
 * bytes, never its name or declared type), its pixel size from the header alone, whether it fits the
 * model's limits, a content hash so identical files upload once, and a downscaler for files over the
 * size limit. Decoding and encoding pixels is injected (`ImageCodec`), so this file stays DOM-free.
 */
import { ToapisError } from './errors';
import type { MessageParams } from './messages';
import type { ImageMimeType, ModelCapabilities } from './models';
import { formatBytes } from './util/bytes';
import { UPLOAD_MAX_BYTES, asciiBytes, bytesStartWith, sniffImageType } from './util/image';
import { gifDimensions, jpegDimensions, pngDimensions, webpDimensions, type HeaderResult } from './util/image-size';

// Shared with the proxy and the simulator; part of this module's public surface as before.
export { formatBytes, sniffImageType, UPLOAD_MAX_BYTES };

/* -------------------------------------------------------------------------------------------------
 * Types
 * -----------------------------------------------------------------------------------------------*/

/** The part of a `File` (or `Blob` with a name) this module reads. */
export interface ReferenceInput {
  name: string;
  size: number;
  type: string;
  slice(start?: number, end?: number): Blob;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Why a reference was refused. */
export type ReferenceProblemCode =
  | 'empty'
  | 'not_image'
  | 'unsupported_format'
  | 'too_large'
  | 'too_many'
  | 'duplicate'
  | 'corrupt';

/**
 * A refused reference: `code` (`reference.<code>` for a label pack) and `params` (`name`, the file's
 * name as plain text, and the limit: `max`, `size` in bytes, `formats`), with a plain-English
 * `message` naming the file and the limit as the fallback.
 */
export interface ReferenceProblem {
  code: ReferenceProblemCode;
  message: string;
  params?: MessageParams;
  /** The limit that was crossed (bytes, count), when there is one. */
  limit?: number;
}

/** What a tray accepts for one model. */
export interface ReferenceLimits {
  maxCount: number;
  maxBytes: number;
  formats: readonly ImageMimeType[];
}

/** Result of `inspectReference`. */
export type ReferenceInspection =
  | {
      ok: true;
      mimeType: ImageMimeType;
      /** From the header; absent when the header lies beyond the bytes read. */
      width?: number;
      height?: number;
      /** The file is over `limits.maxBytes`: downscale it (or refuse it) before uploading. */
      needsDownscale: boolean;
    }
  | { ok: false; problem: ReferenceProblem };

/** Decodes and re-encodes pixels; the browser implementation wraps `createImageBitmap` + `OffscreenCanvas`. */
export interface ImageCodec {
  decode(file: Blob): Promise<{ width: number; height: number; source: unknown }>;
  encode(
    source: unknown,
    width: number,
    height: number,
    type: 'image/jpeg' | 'image/webp' | 'image/png',
    quality: number,
  ): Promise<Blob>;
  release?(source: unknown): void;
  /**
   * SHA-256 of the whole content as lower-case hex, like `hashReference`, computed away from the
   * caller's thread (the browser codec hashes in its worker); the store uses `hashReference` without it.
   */
  hash?(file: Blob): Promise<string>;
}

/* -------------------------------------------------------------------------------------------------
 * Limits
 * -----------------------------------------------------------------------------------------------*/

/** Bytes read from the start of a file for sniffing and header parsing. */
const HEAD_BYTES = 64 * 1024;

/**
 * A tray's limits for a model: count is `min(trayMax ?? 14, model.maxReferences)`; bytes are the
 * model's limit capped by the upload endpoint's 10 MB, since every reference is uploaded first.
 */
export function limitsForModel(model: ModelCapabilities, trayMax?: number): ReferenceLimits {
  const tray = trayMax ?? 14;
  return {
    maxCount: Math.max(0, Math.min(tray, model.maxReferences)),
    maxBytes: Math.min(model.maxReferenceBytes, UPLOAD_MAX_BYTES),
    formats: model.referenceFormats,
  };
}

/** How many of `incoming` files fit next to `existingCount` under `maxCount`; the rest are rejected. */
export function planAdditions(existingCount: number, incoming: number, maxCount: number): { accept: number; reject: number } {
  const wanted = Math.max(0, Math.floor(incoming) || 0);
  const room = Math.max(0, (Math.floor(maxCount) || 0) - Math.max(0, Math.floor(existingCount) || 0));
  const accept = Math.min(wanted, room);
  return { accept, reject: wanted - accept };
}

/* -------------------------------------------------------------------------------------------------
 * Sniffing
 * -----------------------------------------------------------------------------------------------*/

/** What a non-sniffable file seems to be: an image the kit cannot send, or something else. */
/** `format` names an image format the kit cannot send; `kind` says what a non-image seems to be. */
type Lookalike = { image: boolean; what: string; format?: string; kind?: string } | null;

function describeUnknown(bytes: Uint8Array): Lookalike {
  if (bytesStartWith(bytes, asciiBytes('%PDF'))) return { image: false, what: 'a PDF', kind: 'pdf' };
  if (bytesStartWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || bytesStartWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return { image: false, what: 'a ZIP archive or Office document', kind: 'archive' };
  }
  if (bytesStartWith(bytes, asciiBytes('II*\0')) || bytesStartWith(bytes, asciiBytes('MM\0*'))) return { image: true, what: 'a TIFF image', format: 'TIFF' };
  if (bytesStartWith(bytes, asciiBytes('BM')) && bytesStartWith(bytes, [0, 0, 0, 0], 6)) return { image: true, what: 'a BMP image', format: 'BMP' };
  if (bytesStartWith(bytes, asciiBytes('ftyp'), 4) && bytes.length >= 12) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return { image: true, what: 'a HEIC image', format: 'HEIC' };
    if (/^avi[fs]$/.test(brand)) return { image: true, what: 'an AVIF image', format: 'AVIF' };
    return { image: false, what: 'a video', kind: 'video' };
  }
  if (looksLikeText(bytes)) {
    const head = String.fromCharCode(...bytes.subarray(0, 1024)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
    if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
      return { image: true, what: 'an SVG image', format: 'SVG' };
    }
    if (head.startsWith('<!doctype html') || head.startsWith('<html')) return { image: false, what: 'a web page', kind: 'web_page' };
    return { image: false, what: 'a text file', kind: 'text' };
  }
  return null;
}

/** No NUL bytes and almost only printable ASCII, whitespace or UTF-8 bytes in the first kilobyte. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1024);
  if (sample.length === 0) return false;
  let odd = 0;
  for (const b of sample) {
    if (b === 0) return false;
    const printable = b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f);
    if (!printable) odd += 1;
  }
  return odd / sample.length < 0.02;
}

/* -------------------------------------------------------------------------------------------------
 * Messages
 * -----------------------------------------------------------------------------------------------*/

/** The file name as plain, short, single-line text for a message (never markup); `''` when there is none. */
function plainName(name: string): string {
  const clean = String(name ?? '')
    .replace(/\s+/g, ' ')
    // eslint-disable-next-line no-control-regex -- stripping control and bidi characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  const chars = [...clean];
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : clean;
}

/** The file name quoted for an English message, or "The file". */
function displayName(name: string): string {
  const clean = plainName(name);
  return clean === '' ? 'The file' : `"${clean}"`;
}

const FORMAT_NAMES: Record<ImageMimeType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
};

/** The formats as a message parameter: `'JPEG, PNG, WebP'`. */
function formatNames(formats: readonly ImageMimeType[]): string {
  return formats.map((f) => FORMAT_NAMES[f]).join(', ');
}

function formatList(formats: readonly ImageMimeType[]): string {
  const names = formats.map((f) => FORMAT_NAMES[f]);
  if (names.length <= 1) return names[0] ?? 'no image format';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] as string}`;
}

/**
 * The standard problem for a code, naming the file and the limit, for callers that refuse a file
 * themselves (`too_large` after a failed downscale, `too_many` from `planAdditions`, `duplicate`).
 */
export function describeReferenceProblem(
  code: ReferenceProblemCode,
  file: { name: string; size?: number },
  limits: ReferenceLimits,
): ReferenceProblem {
  const name = displayName(file.name);
  const params: MessageParams = { name: plainName(file.name) };
  switch (code) {
    case 'empty':
      return { code, message: `${name} is empty.`, params };
    case 'not_image':
      return { code, message: `${name} is not an image.`, params };
    case 'unsupported_format':
      return { code, message: `${name} is not a supported image; use ${formatList(limits.formats)}.`, params: { ...params, formats: formatNames(limits.formats) } };
    case 'too_large': {
      const size = file.size !== undefined ? ` is ${formatBytes(file.size)};` : ' is too large;';
      return {
        code,
        message: `${name}${size} the limit is ${formatBytes(limits.maxBytes)}.`,
        params: { ...params, ...(file.size !== undefined && { size: file.size }), max: limits.maxBytes },
        limit: limits.maxBytes,
      };
    }
    case 'too_many':
      return {
        code,
        message: `${name} was not added: at most ${limits.maxCount} reference images are allowed.`,
        params: { ...params, max: limits.maxCount },
        limit: limits.maxCount,
      };
    case 'duplicate':
      return { code, message: `${name} has already been added.`, params };
    case 'corrupt':
      return { code, message: `${name} is damaged or incomplete and cannot be used.`, params };
    default:
      return code satisfies never;
  }
}

/* -------------------------------------------------------------------------------------------------
 * Inspection
 * -----------------------------------------------------------------------------------------------*/

/**
 * Checks one file by content: reads only its first 64 KiB, sniffs the real type and parses the pixel
 * size from the header. Never rejects: every failure is a `problem`. A file over `limits.maxBytes`
 * is still `ok` with `needsDownscale: true`; the caller downscales or refuses it.
 */
export async function inspectReference(file: ReferenceInput, limits: ReferenceLimits): Promise<ReferenceInspection> {
  const problem = (code: ReferenceProblemCode, message?: string, extra?: MessageParams): ReferenceInspection => {
    const standard = describeReferenceProblem(code, file, limits);
    const params = extra ? { ...standard.params, ...extra } : standard.params;
    return { ok: false, problem: message === undefined ? standard : { ...standard, message, ...(params && { params }) } };
  };
  try {
    if (file.size === 0) return problem('empty');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    } catch {
      return problem('corrupt', `${displayName(file.name)} could not be read.`);
    }
    if (bytes.length === 0) return problem('empty');

    const mimeType = sniffImageType(bytes);
    const name = displayName(file.name);
    if (mimeType === null) {
      const like = describeUnknown(bytes);
      if (like?.image) {
        return problem('unsupported_format', `${name} is ${like.what}; use ${formatList(limits.formats)}.`, like.format ? { format: like.format } : undefined);
      }
      return problem('not_image', like ? `${name} is not an image (it looks like ${like.what}).` : undefined, like?.kind ? { kind: like.kind } : undefined);
    }
    if (!limits.formats.includes(mimeType)) {
      return problem('unsupported_format', `${name} is a ${FORMAT_NAMES[mimeType]} image; use ${formatList(limits.formats)}.`, {
        format: FORMAT_NAMES[mimeType],
      });
    }

    const complete = bytes.length >= file.size;
    let header: HeaderResult;
    switch (mimeType) {
      case 'image/png':
        header = pngDimensions(bytes);
        break;
      case 'image/gif':
        header = gifDimensions(bytes);
        break;
      case 'image/webp':
        header = webpDimensions(bytes);
        break;
      case 'image/jpeg':
        header = jpegDimensions(bytes, complete);
        break;
      default:
        header = mimeType satisfies never;
    }
    if (header === 'corrupt') return problem('corrupt');
    const needsDownscale = file.size > limits.maxBytes;
    return header === 'unknown'
      ? { ok: true, mimeType, needsDownscale }
      : { ok: true, mimeType, width: header.width, height: header.height, needsDownscale };
  } catch {
    // A hostile `ReferenceInput` (throwing getters, odd slices) still gets an answer, never a rejection.
    return { ok: false, problem: { code: 'corrupt', message: 'The file could not be read.', params: { name: '' } } };
  }
}

/* -------------------------------------------------------------------------------------------------
 * Hashing
 * -----------------------------------------------------------------------------------------------*/

/** SHA-256 of the whole content, lower-case hex, so identical files upload once. */
export async function hashReference(file: ReferenceInput | Uint8Array): Promise<string> {
  const data = file instanceof Uint8Array ? new Uint8Array(file) : new Uint8Array(await file.arrayBuffer());
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/* -------------------------------------------------------------------------------------------------
 * Downscaling
 * -----------------------------------------------------------------------------------------------*/

const MAX_ATTEMPTS = 8;
const QUALITIES = [0.92, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55] as const;
const MIN_SIDE = 64;

/**
 * Re-encodes an image until it is at most `maxBytes`: the long side starts at `maxSide` (4096) or the
 * image's own, then shrinks by at least a quarter per attempt (more when far off) while the quality
 * steps down; at most 8 encodes. A file already small enough comes back unchanged. Throws
 * `ToapisError('invalid_request')` when the image cannot be decoded or cannot be made small enough.
 */
export async function downscaleToFit(
  file: Blob,
  maxBytes: number,
  codec: ImageCodec,
  options: { maxSide?: number; type?: 'image/jpeg' | 'image/webp' } = {},
): Promise<Blob> {
  if (!(maxBytes > 0)) throw new ToapisError('invalid_request', 'The size limit for the image must be positive.');
  if (file.size <= maxBytes) return file;

  let decoded: { width: number; height: number; source: unknown };
  try {
    decoded = await codec.decode(file);
  } catch (cause) {
    throw new ToapisError('invalid_request', 'The image could not be decoded to make it smaller.', { cause });
  }
  const { width, height, source } = decoded;
  const type = options.type ?? 'image/jpeg';
  try {
    const long = Math.max(width, height);
    if (!(long > 0)) throw new ToapisError('invalid_request', 'The image has no pixels to make smaller.');
    let side = Math.min(long, Math.max(1, options.maxSide ?? 4096));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const scale = side / long;
      const w = Math.max(1, Math.round(width * scale));
      const h = Math.max(1, Math.round(height * scale));
      let blob: Blob;
      try {
        blob = await codec.encode(source, w, h, type, QUALITIES[attempt] ?? 0.55);
      } catch (cause) {
        throw new ToapisError('invalid_request', 'The image could not be re-encoded to make it smaller.', { cause });
      }
      if (blob.size <= maxBytes) return blob;
      // Encoded size grows roughly with the pixel area: aim under the limit, but shrink at least 25 %.
      const factor = Math.max(0.25, Math.min(0.75, Math.sqrt(maxBytes / blob.size) * 0.95));
      side = Math.floor(side * factor);
      if (side < MIN_SIDE) break;
    }
  } finally {
    codec.release?.(source);
  }
  throw new ToapisError('invalid_request', `The image could not be made smaller than ${formatBytes(maxBytes)}.`);
}
