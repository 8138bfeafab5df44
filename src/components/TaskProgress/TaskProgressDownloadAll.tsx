'use client';
import * as React from 'react';
import { isExpired } from '../../core/expiry';
import { taskZipName } from '../../core/util/download-name';
import { selectTaskById, taskImageFiles } from '../../store/selectors';
import { useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { safeImages, useItemTask, useTaskField } from './context';
import { useExpiryClock } from './useExpiryClock';
import { useSaveResults } from './useSaveResults';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressDownloadAll
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressDownloadAllProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task whose images to save; defaults to the enclosing item's. */
  taskId?: string;
  /** Runs before the kit saves; `preventDefault()` skips it. */
  onDownload?: (event: React.MouseEvent<HTMLButtonElement>) => void;
}

/**
 * "Download all" (`labels.downloadAll`) for a completed task with several images: one zip,
 * `<prompt slug>-<task id>.zip`, holding the images under their usual names. The button reads
 * "Preparing…" while the images are fetched and zipped; when one cannot be fetched (or the results
 * have expired) nothing is saved and an alert says so. Renders nothing for a single image, before
 * the task completed, and once its results have expired.
 *
 * @selector [data-state] — `idle | busy | failed`.
 */
export const TaskProgressDownloadAll = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressDownloadAllProps>(
  function TaskProgressDownloadAll({ taskId: explicit, onDownload, className, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressDownloadAll', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const count = useTaskField(taskId, (t) => (t.phase === 'completed' ? safeImages(t.images).length : 0)) ?? 0;
    const expiresAt = useTaskField(taskId, (t) => t.expiresAt);
    const now = useExpiryClock(expiresAt);
    const { state, message, save } = useSaveResults();
    const expired = isExpired(expiresAt, now);
    // Results that expired while it worked: the button goes, the alert saying so stays.
    if (count < 2 || (expired && !message)) return null;
    const busy = state === 'busy';
    return (
      <div data-state={state} {...rest} className={cx('gen-TaskProgress-downloadAll', className)} ref={ref}>
        {!expired && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-downloadAllButton"
            aria-busy={busy || undefined}
            aria-describedby={promptId}
            onClick={composeEventHandlers(onDownload, () => {
              const task = selectTaskById(taskId)(store.getState());
              if (task) void save(taskImageFiles(task), taskZipName(task.prompt, task.taskId));
            })}
          >
            {busy ? labels.preparing : labels.downloadAll}
          </button>
        )}
        {message && (
          <p role="alert" className="gen-TaskProgress-zipError">
            {message}
          </p>
        )}
      </div>
    );
  },
);
