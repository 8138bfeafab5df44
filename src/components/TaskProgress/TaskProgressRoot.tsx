'use client';
import * as React from 'react';
import type { GenerationTask } from '../../store/types';
import { isTerminal } from '../../core/task';
import { selectLatestPhase } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { RootContext, safeImages, type RootContextValue } from './context';
import { useResultPrefetch } from './useResultPrefetch';

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
export const TaskProgressRoot = /* @__PURE__ */ React.forwardRef<HTMLDivElement, TaskProgressRootProps>(
  function TaskProgressRoot({ onUseAsReference, className, children, ...rest }, ref) {
    const latest = useGenerator(selectLatestPhase);
    useResultPrefetch(useGeneratorStore());
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
        const before = seen.get(task.id);
        if (before !== task.phase) {
          differs = true;
          // A task that arrives already over is one coming back ("Undo" of Clear finished, a late
          // restore): nothing happened to it, so nothing is said.
          if (before !== undefined || !isTerminal(task.phase)) changed = task;
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
