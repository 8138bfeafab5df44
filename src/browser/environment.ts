/**
 * Browser bindings injected into the framework-free core: online/visibility for the poller, an
 * image codec for downscaling, object URLs for thumbnails. Safe to import on a server (no globals
 * are touched at import time).
 */
import { hashReference, type ImageCodec } from '../core/references';
import { canCodeImages, canMakeThumbnails } from './support';
import type { MaskFileInput, MaskFiles } from './maskFile';

export { createBrowserEnvironment } from './online';

/**
 * Decodes with `createImageBitmap` and encodes with `OffscreenCanvas` — in a Worker where the page
 * allows one (the encode of a large photo is the longest main-thread task otherwise), on the main
 * thread as a fallback (a Content-Security-Policy without worker-src 'self', old browsers).
 * Returns undefined where neither exists (jsdom): the store then refuses over-size files with a
 * clear message instead.
 */
export function createBrowserImageCodec(): ImageCodec | undefined {
  if (!canCodeImages()) return undefined;
  const canOffscreen = typeof OffscreenCanvas === 'function';
  const inWorker = canOffscreen ? createEncodeWorker() : undefined;
  return {
    async decode(file) {
      if (inWorker) {
        try {
          const size = await inWorker.measure(file);
          return { width: size.width, height: size.height, source: { file } };
        } catch {
          // fall through: decode here
        }
      }
      const bitmap = await createImageBitmap(file);
      return { width: bitmap.width, height: bitmap.height, source: { file, bitmap } };
    },
    async encode(source, width, height, type, quality) {
      const src = source as { file: Blob; bitmap?: ImageBitmap };
      if (inWorker) {
        try {
          return await inWorker.encode(src.file, width, height, type, quality);
        } catch {
          // the worker could not start or failed: encode here instead
        }
      }
      const bitmap = src.bitmap ?? (src.bitmap = await createImageBitmap(src.file));
      if (canOffscreen) {
        const canvas = new OffscreenCanvas(width, height);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('2D canvas unavailable');
        ctx.drawImage(bitmap, 0, 0, width, height);
        return canvas.convertToBlob({ type, quality });
      }
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('2D canvas unavailable');
      ctx.drawImage(bitmap, 0, 0, width, height);
      return new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), type, quality),
      );
    },
    release(source) {
      (source as { bitmap?: ImageBitmap }).bitmap?.close?.();
    },
    async hash(file) {
      if (inWorker) {
        try {
          return await inWorker.hash(file);
        } catch {
          // the worker could not start or failed: hash here instead
        }
      }
      return hashReference(file as Blob & { name: string });
    },
  };
}

interface WorkerEncode {
  measure(file: Blob): Promise<{ width: number; height: number }>;
  thumbnail(file: Blob, maxWidth: number): Promise<Blob>;
  encode(file: Blob, width: number, height: number, type: string, quality: number): Promise<Blob>;
  hash(file: Blob): Promise<string>;
  mask(input: MaskFileInput): Promise<MaskFiles>;
}

type WorkerOp = 'thumbnail' | 'measure' | 'hash' | 'encode' | 'mask';
/**
 * Which waiting job goes first: a mask the user just applied (the editor waits for it), thumbnails
 * (what the user sees), then sizes, hashes, re-encodes.
 */
const PRIORITY: Record<WorkerOp, number> = { mask: -1, thumbnail: 0, measure: 1, hash: 2, encode: 3 };
/**
 * Jobs sent to the worker at once, per lane. The worker decodes (thumbnail, size, re-encode) one
 * at a time — each holds a full-size image (46 MiB for 12 MP) and a core, and on a two-core machine
 * a second one starves the page's own thread and stalls its frames (benchmark: 290 ms tasks) — so
 * the second decode sent only waits there, ready to start without a round trip through this
 * thread. Hashing only reads the file and runs SHA-256 (a few ms per MB), so it has its own lane:
 * uploads need the hash and should not wait for every thumbnail.
 */
const LANE: Record<WorkerOp, 'decode' | 'hash'> = { thumbnail: 'decode', measure: 'decode', encode: 'decode', mask: 'decode', hash: 'hash' };
const WORKER_JOBS: Record<'decode' | 'hash', number> = { decode: 2, hash: 1 };

/** One image worker per page, shared by every codec and thumbnailer, started on first use. */
let sharedWorker: WorkerEncode | undefined;

/**
 * The page's image worker: a queue that sends it at most `WORKER_JOBS` jobs per lane at a time, most
 * urgent first; every failure rejects so the caller can fall back.
 */
function createEncodeWorker(): WorkerEncode | undefined {
  if (typeof Worker !== 'function') return undefined;
  sharedWorker ??= startEncodeWorker();
  return sharedWorker;
}

