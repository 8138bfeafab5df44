'use client';
import * as React from 'react';
import { isExpired } from '../../core/expiry';
import { isSafeUrl } from '../../core/util/url';
import { selectHasReferenceUrl, selectIsImageSelected, selectLatestCompletedTaskId, selectLatestTaskId } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { DownloadButton } from './DownloadButton';
import { useExpiryClock } from './useExpiryClock';
import { RootContext, isRunning, safeImages, useItemTask, useTaskField } from './context';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressGallery
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressGalleryProps extends React.ComponentPropsWithoutRef<'ul'> {
  /** Task whose images to show; defaults to the enclosing item's. */
  taskId?: string;
  /** Overrides the root's `onUseAsReference` for this gallery. */
  onUseAsReference?: (url: string) => void;
}

/**
 * The result images, each with a "Select image N" checkbox (for Compare and Download selected),
 * Open, Download and "Use as reference". Only `http(s)`/`blob:` URLs are rendered; each image sits
 * in a box of the task's aspect ratio (`--gen-ratio`), so loading causes no layout shift. While a
 * task of several images (`n` > 1) runs, each image not there yet is a placeholder of the same box
 * ("Image 2 of 4, generating"), replaced by the image as it arrives. Once the results have expired
 * (`task.expiresAt`, checked at most once a minute while mounted) it shows `labels.expired`
 * instead: no image, no actions.
 *
 * @selector [data-state="expired"] — the results have expired. @selector [data-state="pending"] — a placeholder.
 */
export const TaskProgressGallery = /* @__PURE__ */ React.forwardRef<HTMLUListElement, TaskProgressGalleryProps>(
  function TaskProgressGallery({ taskId: explicit, onUseAsReference, className, style, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressGallery', explicit);
    const labels = useLabels();
    const root = React.useContext(RootContext);
    const images = useTaskField(taskId, (t) => t.images);
    const prompt = useTaskField(taskId, (t) => t.prompt) ?? '';
    const ratio = useTaskField(taskId, (t) => t.aspectRatio);
    const expiresAt = useTaskField(taskId, (t) => t.expiresAt);
    // Images still to come: only while a task of several runs (a single image has the bar).
    const expected = useTaskField(taskId, (t) => (isRunning(t.phase) && t.n > 1 ? Math.min(t.n, 16) : 0)) ?? 0;
    const now = useExpiryClock(expiresAt);
    // The newest task's results, and the results that just arrived (several tasks may run at once),
    // are what the user is waiting for: fetched at once and first.
    const newest = useGenerator((s) => selectLatestTaskId(s) === taskId || selectLatestCompletedTaskId(s) === taskId);
    const safe = React.useMemo(() => safeImages(images), [images]);
    const pending = Math.max(0, expected - safe.length);
    if (safe.length === 0 && pending === 0) return null;
    if (isExpired(expiresAt, now)) {
      return (
        <ul data-state="expired" {...rest} className={cx('gen-TaskProgress-gallery', className)} style={style} ref={ref}>
          <li className="gen-TaskProgress-expired">{labels.expired}</li>
        </ul>
      );
    }
    const total = safe.length + pending;
    return (
      <ul
        {...rest}
        className={cx('gen-TaskProgress-gallery', className)}
        style={{ '--gen-ratio': ratioToCss(ratio), ...style }}
        ref={ref}
      >
        {safe.map((image, i) => (
          <li key={`${i}:${image.url}`} className="gen-TaskProgress-result">
            <div className="gen-TaskProgress-frame">
              <SelectImageCheckbox taskId={taskId} index={i + 1} describedBy={promptId} />
              <img
                className="gen-TaskProgress-image"
                src={image.url}
                alt={labels.resultAlt(prompt, i + 1, total)}
                // The newest task's first images load the moment it completes, the very first with high
                // priority; older results and the rest of a big batch wait until they are scrolled to.
                loading={newest && i < 4 ? 'eager' : 'lazy'}
                fetchPriority={newest && i === 0 ? 'high' : 'auto'}
                decoding="async"
              />
            </div>
            <div className="gen-TaskProgress-resultActions">
              <a
                className="gen-button gen-TaskProgress-open"
                href={image.url}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={labels.openImageAt(i + 1, total)}
              >
                {labels.openImage}
              </a>
              <DownloadButton taskId={taskId} url={image.url} index={i + 1} total={total} describedBy={promptId} />
              <UseAsReferenceButton
                url={image.url}
                index={i + 1}
                total={total}
                expiresAt={expiresAt}
                describedBy={promptId}
                onUsed={onUseAsReference ?? root.onUseAsReference}
              />
            </div>
          </li>
        ))}
        {Array.from({ length: pending }, (_, k) => (
          <li key={`pending:${safe.length + k}`} className="gen-TaskProgress-result" data-state="pending">
            {/* Plain text, not a live region: read when reached, never announced as time passes. */}
            <div className="gen-TaskProgress-frame gen-TaskProgress-placeholder">
              <span className="gen-visually-hidden">{labels.imagePending(safe.length + k + 1, total)}</span>
            </div>
          </li>
        ))}
      </ul>
    );
  },
);

/** "Select image N": ticks the image for Compare and Download selected (the store's selection). */
function SelectImageCheckbox({ taskId, index, describedBy }: { taskId: string; index: number; describedBy: string | undefined }) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const checked = useGenerator(React.useMemo(() => selectIsImageSelected(taskId, index), [taskId, index]));
  return (
    <input
      type="checkbox"
      className="gen-TaskProgress-select"
      data-gen-select={`${taskId}:${index}`}
      checked={checked}
      aria-label={labels.selectImage(index)}
      aria-describedby={describedBy}
      title={labels.selectImage(index)}
      onChange={() => store.getState().toggleImageSelection(taskId, index)}
    />
  );
}

