/**
 * The references slice: files checked, downscaled, de-duplicated and uploaded (a few at a time,
 * each content once), hosted images added by URL, and the tray's notices.
 */
import { toToapisError } from '../../core/errors';
import { isSafeUrl } from '../../core/protocol';
import { downscaleToFit, formatBytes, hashReference, inspectReference, limitsForModel, type ReferenceInput } from '../../core/references';
import { safeFileName } from '../../core/util/image';
import { EXPIRED_REFERENCE_MESSAGE, hostedReference, isUploading, newReference } from '../records';
import type { GeneratorState, ReferenceItem, TrayNotice } from '../types';
import type { StoreContext } from './context';

type FileLike = ReferenceInput & Blob;

type ReferenceActions = Pick<
  GeneratorState,
  'addReferences' | 'addReferenceUrl' | 'removeReference' | 'moveReference' | 'retryReference' | 'dismissNotice' | 'clearNotices' | 'releasePreviews'
>;

export interface ReferencesSlice {
  actions: ReferenceActions;
  /** Resolves true once no reference is being checked or uploaded; false when `signal` aborts first. */
  waitForUploads(signal: AbortSignal): Promise<boolean>;
  /** After `connect`: uploads cut off by `disconnect` start again, released thumbnails come back. */
  resume(): void;
  /** On `disconnect`: uploads stop (they restart on `connect`), waiters are told. */
  halt(): void;
  /** On `dispose`: every thumbnail the store made is revoked. */
  revokePreviews(): void;
}

