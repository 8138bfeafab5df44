/**
 * The references slice: files checked, downscaled, de-duplicated and uploaded (a few at a time,
 * each content once; src/store/slices/uploads.ts), hosted images added by URL, and the tray's notices.
 */
import { isSafeUrl } from '../../core/util/url';
import { lazyModule, withModule } from '../../core/util/lazy';
import { EXPIRED_REFERENCE_MESSAGE, hostedReference, newReference } from '../records';
import type { GeneratorState } from '../types';
import type { StoreContext } from './context';
import { createUploads, trayOf, type FileLike, type Previews, type Tray, type Uploads } from './uploads';

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

/** What the reference actions work with. */
interface ReferenceDeps {
  tray: Tray;
  uploads: Uploads;
  previews: Previews;
  admitFile(id: string, file: FileLike): Promise<void>;
}

/** Checking and admitting files (./admission.ts) loads with the first file added, or when idle. */
const admissionModule = /* @__PURE__ */ lazyModule(() => import('./admission'));

export function createReferences(ctx: StoreContext): ReferencesSlice {
  const { get } = ctx;
  const tray = trayOf(ctx);
  const uploads = createUploads(ctx, tray);
  const previews = createPreviews(ctx, tray);
  let admit: ((id: string, file: FileLike) => Promise<void>) | undefined;
  const admitFile = (id: string, file: FileLike) =>
    withModule(admissionModule, (m) => (admit ??= m.admission(ctx, tray, uploads, previews))(id, file));
  const deps: ReferenceDeps = { tray, uploads, previews, admitFile };

  return {
    actions: { ...addingActions(ctx, deps), ...trayActions(ctx, deps) },
    waitForUploads: uploads.waitForUploads,
    resume: () => {
      uploads.resume();
      // Thumbnails released while unmounted come back from the files the store still holds.
      for (const r of get().references) {
        const file = uploads.file(r.id);
        const previewUrl = !r.previewUrl && file ? previews.make(r.id, file) : undefined;
        if (previewUrl) tray.patch(r.id, { previewUrl });
      }
    },
    halt: uploads.halt,
    revokePreviews: () => {
      for (const r of get().references) if (r.previewUrl && r.previewUrl !== r.url) previews.revoke(r.previewUrl);
    },
  };
}


function createPreviews(ctx: StoreContext, tray: Tray): Previews {
  const { options } = ctx;
  const createPreview =
    options.createPreviewUrl ??
    ((blob: Blob) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : undefined));
  const revoke =
    options.revokePreviewUrl ??
    ((url: string) => {
      if (url.startsWith('blob:') && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
    });
  const make = (id: string, file: FileLike): string | undefined => {
    const preview = createPreview(file);
    if (typeof preview === 'string' || !preview) return preview;
    void preview.then(
      (url) => {
        if (!url) return;
        if (tray.has(id)) tray.patch(id, { previewUrl: url });
        else revoke(url);
      },
      () => {},
    );
    return undefined;
  };
  return { make, revoke };
}

/** Adding to the tray: files (checked and uploaded) and hosted images by URL. */
function addingActions(ctx: StoreContext, { admitFile }: ReferenceDeps): Pick<ReferenceActions, 'addReferences' | 'addReferenceUrl'> {
  const { set, get } = ctx;
  return {
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
      // One store update for the whole selection (14 photos render once), and the tray's field
      // issue cleared in it only when there is one (an unchanged `issues` re-renders nothing).
      set((s) => ({
        ...(pending.length > 0 && { references: [...s.references, ...pending] }),
        ...(s.issues.some((i) => i.field === 'references') && { issues: s.issues.filter((i) => i.field !== 'references') }),
      }));
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
  };
}

/** Working with what is in the tray: remove, reorder, retry, notices, thumbnails. */
function trayActions(ctx: StoreContext, { tray, uploads, previews }: ReferenceDeps): Omit<ReferenceActions, 'addReferences' | 'addReferenceUrl'> {
  const { set, get } = ctx;
  return {
    removeReference: (id) => {
      const ref = get().references.find((r) => r.id === id);
      if (!ref) return;
      uploads.discard(id);
      if (ref.previewUrl && ref.previewUrl !== ref.url) previews.revoke(ref.previewUrl);
      set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
      uploads.notify();
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
      if (!ref || ref.state !== 'error' || !uploads.file(id)) return;
      tray.patch(id, { state: 'uploading', error: undefined, progress: null });
      uploads.enqueue(id);
    },

    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    clearNotices: () => set({ notices: [] }),

    releasePreviews: () => {
      for (const r of get().references) {
        if (r.previewUrl && r.previewUrl !== r.url && uploads.file(r.id)) {
          previews.revoke(r.previewUrl);
          tray.patch(r.id, { previewUrl: undefined });
        }
      }
    },
  };
}
