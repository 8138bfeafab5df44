/**
 * Browser bindings injected into the framework-free core: online/visibility for the poller, an
 * image codec for downscaling, object URLs for thumbnails. Safe to import on a server (no globals
 * are touched at import time).
 */
import type { PollerEnvironment } from '../core/poller';
import type { ImageCodec } from '../core/references';

/** Online and visibility from `navigator.onLine` and `document.visibilityState`. */
export function createBrowserEnvironment(): PollerEnvironment {
  const hasWindow = typeof window !== 'undefined';
  return {
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
    isVisible: () => (typeof document === 'undefined' ? true : document.visibilityState !== 'hidden'),
    subscribe(listener) {
      if (!hasWindow) return () => {};
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      document.addEventListener('visibilitychange', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
        document.removeEventListener('visibilitychange', listener);
      };
    },
  };
}

/**
 * Decodes with `createImageBitmap` and encodes with `OffscreenCanvas` — in a Worker where the page
 * allows one (the encode of a large photo is the longest main-thread task otherwise), on the main
 * thread as a fallback (a Content-Security-Policy without worker-src 'self', old browsers).
 * Returns undefined where neither exists (jsdom): the store then refuses over-size files with a
 * clear message instead.
 */
export function createBrowserImageCodec(): ImageCodec | undefined {
  if (typeof createImageBitmap !== 'function') return undefined;
  const canOffscreen = typeof OffscreenCanvas === 'function';
  if (!canOffscreen && typeof document === 'undefined') return undefined;
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
  };
}

interface WorkerEncode {
  measure(file: Blob): Promise<{ width: number; height: number }>;
  thumbnail(file: Blob, maxWidth: number): Promise<Blob>;
  encode(file: Blob, width: number, height: number, type: string, quality: number): Promise<Blob>;
}

/** One lazily started worker per codec; every failure rejects so the caller can fall back. */
function createEncodeWorker(): WorkerEncode | undefined {
  if (typeof Worker !== 'function') return undefined;
  let worker: Worker | undefined;
  let broken = false;
  let seq = 0;
  type Reply = { id: number; blob?: Blob; width?: number; height?: number; error?: string };
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  const failAll = (message: string) => {
    broken = true;
    for (const p of pending.values()) p.reject(new Error(message));
    pending.clear();
    worker?.terminate();
    worker = undefined;
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
  const call = (message: Omit<Reply, 'id'> & Record<string, unknown>) =>
    new Promise<Reply>((resolve, reject) => {
      if (broken) return reject(new Error('image worker unavailable'));
      let w: Worker;
      try {
        w = start();
      } catch (error) {
        broken = true;
        return reject(error instanceof Error ? error : new Error(String(error)));
      }
      const id = (seq += 1);
      pending.set(id, { resolve, reject });
      w.postMessage({ ...message, id });
    });
  return {
    async measure(file) {
      const r = await call({ op: 'measure', file });
      if (!r.width || !r.height) throw new Error('could not measure the image');
      return { width: r.width, height: r.height };
    },
    async thumbnail(file, maxWidth) {
      const r = await call({ op: 'thumbnail', file, width: maxWidth, height: 0, type: 'image/webp', quality: 0.82 });
      if (!r.blob) throw new Error('thumbnail failed');
      return r.blob;
    },
    async encode(file, width, height, type, quality) {
      const r = await call({ op: 'encode', file, width, height, type, quality });
      if (!r.blob) throw new Error('encode failed');
      return r.blob;
    },
  };
}

/**
 * Small thumbnails for the tray: `createImageBitmap` decodes and scales off the main thread, so a
 * 12-megapixel photo costs a 320-pixel WebP, not a full-size decode on every paint. Returns
 * undefined where the browser cannot (the store then uses the file itself).
 */
export function createBrowserThumbnailer(maxSide = 320): ((blob: Blob) => Promise<string | undefined>) | undefined {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function' || typeof URL.createObjectURL !== 'function') {
    return undefined;
  }
  const inWorker = createEncodeWorker();
  return async (blob) => {
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
      return URL.createObjectURL(blob); // undecodable here: let the <img> try the original
    }
  };
}
