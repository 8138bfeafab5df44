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
        const rest = s.selectedImages.filter((e) => e.task !== taskLocalId || e.index !== index);
        if (rest.length < s.selectedImages.length) return { selectedImages: rest }; // it was ticked
        const task = s.tasks.find((t) => t.id === taskLocalId);
        const exists =
          task && Number.isSafeInteger(index) && index > 0 && task.images.filter((i) => isSafeUrl(i?.url)).length >= index;
        return exists && !isExpired(task.expiresAt, ctx.now()) && rest.length < MAX_SELECTED_IMAGES
          ? { selectedImages: [...rest, { task: taskLocalId, index }] }
          : s;
      }),
    clearImageSelection: () => ctx.set((s) => (s.selectedImages.length ? { selectedImages: [] } : s)),
  };
}
