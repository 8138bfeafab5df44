/**
 * The image codec and the thumbnailer of ./environment.ts, loaded on demand: the provider hands the
 * store these stand-ins, which answer "is there a codec here" at once (the same feature tests, ./support.ts) and
 * load the real code — worker, queues, JPEG header parsing — with the first file added, or when the
 * browser is idle.
 */
import type { ImageCodec } from '../core/references';
import { lazyModule, withModule } from '../core/util/lazy';
import { canCodeImages, canMakeThumbnails } from './support';

const environment = /* @__PURE__ */ lazyModule(() => import('./environment'));

type Environment = typeof import('./environment');

/** `createBrowserImageCodec()`, loaded on first use; undefined where that would be. */
export function createLazyImageCodec(): ImageCodec | undefined {
  if (!canCodeImages()) return undefined;
  let real: ImageCodec | undefined;
  const codec = (m: Environment): ImageCodec => (real ??= m.createBrowserImageCodec()!);
  return {
    decode: (file) => withModule(environment, (m) => codec(m).decode(file)),
    encode: (source, width, height, type, quality) => withModule(environment, (m) => codec(m).encode(source, width, height, type, quality)),
    // A source only exists after `decode`, so the real codec is there by then.
    release: (source) => real?.release?.(source),
    hash: (file) => withModule(environment, (m) => codec(m).hash!(file)),
  };
}

/** `createBrowserThumbnailer()`, loaded on first use; undefined where that would be. */
export function createLazyThumbnailer(): ((blob: Blob) => Promise<string | undefined>) | undefined {
  if (!canMakeThumbnails()) return undefined;
  let real: ((blob: Blob) => Promise<string | undefined>) | undefined;
  return (blob) => withModule(environment, (m) => (real ??= m.createBrowserThumbnailer()!)(blob));
}
