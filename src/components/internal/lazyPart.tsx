'use client';
/**
 * A component whose code loads on demand (src/core/util/lazy.ts). Once the module has loaded (idle
 * prefetch, `preloadImageKit()`, or an earlier use) it renders synchronously like any component;
 * before that it renders `fallback` inside its own Suspense boundary until the code arrives. A
 * mounted instance keeps the path it started with, so loading never remounts it.
 */
import * as React from 'react';
import type { LazyModule } from '../../core/util/lazy';

export function lazyPart<M, P extends object>(
  mod: LazyModule<M>,
  pick: (m: M) => React.ComponentType<P>,
  fallback: React.ReactNode = null,
): React.FunctionComponent<P> {
  const Deferred = React.lazy(() => mod.load().then((m) => ({ default: pick(m) })));
  function LazyPart(props: P) {
    const [loaded] = React.useState(() => mod.get());
    if (loaded !== undefined) return React.createElement(pick(loaded), props);
    return React.createElement(React.Suspense, { fallback }, React.createElement(Deferred as React.ComponentType<P>, props));
  }
  return LazyPart;
}
