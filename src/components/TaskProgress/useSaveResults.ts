'use client';
import * as React from 'react';
import { useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import type { ImageFile } from '../../store/selectors';
import { saveResults } from './saveResults';

export type SaveResultsState = 'idle' | 'busy' | 'failed';

/**
 * Download all / Download selected: `save(files, zipName)` saves one file or one zip, ignoring
 * presses while it works. `message` is the alert to show after a failure (an image could not be
 * fetched, the results expired, the zip could not be made, or a single image opened in a new tab);
 * the next press clears it.
 */
export function useSaveResults(): {
  state: SaveResultsState;
  message: string;
  save: (files: readonly ImageFile[], zipName: string) => Promise<void>;
} {
  const store = useGeneratorStore();
  const labels = useLabels();
  const [status, setStatus] = React.useState<{ state: SaveResultsState; message: string }>({ state: 'idle', message: '' });
  const busy = React.useRef(false);
  const save = React.useCallback(
    async (files: readonly ImageFile[], zipName: string) => {
      if (busy.current) return;
      if (files.length === 0) {
        setStatus({ state: 'failed', message: labels.zipExpired });
        return;
      }
      busy.current = true;
      setStatus({ state: 'busy', message: '' });
      try {
        const result = await saveResults(store, files, zipName);
        if (result.outcome === 'failed') {
          setStatus({ state: 'failed', message: files.length === 1 ? labels.downloadFailed : labels.zipFailed(result.failed) });
        } else {
          setStatus({ state: 'idle', message: result.outcome === 'opened' ? labels.downloadOpened : '' });
        }
      } finally {
        busy.current = false;
      }
    },
    [store, labels],
  );
  return { ...status, save };
}
