/**
 * The width and height in an image file's header, read from its first bytes (no decoding): PNG's
 * IHDR, GIF's logical screen, WebP's VP8/VP8L/VP8X chunk, JPEG's first frame header. Used by
 * `inspectReference` (references.ts).
 */
import { asciiBytes, bytesStartWith } from './image';

type Dimensions = { width: number; height: number };
/** `corrupt`: the header is wrong; `unknown`: it lies beyond the bytes read (the file is longer). */
export type HeaderResult = Dimensions | 'corrupt' | 'unknown';

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 0x10000 + u16be(b, i + 2);

function dims(width: number, height: number): HeaderResult {
  return width > 0 && height > 0 && width <= 0x7fffffff && height <= 0x7fffffff ? { width, height } : 'corrupt';
}

export function pngDimensions(b: Uint8Array): HeaderResult {
  // The first chunk must be a 13-byte IHDR (PNG spec §11.2.2).
  if (b.length < 24 || !bytesStartWith(b, [0, 0, 0, 13], 8) || !bytesStartWith(b, asciiBytes('IHDR'), 12)) return 'corrupt';
  return dims(u32be(b, 16), u32be(b, 20));
}

export function gifDimensions(b: Uint8Array): HeaderResult {
  if (b.length < 10) return 'corrupt';
  return dims(u16le(b, 6), u16le(b, 8));
}

export function webpDimensions(b: Uint8Array): HeaderResult {
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (chunk === 'VP8 ') {
    if (b.length < 30 || !bytesStartWith(b, [0x9d, 0x01, 0x2a], 23)) return 'corrupt';
    return dims(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b.length < 25 || b[20] !== 0x2f) return 'corrupt';
    const b1 = b[21] ?? 0;
    const b2 = b[22] ?? 0;
    const b3 = b[23] ?? 0;
    const b4 = b[24] ?? 0;
    return dims(1 + (((b2 & 0x3f) << 8) | b1), 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6)));
  }
  if (chunk === 'VP8X') return b.length < 30 ? 'corrupt' : dims(1 + u24le(b, 24), 1 + u24le(b, 27));
  return 'corrupt';
}

/** Walks the JPEG marker segments to the first SOFn frame header (ITU T.81 §B.2). */
export function jpegDimensions(b: Uint8Array, complete: boolean): HeaderResult {
  const truncated: HeaderResult = complete ? 'corrupt' : 'unknown';
  let p = 2;
  for (;;) {
    if (p >= b.length) return truncated;
    if (b[p] !== 0xff) return 'corrupt';
    while (b[p] === 0xff) p += 1; // fill bytes
    if (p >= b.length) return truncated;
    const marker = b[p] as number;
    p += 1;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // standalone markers
    if (marker === 0xd9 || marker === 0xda) return 'corrupt'; // end of image / scan before any frame
    if (p + 2 > b.length) return truncated;
    const length = u16be(b, p);
    if (length < 2) return 'corrupt';
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 8) return 'corrupt';
      if (p + 7 > b.length) return truncated;
      return dims(u16be(b, p + 5), u16be(b, p + 3));
    }
    p += length;
  }
}

/**
 * The EXIF orientation (1–8) of a JPEG from its APP1 `Exif` segment in the first bytes, 1 when it
 * has none or the bytes end first. Browsers draw the image turned by it (`image-orientation:
 * from-image`, `createImageBitmap`'s default), so 5–8 swap the width and height a decode reports.
 */
export function jpegOrientation(b: Uint8Array): number {
  let p = 2;
  while (p + 4 <= b.length && b[p] === 0xff) {
    const marker = b[p + 1] as number;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9 || (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)) return 1;
    const length = u16be(b, p + 2);
    if (length < 2) return 1;
    if (marker === 0xe1 && bytesStartWith(b, [...asciiBytes('Exif'), 0, 0], p + 4)) return exifOrientation(b, p + 10, p + 2 + length);
    p += 2 + length;
  }
  return 1;
}

function exifOrientation(b: Uint8Array, tiff: number, end: number): number {
  const little = bytesStartWith(b, asciiBytes('II'), tiff);
  if (!little && !bytesStartWith(b, asciiBytes('MM'), tiff)) return 1;
  const u16 = (i: number) => (little ? u16le(b, i) : u16be(b, i));
  const u32 = (i: number) => (little ? u16le(b, i) + u16le(b, i + 2) * 0x10000 : u32be(b, i));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > Math.min(end, b.length)) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i += 1) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > Math.min(end, b.length)) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
