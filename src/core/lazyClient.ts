/**
 * A `ToapisClient` whose code loads on first use: the HTTP transport, the event stream reader and
 * the reply validation (zod) are not part of a page's first load — a form that has not been used
 * yet makes no requests. Every method is asynchronous anyway; once the client module has loaded
 * (idle prefetch, or the first call), calls go straight through with no extra tick.
 */
import type { ToapisClient, ToapisClientOptions } from './client';
import { lazyModule, withModule } from './util/lazy';

const clientModule = /* @__PURE__ */ lazyModule(() => import('./client'));

export function createLazyClient(options: ToapisClientOptions): ToapisClient {
  let inner: ToapisClient | undefined;
  const real = (m: typeof import('./client')) => (inner ??= m.createToapisClient(options));
  const via =
    <K extends 'capabilities' | 'watchTask' | 'uploadImage' | 'createTask' | 'getTask' | 'request'>(name: K) =>
    (...args: Parameters<ToapisClient[K]>) =>
      withModule(clientModule, (m) => (real(m)[name] as (...a: Parameters<ToapisClient[K]>) => ReturnType<ToapisClient[K]>)(...args)) as ReturnType<ToapisClient[K]>;
  return {
    get backendUrl() {
      const m = clientModule.get();
      return m ? real(m).backendUrl : options.backendUrl;
    },
    capabilities: via('capabilities'),
    watchTask: via('watchTask'),
    uploadImage: via('uploadImage'),
    createTask: via('createTask'),
    getTask: via('getTask'),
    request: via('request'),
    downloadImage: (...args) => withModule(clientModule, (m) => real(m).downloadImage!(...args)),
  };
}
