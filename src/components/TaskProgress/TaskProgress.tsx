'use client';
import * as React from 'react';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { TaskProgressRoot, type TaskProgressRootProps } from './TaskProgressRoot';
import { TaskProgressList } from './TaskProgressList';
import { LazyTaskProgressItem, taskRows } from './lazy';
import { lazyPart } from '../internal/lazyPart';
import { useGenerator } from '../../hooks/useGenerator';

/* -------------------------------------------------------------------------------------------------
 * TaskProgress (ready-made composition)
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressProps extends Omit<TaskProgressRootProps, 'children'> {
  /** Most rows shown (newest first). @default all */
  limit?: number;
  /**
   * Show "Cancel all", "Clear finished" and its "Undo" above the list (`TaskProgress.Toolbar`, which
   * loads with the rows once there is a task). @default true
   */
  toolbar?: boolean;
  /** Replaces the muted empty state shown before the first task. */
  renderEmpty?: () => React.ReactNode;
}

/**
 * Every generation of the nearest `GeneratorProvider`: status, progress bar, errors, Cancel/Retry,
 * Reuse settings / More like this, the result gallery, and above the list "Cancel all" / "Clear
 * finished" (with Undo). Compose the parts (`TaskProgress.Root`, `.List`, `.Item`…) to re-arrange.
 *
 * @selector [data-state] — the newest task's phase, or `idle`.
 */
const TaskProgressComposition = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressProps>(function TaskProgressComposition(
  { limit, renderEmpty, toolbar = true, ...rest },
  ref,
) {
  return (
    <TaskProgressRoot {...rest} ref={ref}>
      {toolbar && <ComposedToolbar />}
      <SelectionSlot />
      <TaskProgressList limit={limit} renderEmpty={renderEmpty} />
    </TaskProgressRoot>
  );
});

const LazyTaskProgressToolbar = /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressToolbar);

/**
 * The toolbar from the first task (or a pending undo) on, so an empty first paint loads no row code;
 * once shown it stays, so focus on its Undo has somewhere to go when the last task is cleared.
 */
function ComposedToolbar() {
  const wanted = useGenerator((s) => s.tasks.length > 0 || s.clearedTasks !== undefined);
  const [shown, setShown] = React.useState(false);
  if (wanted && !shown) setShown(true);
  return wanted || shown ? <LazyTaskProgressToolbar /> : null;
}

const LazyTaskProgressSelection = /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressSelection);

/** The selection bar, mounted only once an image is ticked (so a first paint does not load the rows). */
function SelectionSlot() {
  const any = useGenerator((s) => s.selectedImages.length > 0);
  return any ? <LazyTaskProgressSelection /> : null;
}

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const TaskProgressImpl = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressProps>(function TaskProgress(props, ref) {
  return (
    <GeneratorErrorBoundary name="TaskProgress">
      <TaskProgressComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

// `TaskProgress.Status` as well as `TaskProgressStatus`, like Radix parts. The row parts load on
// demand with the first task (src/components/TaskProgress/lazy.ts); Root and List are here.
export const TaskProgress = /* @__PURE__ */ Object.assign(TaskProgressImpl, {
  Root: TaskProgressRoot,
  List: TaskProgressList,
  Item: LazyTaskProgressItem,
  Prompt: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressPrompt),
  Status: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressStatus),
  Bar: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressBar),
  Error: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressError),
  Actions: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressActions),
  Cancel: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressCancel),
  Retry: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressRetry),
  Dismiss: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressDismiss),
  Reuse: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressReuse),
  MoreLikeThis: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressMoreLikeThis),
  Toolbar: LazyTaskProgressToolbar,
  Gallery: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressGallery),
  Expiry: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressExpiry),
  RevisedPrompt: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressRevisedPrompt),
  DownloadAll: /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressDownloadAll),
  Selection: LazyTaskProgressSelection,
});
