/**
 * What this browser can do with images, asked once by the codec and the thumbnailer
 * (./environment.ts) and by their on-demand stand-ins (./lazyEnvironment.ts), so both agree.
 */

/** Decode with `createImageBitmap`, encode with `OffscreenCanvas` or a DOM canvas. */
export function canCodeImages(): boolean {
  return typeof createImageBitmap === 'function' && (typeof OffscreenCanvas === 'function' || typeof document !== 'undefined');
}

/** Decode small off the main thread and hand the result to an `<img>` as an object URL. */
export function canMakeThumbnails(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function' && typeof URL.createObjectURL === 'function';
}
