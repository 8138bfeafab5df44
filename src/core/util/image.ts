/**
 * Image files as the upload endpoint (`POST /v1/uploads/images`) sees them: the size cap, the real type by
 * magic bytes (never the name or declared type), and a file name safe to put in a multipart body.
 * Shared by the kit, the proxy and the simulator.
 */
import type { ImageMimeType } from '../models';

/** `POST /v1/uploads/images` refuses files over 10 MB (docs/toapis-api.md §4); every reference goes through it. */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Whether `bytes` holds `signature` at `offset`. */
export function bytesStartWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

/** The character codes of an ASCII text, for comparing with {@link bytesStartWith}. */
export function asciiBytes(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87A = asciiBytes('GIF87a');
const GIF89A = asciiBytes('GIF89a');
const RIFF = asciiBytes('RIFF');
const WEBP = asciiBytes('WEBP');

/** The image type the bytes really hold (JPEG, PNG, GIF, WebP), or `null` for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | null {
  if (bytesStartWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytesStartWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytesStartWith(bytes, GIF87A) || bytesStartWith(bytes, GIF89A)) return 'image/gif';
  if (bytesStartWith(bytes, RIFF) && bytesStartWith(bytes, WEBP, 8)) return 'image/webp';
  return null;
}

/** The file extension of each image type the kit uploads. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };

/**
 * A multipart file name that carries no path, markup or white space, whatever the user's file was
 * called: the stem keeps only letters, digits, `_` and `-` (at most 64), `reference` when nothing is
 * left, and the extension follows `mimeType` (`jpg` for a type it does not know).
 */
export function safeFileName(name: string, mimeType: string): string {
  const stem = name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
  return `${stem || 'reference'}.${IMAGE_EXTENSIONS[mimeType] ?? 'jpg'}`;
}
