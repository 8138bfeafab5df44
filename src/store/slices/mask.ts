/**
 * The mask slice (issue 15): one inpainting mask, drawn on a reference in the MaskEditor, uploaded
 * through the same upload route as the references and sent as `mask_url` with the models that take
 * one (`ModelCapabilities.mask`). The editor makes the file (a PNG, transparent where to repaint, the
 * reference's pixel size); the store uploads it, keeps its state, and forgets it on `removeMask`.
 *
 * Whether it is sent is derived (`selectMaskStatus`, src/store/mask-status.ts); `sync` keeps
 * `mask.aside` equal to it and tells the tray when the mask is put aside.
 */
import { toToapisError } from '../../core/errors';
import { formatBytes } from '../../core/util/bytes';
import { maskAside } from '../mask-status';
import type { GeneratorState, ReferenceMask } from '../types';
import type { StoreContext } from './context';

type MaskActions = Pick<GeneratorState, 'setMask' | 'removeMask'>;

export interface MaskSlice {
  actions: MaskActions;
  /** Resolves true once the mask is not uploading; false when `signal` aborts first. */
  waitForUpload(signal: AbortSignal): Promise<boolean>;
  /** Keeps `mask.aside` right after any change (model, tray); `quiet`: without a tray notice. */
  sync(quiet?: boolean): void;
  /** After `connect`: an upload cut off by `disconnect` starts again. */
  resume(): void;
  /** On `disconnect`: the upload stops (it restarts on `connect`). */
  halt(): void;
  revoke(): void;
}

const ASIDE_CODES = new Set(['mask_aside_model', 'mask_aside_reference']);
const ASIDE_MODEL_MESSAGE = 'This model does not take a mask; the mask is kept aside and comes back with a model that takes one.';
const ASIDE_REFERENCE_MESSAGE = 'The first reference is no longer the image the mask was drawn on; edit the mask again to use it.';

export function createMask(ctx: StoreContext): MaskSlice {
  const { set, get } = ctx;
  let abort: AbortController | undefined;
  /** The current mask's file, kept until it is uploaded (for an upload cut off by `disconnect`). */
  let pending: { id: string; file: Blob } | undefined;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const revokePreview = (mask: ReferenceMask | undefined) => {
    if (mask?.previewUrl?.startsWith('blob:')) ctx.options.revokePreviewUrl?.(mask.previewUrl);
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
        const previewUrl = preview ? await ctx.options.createPreviewUrl?.(preview) : undefined;
        const id = ctx.nextId('m');
        pending = { id, file };
        set((s) => ({
          mask: { id, referenceId, referenceUrl: reference.url, state: 'uploading', url: undefined, previewUrl: previewUrl ?? undefined, width, height, error: undefined, aside: undefined },
          ...(s.issues.some((i) => i.field === 'mask') && { issues: s.issues.filter((i) => i.field !== 'mask') }),
        }));
        sync(true);
        if (ctx.runtime.connected) await upload(id, file);
      },
      removeMask: () => {
        abort?.abort();
        abort = undefined;
        pending = undefined;
        revokePreview(get().mask);
        set((s) => ({
          mask: undefined,
          notices: s.notices.some((n) => ASIDE_CODES.has(n.code)) ? s.notices.filter((n) => !ASIDE_CODES.has(n.code)) : s.notices,
          issues: s.issues.some((i) => i.field === 'mask') ? s.issues.filter((i) => i.field !== 'mask') : s.issues,
        }));
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
  };
}

/** A pixel count a mask side can have. */
function isSide(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 0x7fffffff;
}
