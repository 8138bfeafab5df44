/**
 * Several results saved as one zip, made in the browser by client-zip (files stored as they are:
 * images are compressed already). This module and client-zip load on demand, the first time someone
 * asks for a zip (src/components/TaskProgress/saveResults.ts). Each image is fetched like a single
 * download (straight from its host, else through the backend's download route: `fetchImage`); when
 * any of them cannot be fetched nothing is saved, and the caller learns which. Never throws.
 */
import { downloadZip } from 'client-zip';
import { uniqueFileNames, type DownloadNameParts } from '../core/util/download-name';
import { fetchImage, saveFile, type SaveImageOptions } from './download';

export interface ZipImage {
  url: string;
  /** What the file's name is made from (its extension follows the type fetched). */
  name: Omit<DownloadNameParts, 'contentType' | 'url'>;
  /** The backend's copy, when the host refuses (see `saveImage`). */
  viaBackend?: () => Promise<Blob | undefined>;
}

export interface SaveZipOptions extends Pick<SaveImageOptions, 'fetch' | 'document' | 'revokeAfterMs'> {
  images: readonly ZipImage[];
  /** The zip's own file name. */
  zipName: string;
  /** Images fetched at once. @default 4 */
  concurrency?: number;
}

/**
 * `saved` with the names inside the zip, or `failed` with the positions (in `images`) of the images
 * that could not be fetched — empty when the zip itself could not be made or saved.
 */
export type ZipOutcome = { outcome: 'saved'; names: string[] } | { outcome: 'failed'; failed: number[] };

export async function saveZip(options: SaveZipOptions): Promise<ZipOutcome> {
  const doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
  if (!doc || options.images.length === 0) return { outcome: 'failed', failed: [] };
  const blobs = await fetchAll(options);
  const failed = blobs.flatMap((blob, i) => (blob ? [] : [i]));
  if (failed.length > 0) return { outcome: 'failed', failed };
  const names = uniqueFileNames(
    options.images.map((image, i) => ({ ...image.name, url: image.url, contentType: blobs[i]!.type || undefined })),
  );
  try {
    const zip = await downloadZip(names.map((name, i) => ({ name, input: blobs[i]! }))).blob();
    const typed = zip.type ? zip : new Blob([zip], { type: 'application/zip' });
    return saveFile(doc, typed, options.zipName, options.revokeAfterMs) ? { outcome: 'saved', names } : { outcome: 'failed', failed: [] };
  } catch {
    return { outcome: 'failed', failed: [] };
  }
}

/** Every image's bytes (undefined where it failed), a few at a time, in order. */
async function fetchAll({ images, fetch, concurrency = 4 }: SaveZipOptions): Promise<Array<Blob | undefined>> {
  const blobs: Array<Blob | undefined> = new Array<Blob | undefined>(images.length);
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const i = next++;
      const image = images[i]!;
      blobs[i] = await fetchImage({ url: image.url, ...(image.viaBackend && { viaBackend: image.viaBackend }), ...(fetch && { fetch }) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, images.length)) }, worker));
  return blobs;
}
