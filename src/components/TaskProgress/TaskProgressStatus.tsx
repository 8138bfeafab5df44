'use client';
import * as React from 'react';
import type { RetryInfo } from '../../store/types';
import { useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { isRunning, useItemTask, useTaskField } from './context';
import { etaText, useEta } from './useEta';

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
 * transient failure ("Rate limited by the server — waiting 3 s…"). While the task generates and the
 * store has learned how long its model and resolution take, about how long is left ("About 20 s
 * left", updated once a second, not announced); while it is queued and the backend reports its
 * place, that place ("Position 3 in queue").
 *
 * @selector [data-state] — the task's phase. @selector [data-retrying] — present during a countdown.
 * @selector .gen-TaskProgress-eta — the time left. @selector .gen-TaskProgress-queue — the queue position.
 */
export const TaskProgressStatus = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressStatusProps>(
  function TaskProgressStatus({ taskId: explicit, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressStatus', explicit);
    const labels = useLabels();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    const retry = useTaskField(taskId, (t) => t.retry);
    const position = useTaskField(taskId, (t) => (t.phase === 'queued' ? t.queuePosition : undefined));
    const eta = useEta(taskId);
    return (
      <div
        data-state={phase}
        data-retrying={retry ? '' : undefined}
        {...rest}
        className={cx('gen-TaskProgress-status', className)}
        ref={ref}
      >
        <span className="gen-TaskProgress-phase">{labels.phase[phase]}</span>
        {position !== undefined && <span className="gen-TaskProgress-queue">{labels.queuePosition(position)}</span>}
        {/* Outside any live region: a screen reader reads it when asked, never every second. */}
        {eta !== undefined && <span className="gen-TaskProgress-eta">{etaText(labels, eta)}</span>}
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
 * its progress is known; otherwise `aria-valuetext` says what is happening. With an ETA, the
 * `aria-valuetext` carries it too ("40% · About 20 s left", or just the ETA when progress is
 * unknown). Width via `--gen-progress`.
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
    const eta = useEta(taskId);
    const etaLabel = eta === undefined ? undefined : etaText(labels, eta);
    const valueText = running ? labels.progressValueText(known ? progress : null, phase) : labels.phase[phase];
    return (
      <div
        role="progressbar"
        aria-label={labels.progressLabel}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? progress : undefined}
        aria-valuetext={etaLabel === undefined ? valueText : known ? labels.progressWithEta(valueText, etaLabel) : etaLabel}
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
