'use client';
import * as React from 'react';
import { cx } from '../../hooks/cx';
import { ItemContext, isRunning, useTaskField, type ItemContextValue } from './context';
import { TaskProgressBar, TaskProgressPrompt, TaskProgressStatus } from './TaskProgressStatus';
import { TaskProgressError } from './TaskProgressError';
import { TaskProgressActions, TaskProgressDismiss } from './TaskProgressActions';
import { TaskProgressExpiry, TaskProgressGallery, TaskProgressRevisedPrompt } from './TaskProgressGallery';
import { TaskProgressDownloadAll } from './TaskProgressDownloadAll';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressItem
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressItemProps extends React.ComponentPropsWithoutRef<'li'> {
  /** Local id of the task this row shows (`GenerationTask.id`). */
  taskId: string;
}

/**
 * One task as a card. Without children it renders the default parts.
 *
 * @selector [data-state] — the task's phase: `submitting | queued | generating | completed | failed | cancelled`.
 */
export const TaskProgressItem = /* @__PURE__ */ React.forwardRef<HTMLLIElement, TaskProgressItemProps>(
  function TaskProgressItem({ taskId, className, children, ...rest }, ref) {
    const phase = useTaskField(taskId, (t) => t.phase);
    const promptId = React.useId();
    const context = React.useMemo<ItemContextValue>(() => ({ taskId, promptId }), [taskId, promptId]);
    if (phase === undefined) return null; // dismissed between the list's render and ours
    return (
      <ItemContext.Provider value={context}>
        <li data-state={phase} {...rest} className={cx('gen-TaskProgress-item', className)} ref={ref}>
          {children ?? (
            <>
              <div className="gen-TaskProgress-header">
                <TaskProgressPrompt />
                <TaskProgressDismiss />
              </div>
              <TaskProgressStatus />
              {isRunning(phase) && <TaskProgressBar />}
              <TaskProgressError />
              <TaskProgressGallery />
              <TaskProgressDownloadAll />
              <TaskProgressExpiry />
              <TaskProgressRevisedPrompt />
              <TaskProgressActions />
            </>
          )}
        </li>
      </ItemContext.Provider>
    );
  },
);
