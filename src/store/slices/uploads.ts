/**
 * The upload machinery of the references slice (src/store/slices/references.ts): the files kept for
 * retry, a queue uploading a few at a time, each content once (by hash), and the waiters a submit
 * uses to hold until no reference is being checked or uploaded.
 */
import { toToapisError } from '../../core/errors';
import type { ReferenceInput } from '../../core/references';
import { safeFileName } from '../../core/util/image';
import { isUploading } from '../records';
import type { ReferenceItem } from '../types';
import type { StoreContext } from './context';

export type FileLike = ReferenceInput & Blob;

/** The tray as the references slice and its uploads see it. */
export interface Tray {
  has(id: string): boolean;
  patch(id: string, patch: Partial<ReferenceItem>): void;
}

export function trayOf(ctx: StoreContext): Tray {
  const { set, get } = ctx;
  return {
    has: (id) => get().references.some((r) => r.id === id),
    patch: (id, patch) => set((s) => ({ references: s.references.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
  };
}

export interface Uploads {
  /** The (possibly downscaled) file kept for a reference, for retry and thumbnails. */
  file(id: string): FileLike | undefined;
  /** Keeps the file a reference will be uploaded from. */
  keep(id: string, file: FileLike): void;
  /** Queues the kept file's upload (first attempt or retry). */
  enqueue(id: string): void;
  /** Forgets a reference: its upload aborted, its file dropped, out of the queue. */
  discard(id: string): void;
  /** Tells the waiters to look again (a reference left the tray or finished). */
  notify(): void;
  /** Resolves true once no reference is being checked or uploaded; false when `signal` aborts first. */
  waitForUploads(signal: AbortSignal): Promise<boolean>;
  /** After `connect`: uploads cut off by `disconnect` are queued again. */
  resume(): void;
  /** On `disconnect`: uploads aborted, the queue emptied, waiters told. */
  halt(): void;
}

export function createUploads(ctx: StoreContext, tray: Tray): Uploads {
  const { get, options } = ctx;
  const uploadConcurrency = Math.max(1, options.uploadConcurrency ?? 3);
  const files = new Map<string, FileLike>(); // reference id -> (possibly downscaled) file, kept for retry
  const uploadAborts = new Map<string, AbortController>();
  const uploadWaiters = new Set<() => void>();
  const queue: string[] = [];
  let activeUploads = 0;

  const notify = () => {
    for (const w of [...uploadWaiters]) w();
  };
  const upload = uploader(ctx, tray, uploadAborts, notify);

  const pump = () => {
    while (ctx.runtime.connected && activeUploads < uploadConcurrency && queue.length > 0) {
      const id = queue.shift()!;
      const ref = get().references.find((r) => r.id === id);
      const file = files.get(id);
      if (!ref || !file) continue;
      activeUploads += 1;
      void upload(ref, file).finally(() => {
        activeUploads -= 1;
        pump();
      });
    }
  };

  return {
    file: (id) => files.get(id),
    keep: (id, file) => {
      files.set(id, file);
    },
    enqueue: (id) => {
      queue.push(id);
      pump();
    },
    discard: (id) => {
      uploadAborts.get(id)?.abort();
      uploadAborts.delete(id);
      files.delete(id);
      const qi = queue.indexOf(id);
      if (qi >= 0) queue.splice(qi, 1);
    },
    notify,
    waitForUploads: (signal) => waitFor(ctx, uploadWaiters, signal),
    resume: () => {
      for (const r of get().references) if (r.state === 'uploading' && files.has(r.id) && !queue.includes(r.id)) queue.push(r.id);
      pump();
    },
    halt: () => {
      for (const c of uploadAborts.values()) c.abort();
      uploadAborts.clear();
      queue.length = 0;
      notify();
    },
  };
}

/** Uploads one reference's file (each content once: a hash already uploaded reuses its URL). */
function uploader(ctx: StoreContext, tray: Tray, uploadAborts: Map<string, AbortController>, notify: () => void) {
  const uploadedByHash = new Map<string, string>(); // content hash -> uploaded URL (upload once)
  return async (ref: ReferenceItem, file: FileLike) => {
    if (ref.hash && uploadedByHash.has(ref.hash)) {
      tray.patch(ref.id, { state: 'ready', url: uploadedByHash.get(ref.hash), progress: 100, error: undefined });
      notify();
      return;
    }
    const controller = new AbortController();
    uploadAborts.set(ref.id, controller);
    tray.patch(ref.id, { state: 'uploading', progress: null, error: undefined });
    try {
      const result = await ctx.client.uploadImage(file, { signal: controller.signal, filename: safeFileName(ref.name, file.type) });
      if (!tray.has(ref.id)) return;
      if (ref.hash) uploadedByHash.set(ref.hash, result.url);
      tray.patch(ref.id, { state: 'ready', url: result.url, progress: 100 });
    } catch (raw) {
      const error = toToapisError(raw);
      if (error.kind === 'aborted' || !tray.has(ref.id)) return;
      tray.patch(ref.id, { state: 'error', error, progress: null });
      ctx.reportError(error);
    } finally {
      uploadAborts.delete(ref.id);
      notify();
    }
  };
}

/** Resolves true once no reference is being checked or uploaded; false when `signal` aborts first. */
function waitFor(ctx: StoreContext, waiters: Set<() => void>, signal: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const check = () => {
      if (signal.aborted || !ctx.get().references.some(isUploading)) {
        waiters.delete(check);
        resolve(!signal.aborted);
      }
    };
    waiters.add(check);
    signal.addEventListener('abort', check, { once: true });
    check();
  });
}

/** The tray's thumbnails (made in ./references.ts, used by ./admission.ts as well). */
export interface Previews {
  /**
   * A thumbnail for the file: a URL now, or undefined while one is made asynchronously (off the main
   * thread in browsers) and set when it is ready.
   */
  make(id: string, file: FileLike): string | undefined;
  revoke(url: string): void;
}
