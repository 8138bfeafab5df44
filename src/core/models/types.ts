/**
 * The shape of one model's capabilities (docs/toapis-api.md §2 and §6); the registry (registry.ts)
 * fills it in per model.
 */
import type { ParameterSpec } from '../parameters';

/** Image formats a reference can have (the upload endpoint accepts all four, §4). */
export type ImageMimeType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

/**
 * How a model takes an inpainting mask (`mask_url`, §2 and §6.1): a PNG whose transparent pixels are
 * the area to repaint, exactly the pixel size of the first reference.
 */
export interface MaskRules {
  /** A PNG with an alpha channel: transparent = repaint, opaque = keep. */
  format: 'png-alpha';
  /** Largest mask file in bytes, where documented (`gpt-4o-image`: 4 MB). */
  maxBytes?: number;
}

/** What one model accepts, as far as docs/toapis-api.md §2 and §6 document it. */
export interface ModelCapabilities {
  /** The `model` value sent on the wire. */
  id: string;
  /** Human name for pickers ("Nano Banana 2"). */
  label: string;
  /** Other ids that resolve to this model (`nano-banana-pro`…); never sent on the wire. */
  aliases: readonly string[];
  /** Allowed `size` values, in display order; includes `auto`/`match_input_image` only where accepted. */
  aspectRatios: readonly string[];
  /** `size` sent when the caller chose none (§8.9: always send it). */
  defaultAspectRatio: string;
  /**
   * `size` sent when the caller chose none but added references, where the model's own default
   * differs then (Flux Kontext: `match_input_image`).
   */
  defaultAspectRatioWithReferences?: string;
  /** Ratios that only make sense with at least one reference (`auto` on Seedream 4.0, `match_input_image`). */
  referenceOnlyRatios?: readonly string[];
  /** Display values, upper-case (`'1K'`, `'2K'`, `'4K'`, `'0.5K'`); `[]` when the model has none. */
  resolutions: readonly string[];
  /** Resolution sent when the caller chose none; `undefined` when the model has none. */
  defaultResolution: string | undefined;
  /**
   * Where the resolution goes: `metadata.resolution` (sent upper-case), top-level `resolution`
   * (the `gpt-image-2` family, sent lower-case `'1k'`), or nowhere (§8.8).
   */
  resolutionField: 'metadata' | 'top' | 'none';
  /**
   * Resolutions that only work with some ratios: resolution → the ratios it allows
   * (`gpt-image-2-official`: 4K only for the wide and tall ratios).
   */
  resolutionRatios?: Readonly<Record<string, readonly string[]>>;
  /** Images per request. `allowed` lists the only valid values when the range has gaps. */
  n: { min: number; max: number; allowed?: readonly number[] };
  /** Most reference images per request; `0` for text-only models. */
  maxReferences: number;
  /** Body field that carries the reference URLs. */
  referenceField: 'image_urls' | 'reference_images';
  /** Largest reference the model accepts, in bytes (10 MB = 10 × 1024 × 1024 unless documented otherwise). */
  maxReferenceBytes: number;
  /** Reference formats the model lists. */
  referenceFormats: readonly ImageMimeType[];
  /** Prompt cap in characters, or `undefined` where the docs state none. */
  maxPromptLength: number | undefined;
  /** USD per image keyed by display resolution, where §6.3 gives it (landing prices, not billing). */
  pricePerImage?: Readonly<Record<string, number>>;
  /** Output size in pixels: ratio → display resolution → `[width, height]`, where known. */
  pixelSizes?: Readonly<Record<string, Readonly<Record<string, readonly [number, number]>>>>;
  /** References plus requested outputs may not exceed this (Seedream: 15). */
  maxReferencesPlusOutputs?: number;
  /** Endpoint the model is documented on. */
  endpoint: '/v1/images/generations' | '/v1/images/edits';
  /** Takes an inpainting mask (`mask_url`) and how; absent when the model takes none. */
  mask?: MaskRules;
  /** The documented extras the model takes (`metadata.google_search`, top-level `quality`…); none when absent. */
  params?: readonly ParameterSpec[];
}

