// What src/components/TaskProgress/lazy.ts loads on demand: one task row and its parts.
export { TaskProgressItem } from './TaskProgressItem';
export { TaskProgressBar, TaskProgressPrompt, TaskProgressStatus } from './TaskProgressStatus';
export { TaskProgressError } from './TaskProgressError';
export {
  TaskProgressActions,
  TaskProgressCancel,
  TaskProgressDismiss,
  TaskProgressMoreLikeThis,
  TaskProgressRetry,
  TaskProgressReuse,
} from './TaskProgressActions';
export { TaskProgressExpiry, TaskProgressGallery, TaskProgressRevisedPrompt } from './TaskProgressGallery';
// Many jobs (issue 14): the list-wide buttons load with the rows.
export { TaskProgressToolbar } from './TaskProgressToolbar';
export { TaskProgressDownloadAll } from './TaskProgressDownloadAll';
export { TaskProgressSelection } from './TaskProgressSelection';
