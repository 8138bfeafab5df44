/** Online and visibility for the poller; its own module so a page gets it without the image codec. */
import type { PollerEnvironment } from '../core/poller';

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
