'use client';
/**
 * A component whose code loads on demand (src/core/util/lazy.ts). Once the module has loaded (idle
 * prefetch, `preloadImageKit()`, or an earlier use) it renders synchronously like any component;
 * before that it renders `fallback`, starts the load as it mounts and renders the part the moment
 * the code arrives. No Suspense: React holds a revealed Suspense boundary back for up to 300 ms,
 * which would hide a task's first progress updates. The server (and hydration) always render the
 * fallback, so hydration never depends on what has loaded. Refs are forwarded;
 * `part.loadComponent()` resolves to the component it renders.
 */
import * as React from 'react';
import type { LazyModule } from '../../core/util/lazy';

type AnyProps = Record<string, unknown>;

/** How long a failed load waits before it is tried again, while the part is on screen. */
const RETRY_MS = 3000;

export function lazyPart<M, C extends React.ComponentType<any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  mod: LazyModule<M>,
  pick: (m: M) => C,
  fallback: React.ReactNode = null,
): C {
  const subscribe = (arrived: () => void) => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      mod.load().then(
        () => live && arrived(),
        () => {
          if (live) timer = setTimeout(attempt, RETRY_MS);
        },
      );
    };
    if (mod.get() === undefined) attempt();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  };
  const getSnapshot = () => mod.get();
  const getServerSnapshot = () => undefined;
  const LazyPart = React.forwardRef<unknown, AnyProps>(function LazyPart(props, ref) {
    const loaded = React.useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
    if (loaded === undefined) return React.createElement(React.Fragment, null, fallback);
    return React.createElement(pick(loaded) as React.ComponentType<AnyProps>, ref === null ? props : { ...props, ref });
  });
  return Object.assign(LazyPart, { loadComponent: () => mod.load().then(pick) }) as unknown as C;
}

/** The component an on-demand part renders, once loaded (the part itself when it is not on demand). */
export function resolvePart(part: unknown): Promise<unknown> {
  const load = (part as { loadComponent?: () => Promise<unknown> } | null)?.loadComponent;
  return typeof load === 'function' ? load() : Promise.resolve(part);
}
