'use client';
import * as React from 'react';
import { selectMaxReferences, selectReferenceCount } from '../../store/selectors';
import { useGenerator, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { DropTargetContext, useReferenceTrayContext } from './context';
import { ACCEPT, trayState } from './dom';

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayDropzone
 * -----------------------------------------------------------------------------------------------*/

export interface ReferenceTrayDropzoneProps extends React.ComponentPropsWithoutRef<'label'> {
  /** Props for the (visually hidden, still focusable) file input. */
  inputProps?: Omit<React.ComponentPropsWithoutRef<'input'>, 'type' | 'multiple' | 'accept'>;
}

/**
 * The file picker, styled as a drop zone: a `<label>` wrapping a real `<input type="file" multiple>`
 * named "Add reference images". Clicking anywhere on the zone opens the picker.
 * @selector [data-drop-target] while files are dragged over the tray
 * @selector [data-disabled]
 */
export const ReferenceTrayDropzone = /* @__PURE__ */ React.forwardRef<HTMLLabelElement, ReferenceTrayDropzoneProps>(
  function ReferenceTrayDropzone({ className, children, inputProps, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayDropzone');
    const labels = useLabels();
    const isDropTarget = React.useContext(DropTargetContext);
    const hintId = React.useId();
    const { onChange, className: inputClassName, ...inputRest } = inputProps ?? {};
    return (
      <label
        data-drop-target={isDropTarget ? '' : undefined}
        data-disabled={ctx.disabled ? '' : undefined}
        {...rest}
        className={cx('gen-ReferenceTray-dropzone', className)}
        ref={ref}
      >
        <input
          aria-label={labels.addReferences}
          aria-describedby={hintId}
          disabled={ctx.disabled}
          {...inputRest}
          ref={ctx.inputRef}
          type="file"
          multiple
          accept={ACCEPT}
          className={cx('gen-visually-hidden gen-ReferenceTray-input', inputClassName)}
          onChange={composeEventHandlers(onChange, (event) => {
            const files = Array.from(event.currentTarget.files ?? []);
            // Cleared so picking the same file again (after removing it) fires `change` again.
            event.currentTarget.value = '';
            ctx.addFiles(files);
          })}
        />
        {children ?? (
          <>
            <svg className="gen-ReferenceTray-dropzone-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
            </svg>
            <span className="gen-ReferenceTray-dropzone-title">
              {isDropTarget ? labels.dropHere : labels.addReferences}
            </span>
            <span id={hintId} className="gen-ReferenceTray-dropzone-hint">
              {labels.dropHint}
            </span>
            <span className="gen-ReferenceTray-dropzone-button" aria-hidden="true">
              {labels.chooseFiles}
            </span>
          </>
        )}
      </label>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayCount
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayCountProps = React.ComponentPropsWithoutRef<'p'>;

/**
 * The visible count against the maximum, e.g. `3 / 14`.
 * @selector [data-state="empty" | "filled" | "full"]
 */
export const ReferenceTrayCount = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, ReferenceTrayCountProps>(
  function ReferenceTrayCount({ className, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayCount');
    const labels = useLabels();
    const count = useGenerator(selectReferenceCount);
    const storeMax = useGenerator(selectMaxReferences);
    const max = Math.min(ctx.max, storeMax);
    return (
      <p data-state={trayState(count, max)} {...rest} className={cx('gen-ReferenceTray-count', className)} ref={ref}>
        {labels.referenceCount(count, max)}
      </p>
    );
  },
);
