'use client';
import * as React from 'react';
import { errorHint } from '../../core/errors';
import { useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { useItemTask, useTaskField } from './context';

/** Longest server message shown; the rest is cut (a hostile server could send megabytes). */
const MAX_SERVER_MESSAGE = 500;

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
export const TaskProgressError = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressErrorProps>(
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