export function createReferences(ctx: StoreContext): ReferencesSlice {
  const { set, get, options } = ctx;
  const createPreview =
    options.createPreviewUrl ??
    ((blob: Blob) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : undefined));
  const revokePreview =
    options.revokePreviewUrl ??
    ((url: string) => {
      if (url.startsWith('blob:') && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
    });
  const uploadConcurrency = Math.max(1, options.uploadConcurrency ?? 3);

  const files = new Map<string, FileLike>(); // reference id -> (possibly downscaled) file, kept for retry
  const uploadAborts = new Map<string, AbortController>();
  const uploadWaiters = new Set<() => void>();
  const uploadedByHash = new Map<string, string>(); // content hash -> uploaded URL (upload once)
  const queue: string[] = [];
  let activeUploads = 0;

  const inTray = (id: string) => get().references.some((r) => r.id === id);
  const patchReference = (id: string, patch: Partial<ReferenceItem>) =>
    set((s) => ({ references: s.references.map((r) => (r.id === id ? { ...r, ...patch } : r)) }));
  const notifyUploadWaiters = () => {
    for (const w of [...uploadWaiters]) w();
  };

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

  const upload = async (ref: ReferenceItem, file: FileLike) => {
    if (ref.hash && uploadedByHash.has(ref.hash)) {
      patchReference(ref.id, { state: 'ready', url: uploadedByHash.get(ref.hash), progress: 100, error: undefined });
      notifyUploadWaiters();
      return;
    }
    const controller = new AbortController();
    uploadAborts.set(ref.id, controller);
    patchReference(ref.id, { state: 'uploading', progress: null, error: undefined });
    try {
      const result = await ctx.client.uploadImage(file, { signal: controller.signal, filename: safeFileName(ref.name, file.type) });
      if (!inTray(ref.id)) return;
      if (ref.hash) uploadedByHash.set(ref.hash, result.url);
      patchReference(ref.id, { state: 'ready', url: result.url, progress: 100 });
    } catch (raw) {
      const error = toToapisError(raw);
      if (error.kind === 'aborted' || !inTray(ref.id)) return;
      patchReference(ref.id, { state: 'error', error, progress: null });
      ctx.reportError(error);
    } finally {
      uploadAborts.delete(ref.id);
      notifyUploadWaiters();
    }
  };

  const rejectPending = (id: string, notice: Pick<TrayNotice, 'code' | 'fileName' | 'message' | 'params'>) => {
    set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
    files.delete(id);
    ctx.addNotice(notice);
    notifyUploadWaiters();
  };

  /** The file as it will be uploaded: checked, and shrunk when too large; undefined when refused. */
  const usableFile = async (id: string, file: FileLike) => {
    const caps = ctx.capabilities();
    const limits = limitsForModel(caps, get().maxReferences);
    const fileName = file.name;
    const inspected = await inspectReference(file, limits).catch(() => ({
      ok: false as const,
      problem: { code: 'corrupt' as const, message: `"${fileName}" could not be read.`, params: { name: fileName } },
    }));
    if (!inTray(id)) return undefined;
    if (!inspected.ok) {
      rejectPending(id, { fileName, ...inspected.problem });
      return undefined;
    }
    if (!inspected.needsDownscale) return { file, inspected, downscaled: false };
    if (!options.imageCodec) {
      const params = { name: fileName, size: file.size, max: limits.maxBytes };
      const message = `"${fileName}" is ${formatBytes(file.size)}; ${caps.label} accepts at most ${formatBytes(limits.maxBytes)} per reference.`;
      rejectPending(id, { code: 'too_large', fileName, params, message });
      return undefined;
    }
    try {
      const blob = await downscaleToFit(file, limits.maxBytes, options.imageCodec);
      return { file: Object.assign(blob, { name: fileName }) as FileLike, inspected, downscaled: true };
    } catch (raw) {
      rejectPending(id, { code: 'too_large', fileName, params: { name: fileName }, message: toToapisError(raw).message });
      return undefined;
    }
  };

  /**
   * A thumbnail for the file: a URL now, or undefined while one is made asynchronously (off the main
   * thread in browsers) and set when it is ready.
   */
  const makePreview = (id: string, file: FileLike): string | undefined => {
    const preview = createPreview(file);
    if (typeof preview === 'string' || !preview) return preview;
    void preview.then(
      (url) => {
        if (!url) return;
        if (inTray(id)) patchReference(id, { previewUrl: url });
        else revokePreview(url);
      },
      () => {},
    );
    return undefined;
  };

  const admitFile = async (id: string, original: FileLike) => {
    const usable = await usableFile(id, original);
    if (!usable) return;
    const { file, inspected, downscaled } = usable;
    const hash = await hashReference(file).catch(() => undefined);
    if (!inTray(id)) return;
    if (hash && get().references.some((r) => r.id !== id && r.hash === hash)) {
      const fileName = original.name;
      rejectPending(id, { code: 'duplicate', fileName, params: { name: fileName }, message: `"${fileName}" is already in the tray.` });
      return;
    }
    files.set(id, file);
    const previewUrl = makePreview(id, file);
    const { mimeType, width, height } = inspected;
    patchReference(id, { hash, mimeType, width, height, size: file.size, ...(previewUrl && { previewUrl }), downscaled, state: 'uploading' });
    queue.push(id);
    pump();
  };

  const waitForUploads = (signal: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (signal.aborted || !get().references.some(isUploading)) {
          uploadWaiters.delete(check);
          resolve(!signal.aborted);
        }
      };
      uploadWaiters.add(check);
      signal.addEventListener('abort', check, { once: true });
      check();
    });

  const actions: ReferenceActions = {
    addReferences: async (input) => {
      if (!ctx.runtime.connected) return;
      const list = Array.from(input as ArrayLike<FileLike>);
      const { maxReferences, references } = get();
      const room = Math.max(0, maxReferences - references.length);
      const accepted = list.slice(0, room);
      for (const f of list.slice(room)) {
        const fileName = String(f.name || 'file');
        const message = `"${String(f.name || 'The file')}" was not added: the tray holds at most ${maxReferences} reference images.`;
        ctx.addNotice({ code: 'too_many', fileName, params: { name: fileName, max: maxReferences }, message });
      }
      const pending = accepted.map((f) => newReference({ id: ctx.nextId('r'), name: String(f.name || 'image'), size: Number(f.size) || 0, state: 'checking' }));
      if (pending.length) set((s) => ({ references: [...s.references, ...pending] }));
      set((s) => ({ issues: s.issues.filter((i) => i.field !== 'references') }));
      await Promise.all(pending.map((p, i) => admitFile(p.id, accepted[i]!)));
    },

    addReferenceUrl: (url, name) => {
      if (!ctx.runtime.connected || !isSafeUrl(url)) return false;
      const fileName = name ?? url;
      if (ctx.isExpiredResult(url)) {
        ctx.addNotice({ code: 'expired', fileName, params: { name: fileName }, message: EXPIRED_REFERENCE_MESSAGE });
        return false;
      }
      const { references, maxReferences } = get();
      if (references.some((r) => r.url === url)) {
        ctx.addNotice({ code: 'duplicate', fileName, params: { name: fileName }, message: `This image is already in the tray.` });
        return false;
      }
      if (references.length >= maxReferences) {
        const message = `The tray holds at most ${maxReferences} reference images.`;
        ctx.addNotice({ code: 'too_many', fileName, params: { name: fileName, max: maxReferences }, message });
        return false;
      }
      const item = hostedReference(ctx.nextId('r'), url, name ?? 'Generated image');
      set((s) => ({ references: [...s.references, item] }));
      return true;
    },

    removeReference: (id) => {
      const ref = get().references.find((r) => r.id === id);
      if (!ref) return;
      uploadAborts.get(id)?.abort();
      uploadAborts.delete(id);
      files.delete(id);
      const qi = queue.indexOf(id);
      if (qi >= 0) queue.splice(qi, 1);
      if (ref.previewUrl && ref.previewUrl !== ref.url) revokePreview(ref.previewUrl);
      set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
      notifyUploadWaiters();
    },

    moveReference: (id, toIndex) =>
      set((s) => {
        const from = s.references.findIndex((r) => r.id === id);
        if (from < 0) return s;
        const to = Math.max(0, Math.min(s.references.length - 1, Math.floor(toIndex)));
        if (from === to) return s;
        const next = [...s.references];
        const [item] = next.splice(from, 1);
        next.splice(to, 0, item!);
        return { references: next };
      }),

    retryReference: (id) => {
      const ref = get().references.find((r) => r.id === id);
      if (!ref || ref.state !== 'error' || !files.has(id)) return;
      patchReference(id, { state: 'uploading', error: undefined, progress: null });
      queue.push(id);
      pump();
    },

    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    clearNotices: () => set({ notices: [] }),

    releasePreviews: () => {
      for (const r of get().references) {
        if (r.previewUrl && r.previewUrl !== r.url && files.has(r.id)) {
          revokePreview(r.previewUrl);
          patchReference(r.id, { previewUrl: undefined });
        }
      }
    },
  };

  return {
    actions,
    waitForUploads,
    resume: () => {
      for (const r of get().references) if (r.state === 'uploading' && files.has(r.id) && !queue.includes(r.id)) queue.push(r.id);
      pump();
      // Thumbnails released while unmounted come back from the files the store still holds.
      for (const r of get().references) {
        const file = files.get(r.id);
        const previewUrl = !r.previewUrl && file ? makePreview(r.id, file) : undefined;
        if (previewUrl) patchReference(r.id, { previewUrl });
      }
    },
    halt: () => {
      for (const c of uploadAborts.values()) c.abort();
      uploadAborts.clear();
      queue.length = 0;
      notifyUploadWaiters();
    },
    revokePreviews: () => {
      for (const r of get().references) if (r.previewUrl && r.previewUrl !== r.url) revokePreview(r.previewUrl);
    },
  };
}
