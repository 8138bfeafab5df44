/**
 * Resource caps shared by every request of one proxy: uploads in flight and bytes of request
 * bodies held in memory, all visitors together. Over a cap the request is answered 503 with
 * `Retry-After` at once (nothing is read further, nothing goes upstream). Event-stream caps live in
 * the stream hub (events.ts).
 */
import type { ByteLease } from './body';
import type { ProxyConfig } from './config';

export interface Resources {
  /** A slot for one upload, or undefined when `maxConcurrentUploads` are in flight; call the result when done. */
  acquireUpload(): (() => void) | undefined;
  /** A lease on the shared budget of `maxBufferedBytes`. */
  lease(): ByteLease;
  readonly stats: { readonly uploadsInFlight: number; readonly bufferedBytes: number };
}

export function createResources({ maxConcurrentUploads, maxBufferedBytes }: ProxyConfig['limits']): Resources {
  const stats = { uploadsInFlight: 0, bufferedBytes: 0 };
  return {
    acquireUpload() {
      if (stats.uploadsInFlight >= maxConcurrentUploads) return undefined;
      stats.uploadsInFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        stats.uploadsInFlight--;
      };
    },
    lease() {
      let held = 0;
      return {
        take(n) {
          if (stats.bufferedBytes + n > maxBufferedBytes) return false;
          stats.bufferedBytes += n;
          held += n;
          return true;
        },
        done() {
          stats.bufferedBytes -= held;
          held = 0;
        },
      };
    },
    stats,
  };
}