function startEncodeWorker(): WorkerEncode {
  let worker: Worker | undefined;
  let broken = false;
  let seq = 0;
  const running = { decode: 0, hash: 0 };
  type Reply = { id: number; blob?: Blob; preview?: Blob; width?: number; height?: number; hash?: string; error?: string };
  type Job = { op: WorkerOp; message: Record<string, unknown>; resolve: (r: Reply) => void; reject: (e: Error) => void };
  const waiting: Job[] = [];
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  const failAll = (message: string) => {
    broken = true;
    worker?.terminate();
    worker = undefined;
    const inFlight = [...pending.values()];
    pending.clear();
    for (const p of inFlight) p.reject(new Error(message));
    for (const job of waiting.splice(0)) job.reject(new Error(message));
  };
  const start = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./imageWorker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<Reply>) => {
      const p = pending.get(event.data.id);
      if (!p) return;
      pending.delete(event.data.id);
      if (event.data.error === undefined) p.resolve(event.data);
      else p.reject(new Error(event.data.error));
    };
    w.onerror = () => failAll('image worker failed');
    worker = w;
    return w;
  };
  const pump = () => {
    for (;;) {
      let next = -1;
      for (let i = 0; i < waiting.length; i += 1) {
        const op = waiting[i]!.op;
        if (running[LANE[op]] >= WORKER_JOBS[LANE[op]]) continue;
        if (next < 0 || PRIORITY[op] < PRIORITY[waiting[next]!.op]) next = i;
      }
      if (next < 0) return;
      const job = waiting.splice(next, 1)[0]!;
      if (broken) {
        job.reject(new Error('image worker unavailable'));
        continue;
      }
      let w: Worker;
      try {
        w = start();
      } catch (error) {
        failAll('image worker unavailable');
        job.reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const id = (seq += 1);
      const lane = LANE[job.op];
      running[lane] += 1;
      const settle = () => {
        running[lane] -= 1;
        queueMicrotask(pump);
      };
      pending.set(id, {
        resolve: (r) => {
          settle();
          job.resolve(r);
        },
        reject: (e) => {
          settle();
          job.reject(e);
        },
      });
      w.postMessage({ ...job.message, op: job.op, id });
    }
  };
  const call = (op: WorkerOp, message: Record<string, unknown>) =>
    new Promise<Reply>((resolve, reject) => {
      if (broken) return reject(new Error('image worker unavailable'));
      waiting.push({ op, message, resolve, reject });
      pump();
    });
  return {
    async measure(file) {
      const r = await call('measure', { file });
      if (!r.width || !r.height) throw new Error('could not measure the image');
      return { width: r.width, height: r.height };
    },
    async thumbnail(file, maxWidth) {
      const r = await call('thumbnail', { file, width: maxWidth, height: 0, type: 'image/webp', quality: 0.82 });
      if (!r.blob) throw new Error('thumbnail failed');
      return r.blob;
    },
    async encode(file, width, height, type, quality) {
      const r = await call('encode', { file, width, height, type, quality });
      if (!r.blob) throw new Error('encode failed');
      return r.blob;
    },
    async hash(file) {
      const r = await call('hash', { file });
      if (!r.hash) throw new Error('hash failed');
      return r.hash;
    },
    async mask(input) {
      const r = await call('mask', { ...input });
      if (!r.blob || !r.preview) throw new Error('mask failed');
      return { file: r.blob, preview: r.preview };
    },
  };
}

/**
 * The mask file and its preview made in the page's image worker (issue 15): the 2 MP working bitmap
 * is copied there (about a millisecond) and scaled, filled and PNG-encoded off the main thread.
 * Rejects where there is no worker or `OffscreenCanvas`, or when it fails: the caller falls back.
 */
export function renderMaskInWorker(input: MaskFileInput): Promise<MaskFiles> {
  const inWorker = typeof OffscreenCanvas === 'function' ? createEncodeWorker() : undefined;
  if (!inWorker) return Promise.reject(new Error('image worker unavailable'));
  return inWorker.mask(input);
}

/**
 * Small thumbnails for the tray: `createImageBitmap` decodes and scales off the main thread, so a
 * 12-megapixel photo costs a 320-pixel WebP, not a full-size decode on every paint. Returns
 * undefined where the browser cannot (the store then uses the file itself).
 */
export function createBrowserThumbnailer(maxSide = 320): ((blob: Blob) => Promise<string | undefined>) | undefined {
  if (!canMakeThumbnails()) return undefined;
  // Thumbnails alternate between the page's worker and a second one of their own: two decodes at
  // once (14 photos of 12 MP: all thumbnails in 1.3–1.45 s instead of 1.7 s on two cores), while
  // size checks, hashes and re-encodes stay on the first. The second starts with the first thumbnail.
  let second: WorkerEncode | undefined;
  const pool: Array<() => WorkerEncode> =
    typeof Worker === 'function' ? [() => createEncodeWorker()!, () => (second ??= startEncodeWorker())] : [];
  let turn = 0;
  return async (blob) => {
    const inWorker = pool.length ? pool[(turn += 1) % pool.length]!() : undefined;
    if (inWorker) {
      try {
        return URL.createObjectURL(await inWorker.thumbnail(blob, maxSide));
      } catch {
        // fall back to the page's own thread below
      }
    }
    try {
      const probe = await createImageBitmap(blob, { resizeWidth: maxSide, resizeQuality: 'medium' });
      const canvas = new OffscreenCanvas(probe.width, probe.height);
      canvas.getContext('2d')?.drawImage(probe, 0, 0);
      probe.close();
      const small = await canvas.convertToBlob({ type: 'image/webp', quality: 0.82 });
      return URL.createObjectURL(small);
    } catch {
      // Undecodable here: the tray shows its placeholder. The original never becomes an <img> (a
      // full-size decode by the compositor on every paint).
      return undefined;
    }
  };
}
