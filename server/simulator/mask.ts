/**
 * Inpainting masks (issue 15): a submit's `mask_url` that names one of the simulator's own uploads
 * is decoded here, so the results can show where the mask was transparent (png.ts tints it). Runs
 * in Node and in the browser (Storybook through MSW): the PNG's zlib data is inflated with
 * `DecompressionStream('deflate')`. Only 8-bit RGBA and gray+alpha PNGs, not interlaced, are read;
 * anything else counts as no mask.
 */
import { pngDimensions } from '../../src/core/util/image-size';

/** A decoded mask: one alpha byte a pixel, rows top to bottom. */
export interface MaskAlpha {
  width: number;
  height: number;
  alpha: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Largest mask decoded (pixels): a 12 MP reference's mask and some room. */
const MAX_PIXELS = 40_000_000;

/** Whether the bytes start like a PNG. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The pixel size in a PNG's header, or undefined when it is not a readable PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (!isPng(bytes)) return undefined;
  const size = pngDimensions(bytes);
  return typeof size === 'object' ? size : undefined;
}

/** The alpha channel of an 8-bit RGBA or gray+alpha PNG; undefined for anything else (never throws). */
export async function decodePngAlpha(bytes: Uint8Array): Promise<MaskAlpha | undefined> {
  try {
    return await decode(bytes);
  } catch {
    return undefined;
  }
}

async function decode(bytes: Uint8Array): Promise<MaskAlpha | undefined> {
  const size = pngSize(bytes);
  if (!size) return undefined;
  const { width, height } = size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const depth = bytes[24];
  const colourType = bytes[25];
  const interlace = bytes[28];
  const channels = colourType === 6 ? 4 : colourType === 4 ? 2 : 0;
  if (depth !== 8 || channels === 0 || interlace !== 0 || width * height > MAX_PIXELS) return undefined;

  const idat: Uint8Array[] = [];
  for (let o = 8; o + 12 <= bytes.length; ) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
    if (o + 12 + length > bytes.length) return undefined;
    if (type === 'IDAT') idat.push(bytes.subarray(o + 8, o + 8 + length));
    if (type === 'IEND') break;
    o += 12 + length;
  }
  if (idat.length === 0) return undefined;
  const stride = width * channels;
  const raw = await inflate(idat, (stride + 1) * height);
  if (!raw || raw.length < (stride + 1) * height) return undefined;

  const alpha = new Uint8Array(width * height);
  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    if (!unfilter(raw[row]!, raw.subarray(row + 1, row + 1 + stride), previous, current, channels)) return undefined;
    for (let x = 0; x < width; x++) alpha[y * width + x] = current[x * channels + channels - 1]!;
    [previous, current] = [current, previous];
  }
  return { width, height, alpha };
}

/** The zlib stream inflated, at most `limit` bytes (more is cut off); undefined when it is broken. */
async function inflate(parts: readonly Uint8Array[], limit: number): Promise<Uint8Array | undefined> {
  const stream = new Blob(parts as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const out = new Uint8Array(limit);
  let used = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = Math.min(value.length, limit - used);
    out.set(value.subarray(0, take), used);
    used += take;
    if (used >= limit) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return used === limit ? out : undefined;
}

/** One scanline's filter undone into `out` (PNG spec §9); false for an unknown filter type. */
function unfilter(filter: number, line: Uint8Array, prior: Uint8Array, out: Uint8Array, bpp: number): boolean {
  const n = line.length;
  switch (filter) {
    case 0:
      out.set(line);
      return true;
    case 1:
      for (let i = 0; i < n; i++) out[i] = (line[i]! + (i >= bpp ? out[i - bpp]! : 0)) & 0xff;
      return true;
    case 2:
      for (let i = 0; i < n; i++) out[i] = (line[i]! + prior[i]!) & 0xff;
      return true;
    case 3:
      for (let i = 0; i < n; i++) out[i] = (line[i]! + (((i >= bpp ? out[i - bpp]! : 0) + prior[i]!) >> 1)) & 0xff;
      return true;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? out[i - bpp]! : 0;
        const b = prior[i]!;
        const c = i >= bpp ? prior[i - bpp]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out[i] = (line[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return true;
    default:
      return false;
  }
}

/**
 * The mask scaled (nearest pixel) to an output of `width`×`height`: one byte a pixel, 1 where the
 * mask is transparent (alpha below half), i.e. where the model repaints.
 */
export function repaintArea(mask: MaskAlpha, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const my = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const mx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = mask.alpha[my * mask.width + mx]! < 128 ? 1 : 0;
    }
  }
  return out;
}
