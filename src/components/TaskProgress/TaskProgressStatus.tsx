'use client';
import * as React from 'react';
import type { RetryInfo } from '../../store/types';
import { useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { isRunning, useItemTask, useTaskField } from './context';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressPrompt
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressPromptProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Task to show; defaults to the enclosing item's. */
  taskId?: string;
}

/** The prompt as plain text (clamped to two lines by CSS) and a small meta line: ratio · resolution. */
export const TaskProgressPrompt = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressPromptProps>(
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
export const TaskProgressStatus = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressStatusProps>(
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
export const TaskProgressBar = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressBarProps>(
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
