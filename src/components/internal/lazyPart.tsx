'use client';
/**
 * A component whose code loads on demand (src/core/util/lazy.ts). Once the module has loaded (idle
 * prefetch, `preloadImageKit()`, or an earlier use) it renders synchronously like any component;
 * before that it renders `fallback` inside its own Suspense boundary until the code arrives. A
 * mounted instance keeps the path it started with, so loading never remounts it. Refs are forwarded;
 * `part.loadComponent()` resolves to the component it renders.
 */
import * as React from 'react';
import type { LazyModule } from '../../core/util/lazy';

type AnyProps = Record<string, unknown>;

export function lazyPart<M, C extends React.ComponentType<any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  mod: LazyModule<M>,
  pick: (m: M) => C,
  fallback: React.ReactNode = null,
): C {
  const Deferred = React.lazy(() => mod.load().then((m) => ({ default: pick(m) as React.ComponentType<AnyProps> })));
  const LazyPart = React.forwardRef<unknown, AnyProps>(function LazyPart(props, ref) {
    const [loaded] = React.useState(() => mod.get());
    const own = ref === null ? props : { ...props, ref };
    if (loaded !== undefined) return React.createElement(pick(loaded) as React.ComponentType<AnyProps>, own);
    return React.createElement(React.Suspense, { fallback }, React.createElement(Deferred, own));
  });
  return Object.assign(LazyPart, { loadComponent: () => mod.load().then(pick) }) as unknown as C;
}

/** The component an on-demand part renders, once loaded (the part itself when it is not on demand). */
export function resolvePart(part: unknown): Promise<unknown> {
  const load = (part as { loadComponent?: () => Promise<unknown> } | null)?.loadComponent;
  return typeof load === 'function' ? load() : Promise.resolve(part);
}
