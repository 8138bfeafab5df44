// Every part long (`TaskProgressRetry`) and as a static member of the component (`TaskProgress.Retry`).
export { TaskProgress, type TaskProgressProps } from './TaskProgress';
export { TaskProgressRoot, type TaskProgressRootProps } from './TaskProgressRoot';
export { TaskProgressList, type TaskProgressListProps } from './TaskProgressList';
export { TaskProgressItem, type TaskProgressItemProps } from './TaskProgressItem';
export {
  TaskProgressPrompt,
  TaskProgressStatus,
  TaskProgressBar,
  type TaskProgressPromptProps,
  type TaskProgressStatusProps,
  type TaskProgressBarProps,
} from './TaskProgressStatus';
export { TaskProgressError, type TaskProgressErrorProps } from './TaskProgressError';
export {
  TaskProgressActions,
  TaskProgressCancel,
  TaskProgressRetry,
  TaskProgressDismiss,
  TaskProgressReuse,
  TaskProgressMoreLikeThis,
  type TaskProgressActionsProps,
  type TaskProgressCancelProps,
  type TaskProgressRetryProps,
  type TaskProgressDismissProps,
  type TaskProgressReuseProps,
  type TaskProgressMoreLikeThisProps,
} from './TaskProgressActions';
export { TaskProgressToolbar, type TaskProgressToolbarProps } from './TaskProgressToolbar';
export {
  TaskProgressGallery,
  TaskProgressExpiry,
  TaskProgressRevisedPrompt,
  type TaskProgressGalleryProps,
  type TaskProgressExpiryProps,
  type TaskProgressRevisedPromptProps,
} from './TaskProgressGallery';
export { TaskProgressDownloadAll, type TaskProgressDownloadAllProps } from './TaskProgressDownloadAll';
export { TaskProgressSelection, type TaskProgressSelectionProps } from './TaskProgressSelection';
