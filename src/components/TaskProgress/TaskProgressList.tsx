'use client';
import * as React from 'react';
import { selectTaskIdsNewestFirst } from '../../store/selectors';
import { useGeneratorShallow, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { ItemContext, isRunning, useTaskField, type ItemContextValue } from './context';
import { TaskProgressBar, TaskProgressPrompt, TaskProgressStatus } from './TaskProgressStatus';
import { TaskProgressError } from './TaskProgressError';
import { TaskProgressActions, TaskProgressDismiss } from './TaskProgressActions';
import { TaskProgressExpiry, TaskProgressGallery, TaskProgressRevisedPrompt } from './TaskProgressGallery';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressList
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressListProps extends React.ComponentPropsWithoutRef<'ul'> {
  /** Most rows shown (newest first). @default all */
  limit?: number;
  /** Replaces the muted "Your images will appear here." shown when there are no tasks. */
  renderEmpty?: () => React.ReactNode;
  /** Renders one row; defaults to `<TaskProgressItem taskId={id} />`. */
  renderItem?: (taskId: string) => React.ReactNode;
}

/** Every task of the store as its own row, newest first, in a list named `labels.taskList`. */
export const TaskProgressList = /* @__PURE__ */ React.forwardRef<HTMLUListElement, TaskProgressListProps>(
  function TaskProgressList({ limit, renderEmpty, renderItem, className, ...rest }, ref) {
    const labels = useLabels();
    // Only ids: a progress tick leaves this array shallow-equal, so the list does not re-render.
    const ids = useGeneratorShallow(selectTaskIdsNewestFirst);
    const shown = limit === undefined ? ids : ids.slice(0, Math.max(0, Math.floor(limit)));
    if (shown.length === 0) {
      if (renderEmpty) return <>{renderEmpty()}</>;
      return (
        <p className="gen-TaskProgress-empty" data-state="idle">
          {labels.noTasks}
        </p>
      );
    }
    return (
      <ul aria-label={labels.taskList} {...rest} className={cx('gen-TaskProgress-list', className)} ref={ref}>
        {shown.map((id) => (
          <React.Fragment key={id}>{renderItem ? renderItem(id) : <TaskProgressItem taskId={id} />}</React.Fragment>
        ))}
      </ul>
    );
  },
);

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
