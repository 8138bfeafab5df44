/**
 * The mask slice's work (issue 15), loaded on demand by ./mask.ts (with the first `setMask`, or when
 * a restored mask is there): the upload, waiting for it, and keeping `mask.aside` right.
 *
 * Whether the mask is sent is derived (`selectMaskStatus`, src/store/mask-status.ts); `sync` keeps
 * `mask.aside` equal to it and tells the tray when the mask is put aside.
 */
import { toToapisError } from '../../core/errors';
import { formatBytes } from '../../core/util/bytes';
import { isHttpUrl } from '../../core/util/url';
import { ASIDE_CODES, maskAside, withoutMaskMessages } from '../mask-status';
import type { GeneratorState, ReferenceMask } from '../types';
import type { StoreContext } from './context';

type MaskActions = Pick<GeneratorState, 'setMask' | 'removeMask'>;

export interface MaskOps {
  actions: MaskActions;
  /** Resolves true once the mask is not uploading; false when `signal` aborts first. */
  waitForUpload(signal: AbortSignal): Promise<boolean>;
  /** Keeps `mask.aside` right after any change (model, tray); `quiet`: without a tray notice. */
  sync(quiet?: boolean): void;
  /** After `connect`: an upload cut off by `disconnect` starts again. */
  resume(): void;
  /** On `disconnect`: the upload stops (it restarts on `connect`). */
  halt(): void;
  /** On `dispose`: the tray picture of the mask is revoked. */
  revoke(): void;
  /**
   * A saved mask (as read back, unchecked) comes back when it is valid, its reference is in the
   * tray, and no mask was applied meanwhile.
   */
  restore(saved: unknown): void;
}

const ASIDE_MODEL_MESSAGE = 'This model does not take a mask; the mask is kept aside and comes back with a model that takes one.';
const ASIDE_REFERENCE_MESSAGE = 'The first reference is no longer the image the mask was drawn on; edit the mask again to use it.';

export function createMaskOps(ctx: StoreContext): MaskOps {
  const { set, get } = ctx;
  let abort: AbortController | undefined;
  /** The current mask's file, kept until it is uploaded (for an upload cut off by `disconnect`). */
  let pending: { id: string; file: Blob } | undefined;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  // The preview is already small (the editor makes it) and must keep its alpha for the tray's
  // overlay, so it is not passed through the thumbnailer (which may re-encode it): an object URL.
  const revokePreview = (mask: ReferenceMask | undefined) => {
    const url = mask?.previewUrl;
    if (!url?.startsWith('blob:')) return;
    if (ctx.options.revokePreviewUrl) ctx.options.revokePreviewUrl(url);
    else if (typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
  };
  /** Changes the current mask if it is still the one `id` names (a newer one or none: nothing). */
  const patch = (id: string, changes: Partial<ReferenceMask>) =>
    set((s) => (s.mask?.id === id ? { mask: { ...s.mask, ...changes } } : s));

  const upload = async (id: string, file: Blob) => {
    abort?.abort();
    const controller = (abort = new AbortController());
    try {
      const { url } = await ctx.client.uploadImage(file, { signal: controller.signal, filename: 'mask.png' });
      if (pending?.id === id) pending = undefined;
      patch(id, { state: 'ready', url, error: undefined });
    } catch (raw) {
      const error = toToapisError(raw);
      if (error.kind === 'aborted') return;
      if (pending?.id === id) pending = undefined;
      patch(id, { state: 'error', error });
      ctx.reportError(error);
    } finally {
      if (abort === controller) abort = undefined;
      notify();
    }
  };

  const sync = (quiet = false) => {
    const s = get();
    const mask = s.mask;
    if (!mask) return;
    const aside = maskAside(s);
    if (aside === mask.aside) return;
    const notices = s.notices.some((n) => ASIDE_CODES.has(n.code)) ? s.notices.filter((n) => !ASIDE_CODES.has(n.code)) : s.notices;
    set({ mask: { ...mask, aside }, notices });
    if (quiet || !aside) return;
    const reference = s.references.find((r) => r.id === mask.referenceId);
    const fileName = reference?.name ?? 'mask';
    if (aside === 'model') {
      const model = ctx.capabilities().label;
      ctx.addNotice({ code: 'mask_aside_model', fileName, params: { model }, message: ASIDE_MODEL_MESSAGE.replace('This model', model) });
    } else {
      ctx.addNotice({ code: 'mask_aside_reference', fileName, message: ASIDE_REFERENCE_MESSAGE });
    }
  };

  return {
    actions: {
      setMask: async ({ referenceId, file, width, height, preview }) => {
        const reference = get().references.find((r) => r.id === referenceId);
        if (!reference || !isSide(width) || !isSide(height)) return;
        const max = ctx.capabilities().mask?.maxBytes;
        if (max !== undefined && file.size > max) {
          const message = `The mask is ${formatBytes(file.size)}; this model takes masks of at most ${formatBytes(max)}. It was not applied.`;
          ctx.addNotice({ code: 'mask_too_large', fileName: reference.name, params: { size: file.size, max }, message });
          return;
        }
        abort?.abort();
        revokePreview(get().mask);
        const previewUrl = preview && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(preview) : undefined;
        const id = ctx.nextId('m');
        pending = { id, file };
        const mask: ReferenceMask = { id, referenceId, referenceUrl: reference.url, state: 'uploading', url: undefined, previewUrl, width, height, error: undefined, aside: undefined };
        set((s) => withoutMaskMessages(s, { mask }));
        sync(true);
        if (ctx.runtime.connected) await upload(id, file);
      },
      removeMask: () => {
        abort?.abort();
        abort = undefined;
        pending = undefined;
        revokePreview(get().mask);
        set(withoutMaskMessages(get(), { mask: undefined }));
        notify();
      },
    },
    waitForUpload: (signal) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (signal.aborted || get().mask?.state !== 'uploading') {
            waiters.delete(check);
            resolve(!signal.aborted);
          }
        };
        waiters.add(check);
        signal.addEventListener('abort', check, { once: true });
        check();
      }),
    sync,
    resume: () => {
      const mask = get().mask;
      if (pending && !abort && mask?.id === pending.id && mask.state === 'uploading') void upload(pending.id, pending.file);
    },
    halt: () => {
      abort?.abort();
      abort = undefined;
      notify();
    },
    revoke: () => revokePreview(get().mask),
    restore: (saved) => {
      const valid = savedMask(saved);
      const reference = valid && get().references.find((r) => r.url === valid.referenceUrl);
      if (!valid || !reference || get().mask) return;
      const { url, width, height } = valid;
      set({ mask: { id: ctx.nextId('m'), referenceId: reference.id, referenceUrl: reference.url, state: 'ready', url, previewUrl: undefined, width, height, error: undefined, aside: undefined } });
      sync(true);
    },
  };
}

/** A saved mask, validated: two http(s) URLs and a whole pixel size; undefined for anything else. */
function savedMask(value: unknown): { url: string; referenceUrl: string; width: number; height: number } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { url, referenceUrl, width, height } = value as Record<string, unknown>;
  if (!isHttpUrl(url, 4096) || !isHttpUrl(referenceUrl, 4096) || !isSide(width) || !isSide(height)) return undefined;
  return { url, referenceUrl, width, height };
}

/** A pixel count a mask side can have. */
function isSide(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) > 0 && (n as number) <= 0x7fffffff;
}
