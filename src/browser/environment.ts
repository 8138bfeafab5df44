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
 * Decodes with `createImageBitmap` and encodes with `OffscreenCanvas` (or a `<canvas>`), off the
 * main thread where the browser allows. Returns undefined where neither exists (jsdom, old browsers):
 * the store then refuses over-size files with a clear message instead.
 */
export function createBrowserImageCodec(): ImageCodec | undefined {
  if (typeof createImageBitmap !== 'function') return undefined;
  const canOffscreen = typeof OffscreenCanvas === 'function';
  if (!canOffscreen && typeof document === 'undefined') return undefined;
  return {
    async decode(file) {
      const bitmap = await createImageBitmap(file);
      return { width: bitmap.width, height: bitmap.height, source: bitmap };
    },
    async encode(source, width, height, type, quality) {
      const bitmap = source as ImageBitmap;
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
      (source as ImageBitmap).close?.();
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
  return async (blob) => {
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
