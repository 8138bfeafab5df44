'use client';
import * as React from 'react';
import { formatError } from '../../labels/format';
import { Slot } from '@radix-ui/react-slot';
import { isSafeUrl } from '../../core/util/url';
import { selectReferenceById } from '../../store/selectors';
import type { ReferenceItem } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { useItemReference, useReferenceTrayContext } from './context';
import { findItem } from './dom';
import { ReferenceTrayMaskOverlay } from './ReferenceTrayMask';

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayRemove
 * -----------------------------------------------------------------------------------------------*/

export interface ReferenceTrayRemoveProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Reference to remove; defaults to the enclosing item's. */
  referenceId?: string;
  /** Render the child element as the button (Radix `Slot`); it keeps the name and the behaviour. @default false */
  asChild?: boolean;
}

/**
 * "Remove …" (`labels.removeReference(name)`): takes the reference out of the tray, says so in the
 * tray's live region and moves focus to the next item's Remove (else the previous one's, else the
 * file picker). A host `onClick` runs first and can `preventDefault()` to keep the reference.
 * Disabled with the tray.
 */
export const ReferenceTrayRemove = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, ReferenceTrayRemoveProps>(
  function ReferenceTrayRemove({ referenceId: explicit, asChild = false, className, onClick, children, ...rest }, ref) {
    const referenceId = useItemReference('ReferenceTrayRemove', explicit);
    const ctx = useReferenceTrayContext('ReferenceTrayRemove');
    const store = useGeneratorStore();
    const labels = useLabels();
    const select = React.useMemo(() => selectReferenceById(referenceId), [referenceId]);
    const name = useGenerator(select)?.name;
    if (name === undefined) return null;

    const remove = () => {
      const ids = store.getState().references.map((r) => r.id);
      const index = ids.indexOf(referenceId);
      const nextId = ids[index + 1] ?? ids[index - 1];
      store.getState().removeReference(referenceId);
      ctx.announce(labels.referenceRemoved(name));
      // Keep keyboard users in place: the next item's Remove, else the previous one's, else the picker.
      const next = nextId === undefined ? undefined : findItem(ctx.rootRef.current, nextId);
      const target =
        next?.querySelector<HTMLElement>('.gen-ReferenceTray-remove:not(:disabled)') ?? next ?? ctx.inputRef.current;
      target?.focus();
    };

    const Comp = asChild ? Slot : 'button';
    return (
      <Comp
        type={asChild ? undefined : 'button'}
        aria-label={labels.removeReference(name)}
        title={labels.removeReference(name)}
        disabled={ctx.disabled}
        {...rest}
        className={cx('gen-ReferenceTray-remove', className)}
        onClick={composeEventHandlers(onClick, remove)}
        ref={ref}
      >
        {asChild
          ? children
          : (children ?? (
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M6 6l12 12M18 6 6 18" />
              </svg>
            ))}
      </Comp>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * Private: the default content of an item
 * -----------------------------------------------------------------------------------------------*/

/**
 * The thumbnail, and while uploading a progress bar in the tasks' vocabulary: `data-state` is the
 * reference's state (`uploading`), `data-indeterminate` while the progress is unknown.
 */
export function ReferenceTrayItemThumb({ reference }: { reference: ReferenceItem }) {
  const labels = useLabels();
  const { name, state, progress, previewUrl } = reference;
  return (
    <div className="gen-ReferenceTray-thumb">
      {previewUrl && isSafeUrl(previewUrl) ? (
        <img className="gen-ReferenceTray-image" src={previewUrl} alt={name} decoding="async" draggable={false} />
      ) : (
        <span className="gen-ReferenceTray-placeholder" aria-hidden="true">
          <svg viewBox="0 0 24 24" focusable="false">
            <path d="M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01" />
          </svg>
        </span>
      )}
      <ReferenceTrayMaskOverlay referenceId={reference.id} />
      {state === 'uploading' && (
        <div
          role="progressbar"
          aria-label={labels.uploadProgress(name)}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress ?? undefined}
          data-state={state}
          data-indeterminate={progress === null ? '' : undefined}
          className="gen-ReferenceTray-progress"
          style={{ '--gen-progress': `${progress ?? 0}%` }}
        >
          <div className="gen-ReferenceTray-progress-indicator" />
        </div>
      )}
    </div>
  );
}

/** Name, state, "downscaled", and for a refused file its error with Retry. */
export function ReferenceTrayItemMeta({ reference }: { reference: ReferenceItem }) {
  const ctx = useReferenceTrayContext('ReferenceTrayItem');
  const store = useGeneratorStore();
  const labels = useLabels();
  const errorId = React.useId();
  const { id, name, state, error, downscaled } = reference;
  return (
    <div className="gen-ReferenceTray-meta">
      <span className="gen-ReferenceTray-name" title={name}>
        {name}
      </span>
      <span className="gen-ReferenceTray-state" data-state={state}>
        {labels.referenceState[state]}
      </span>
      {downscaled && <span className="gen-ReferenceTray-downscaled">{labels.referenceDownscaled}</span>}
      {state === 'error' && (
        <>
          {error && (
            <span id={errorId} className="gen-ReferenceTray-error">
              {formatError(labels, error)}
            </span>
          )}
          <button
            type="button"
            className="gen-button gen-ReferenceTray-retry"
            aria-label={labels.retryUpload(name)}
            aria-describedby={error ? errorId : undefined}
            disabled={ctx.disabled}
            onClick={() => store.getState().retryReference(id)}
          >
            {labels.retry}
          </button>
        </>
      )}
    </div>
  );
}
