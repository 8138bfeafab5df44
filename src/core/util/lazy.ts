/**
 * On-demand modules: code a first paint does not need (the select popups, the network client and
 * its validation, reference pre-processing, the gallery) sits behind `lazyModule(() => import(…))`
 * and loads the first time it is needed — or earlier, when the browser is idle (`prefetchAll`, called
 * by GeneratorProvider), or all at once (`preloadAll`, exported as `preloadImageKit`).
 *
 * `get()` is synchronous once the module has loaded, so code that checks it first behaves exactly
 * as a static import would after a prefetch: no extra tick, no flash of a fallback.
 * Framework-free: no React, no DOM globals.
 */
export interface LazyModule<T> {
  /** The module if it has loaded, else undefined. */
  get(): T | undefined;
  /** Loads it once; every call returns the same promise. A failed load may be tried again. */
  load(): Promise<T>;
}

const all = new Set<LazyModule<unknown>>();

/** Declares an on-demand module. Declaring loads nothing. */
export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let loaded: T | undefined;
  let pending: Promise<T> | undefined;
  const mod: LazyModule<T> = {
    get: () => loaded,
    load: () =>
      (pending ??= importer().then(
        (m) => (loaded = m),
        (error: unknown) => {
          pending = undefined; // a network blip must not break the kit for good
          throw error;
        },
      )),
  };
  all.add(mod as LazyModule<unknown>);
  return mod;
}

/** Runs `run` with the module: at once when it has loaded, else after loading it. */
export function withModule<T, R>(mod: LazyModule<T>, run: (m: T) => R | Promise<R>): Promise<R> {
  const m = mod.get();
  if (m === undefined) return mod.load().then(run);
  try {
    return Promise.resolve(run(m));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Loads every on-demand module, including those declared by the modules it loads (the engine
 * declares the poller's): rounds until no new one appears (tests, hosts that want everything up
 * front).
 */
export async function preloadAll(): Promise<void> {
  for (let size = -1; size !== all.size; ) {
    size = all.size;
    await Promise.all([...all].map((m) => m.load()));
  }
}

/**
 * Loads every declared module, ignoring failures (a later use retries): for idle-time prefetch.
 * Modules declared by what it loaded are fetched in a further round; a failed load is not retried
 * here, so a page that cannot load a chunk does not keep asking for it.
 *
 * With `schedule` (the provider passes "when the browser is idle"), one module at a time, each load
 * started by its own scheduled call once the previous one settled: evaluating a dozen chunks at once
 * made one main-thread task long enough to drop frames while the user was busy (adding photos).
 */
export function prefetchAll(schedule?: (task: () => void) => void): void {
  if (!schedule) {
    prefetchRound(new Set());
    return;
  }
  const tried = new Set<LazyModule<unknown>>();
  const step = () => {
    const next = [...all].find((m) => !tried.has(m) && m.get() === undefined);
    if (!next) return;
    tried.add(next);
    const again = () => schedule(step);
    next.load().then(again, again);
  };
  schedule(step);
}

function prefetchRound(seen: Set<LazyModule<unknown>>): void {
  const fresh = [...all].filter((m) => !seen.has(m));
  for (const m of fresh) seen.add(m);
  const pending = fresh.filter((m) => m.get() === undefined).map((m) => m.load());
  if (pending.length === 0) return;
  void Promise.allSettled(pending).then(() => prefetchRound(seen));
}
