/**
 * Where the inpainting mask stands (issue 15), derived from the state: whether the current model
 * takes it, whether it was drawn on the first reference, and its upload. Generate and the UI read
 * `selectMaskStatus`; the store keeps `mask.aside` equal to `maskAside` (src/store/slices/mask.ts).
 */
import { isProvisional, storeModel } from './models';
import type { GeneratorState, ReferenceMask } from './types';

/**
 * `none`: no mask. `aside-model`: the model takes no mask. `aside-reference`: the first reference is
 * not the one it was drawn on. Otherwise the upload's state: `uploading`, `ready` (sent as
 * `mask_url`) or `error`.
 */
export type MaskStatus = 'none' | 'aside-model' | 'aside-reference' | 'uploading' | 'ready' | 'error';

/**
 * Why the mask is not sent, or undefined when it is (or there is none). While the model's
 * capabilities are provisional (the registry not loaded yet), a mask already aside for the model
 * stays so, and one that was not stays not.
 */
export function maskAside(s: Pick<GeneratorState, 'mask' | 'model' | 'references'>): ReferenceMask['aside'] {
  const mask = s.mask;
  if (!mask) return undefined;
  const caps = storeModel(s.model);
  if (!caps.mask && !(isProvisional(caps) && mask.aside !== 'model')) return 'model';
  if (s.references[0]?.id !== mask.referenceId) return 'reference';
  return undefined;
}

/** The mask's status for Generate and the UI; a string, so a component re-renders only when it changes. */
export function selectMaskStatus(s: Pick<GeneratorState, 'mask' | 'model' | 'references'>): MaskStatus {
  if (!s.mask) return 'none';
  const aside = maskAside(s);
  return aside ? `aside-${aside}` : s.mask.state;
}

/** Tray notices that say the mask is aside; dropped when it comes back or is removed. */
export const ASIDE_CODES: ReadonlySet<string> = new Set(['mask_aside_model', 'mask_aside_reference']);

/** `changes` plus the state's notices and issues without the mask's own (the same arrays when there are none). */
export function withoutMaskMessages<T extends object>(s: GeneratorState, changes: T): T & Pick<GeneratorState, 'notices' | 'issues'> {
  return {
    ...changes,
    notices: s.notices.some((n) => ASIDE_CODES.has(n.code)) ? s.notices.filter((n) => !ASIDE_CODES.has(n.code)) : s.notices,
    issues: s.issues.some((i) => i.field === 'mask') ? s.issues.filter((i) => i.field !== 'mask') : s.issues,
  };
}
