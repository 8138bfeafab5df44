/**
 * The image selection (issue 14): result images the user ticked for Compare and Download selected.
 * Only the ticks are kept; whether a tick still points at an image is derived when read
 * (`selectSelectedImages`), so dismissing or clearing tasks needs no bookkeeping here.
 */
import { isExpired } from '../../core/expiry';
import { isSafeUrl } from '../../core/util/url';
import type { GeneratorState } from '../types';
import type { StoreContext } from './context';

type SelectionActions = Pick<GeneratorState, 'toggleImageSelection' | 'clearImageSelection'>;

/** Most images one selection holds (a zip of more would be a download the user did not mean). */
export const MAX_SELECTED_IMAGES = 100;

export function createSelectionActions(ctx: StoreContext): SelectionActions {
  return {
    toggleImageSelection: (taskLocalId, index) =>
      ctx.set((s) => {
        const at = s.selectedImages.findIndex((e) => e.task === taskLocalId && e.index === index);
        if (at >= 0) return { selectedImages: s.selectedImages.filter((_, i) => i !== at) };
        const task = s.tasks.find((t) => t.id === taskLocalId);
        const ok =
          task !== undefined &&
          Number.isSafeInteger(index) &&
          index >= 1 &&
          task.images.filter((image) => isSafeUrl(image?.url)).length >= index &&
          !isExpired(task.expiresAt, ctx.now());
        if (!ok || s.selectedImages.length >= MAX_SELECTED_IMAGES) return s;
        return { selectedImages: [...s.selectedImages, { task: taskLocalId, index }] };
      }),
    clearImageSelection: () => ctx.set((s) => (s.selectedImages.length === 0 ? s : { selectedImages: [] })),
  };
}
