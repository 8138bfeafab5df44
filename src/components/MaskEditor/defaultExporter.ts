/**
 * The default mask exporter (see ./exporter.ts), loaded with the editor: the image worker first
 * (off the main thread: a 12 MP PNG is about half a second of encoding there); on this thread with
 * `OffscreenCanvas` where a worker cannot run (a Content-Security-Policy without worker-src); plain
 * JavaScript where there is no canvas (jsdom).
 */
import { renderMaskInWorker } from '../../browser/environment';
import { encodeMaskFiles, renderMaskFiles, type MaskFileInput, type MaskFiles } from '../../browser/maskFile';
import { maskExporterOverride } from './exporter';

export async function exportMaskFiles(input: MaskFileInput): Promise<MaskFiles> {
  const custom = maskExporterOverride();
  if (custom) return custom(input);
  if (typeof OffscreenCanvas === 'function') {
    try {
      return await renderMaskInWorker(input);
    } catch {
      // no worker here, or it failed: this thread
    }
    try {
      return await renderMaskFiles(input);
    } catch {
      // no 2D context: plain JavaScript below
    }
  }
  return encodeMaskFiles(input);
}
