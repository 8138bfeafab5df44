'use client';
import * as React from 'react';
import { errorHint } from '../../core/errors';
import { isExpired } from '../../core/expiry';
import { isSafeUrl, type TaskImage } from '../../core/protocol';
import { isRetryable, isRunning } from '../../core/task';
import type { GenerationTask, GeneratorState, RetryInfo, TaskPhase } from '../../store/types';
import { useGenerator, useGeneratorShallow, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { DownloadButton } from './DownloadButton';
import { useExpiryClock } from './useExpiryClock';

/* -------------------------------------------------------------------------------------------------
 * Shared context
 * -----------------------------------------------------------------------------------------------*/

const ROOT_NAME = 'TaskProgress';
const ITEM_NAME = 'TaskProgressItem';

interface RootContextValue {
  onUseAsReference: ((url: string) => void) | undefined;
}

// Parts also work without a root (a host may render one item on its own), so the default is empty.
const RootContext = React.createContext<RootContextValue>({ onUseAsReference: undefined });

interface ItemContextValue {
  taskId: string;
  /** Id of the element holding the task's prompt; row buttons point at it with aria-describedby. */
  promptId: string;
}

const ItemContext = React.createContext<ItemContextValue | null>(null);

/** The task id a part shows: its own `taskId` prop, else the enclosing item's. */
function useItemTask(part: string, explicit: string | undefined): { taskId: string; promptId: string | undefined } {
  const item = React.useContext(ItemContext);
  const taskId = explicit ?? item?.taskId;
  if (taskId === undefined) {
    throw new Error(`[gen] \`${part}\` must be rendered inside <${ITEM_NAME}> of <${ROOT_NAME}>, or be given a \`taskId\`.`);
  }
  return { taskId, promptId: item && item.taskId === taskId ? item.promptId : undefined };
}

/** Reads one field of one task; returns the field itself so ticks re-render only what reads them. */
function useTaskField<T>(taskId: string, pick: (task: GenerationTask) => T): T | undefined {
  return useGenerator((s) => {
    const task = findTask(s, taskId);
    return task === undefined ? undefined : pick(task);
  });
}

/* -------------------------------------------------------------------------------------------------
 * TaskProgressRoot
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressRootProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Called with the image URL after "Use as reference" added a result to the reference tray. */
  onUseAsReference?: (url: string) => void;
}

/**
 * Container of the task list. Holds the one polite live region that announces phase changes.
 *
 * @selector [data-state] — the newest task's phase, or `idle` when there is none.
 */
