'use client';
/**
 * Saving results, shared by Download (one image), Download all and Download selected: one image
 * becomes one file (`saveImage`: its host, else the backend's download route, else a new tab);
 * several become one zip, made by src/browser/zip.ts, which loads on demand with client-zip.
 */
import { saveImage, type SaveOutcome } from '../../browser/download';
import { lazyModule } from '../../core/util/lazy';
import { downloadFileName } from '../../core/util/download-name';
import type { GeneratorStore } from '../../store/createGeneratorStore';
import type { ImageFile } from '../../store/selectors';

/** The zip maker and client-zip: loaded the first time several images are saved at once. */
export const zipModule = /* @__PURE__ */ lazyModule(() => import('../../browser/zip'));

/** The backend's copy of a result (its download route), asked for under the file's name. */
function viaBackend(store: GeneratorStore, file: ImageFile) {
  return () =>
    store.getState().fetchResultImage(file.task, file.index, {
      filename: downloadFileName({ prompt: file.prompt, taskId: file.taskId, index: file.index, url: file.url }),
    });
}

/** Saves one result as `<prompt slug>-<task id>-<n>.<ext>`. Never throws. */
export function saveResult(store: GeneratorStore, file: ImageFile): Promise<SaveOutcome> {
  return saveImage({
    url: file.url,
    fileName: (contentType) => downloadFileName({ prompt: file.prompt, taskId: file.taskId, index: file.index, contentType, url: file.url }),
    viaBackend: viaBackend(store, file),
  });
}

/** What saving several results did: `failed` counts the images that could not be fetched (0: the zip itself failed). */
export type SaveManyOutcome = { outcome: 'saved' | 'opened' } | { outcome: 'failed'; failed: number };

/** One result as its file; several as one zip called `zipName`. Never throws. */
export async function saveResults(store: GeneratorStore, files: readonly ImageFile[], zipName: string): Promise<SaveManyOutcome> {
  if (files.length === 1) {
    const outcome = await saveResult(store, files[0]!);
    return outcome === 'failed' ? { outcome, failed: 1 } : { outcome };
  }
  try {
    const { saveZip } = await zipModule.load();
    const result = await saveZip({
      zipName,
      images: files.map((file) => ({
        url: file.url,
        name: { prompt: file.prompt, taskId: file.taskId, index: file.index },
        viaBackend: viaBackend(store, file),
      })),
    });
    return result.outcome === 'saved' ? { outcome: 'saved' } : { outcome: 'failed', failed: result.failed.length };
  } catch {
    return { outcome: 'failed', failed: 0 }; // the zip code could not be loaded (offline)
  }
}
