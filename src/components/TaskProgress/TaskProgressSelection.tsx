'use client';
import * as React from 'react';
import { lazyModule } from '../../core/util/lazy';
import { selectionZipName } from '../../core/util/download-name';
import { selectSelectedImageFiles, selectSelectedImages, type ImageFile } from '../../store/selectors';
import { useGeneratorShallow, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { lazyPart } from '../internal/lazyPart';
import { useSaveResults } from './useSaveResults';

/** The comparison dialog: loaded the first time Compare is pressed (or when the browser is idle). */
const compareModule = /* @__PURE__ */ lazyModule(() => import('./TaskProgressCompare'));
const LazyCompare = /* @__PURE__ */ lazyPart(compareModule, (m) => m.TaskProgressCompare);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressSelection
 * -----------------------------------------------------------------------------------------------*/

export type TaskProgressSelectionProps = React.ComponentPropsWithoutRef<'div'>;

/**
 * The bar shown while result images are selected (their "Select image N" checkboxes): "2 selected",
 * "Compare" (exactly two; otherwise unavailable, with a hint why), "Download selected" (one image as
 * its file, several as one zip `images-<yyyy-mm-dd>.zip`) and "Clear selection". Compare opens the
 * "Compare images" dialog, whose code loads on demand. Renders nothing while nothing is selected.
 *
 * @selector [data-count] — how many images are selected.
 */
export const TaskProgressSelection = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressSelectionProps>(
  function TaskProgressSelection({ className, ...rest }, ref) {
    const labels = useLabels();
    const store = useGeneratorStore();
    // Ticks whose task was dismissed or cleared, or whose results expired, are left out.
    const count = useGeneratorShallow(selectSelectedImages).length;
    const [comparing, setComparing] = React.useState<readonly [ImageFile, ImageFile] | null>(null);
    const { state, message, save } = useSaveResults();
    const compareRef = React.useRef<HTMLButtonElement>(null);
    const countId = React.useId();
    const hintId = React.useId();
    if (count === 0) return null;
    const canCompare = count === 2;
    const busy = state === 'busy';
    const closeCompare = () => {
      setComparing(null);
      compareRef.current?.focus();
    };
    return (
      <div
        role="group"
        aria-labelledby={countId}
        data-count={count}
        {...rest}
        className={cx('gen-TaskProgress-selection', className)}
        ref={ref}
      >
        <p id={countId} className="gen-TaskProgress-selectionCount">
          {labels.selectedCount(count)}
        </p>
        <button
          type="button"
          className="gen-button gen-TaskProgress-compare"
          aria-disabled={!canCompare || undefined}
          aria-describedby={canCompare ? undefined : hintId}
          aria-haspopup="dialog"
          ref={compareRef}
          onClick={() => {
            const files = selectSelectedImageFiles(store.getState());
            if (files.length === 2) setComparing([files[0]!, files[1]!]);
          }}
        >
          {labels.compare}
        </button>
        <button
          type="button"
          className="gen-button gen-TaskProgress-downloadSelected"
          aria-busy={busy || undefined}
          onClick={() => void save(selectSelectedImageFiles(store.getState()), selectionZipName(Date.now()))}
        >
          {busy ? labels.preparing : labels.downloadSelected}
        </button>
        <button
          type="button"
          className="gen-button gen-TaskProgress-clearSelection"
          onClick={() => {
            // The bar goes away with the selection: focus moves to the first image that was ticked.
            const first = store.getState().selectedImages[0];
            store.getState().clearImageSelection();
            if (first) focusCheckbox(compareRef.current, `${first.task}:${first.index}`);
          }}
        >
          {labels.clearSelection}
        </button>
        {!canCompare && (
          <p id={hintId} className="gen-TaskProgress-selectionHint">
            {labels.compareHint}
          </p>
        )}
        {message && (
          <p role="alert" className="gen-TaskProgress-zipError">
            {message}
          </p>
        )}
        {comparing && <LazyCompare images={comparing} onClose={closeCompare} />}
      </div>
    );
  },
);

/** Focuses an image's "Select image N" checkbox in the same document, if it is still there. */
function focusCheckbox(from: HTMLElement | null, key: string): void {
  const doc = from?.ownerDocument;
  const box = Array.from(doc?.querySelectorAll<HTMLInputElement>('input[data-gen-select]') ?? []).find((el) => el.dataset.genSelect === key);
  box?.focus();
}
