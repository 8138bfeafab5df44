'use client';
import * as React from 'react';
import { isRetryable } from '../../core/task';
import { Slot } from '@radix-ui/react-slot';
import { useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { isRunning, useItemTask, useTaskField } from './context';

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
  /** Runs before the kit puts the task's settings in the form; `preventDefault()` skips it. */
  onReuse?: (event: React.MouseEvent<HTMLButtonElement>) => void;
  /** Runs before the kit sends the same settings again; `preventDefault()` skips it. */
  onMoreLikeThis?: (event: React.MouseEvent<HTMLButtonElement>) => void;
}

/**
 * "Cancel" while the task runs, "Retry" after it failed or was cancelled, "More like this" once it
 * completed, and "Reuse settings" in every phase.
 */
export const TaskProgressActions = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressActionsProps>(
  function TaskProgressActions({ taskId: explicit, onCancel, onRetry, onReuse, onMoreLikeThis, className, ...rest }, ref) {
    const { taskId } = useItemTask('TaskProgressActions', explicit);
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    if (phase === 'idle') return null;
    return (
      <div data-state={phase} {...rest} className={cx('gen-TaskProgress-actions', className)} ref={ref}>
        <TaskProgressCancel taskId={taskId} onClick={onCancel} />
        <TaskProgressRetry taskId={taskId} onClick={onRetry} />
        <TaskProgressMoreLikeThis taskId={taskId} onClick={onMoreLikeThis} />
        <TaskProgressReuse taskId={taskId} onClick={onReuse} />
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * TaskProgressCancel, TaskProgressRetry
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressCancelProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Task to cancel; defaults to the enclosing item's. */
  taskId?: string;
  /** Render the child element as the button (Radix `Slot`); it keeps the name-giving text it has and the behaviour. @default false */
  asChild?: boolean;
}

/**
 * "Cancel" (`labels.cancel`) while the task runs; renders nothing otherwise. A host `onClick` runs
 * first and can `preventDefault()` to keep the task running.
 *
 * @selector .gen-TaskProgress-cancel[data-variant="danger"]
 */
export const TaskProgressCancel = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressCancelProps>(
  function TaskProgressCancel({ taskId: explicit, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressCancel', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    if (!isRunning(phase)) return null;
    return (
      <ActionButton
        {...rest}
        part="cancel"
        variant="danger"
        describedBy={promptId}
        text={labels.cancel}
        act={() => store.getState().cancel(taskId)}
        ref={ref}
      />
    );
  },
);

export type TaskProgressRetryProps = TaskProgressCancelProps;

/**
 * "Retry" (`labels.retry`) after the task failed or was cancelled; renders nothing otherwise. A host
 * `onClick` runs first and can `preventDefault()` to skip the retry.
 *
 * @selector .gen-TaskProgress-retry[data-variant="primary"]
 */
export const TaskProgressRetry = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressRetryProps>(
  function TaskProgressRetry({ taskId: explicit, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressRetry', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    if (!isRetryable(phase)) return null;
    return (
      <ActionButton
        {...rest}
        part="retry"
        variant="primary"
        describedBy={promptId}
        text={labels.retry}
        act={() => void store.getState().retry(taskId)}
        ref={ref}
      />
    );
  },
);

interface ActionButtonProps extends Omit<TaskProgressCancelProps, 'taskId'> {
  part: 'cancel' | 'retry' | 'reuse' | 'more-like-this';
  variant: 'danger' | 'primary' | 'secondary';
  describedBy: string | undefined;
  text: string;
  act: () => void;
}

/** A row action as a `<button>`, or as the host's element with `asChild`. */
const ActionButton = React.forwardRef<HTMLButtonElement, ActionButtonProps>(function ActionButton(
  { part, variant, describedBy, text, act, asChild = false, className, onClick, children, ...rest },
  ref,
) {
  const Comp = asChild ? Slot : 'button';
  return (
    <Comp
      type={asChild ? undefined : 'button'}
      data-variant={variant}
      aria-describedby={describedBy}
      {...rest}
      className={cx('gen-button', `gen-TaskProgress-${part}`, className)}
      onClick={composeEventHandlers(onClick, act)}
      ref={ref}
    >
      {asChild ? children : (children ?? text)}
    </Comp>
  );
});


/* -------------------------------------------------------------------------------------------------
 * TaskProgressReuse, TaskProgressMoreLikeThis
 * -----------------------------------------------------------------------------------------------*/

export type TaskProgressReuseProps = TaskProgressCancelProps;

/**
 * "Reuse settings" (`labels.reuseSettings`), in every phase: puts the task's prompt, model, ratio,
 * resolution, number of images, parameters and references back in the form (the store's
 * `reuseSettings`). Focus stays on the button: the form may be anywhere on the host's page, so a
 * polite status beside the button says "Settings restored" (and how many expired references were
 * left out; the tray shows a notice for each). A host `onClick` runs first and can
 * `preventDefault()` to skip it.
 *
 * @selector .gen-TaskProgress-reuse[data-variant="secondary"]
 */
export const TaskProgressReuse = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressReuseProps>(
  function TaskProgressReuse({ taskId: explicit, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressReuse', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    // The same sentence twice is not announced again: a second click alternates a trailing space.
    const [message, setMessage] = React.useState('');
    const mounted = React.useRef(true);
    React.useEffect(() => {
      mounted.current = true;
      return () => void (mounted.current = false);
    }, []);
    if (phase === 'idle') return null;
    const reuse = () =>
      void store
        .getState()
        .reuseSettings(taskId)
        .then((result) => {
          if (!result || !mounted.current) return;
          const text = labels.settingsRestored(result.expired);
          setMessage((m) => (m === text ? `${text}\u00a0` : text));
        });
    return (
      <>
        <ActionButton {...rest} part="reuse" variant="secondary" describedBy={promptId} text={labels.reuseSettings} act={reuse} ref={ref} />
        <span role="status" className="gen-visually-hidden gen-TaskProgress-reuse-status">
          {message}
        </span>
      </>
    );
  },
);

export type TaskProgressMoreLikeThisProps = TaskProgressCancelProps;

/**
 * "More like this" (`labels.moreLikeThis`) once the task completed: sends its exact settings again
 * as a new task (the store's `moreLikeThis`); the form is not touched. Renders nothing otherwise. A
 * host `onClick` runs first and can `preventDefault()` to skip it.
 *
 * @selector .gen-TaskProgress-more-like-this[data-variant="secondary"]
 */
export const TaskProgressMoreLikeThis = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressMoreLikeThisProps>(
  function TaskProgressMoreLikeThis({ taskId: explicit, ...rest }, ref) {
    const { taskId, promptId } = useItemTask('TaskProgressMoreLikeThis', explicit);
    const labels = useLabels();
    const store = useGeneratorStore();
    const phase = useTaskField(taskId, (t) => t.phase) ?? 'idle';
    if (phase !== 'completed') return null;
    return (
      <ActionButton
        {...rest}
        part="more-like-this"
        variant="secondary"
        describedBy={promptId}
        text={labels.moreLikeThis}
        act={() => void store.getState().moreLikeThis(taskId)}
        ref={ref}
      />
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
export const TaskProgressDismiss = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, TaskProgressDismissProps>(
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
