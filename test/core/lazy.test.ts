/**
 * On-demand modules (src/core/util/lazy.ts): one load per module, `get()` synchronous once loaded,
 * a failed load tried again on the next use, and preloading / idle prefetch reaching the modules
 * that loaded modules declare in turn.
 */
import { describe, expect, it, vi } from 'vitest';
import { lazyModule, prefetchAll, preloadAll, withModule, type LazyModule } from '../../src/core/util/lazy';

describe('lazyModule', () => {
  it('loads once, then get() answers synchronously and withModule runs in the same tick', async () => {
    const importer = vi.fn(async () => ({ value: 42 }));
    const mod = lazyModule(importer);
    expect(importer).not.toHaveBeenCalled(); // declaring loads nothing
    expect(mod.get()).toBeUndefined();
    const [a, b] = await Promise.all([mod.load(), mod.load()]);
    expect(a).toBe(b);
    expect(importer).toHaveBeenCalledTimes(1);
    expect(mod.get()).toEqual({ value: 42 });
    let ran = false;
    const result = withModule(mod, (m) => {
      ran = true;
      return m.value + 1;
    });
    expect(ran).toBe(true); // no extra tick once loaded
    expect(await result).toBe(43);
  });

  it('a failed load rejects, and the next use tries again', async () => {
    let attempt = 0;
    const mod = lazyModule(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('chunk failed to load');
      return { ok: true };
    });
    await expect(withModule(mod, (m) => m.ok)).rejects.toThrow('chunk failed to load');
    expect(await withModule(mod, (m) => m.ok)).toBe(true);
    expect(attempt).toBe(2);
  });

  it('withModule turns a throw of its callback into a rejection', async () => {
    const mod = lazyModule(async () => ({}));
    await mod.load();
    await expect(withModule(mod, () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });
});

describe('preloadAll and prefetchAll', () => {
  /** A module that, when it loads, declares another (as the engine declares the poller). */
  function nested(): { outer: LazyModule<{ inner: LazyModule<string> }>; innerLoads: () => number } {
    let loads = 0;
    const outer = lazyModule(async () => ({
      inner: lazyModule(async () => {
        loads += 1;
        return 'inner';
      }),
    }));
    return { outer, innerLoads: () => loads };
  }

  it('preloadAll also loads the modules that loaded modules declare', async () => {
    const { outer, innerLoads } = nested();
    await preloadAll();
    expect(outer.get()?.inner.get()).toBe('inner');
    expect(innerLoads()).toBe(1);
  });

  it('prefetchAll reaches declared-by-loaded modules in a further round, and does not retry a failure', async () => {
    const { outer } = nested();
    const failing = vi.fn(async () => {
      throw new Error('offline');
    });
    lazyModule(failing);
    prefetchAll();
    await vi.waitFor(() => expect(outer.get()?.inner.get()).toBe('inner'), { timeout: 2000, interval: 5 });
    await new Promise((r) => setTimeout(r, 20));
    expect(failing).toHaveBeenCalledTimes(1); // once per round that declared something new at most
  });

  it('with a scheduler, prefetchAll starts one load per scheduled call, each after the previous settled', async () => {
    const { outer } = nested();
    const failing = vi.fn(async () => {
      throw new Error('offline');
    });
    lazyModule(failing);
    const queue: Array<() => void> = [];
    prefetchAll((task) => queue.push(task));
    // Drive the scheduled calls by hand (bounded): each call starts one load, and the next call is
    // scheduled only once that load has settled.
    let steps = 0;
    for (; steps < 50 && queue.length > 0; steps++) {
      queue.shift()!();
      expect(queue).toHaveLength(0); // nothing more until this load settles
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(queue).toHaveLength(0);
    expect(steps).toBeGreaterThanOrEqual(3); // outer, its inner, the failing one: one call each
    expect(outer.get()?.inner.get()).toBe('inner'); // declared by a loaded module: reached too
    expect(failing).toHaveBeenCalledTimes(1); // a failure is not retried by the prefetch
  });
});
