/**
 * Admitting a file to the tray: the header check, the thumbnail, shrinking an over-size photo, the
 * duplicate check by hash, then the upload queue. Loaded on demand (the first file added, or when
 * the browser is idle) by ./references.ts, with the checks of src/core/references.ts it needs.
 */
import { toToapisError } from '../../core/errors';
import { downscaleToFit, formatBytes, hashReference, inspectReference, limitsForModel } from '../../core/references';
import type { TrayNotice } from '../types';
import type { StoreContext } from './context';
import type { FileLike, Previews, Tray, Uploads } from './uploads';

/** Checks a file added to the tray (size, format, duplicates), then keeps and queues it for upload. */
export function admission(ctx: StoreContext, tray: Tray, uploads: Uploads, previews: Previews) {
  const { set, get, options } = ctx;

  const rejectPending = (id: string, notice: Pick<TrayNotice, 'code' | 'fileName' | 'message' | 'params'>) => {
    const preview = get().references.find((r) => r.id === id)?.previewUrl;
    if (preview) previews.revoke(preview);
    set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
    uploads.discard(id);
    ctx.addNotice(notice);
    uploads.notify();
  };

  /** The file as it will be uploaded: checked, and shrunk when too large; undefined when refused. */
  const usableFile = async (id: string, file: FileLike) => {
    const caps = ctx.capabilities();
    const limits = limitsForModel(caps, get().maxReferences);
    const fileName = file.name;
    const inspected = await inspectReference(file, limits).catch(() => ({
      ok: false as const,
      problem: { code: 'corrupt' as const, message: `"${fileName}" could not be read.`, params: { name: fileName } },
    }));
    if (!tray.has(id)) return undefined;
    if (!inspected.ok) {
      rejectPending(id, { fileName, ...inspected.problem });
      return undefined;
    }
    // The thumbnail starts as soon as the header says the file is an image it accepts: it does not
    // wait for the downscale or the hash (a 12 MP photo's thumbnail looks the same either way).
    const previewUrl = previews.make(id, file);
    if (previewUrl) tray.patch(id, { previewUrl });
    if (!inspected.needsDownscale) return { file, inspected, downscaled: false };
    if (!options.imageCodec) {
      const params = { name: fileName, size: file.size, max: limits.maxBytes };
      const message = `"${fileName}" is ${formatBytes(file.size)}; ${caps.label} accepts at most ${formatBytes(limits.maxBytes)} per reference.`;
      rejectPending(id, { code: 'too_large', fileName, params, message });
      return undefined;
    }
    try {
      const blob = await downscaleToFit(file, limits.maxBytes, options.imageCodec);
      return { file: Object.assign(blob, { name: fileName }) as FileLike, inspected, downscaled: true };
    } catch (raw) {
      rejectPending(id, { code: 'too_large', fileName, params: { name: fileName }, message: toToapisError(raw).message });
      return undefined;
    }
  };

  return async (id: string, original: FileLike) => {
    const usable = await usableFile(id, original);
    if (!usable) return;
    const { file, inspected, downscaled } = usable;
    // The injected codec hashes off the main thread (in its worker) without reading the file here.
    const codec = options.imageCodec;
    const hash = await (codec?.hash ? codec.hash(file) : hashReference(file)).catch(() => undefined);
    if (!tray.has(id)) return;
    if (hash && get().references.some((r) => r.id !== id && r.hash === hash)) {
      const fileName = original.name;
      rejectPending(id, { code: 'duplicate', fileName, params: { name: fileName }, message: `"${fileName}" is already in the tray.` });
      return;
    }
    uploads.keep(id, file);
    const { mimeType, width, height } = inspected;
    tray.patch(id, { hash, mimeType, width, height, size: file.size, downscaled, state: 'uploading' });
    uploads.enqueue(id);
  };
}
