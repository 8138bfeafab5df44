'use client';
import * as React from 'react';
import type { SaveOutcome } from '../../browser/download';
import { useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { saveResult } from './saveResults';

export interface DownloadButtonProps {
  /** Local id of the task the image belongs to. */
  taskId: string;
  url: string;
  /** 1-based position among the task's results. */
  index: number;
  total: number;
  describedBy: string | undefined;
}

/**
 * Saves one result as `<prompt slug>-<task id>-<n>.<ext>`: straight from the file host, else
 * through the backend's download route, else by opening the image in a new tab (and saying so).
 * `aria-busy` while it works; a polite status line reports what happened.
 */
export function DownloadButton({ taskId, url, index, total, describedBy }: DownloadButtonProps) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const [state, setState] = React.useState<'idle' | 'busy' | SaveOutcome>('idle');
  const download = async () => {
    const task = store.getState().tasks.find((t) => t.id === taskId);
    setState('busy');
    setState(await saveResult(store, { task: taskId, index, url, prompt: task?.prompt ?? '', taskId: task?.taskId }));
  };
  const status =
    state === 'busy' ? labels.downloading : state === 'opened' ? labels.downloadOpened : state === 'failed' ? labels.downloadFailed : '';
  return (
    <>
      <button
        type="button"
        className="gen-button gen-TaskProgress-download"
        data-state={state}
        aria-busy={state === 'busy' || undefined}
        aria-label={labels.downloadImageAt(index, total)}
        aria-describedby={describedBy}
        onClick={() => {
          if (state !== 'busy') void download();
        }}
      >
        {labels.downloadImage}
      </button>
      <span role="status" className="gen-TaskProgress-downloadStatus">
        {status}
      </span>
    </>
  );
}
