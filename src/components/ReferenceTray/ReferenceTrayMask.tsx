'use client';
/**
 * The mask controls of a reference (issue 15), part of an item's default content (loaded with the
 * items): on the first reference, when the model takes a mask and the reference is ready, "Edit
 * mask" opens the MaskEditor; a reference with a mask shows a badge ("Mask", or why it is kept
 * aside) and "Remove mask". The masked area itself is drawn over the thumbnail
 * (`ReferenceTrayItemThumb`).
 */
import * as React from 'react';
import { createPortal } from 'react-dom';
import { isSafeUrl } from '../../core/util/url';
import { selectCapabilities } from '../../store/selectors';
import type { GeneratorState, ReferenceItem, ReferenceMask } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import type { Labels } from '../../labels/en';
import { MaskEditor } from '../MaskEditor/MaskEditor';
import { preloadMaskEditor } from '../MaskEditor/lazy';
import { useReferenceTrayContext } from './context';
import { findItem } from './dom';

const selectTakesMask = (s: GeneratorState) => selectCapabilities(s).mask !== undefined;

export function ReferenceTrayItemMask({ reference }: { reference: ReferenceItem }) {
  const ctx = useReferenceTrayContext('ReferenceTrayItem');
  const store = useGeneratorStore();
  const labels = useLabels();
  const nameId = React.useId();
  const editRef = React.useRef<HTMLButtonElement>(null);
  const [open, setOpen] = React.useState(false);
  const { id } = reference;
  const isFirst = useGenerator(React.useCallback((s: GeneratorState) => s.references[0]?.id === id, [id]));
  const takesMask = useGenerator(selectTakesMask);
  const mask = useGenerator(React.useCallback((s: GeneratorState) => (s.mask?.referenceId === id ? s.mask : undefined), [id]));
  // The editor needs the reference's pixel size: known from its file, or (a hosted image) read as it loads.
  const sized = Boolean(reference.width && reference.height) || (reference.url !== undefined && (reference.previewUrl ?? reference.url) === reference.url);
  const canEdit = isFirst && takesMask && reference.state === 'ready' && sized;
  if (!canEdit && !mask && !open) return null;

  const remove = () => {
    store.getState().removeMask();
    // The button is gone with the mask: Edit mask, else the item itself.
    (editRef.current ?? findItem(ctx.rootRef.current, id))?.focus();
  };
  const root = ctx.rootRef.current;

  return (
    <div className="gen-ReferenceTray-mask">
      {mask ? (
        <span className="gen-ReferenceTray-maskBadge" data-state={mask.aside ? 'aside' : mask.state}>
          {badgeText(labels, mask)}
        </span>
      ) : null}
      {canEdit ? (
        <button
          type="button"
          className="gen-button gen-ReferenceTray-editMask"
          aria-haspopup="dialog"
          aria-describedby={nameId}
          disabled={ctx.disabled}
          ref={editRef}
          onPointerEnter={preloadMaskEditor}
          onFocus={preloadMaskEditor}
          onClick={() => setOpen(true)}
        >
          {labels.editMask}
        </button>
      ) : null}
      {mask ? (
        <button type="button" className="gen-button gen-ReferenceTray-removeMask" aria-describedby={nameId} disabled={ctx.disabled} onClick={remove}>
          {labels.removeMask}
        </button>
      ) : null}
      <span id={nameId} hidden>
        {reference.name}
      </span>
      {/* Rendered in the tray, not in the list item: the item is draggable and has keys of its own. */}
      {open && root ? createPortal(<MaskEditor open onOpenChange={setOpen} referenceId={id} />, root) : null}
    </div>
  );
}

function badgeText(labels: Labels, mask: ReferenceMask): string {
  if (mask.aside) return labels.maskAside(mask.aside);
  if (mask.state === 'uploading') return labels.maskUploading;
  if (mask.state === 'error') return labels.maskFailed;
  return labels.maskBadge;
}

/** The masked area over a thumbnail (decorative: the badge says it in words). */
export function ReferenceTrayMaskOverlay({ referenceId }: { referenceId: string }) {
  const url = useGenerator(
    React.useCallback((s: GeneratorState) => (s.mask?.referenceId === referenceId ? s.mask.previewUrl : undefined), [referenceId]),
  );
  if (!url || !isSafeUrl(url)) return null;
  return <img className="gen-ReferenceTray-maskOverlay" src={url} alt="" aria-hidden="true" decoding="async" draggable={false} />;
}