const TaskProgressRoot = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressRootProps>(
  function TaskProgressRoot({ onUseAsReference, className, children, ...rest }, ref) {
    const latest = useGenerator(selectLatestPhase);
    const context = React.useMemo<RootContextValue>(() => ({ onUseAsReference }), [onUseAsReference]);
    return (
      <RootContext.Provider value={context}>
        <div data-state={latest} {...rest} className={cx('gen-TaskProgress', className)} ref={ref}>
          {children}
          <TaskProgressAnnouncer />
        </div>
      </RootContext.Provider>
    );
  },
);

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
const TaskProgressList = /* @__PURE__ */ React.forwardRef<HTMLUListElement, TaskProgressListProps>(
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
const TaskProgressItem = /* @__PURE__ */ React.forwardRef<HTMLLIElement, TaskProgressItemProps>(
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

/* -------------------------------------------------------------------------------------------------
 * TaskProgressPrompt
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressPromptProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/** The prompt as plain text (clamped to two lines by CSS) and a small meta line: ratio · resolution. */
const TaskProgressPrompt = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressPromptProps>(
  function TaskProgressPrompt({ taskId: explicit, className, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressPrompt', explicit);
    const labels = useLabels();
    const prompt = useTaskField(taskId, (t) => t.prompt) ?? '';
    const ratio = useTaskField(taskId, (t) => t.aspectRatio);
    const resolution = useTaskField(taskId, (t) => t.resolution);
    const n = useTaskField(taskId, (t) => t.n) ?? 1;
    const meta = labels.taskMeta(ratio, resolution, n);
    return (
      <div {...rest} className={cx('gen-TaskProgress-summary', className)} ref={ref}>
        <p id={promptId} className="gen-TaskProgress-prompt" title={prompt}>
          {prompt}
        </p>
        {meta && <p className="gen-TaskProgress-meta">{meta}</p>}
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressStatus
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressStatusProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/**
 * The phase as visible text, plus a polite countdown while the kit rides out a rate limit or a
 * transient failure ("Rate limited by the server — waiting 3 s…").
 *
 * @selector [data-state] — the task's phase. @selector [data-retrying] — present during a countdown.
 */
const TaskProgressStatus = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressStatusProps>(
  function TaskProgressStatus({ taskId: explicit, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressStatus', explicit);
    const labels = useLabels();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    const retry = useTaskField(taskId, (t) => t.retry);
    return (
      <div
        data-state={phase}
        data-retrying={retry ? '' : undefined}
        {...rest}
        className={cx('gen-TaskProgress-status', className)}
        ref={ref}
      >
        <span className="gen-TaskProgress-phase">{labels.phase[phase]}</span>
        {/* Present before any countdown so assistive tech is already watching it when text arrives. */}
        <span role="status" aria-atomic="true" className="gen-TaskProgress-retrying">
          {retry && <RetryCountdown key={retry.at} retry={retry} />}
        </span>
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressBar
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressBarProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/**
 * `role="progressbar"` named `labels.progressLabel`. `aria-valuenow` only while the task runs and
 * its progress is known; otherwise `aria-valuetext` says what is happening. Width via `--gen-progress`.
 *
 * @selector [data-state] — the task's phase. @selector [data-indeterminate] — progress unknown.
 */
const TaskProgressBar = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressBarProps>(
  function TaskProgressBar({ taskId: explicit, className, style, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressBar', explicit);
    const labels = useLabels();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    const raw = useTaskField(taskId, (t) => t.progress);
    const running = isRunning(phase);
    const progress = raw === null || raw === undefined ? null : Math.round(Math.min(100, Math.max(0, raw)));
    const known = running && progress !== null;
    const width = phase === 'completed' ? 100 : (progress ?? 0);
    return (
      <div
        role="progressbar"
        aria-label={labels.progressLabel}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? progress : undefined}
        aria-valuetext={running ? labels.progressValueText(known ? progress : null, phase) : labels.phase[phase]}
        data-state={phase}
        data-indeterminate={running && progress === null ? '' : undefined}
        {...rest}
        className={cx('gen-TaskProgress-bar', className)}
        style={{ '--gen-progress': `${width}%`, ...style }}
        ref={ref}
      >
        <div className="gen-TaskProgress-indicator" />
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressError
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressErrorProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/**
 * `role="alert"` with the kind's sentence from `labels.errors` and, when it says something else,
 * the server's own message — always as text, never as markup. Renders nothing without an error.
 *
 * @selector [data-kind] — the `ToapisError` kind.
 */
const TaskProgressError = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressErrorProps>(
  function TaskProgressError({ taskId: explicit, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressError', explicit);
    const labels = useLabels();
    const error = useTaskField(taskId, (t) => t.error);
    const phase = useTaskField(taskId, (t) => t.phase);
    const created = useTaskField(taskId, (t) => t.taskId !== undefined);
    if (!error) return null;
    const sentence = labels.errors[error.kind] ?? labels.errors.server;
    const hint = errorHint(error, phase === 'failed' && created === true);
    const server = typeof error.message === 'string' ? error.message.trim().slice(0, MAX_SERVER_MESSAGE) : '';
    return (
      <div role="alert" data-kind={error.kind} {...rest} className={cx('gen-TaskProgress-error', className)} ref={ref}>
        <p className="gen-TaskProgress-errorText">{sentence}</p>
        {server && server !== sentence && <p className="gen-TaskProgress-serverMessage">{labels.serverSaid(server)}</p>}
        {hint && <p className="gen-TaskProgress-hint">{labels.errorHints[hint]}</p>}
        {phase === 'failed' && <TaskDetails taskId={taskId} />}
      </div>
    );
  },
);

/**
 * Something to quote to support: the task id, visible and selectable, and "Copy details" (task id,
 * model, time, error code and message; nothing secret is in the store to copy).
 */
function TaskDetails({ taskId }: { taskId: string }) {
  const labels = useLabels();
  const remoteId = useTaskField(taskId, (t) => t.taskId);
  const details = useTaskField(taskId, (t) =>
    [
      `Task: ${t.taskId ?? '(not created)'}`,
      `Request: ${t.clientBusinessId}`,
      `Model: ${t.model}`,
      `Time: ${new Date(t.createdAt).toISOString()}`,
      `Error: ${t.error?.code ?? t.error?.kind ?? 'unknown'}${t.error?.status ? ` (HTTP ${t.error.status})` : ''}: ${t.error?.message ?? ''}`,
    ].join('\n'),
  );
  const [copied, setCopied] = React.useState<'idle' | 'copied' | 'failed'>('idle');
  React.useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 4000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard || details === undefined) return setCopied('failed');
    clipboard.writeText(details).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  return (
    <p className="gen-TaskProgress-details">
      {remoteId && <span className="gen-TaskProgress-taskId">{labels.taskIdText(remoteId)}</span>}{' '}
      <button type="button" className="gen-button gen-TaskProgress-copyDetails" onClick={copy}>
        {labels.copyDetails}
      </button>{' '}
      <span role="status" className="gen-TaskProgress-copyStatus">
        {copied === 'copied' ? labels.detailsCopied : copied === 'failed' ? labels.copyFailed : ''}
      </span>
    </p>
  );
}

/* -------------------------------------------------------------------------------------------------
 * TaskProgressActions
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressActionsProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to act on; defaults to the enclosing item's. */
  taskId?: string;
  /** Runs before the kit cancels; `preventDefault()` keeps the task running. */
  onCancel?: (event: React.MouseEvent<HTMLButtonElement>) => void;
  /** Runs before the kit retries; `preventDefault()` skips the retry. */
  onRetry?: (event: React.MouseEvent<HTMLButtonElement>) => void;
}

/** "Cancel" while the task runs, "Retry" after it failed or was cancelled. */
const TaskProgressActions = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressActionsProps>(
  function TaskProgressActions({ taskId: explicit, onCancel, onRetry, className, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressActions', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    const running = isRunning(phase);
    const retryable = isRetryable(phase);
    if (!running && !retryable) return null;
    return (
      <div data-state={phase} {...rest} className={cx('gen-TaskProgress-actions', className)} ref={ref}>
        {running && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-cancel"
            data-variant="danger"
            aria-describedby={promptId}
            onClick={composeEventHandlers(onCancel, () => store.getState().cancel(taskId))}
          >
            {labels.cancel}
          </button>
        )}
        {retryable && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-retry"
            data-variant="primary"
            aria-describedby={promptId}
            onClick={composeEventHandlers(onRetry, () => void store.getState().retry(taskId))}
          >
            {labels.retry}
          </button>
        )}
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressDismiss
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressDismissProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Task to remove; defaults to the enclosing item's. */
  taskId?: string;
}

/** Removes a finished row (`labels.dismissTask`). Renders nothing while the task runs. */
const TaskProgressDismiss = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressDismissProps>(
  function TaskProgressDismiss({ taskId: explicit, className, onClick, children, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressDismiss', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    if (isRunning(phase) || phase === 'idle') return null;
    return (
      <button
        type="button"
        aria-label={labels.dismissTask}
        aria-describedby={promptId}
        title={labels.dismissTask}
        {...rest}
        className={cx('gen-TaskProgress-dismiss', className)}
        onClick={composeEventHandlers(onClick, () => store.getState().dismissTask(taskId))}
        ref={ref}
      >
        {children ?? <span aria-hidden="true">×</span>}
      </button>
    );
  },
);

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
 * The result images, each with Open, Download and "Use as reference". Only `http(s)`/`blob:` URLs
 * are rendered; each image sits in a box of the task's aspect ratio (`--gen-ratio`), so loading
 * causes no layout shift. Once the results have expired (`task.expiresAt`, checked at most once a
 * minute while mounted) it shows `labels.expired` instead: no image, no actions.
 *
 * @selector [data-state="expired"] — the results have expired.
 */
const TaskProgressGallery = /* @__PURE__ */ React.forwardRef<HTMLUListElement, TaskProgressGalleryProps>(
  function TaskProgressGallery({ taskId: explicit, onUseAsReference, className, style, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressGallery', explicit);
    const labels = useLabels();
    const root = React.useContext(RootContext);
    const images = useTaskField(taskId, (t) => t.images);
    const prompt = useTaskField(taskId, (t) => t.prompt) ?? '';
    const ratio = useTaskField(taskId, (t) => t.aspectRatio);
    const expiresAt = useTaskField(taskId, (t) => t.expiresAt);
    const now = useExpiryClock(expiresAt);
    const safe = React.useMemo(() => safeImages(images), [images]);
    if (safe.length === 0) return null;
    if (isExpired(expiresAt, now)) {
      return (
        <ul data-state="expired" {...rest} className={cx('gen-TaskProgress-gallery', className)} style={style} ref={ref}>
          <li className="gen-TaskProgress-expired">{labels.expired}</li>
        </ul>
      );
    }
    const total = safe.length;
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
              <img
                className="gen-TaskProgress-image"
                src={image.url}
                alt={labels.resultAlt(prompt, i + 1, total)}
                // The first images show the moment the task completes; the rest of a big batch waits.
                loading={i < 4 ? 'eager' : 'lazy'}
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
      </ul>
    );
  },
);

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
const TaskProgressExpiry = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, TaskProgressExpiryProps>(
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
const TaskProgressRevisedPrompt = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, TaskProgressRevisedPromptProps>(
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
const TaskProgress = Object.assign(TaskProgressImpl, {
  Root: TaskProgressRoot,
  List: TaskProgressList,
  Item: TaskProgressItem,
  Prompt: TaskProgressPrompt,
  Status: TaskProgressStatus,
  Bar: TaskProgressBar,
  Error: TaskProgressError,
  Actions: TaskProgressActions,
  Dismiss: TaskProgressDismiss,
  Gallery: TaskProgressGallery,
  Expiry: TaskProgressExpiry,
  RevisedPrompt: TaskProgressRevisedPrompt,
});

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

/** Longest server message shown; the rest is cut (a hostile server could send megabytes). */
const MAX_SERVER_MESSAGE = 500;

function findTask(s: GeneratorState, id: string): GenerationTask | undefined {
  return s.tasks.find((t) => t.id === id);
}

function selectLatestPhase(s: GeneratorState): TaskPhase {
  return s.tasks[s.tasks.length - 1]?.phase ?? 'idle';
}

function selectTaskIdsNewestFirst(s: GeneratorState): string[] {
  const ids: string[] = [];
  for (let i = s.tasks.length - 1; i >= 0; i--) ids.push(s.tasks[i]!.id);
  return ids;
}

/** Defence in depth: the parser already drops unsafe URLs, but state can also come from a host. */
function safeImages(images: readonly TaskImage[] | undefined): TaskImage[] {
  return (images ?? []).filter((image) => isSafeUrl(image?.url));
}

/** `16:9` → `16 / 9` for CSS `aspect-ratio`; anything else is a square. */
function ratioToCss(ratio: string | undefined): string {
  const match = ratio ? /^(\d{1,5}):(\d{1,5})$/.exec(ratio) : null;
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) return '1';
  return `${match[1]} / ${match[2]}`;
}

/**
 * "waiting N s" in whole seconds until `retry.at`. Mounted only while a retry is pending (keyed by
 * `at`), so its one-second interval exists only then and is cleared on unmount. UI-only timer:
 * the poller owns the actual retry.
 */
function RetryCountdown({ retry }: { retry: RetryInfo }) {
  const labels = useLabels();
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const ceiling = Math.ceil(retry.delayMs / 1000);
  const seconds = Math.max(0, Math.min(ceiling, Math.ceil((retry.at - now) / 1000)));
  return <>{labels.retrying(retry.error.kind, seconds)}</>;
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
  const used = useGenerator((s) => s.references.some((r) => r.url === url));
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

/**
 * The root's one polite live region: says a short sentence when a task changes phase (never per
 * percent). It subscribes to the store outside render and only re-renders when the sentence changes.
 */
function TaskProgressAnnouncer() {
  const store = useGeneratorStore();
  const labels = useLabels();
  const [message, setMessage] = React.useState('');
  React.useEffect(() => {
    let seen = new Map(store.getState().tasks.map((t) => [t.id, t.phase] as const));
    return store.subscribe((state) => {
      let changed: GenerationTask | undefined;
      let differs = state.tasks.length !== seen.size;
      for (const task of state.tasks) {
        if (seen.get(task.id) !== task.phase) {
          differs = true;
          changed = task;
        }
      }
      if (!differs) return; // a progress tick: nothing to say
      seen = new Map(state.tasks.map((t) => [t.id, t.phase] as const));
      if (!changed) return;
      let text: string | undefined;
      try {
        text = labels.phaseAnnouncement(changed.phase, safeImages(changed.images).length);
      } catch (error) {
        // A host label that throws here would otherwise escape into the store action that ran.
        console.error('[gen] labels.phaseAnnouncement threw:', error);
      }
      if (text) setMessage(text);
    });
  }, [store, labels]);
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="gen-visually-hidden gen-TaskProgress-announcer">
      {message}
    </div>
  );
}

export {
  TaskProgress,
  TaskProgressRoot,
  TaskProgressList,
  TaskProgressItem,
  TaskProgressPrompt,
  TaskProgressStatus,
  TaskProgressBar,
  TaskProgressError,
  TaskProgressActions,
  TaskProgressDismiss,
  TaskProgressGallery,
  TaskProgressExpiry,
  TaskProgressRevisedPrompt,
  //
  TaskProgressRoot as Root,
  TaskProgressList as List,
  TaskProgressItem as Item,
  TaskProgressPrompt as Prompt,
  TaskProgressStatus as Status,
  TaskProgressBar as Bar,
  TaskProgressError as Error,
  TaskProgressActions as Actions,
  TaskProgressDismiss as Dismiss,
  TaskProgressGallery as Gallery,
  TaskProgressExpiry as Expiry,
  TaskProgressRevisedPrompt as RevisedPrompt,
};
