'use client';
import * as React from 'react';
import type { TaskImage } from '../../core/protocol';
import { isSafeUrl } from '../../core/util/url';
import { selectTaskById } from '../../store/selectors';
import type { GenerationTask } from '../../store/types';
import { useGenerator } from '../../hooks/useGenerator';

const ROOT_NAME = 'TaskProgress';
const ITEM_NAME = 'TaskProgressItem';

export interface RootContextValue {
  onUseAsReference: ((url: string) => void) | undefined;
}

// Parts also work without a root (a host may render one item on its own), so the default is empty.
export const RootContext = React.createContext<RootContextValue>({ onUseAsReference: undefined });

export interface ItemContextValue {
  taskId: string;
  /** Id of the element holding the task's prompt; row buttons point at it with aria-describedby. */
  promptId: string;
}

export const ItemContext = React.createContext<ItemContextValue | null>(null);

/** The task id a part shows: its own `taskId` prop, else the enclosing item's. */
export function useItemTask(part: string, explicit: string | undefined): { taskId: string; promptId: string | undefined } {
  const item = React.useContext(ItemContext);
  const taskId = explicit ?? item?.taskId;
  if (taskId === undefined) {
    throw new Error(`[gen] \`${part}\` must be rendered inside <${ITEM_NAME}> of <${ROOT_NAME}>, or be given a \`taskId\`.`);
  }
  return { taskId, promptId: item && item.taskId === taskId ? item.promptId : undefined };
}

/** Reads one field of one task; returns the field itself so ticks re-render only what reads them. */
export function useTaskField<T>(taskId: string, pick: (task: GenerationTask) => T): T | undefined {
  return useGenerator((s) => {
    const task = selectTaskById(taskId)(s);
    return task === undefined ? undefined : pick(task);
  });
}

/** Whether a task in this phase is still on its way (sent, queued or generating). */
export { isRunning } from '../../core/task';

/** Defence in depth: the parser already drops unsafe URLs, but state can also come from a host. */
export function safeImages(images: readonly TaskImage[] | undefined): TaskImage[] {
  return (images ?? []).filter((image) => isSafeUrl(image?.url));
}
