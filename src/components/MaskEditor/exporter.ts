/**
 * Where the MaskEditor's "Apply mask" gets its files from — a seam, so tests and hosts without a
 * canvas (jsdom) can supply their own: `setMaskExporter(fn)` replaces the exporter for the page,
 * `setMaskExporter(undefined)` puts the default back. The default (./defaultExporter.ts, loaded with
 * the editor) makes them in the image worker with `OffscreenCanvas`; without a worker on the page's
 * thread with `OffscreenCanvas`; without any canvas in plain JavaScript. Tiny on purpose: it is
 * exported from the package's entry.
 */
import type { MaskFileInput, MaskFiles } from '../../browser/maskFile';

export type { MaskFileInput, MaskFiles };

/** Makes the mask PNG (the reference's size, transparent where painted) and its preview. */
export type MaskExporter = (input: MaskFileInput) => Promise<MaskFiles>;

let override: MaskExporter | undefined;

/** Replaces the exporter "Apply mask" uses (tests, custom encoders); `undefined` restores the default. */
export function setMaskExporter(exporter: MaskExporter | undefined): void {
  override = exporter;
}

/** The exporter set with `setMaskExporter`, if any. */
export function maskExporterOverride(): MaskExporter | undefined {
  return override;
}
