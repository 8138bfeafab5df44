'use client';
import * as React from 'react';
import { selectTaskIdsNewestFirst } from '../../store/selectors';
import { useGeneratorShallow, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { LazyTaskProgressItem } from './lazy';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressList
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressListProps extends React.ComponentPropsWithoutRef<'ul'> {
  /** Most rows shown (newest first). @default all */
  limit?: number;
  /** Replaces the muted "Your images will appear here." shown when there are no tasks. */
  renderEmpty?: () => React.ReactNode;
  /** Renders one row; defaults to `<TaskProgressItem taskId={id} />` (its code loads on demand). */
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
          <React.Fragment key={id}>{renderItem ? renderItem(id) : <LazyTaskProgressItem taskId={id} />}</React.Fragment>
        ))}
      </ul>
    );
  },
);