/* -------------------------------------------------------------------------------------------------
 * TaskProgressExpiry
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressExpiryProps extends React.ComponentPropsWithoutRef<'p'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/**
 * Quiet text under a completed task's results: how long until their URLs expire
 * (`labels.expiresIn`, e.g. "Result expires in 23 h"), updated at most once a minute. Nothing before the
 * task completed, and nothing once expired (the gallery says so then).
 */
export const TaskProgressExpiry = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, TaskProgressExpiryProps>(
  function TaskProgressExpiry({ taskId: explicit, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressExpiry', explicit);
    const labels = useLabels();
    const expiresAt = useTaskField(taskId, (t) => (t.phase === 'completed' && t.images.some((i) => isSafeUrl(i?.url)) ? t.expiresAt : undefined));
    const now = useExpiryClock(expiresAt);
    if (expiresAt === undefined || isExpired(expiresAt, now)) return null;
    return (
      <p {...rest} className={cx('gen-TaskProgress-expiry', className)} ref={ref}>
        <time dateTime={new Date(expiresAt).toISOString()}>{labels.expiresIn(expiresAt - now)}</time>
      </p>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressRevisedPrompt
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressRevisedPromptProps extends React.ComponentPropsWithoutRef<'p'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/** The prompt as the model rewrote it (`task.revisedPrompt`), as text; nothing when absent. */
export const TaskProgressRevisedPrompt = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, TaskProgressRevisedPromptProps>(
  function TaskProgressRevisedPrompt({ taskId: explicit, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressRevisedPrompt', explicit);
    const labels = useLabels();
    const revised = useTaskField(taskId, (t) => t.revisedPrompt);
    if (typeof revised !== 'string' || revised.trim() === '') return null;
    return (
      <p {...rest} className={cx('gen-TaskProgress-revised', className)} ref={ref}>
        <span className="gen-TaskProgress-revisedLabel">{labels.revisedPrompt}</span>{' '}
        <span className="gen-TaskProgress-revisedText">{revised}</span>
      </p>
    );
  },
);

/** `16:9` → `16 / 9` for CSS `aspect-ratio`; anything else is a square. */
function ratioToCss(ratio: string | undefined): string {
  const match = ratio ? /^(\d{1,5}):(\d{1,5})$/.exec(ratio) : null;
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) return '1';
  return `${match[1]} / ${match[2]}`;
}

interface UseAsReferenceButtonProps {
  url: string;
  index: number;
  total: number;
  expiresAt: number | undefined;
  describedBy: string | undefined;
  onUsed: ((url: string) => void) | undefined;
}

function UseAsReferenceButton({ url, index, total, expiresAt, describedBy, onUsed }: UseAsReferenceButtonProps) {
  const labels = useLabels();
  const store = useGeneratorStore();
  // Read from the store, so removing the reference from the tray makes the button usable again.
  const used = useGenerator(React.useMemo(() => selectHasReferenceUrl(url), [url]));
  return (
    <button
      type="button"
      className="gen-button gen-TaskProgress-useAsReference"
      data-state={used ? 'used' : 'idle'}
      aria-disabled={used || undefined}
      aria-label={used ? labels.usedAsReference : labels.useAsReferenceAt(index, total)}
      aria-describedby={describedBy}
      onClick={() => {
        // An expired result is not offered; should the click land on the boundary, it is not sent either.
        if (used || isExpired(expiresAt, Date.now())) return;
        if (store.getState().addReferenceUrl(url, labels.resultName(index))) onUsed?.(url);
      }}
    >
      {used ? labels.usedAsReference : labels.useAsReference}
    </button>
  );
}
