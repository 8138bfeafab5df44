/**
 * Off-main-thread image work for the reference tray and the downscaler: thumbnails (decoded small
 * with `createImageBitmap`'s resize, encoded as WebP), sizes (from the header where it says them),
 * re-encodes (decode + scale + `OffscreenCanvas.convertToBlob`) and SHA-256 of the whole file, all
 * inside this worker, so a 12-megapixel photo is never read, decoded or encoded on the page's thread.
 * The page (src/browser/environment.ts) sends at most two decodes and one hash at a time.
 */
import { sniffImageType } from '../core/util/image';
import { gifDimensions, jpegDimensions, jpegOrientation, pngDimensions } from '../core/util/image-size';
import { renderMaskFiles } from './maskFile';

interface EncodeRequest {
  id: number;
  /**
   * `measure` reports the size as decoded; `hash` the SHA-256; `encode` (the default) re-encodes at
   * width × height; `mask` makes the mask PNG at width × height and its preview from `mask` (./maskFile.ts).
   */
  op?: 'measure' | 'encode' | 'thumbnail' | 'hash' | 'mask';
  file: Blob;
  /** For `mask`: the working bitmap, `maskWidth` × `maskHeight` bytes (255 = repaint). */
  mask?: Uint8Array;
  maskWidth?: number;
  maskHeight?: number;
  width: number;
  height: number;
  type: string;
  quality: number;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: unknown): void;
};

/** Bytes read for the header: the same 64 KiB `inspectReference` reads. */
const HEAD_BYTES = 64 * 1024;

/**
 * The size a decode would report, from the header alone for JPEG (turned by its EXIF orientation,
 * as `createImageBitmap` draws it), PNG and GIF; undefined when the header does not say.
 */
async function headerSize(file: Blob): Promise<{ width: number; height: number } | undefined> {
  const bytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const complete = bytes.length >= file.size;
  const type = sniffImageType(bytes);
  if (type === 'image/jpeg') {
    const dims = jpegDimensions(bytes, complete);
    if (typeof dims !== 'object') return undefined;
    return jpegOrientation(bytes) >= 5 ? { width: dims.height, height: dims.width } : dims;
  }
  // PNG's eXIf chunk may turn it too; only a PNG without one in the header is taken at its word.
  if (type === 'image/png' && !String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 4096))).includes('eXIf')) {
    const dims = pngDimensions(bytes);
    return typeof dims === 'object' ? dims : undefined;
  }
  if (type === 'image/gif') {
    const dims = gifDimensions(bytes);
    return typeof dims === 'object' ? dims : undefined;
  }
  return undefined;
}

interface ScaledDecoder {
  decode(): Promise<{ image: CanvasImageSource & { close(): void } }>;
  close(): void;
}
type ScaledDecoderInit = { data: ArrayBuffer; type: string; desiredWidth: number; desiredHeight: number };

interface ScaledJpeg {
  bytes: ArrayBuffer;
  width: number;
  height: number;
  desiredWidth: number;
  desiredHeight: number;
}

/**
 * What a JPEG thumbnail decoded at a fraction of the size needs — the whole file's bytes (read
 * before the decode slot is free, so reading the next file overlaps decoding this one) and the
 * sizes; undefined where that does not apply (no `ImageDecoder`, not a JPEG, an EXIF orientation
 * other than upright, already small): the caller decodes fully.
 */
async function prepareScaledJpeg(file: Blob, maxWidth: number): Promise<ScaledJpeg | undefined> {
  if (typeof (self as unknown as { ImageDecoder?: unknown }).ImageDecoder !== 'function') return undefined;
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  if (sniffImageType(head) !== 'image/jpeg' || jpegOrientation(head) !== 1) return undefined;
  const dims = jpegDimensions(head, head.length >= file.size);
  if (typeof dims !== 'object' || dims.width <= maxWidth) return undefined;
  const width = maxWidth;
  const height = Math.max(1, Math.round((dims.height * maxWidth) / dims.width));
  // Chromium decodes only at the sizes libjpeg can scale to (n/8, rounded up) and refuses others:
  // the smallest of those at least as large as the thumbnail.
  let n = 1;
  while (n < 8 && (Math.ceil((dims.width * n) / 8) < width || Math.ceil((dims.height * n) / 8) < height)) n += 1;
  return { bytes: await file.arrayBuffer(), width, height, desiredWidth: Math.ceil((dims.width * n) / 8), desiredHeight: Math.ceil((dims.height * n) / 8) };
}

/**
 * The thumbnail through WebCodecs' `ImageDecoder` with a desired size: libjpeg skips most of the
 * work (1/2, 1/4 or 1/8 scale), about twice as fast as a full decode for a 12 MP photo and an
 * eighth of the memory.
 */
async function scaledJpegThumbnail(jpeg: ScaledJpeg, type: string, quality: number): Promise<Blob | undefined> {
  const Decoder = (self as unknown as { ImageDecoder: new (init: ScaledDecoderInit) => ScaledDecoder }).ImageDecoder;
  const { width, height, desiredWidth, desiredHeight } = jpeg;
  const decoder = new Decoder({ data: jpeg.bytes, type: 'image/jpeg', desiredWidth, desiredHeight });
  try {
    const { image } = await decoder.decode();
    try {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) return undefined;
      ctx.imageSmoothingQuality = 'medium';
      ctx.drawImage(image, 0, 0, width, height);
      return await canvas.convertToBlob({ type, quality });
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

/**
 * Decodes run one at a time here: the page keeps the next job waiting in this worker (so it starts
 * without a round trip through a busy main thread), and a second decode at once would take the
 * core the page needs for its frames.
 */
let decodes: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = decodes.then(work, work);
  decodes = run.catch(() => undefined);
  return run;
}

scope.onmessage = (event) => {
  const { id, op, file, width, height, type, quality } = event.data;
  const job = async (jpeg?: ScaledJpeg) => {
    try {
      if (op === 'mask') {
        const { mask, maskWidth = 0, maskHeight = 0 } = event.data;
        if (!mask) throw new Error('no mask');
        const files = await renderMaskFiles({ mask, maskWidth, maskHeight, width, height });
        scope.postMessage({ id, blob: files.file, preview: files.preview });
        return;
      }
      if (op === 'thumbnail') {
        const scaled = jpeg && (await scaledJpegThumbnail(jpeg, type, quality).catch(() => undefined));
        if (scaled) {
          scope.postMessage({ id, blob: scaled });
          return;
        }
        const small = await createImageBitmap(file, { resizeWidth: width, resizeQuality: 'medium' });
        const canvas = new OffscreenCanvas(small.width, small.height);
        canvas.getContext('2d')?.drawImage(small, 0, 0);
        small.close();
        scope.postMessage({ id, blob: await canvas.convertToBlob({ type, quality }) });
        return;
      }
      if (op === 'measure') {
        const known = await headerSize(file).catch(() => undefined);
        if (known) {
          scope.postMessage({ id, width: known.width, height: known.height });
          return;
        }
        const probe = await createImageBitmap(file);
        scope.postMessage({ id, width: probe.width, height: probe.height });
        probe.close();
        return;
      }
      if (op === 'hash') {
        const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
        scope.postMessage({ id, hash: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('') });
        return;
      }
      const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      scope.postMessage({ id, blob: await canvas.convertToBlob({ type, quality }) });
    } catch (error) {
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  };
  if (op === 'hash') void job();
  else if (op === 'thumbnail') void prepareScaledJpeg(file, width).then((jpeg) => oneAtATime(() => job(jpeg)), () => oneAtATime(() => job()));
  else void oneAtATime(() => job());
};
