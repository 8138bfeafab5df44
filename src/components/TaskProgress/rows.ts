// What src/components/TaskProgress/lazy.ts loads on demand: one task row and its parts.
export { TaskProgressItem } from './TaskProgressItem';
export { TaskProgressBar, TaskProgressPrompt, TaskProgressStatus } from './TaskProgressStatus';
export { TaskProgressError } from './TaskProgressError';
export { TaskProgressActions, TaskProgressCancel, TaskProgressDismiss, TaskProgressRetry } from './TaskProgressActions';
export { TaskProgressExpiry, TaskProgressGallery, TaskProgressRevisedPrompt } from './TaskProgressGallery';
export { TaskProgressDownloadAll } from './TaskProgressDownloadAll';
export { TaskProgressSelection } from './TaskProgressSelection';
