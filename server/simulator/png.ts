/**
 * The simulator's placeholder images: real PNGs (RGB, 8 bit, zlib "stored" blocks), so no
 * compression library is needed.
 */

/** The colour a masked request's repainted area is tinted with (issue 15): a strong magenta. */
export const MASK_TINT = [255, 0, 200] as const;
/** How much of the tint covers the placeholder inside the mask. */
const TINT_SHARE = 0.75;

/**
 * A real PNG (gradient placeholder) of the given size; `hash` picks the colours. Also used as a test
 * fixture. `repaint` (one byte per output pixel, non-zero = inside the mask) tints that area with
 * {@link MASK_TINT}, so a masked request's results visibly differ where the mask was transparent.
 */
export function renderPlaceholder(width: number, height: number, hash: number, repaint?: Uint8Array): Uint8Array<ArrayBuffer> {
  const hue = hash % 360;
  const from = hslToRgb(hue, 0.7, 0.66);
  const to = hslToRgb((hue + 40 + ((hash >>> 9) % 100)) % 360, 0.55, 0.36);
  const glowX = 0.2 + ((hash >>> 17) % 40) / 100;
  const glowY = 0.2 + ((hash >>> 23) % 30) / 100;
  const longSide = Math.max(width, height);
  const stride = 1 + width * 3;
  const raw = new Uint8Array(stride * height);
  // Served on every result-image request: a plain indexed loop, the same arithmetic as ever (the
  // bytes are unchanged; Math.round of a non-negative value is floor(v + 0.5)).
  const [r0, g0, b0] = from;
  const [r1, g1, b1] = to;
  for (let y = 0; y < height; y++) {
    const row = y * stride; // filter byte 0 (None) stays 0
    const fy = height > 1 ? y / (height - 1) : 0;
    const dy = (y - glowY * height) / longSide;
    for (let x = 0; x < width; x++) {
      const fx = width > 1 ? x / (width - 1) : 0;
      const t = 0.6 * fx + 0.4 * fy;
      const dx = (x - glowX * width) / longSide;
      const g = Math.max(0, 1 - Math.sqrt(dx * dx + dy * dy) / 0.6);
      const glow = g * g * 0.35;
      const p = row + 1 + x * 3;
      const br = r0 + (r1 - r0) * t;
      const bg = g0 + (g1 - g0) * t;
      const bb = b0 + (b1 - b0) * t;
      raw[p] = Math.floor(br + (255 - br) * glow + 0.5);
      raw[p + 1] = Math.floor(bg + (255 - bg) * glow + 0.5);
      raw[p + 2] = Math.floor(bb + (255 - bb) * glow + 0.5);
    }
  }
  if (repaint) tint(raw, width, height, repaint);
  return encodePng(width, height, raw);
}

function tint(raw: Uint8Array, width: number, height: number, repaint: Uint8Array): void {
  const stride = 1 + width * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!repaint[y * width + x]) continue;
      const p = y * stride + 1 + x * 3;
      for (let c = 0; c < 3; c++) raw[p + c] = Math.round(raw[p + c]! * (1 - TINT_SHARE) + MASK_TINT[c]! * TINT_SHARE);
    }
  }
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const STORED_BLOCK = 65_535;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0, n = bytes.length; i < n; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Wraps raw scanlines in a zlib stream of uncompressed deflate blocks (RFC 1950/1951). */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / STORED_BLOCK));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_BLOCK;
    const len = Math.min(STORED_BLOCK, raw.length - start);
    out[o] = i === blocks - 1 ? 1 : 0;
    view.setUint16(o + 1, len, true);
    view.setUint16(o + 3, ~len & 0xffff, true);
    out.set(raw.subarray(start, start + len), o + 5);
    o += 5 + len;
  }
  view.setUint32(o, adler32(raw));
  return out;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = type.charCodeAt(i);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/**
 * An 8-bit RGBA PNG of `rgba` (4 bytes a pixel, rows top to bottom): a mask file as the MaskEditor
 * exports it (transparent = repaint), for tests and fixtures.
 */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Uint8Array<ArrayBuffer> {
  const stride = 1 + width * 4;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * stride + 1);
  return encodePng(width, height, raw, 6);
}

function encodePng(width: number, height: number, scanlines: Uint8Array, colourType: 2 | 6 = 2): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = colourType; // truecolour RGB (2) or RGBA (6)
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibStored(scanlines)),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
