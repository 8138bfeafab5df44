'use client';
import type { GeneratorStore } from '../../store/createGeneratorStore';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import { safeImages } from './context';

/**
 * Starts downloading a task's first result the moment the store learns the task completed —
 * inside the store update, before React renders the gallery — so the request overlaps the render
 * instead of following it (issue 13 item 4). The gallery's `<img>` (same URL, no `crossorigin`,
 * same referrer policy) then reuses the browser's in-flight or finished download.
 *
 * Only the first image, only on a task's transition to `completed` in this page (never for tasks
 * restored already completed) — the image the gallery then loads eagerly with high priority — and
 * only where `Image` exists (the browser; never during SSR).
 * What the user sees is unchanged: the gallery renders exactly as before.
 */
export function useResultPrefetch(store: GeneratorStore): void {
  // A layout effect subscribes before the components' own store subscriptions (passive effects),
  // so the download starts before React's listeners run, not after them.
  useIsomorphicLayoutEffect(() => {
    if (typeof Image === 'undefined') return undefined;
    const started = new Set<string>();
    // Held until loaded or failed, so a pending download is never dropped with its element.
    const pending = new Set<HTMLImageElement>();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.tasks === previous.tasks) return;
      for (const task of state.tasks) {
        if (task.phase !== 'completed') continue;
        const before = previous.tasks.find((t) => t.id === task.id);
        if (!before || before.phase === 'completed') continue;
        const url = safeImages(task.images)[0]?.url;
        if (!url || started.has(url)) continue;
        started.add(url);
        const img = new Image();
        img.fetchPriority = 'high';
        img.decoding = 'async';
        const done = () => pending.delete(img);
        img.addEventListener('load', done, { once: true });
        img.addEventListener('error', done, { once: true });
        pending.add(img);
        img.src = url;
      }
    });
    return () => {
      unsubscribe();
      pending.clear();
    };
  }, [store]);
}
