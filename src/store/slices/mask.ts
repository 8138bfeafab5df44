/**
 * The mask slice (issue 15): one inpainting mask, drawn on a reference in the MaskEditor, uploaded
 * through the same upload route as the references and sent as `mask_url` with the models that take
 * one (`ModelCapabilities.mask`). The editor makes the file (a PNG, transparent where to repaint, the
 * reference's pixel size); the store uploads it, keeps its state, and forgets it on `removeMask`.
 */
import { toToapisError } from '../../core/errors';
import type { GeneratorState, ReferenceMask } from '../types';
import type { StoreContext } from './context';

type MaskActions = Pick<GeneratorState, 'setMask' | 'removeMask'>;

export function createMask(ctx: StoreContext): { actions: MaskActions; halt(): void; revoke(): void } {
  const { set, get } = ctx;
  let abort: AbortController | undefined;
  const revokePreview = (mask: ReferenceMask | undefined) => {
    if (mask?.previewUrl?.startsWith('blob:')) ctx.options.revokePreviewUrl?.(mask.previewUrl);
  };
  /** Changes the current mask if it is still the one `id` names (a newer one or none: nothing). */
  const patch = (id: string, changes: Partial<ReferenceMask>) =>
    set((s) => (s.mask?.id === id ? { mask: { ...s.mask, ...changes } } : s));

  return {
    actions: {
      setMask: async ({ referenceId, file, width, height, preview }) => {
        const reference = get().references.find((r) => r.id === referenceId);
        if (!reference) return;
        abort?.abort();
        const controller = (abort = new AbortController());
        revokePreview(get().mask);
        const previewUrl = preview ? await ctx.options.createPreviewUrl?.(preview) : undefined;
        const id = ctx.nextId('m');
        set({
          mask: { id, referenceId, referenceUrl: reference.url, state: 'uploading', url: undefined, previewUrl: previewUrl ?? undefined, width, height, error: undefined, aside: undefined },
        });
        try {
          const { url } = await ctx.client.uploadImage(file, { signal: controller.signal, filename: 'mask.png' });
          patch(id, { state: 'ready', url });
        } catch (raw) {
          const error = toToapisError(raw);
          if (error.kind === 'aborted') return;
          patch(id, { state: 'error', error });
          ctx.reportError(error);
        } finally {
          if (abort === controller) abort = undefined;
        }
      },
      removeMask: () => {
        abort?.abort();
        abort = undefined;
        revokePreview(get().mask);
        set({ mask: undefined });
      },
    },
    halt: () => abort?.abort(),
    revoke: () => revokePreview(get().mask),
  };
}
