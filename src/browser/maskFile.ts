/**
 * The mask file (issue 15): from the MaskEditor's working bitmap (one byte per pixel, 255 = repaint)
 * to the PNG the models take — RGBA, exactly the reference's pixel size, the painted area
 * transparent (alpha 0) and the rest opaque black (alpha 255) — plus a small picture of the painted
 * area for the tray's overlay. `renderMaskFiles` runs in the image worker (./imageWorker.ts, op
 * `mask`) with `OffscreenCanvas`; `encodeMaskFiles` is the plain-JavaScript fallback for where there
 * is no canvas at all (jsdom): exact but slow on big images. No DOM globals at import time.
 */

export interface MaskFileInput {
  /** The working bitmap, `maskWidth` × `maskHeight` bytes: 255 where to repaint, 0 elsewhere. */
  mask: Uint8Array;
  maskWidth: number;
  maskHeight: number;
  /** The file's pixel size: the reference's. */
  width: number;
  height: number;
}

export interface MaskFiles {
  /** The PNG to send as `mask_url`. */
  file: Blob;
  /** A small PNG: the painted area tinted, the rest transparent. */
  preview: Blob;
}

/** Longest side of the tray's preview. */
export const MASK_PREVIEW_SIDE = 256;
/** RGBA of the painted area in the preview (the tray shows it half transparent over the thumbnail). */
const PREVIEW_RGBA = [220, 38, 38, 255] as const;

function previewSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MASK_PREVIEW_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * RGBA pixels at `width` × `height` from the working bitmap, nearest neighbour: `painted` where the
 * mask is set, `kept` elsewhere.
 */
export function maskPixels(input: MaskFileInput, width: number, height: number, painted: readonly number[], kept: readonly number[]): Uint8ClampedArray<ArrayBuffer> {
  const { mask, maskWidth, maskHeight } = input;
  const out = new Uint8ClampedArray(width * height * 4);
  const columns = new Uint32Array(width);
  for (let x = 0; x < width; x += 1) columns[x] = Math.min(maskWidth - 1, Math.floor(((x + 0.5) * maskWidth) / width));
  for (let y = 0; y < height; y += 1) {
    const row = Math.min(maskHeight - 1, Math.floor(((y + 0.5) * maskHeight) / height)) * maskWidth;
    for (let x = 0, o = y * width * 4; x < width; x += 1, o += 4) {
      const c = mask[row + columns[x]!] ? painted : kept;
      out[o] = c[0]!;
      out[o + 1] = c[1]!;
      out[o + 2] = c[2]!;
      out[o + 3] = c[3]!;
    }
  }
  return out;
}

/**
 * Both files with `OffscreenCanvas`: the working bitmap drawn at its own size, then scaled up with
 * smoothing off (alpha stays exactly 0 or 255) and encoded as PNG.
 */
export async function renderMaskFiles(input: MaskFileInput): Promise<MaskFiles> {
  const { maskWidth, maskHeight, width, height } = input;
  const small = new OffscreenCanvas(maskWidth, maskHeight);
  const smallCtx = small.getContext('2d');
  if (!smallCtx) throw new Error('2D canvas unavailable');
  smallCtx.putImageData(new ImageData(maskPixels(input, maskWidth, maskHeight, [0, 0, 0, 0], [0, 0, 0, 255]), maskWidth, maskHeight), 0, 0);
  const full = new OffscreenCanvas(width, height);
  const fullCtx = full.getContext('2d');
  if (!fullCtx) throw new Error('2D canvas unavailable');
  fullCtx.imageSmoothingEnabled = false;
  fullCtx.drawImage(small, 0, 0, width, height);
  const file = await full.convertToBlob({ type: 'image/png' });
  const size = previewSize(width, height);
  const preview = new OffscreenCanvas(size.width, size.height);
  const previewCtx = preview.getContext('2d');
  if (!previewCtx) throw new Error('2D canvas unavailable');
  previewCtx.putImageData(new ImageData(maskPixels(input, size.width, size.height, PREVIEW_RGBA, [0, 0, 0, 0]), size.width, size.height), 0, 0);
  return { file, preview: await preview.convertToBlob({ type: 'image/png' }) };
}

/** Both files without any canvas: the PNGs written byte by byte (stored deflate blocks). */
export function encodeMaskFiles(input: MaskFileInput): MaskFiles {
  const { width, height } = input;
  const size = previewSize(width, height);
  return {
    file: new Blob([encodePng(maskPixels(input, width, height, [0, 0, 0, 0], [0, 0, 0, 255]), width, height)], { type: 'image/png' }),
    preview: new Blob([encodePng(maskPixels(input, size.width, size.height, PREVIEW_RGBA, [0, 0, 0, 0]), size.width, size.height)], { type: 'image/png' }),
  };
}

/* ---------------------------------------------------------------- a minimal PNG writer */

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i += 1) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An RGBA, 8-bit, non-interlaced PNG whose image data is zlib with stored (uncompressed) blocks. */
export function encodePng(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array<ArrayBuffer> {
  const stride = width * 4 + 1;
  const raw = new Uint8Array(stride * height); // each row: filter type 0, then its pixels
  for (let y = 0; y < height; y += 1) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * stride + 1);
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlib = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  zlib[0] = 0x78;
  zlib[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b += 1) {
    const chunk = raw.subarray(b * 65535, Math.min(raw.length, (b + 1) * 65535));
    zlib[o] = b === blocks - 1 ? 1 : 0;
    zlib[o + 1] = chunk.length & 0xff;
    zlib[o + 2] = chunk.length >>> 8;
    zlib[o + 3] = ~chunk.length & 0xff;
    zlib[o + 4] = (~chunk.length >>> 8) & 0xff;
    zlib.set(chunk, o + 5);
    o += 5 + chunk.length;
  }
  let a = 1;
  let s = 0;
  for (let i = 0; i < raw.length; i += 1) {
    a = (a + raw[i]!) % 65521;
    s = (s + a) % 65521;
  }
  new DataView(zlib.buffer).setUint32(o, ((s << 16) | a) >>> 0);

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  const chunks: Array<[string, Uint8Array]> = [
    ['IHDR', header],
    ['IDAT', zlib],
    ['IEND', new Uint8Array(0)],
  ];
  const out = new Uint8Array(8 + chunks.reduce((n, [, data]) => n + 12 + data.length, 0));
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const outView = new DataView(out.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    outView.setUint32(p, data.length);
    for (let i = 0; i < 4; i += 1) out[p + 4 + i] = type.charCodeAt(i);
    out.set(data, p + 8);
    outView.setUint32(p + 8 + data.length, crc32(out, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return out;
}
