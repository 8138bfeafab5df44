'use client';
import * as React from 'react';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { TaskProgressRoot, type TaskProgressRootProps } from './TaskProgressRoot';
import { TaskProgressItem, TaskProgressList } from './TaskProgressList';
import { TaskProgressBar, TaskProgressPrompt, TaskProgressStatus } from './TaskProgressStatus';
import { TaskProgressError } from './TaskProgressError';
import { TaskProgressActions, TaskProgressCancel, TaskProgressDismiss, TaskProgressRetry } from './TaskProgressActions';
import { TaskProgressExpiry, TaskProgressGallery, TaskProgressRevisedPrompt } from './TaskProgressGallery';

/* -------------------------------------------------------------------------------------------------
 * TaskProgress (ready-made composition)
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressProps extends Omit<TaskProgressRootProps, 'children'> {
  /** Most rows shown (newest first). @default all */
  limit?: number;
  /** Replaces the muted empty state shown before the first task. */
  renderEmpty?: () => React.ReactNode;
}

/**
 * Every generation of the nearest `GeneratorProvider`: status, progress bar, errors, Cancel/Retry
 * and the result gallery. Compose the parts (`TaskProgress.Root`, `.List`, `.Item`…) to re-arrange.
 *
 * @selector [data-state] — the newest task's phase, or `idle`.
 */
const TaskProgressComposition = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressProps>(function TaskProgressComposition(
  { limit, renderEmpty, ...rest },
  ref,
) {
  return (
    <TaskProgressRoot {...rest} ref={ref}>
      <TaskProgressList limit={limit} renderEmpty={renderEmpty} />
    </TaskProgressRoot>
  );
});

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const TaskProgressImpl = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressProps>(function TaskProgress(props, ref) {
  return (
    <GeneratorErrorBoundary name="TaskProgress">
      <TaskProgressComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

// `TaskProgress.Status` as well as `TaskProgressStatus`, like Radix parts.
export const TaskProgress = /* @__PURE__ */ Object.assign(TaskProgressImpl, {
  Root: TaskProgressRoot,
  List: TaskProgressList,
  Item: TaskProgressItem,
  Prompt: TaskProgressPrompt,
  Status: TaskProgressStatus,
  Bar: TaskProgressBar,
  Error: TaskProgressError,
  Actions: TaskProgressActions,
  Cancel: TaskProgressCancel,
  Retry: TaskProgressRetry,
  Dismiss: TaskProgressDismiss,
  Gallery: TaskProgressGallery,
  Expiry: TaskProgressExpiry,
  RevisedPrompt: TaskProgressRevisedPrompt,
});
