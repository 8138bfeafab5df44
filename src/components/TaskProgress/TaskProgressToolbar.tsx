'use client';
import * as React from 'react';
import { isRunning, isTerminal } from '../../core/task';
import type { GeneratorState } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { activeElementNear } from '../internal/shadow';

/* -------------------------------------------------------------------------------------------------
 * TaskProgressToolbar
 * -----------------------------------------------------------------------------------------------*/

export interface TaskProgressToolbarProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Runs before the kit cancels every running task; `preventDefault()` skips it. */
  onCancelAll?: (event: React.MouseEvent<HTMLButtonElement>) => void;
  /** Runs before the kit clears the finished tasks; `preventDefault()` skips it. */
  onClearFinished?: (event: React.MouseEvent<HTMLButtonElement>) => void;
  /** Runs before the kit puts the cleared tasks back; `preventDefault()` skips it. */
  onUndo?: (event: React.MouseEvent<HTMLButtonElement>) => void;
}

/**
 * "Cancel all" appears once two or more tasks run: with one, the row's own "Cancel" does the same,
 * and a second button whose name starts with "Cancel" would only make it ambiguous.
 */
const severalRunning = (s: GeneratorState) => s.tasks.filter((t) => isRunning(t.phase)).length >= 2;
const anyFinished = (s: GeneratorState) => s.tasks.some((t) => isTerminal(t.phase));
const selectCleared = (s: GeneratorState) => s.clearedTasks;

type FocusWish = 'undo' | 'after-cancel' | 'after-undo' | 'after-timeout';

/**
 * The list-wide buttons above the tasks: "Cancel all" (`labels.cancelAll`) while two or more tasks run,
 * "Clear finished" (`labels.clearFinished`) while something is over, and after a clear a status
 * ("2 finished tasks cleared", `labels.tasksCleared`) with "Undo" (`labels.undo`) for 10 s.
 *
 * A `group` named `labels.taskToolbar` ("Tasks"), not a `toolbar`: its two or three buttons are
 * ordinary tab stops, with no arrow-key roving a toolbar role would promise.
 *
 * Focus never falls to the page: after "Clear finished" it moves to "Undo"; after "Undo" to "Clear
 * finished"; after "Cancel all" to "Clear finished"; when "Undo" times out while focused, to "Cancel
 * all" or "Clear finished" when shown, else to the group itself.
 *
 * @selector .gen-TaskProgress-toolbar[data-empty] — present when no button or status shows.
 */
export const TaskProgressToolbar = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressToolbarProps>(
  function TaskProgressToolbar({ onCancelAll, onClearFinished, onUndo, className, ...rest }, forwardedRef) {
    const labels = useLabels();
    const store = useGeneratorStore();
    const running = useGenerator(severalRunning);
    const finished = useGenerator(anyFinished);
    const cleared = useGenerator(selectCleared);
    const statusId = React.useId();
    const rootRef = React.useRef<HTMLDivElement | null>(null);
    const cancelRef = React.useRef<HTMLButtonElement>(null);
    const clearRef = React.useRef<HTMLButtonElement>(null);
    const undoRef = React.useRef<HTMLButtonElement>(null);
    const wish = React.useRef<FocusWish | null>(null);
    const [, rerender] = React.useReducer((n: number) => n + 1, 0);

    // The undo is offered until `until`; one timer re-renders at the deadline and lets the store forget.
    const offered = cleared !== undefined && Date.now() < cleared.until;
    React.useEffect(() => {
      if (!cleared) return;
      const expire = () => {
        if (rootRef.current?.contains(activeElementNear(rootRef.current))) wish.current = 'after-timeout';
        store.getState().forgetClearedTasks();
        rerender();
      };
      const left = cleared.until - Date.now();
      if (left <= 0) {
        expire();
        return;
      }
      const timer = setTimeout(expire, left);
      return () => clearTimeout(timer);
    }, [cleared, store]);

    // Focus moves after the render that shows (or hides) its target.
    React.useEffect(() => {
      const want = wish.current;
      if (!want) return;
      const candidates =
        want === 'undo'
          ? [undoRef, clearRef, cancelRef]
          : want === 'after-timeout'
            ? [cancelRef, clearRef]
            : [clearRef, cancelRef]; // after Cancel all, after Undo
      const target = candidates.map((r) => r.current).find((el) => el !== null) ?? rootRef.current;
      wish.current = null;
      target?.focus();
    });

    const setRefs = React.useCallback(
      (node: HTMLDivElement | null) => {
        rootRef.current = node;
        if (typeof forwardedRef === 'function') forwardedRef(node);
        else if (forwardedRef) forwardedRef.current = node;
      },
      [forwardedRef],
    );

    // The store's action first (its update renders the new buttons), then a render that moves focus.
    const act = (next: FocusWish, run: () => unknown) => () =>
      void Promise.resolve(run()).then(() => {
        wish.current = next;
        rerender();
      });

    const empty = !running && !finished && !offered;
    return (
      <div
        role="group"
        aria-label={labels.taskToolbar}
        tabIndex={-1}
        data-empty={empty ? '' : undefined}
        {...rest}
        className={cx('gen-TaskProgress-toolbar', className)}
        ref={setRefs}
      >
        {running && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-cancel-all"
            data-variant="danger"
            onClick={composeEventHandlers(onCancelAll, act('after-cancel', () => store.getState().cancelAll()))}
            ref={cancelRef}
          >
            {labels.cancelAll}
          </button>
        )}
        {finished && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-clear-finished"
            onClick={composeEventHandlers(onClearFinished, act('undo', () => store.getState().clearFinished()))}
            ref={clearRef}
          >
            {labels.clearFinished}
          </button>
        )}
        <span id={statusId} role="status" className="gen-TaskProgress-cleared">
          {offered ? labels.tasksCleared(cleared.count) : ''}
        </span>
        {offered && (
          <button
            type="button"
            className="gen-button gen-TaskProgress-undo"
            data-variant="primary"
            aria-describedby={statusId}
            onClick={composeEventHandlers(onUndo, act('after-undo', () => store.getState().undoClearFinished()))}
            ref={undoRef}
          >
            {labels.undo}
          </button>
        )}
      </div>
    );
  },
);
