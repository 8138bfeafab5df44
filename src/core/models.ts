/**
 * Capability registry of the ToAPIs image models (docs/toapis-api.md §6) and the one function that
 * turns a user's choices into a `POST /v1/images/generations` body, reporting every problem at once.
 *
 * The registry is data: components read ratios, resolutions, `n` and reference limits from it, and
 * `buildGenerationRequest` checks a request against it before anything leaves the browser. Where
 * the docs conflict (§8.10) the registry follows the current page and the server stays the judge.
 */
import type { SubmitRequest } from './protocol';
import { checkParameters, placeParameters, type ModelParameters, type ParameterIssue, type ParameterSpec } from './parameters';
import { isHttpUrl } from './util/url';

/* -------------------------------------------------------------------------------------------------
 * Types
 * -----------------------------------------------------------------------------------------------*/

/** Image formats a reference can have (the upload endpoint accepts all four, §4). */
export type ImageMimeType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

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
  /** The documented extras the model takes (`metadata.google_search`, top-level `quality`…); none when absent. */
  params?: readonly ParameterSpec[];
}

/* -------------------------------------------------------------------------------------------------
 * Shared values
 * -----------------------------------------------------------------------------------------------*/

const MB = 1024 * 1024;
const JPEG_PNG_WEBP: readonly ImageMimeType[] = ['image/jpeg', 'image/png', 'image/webp'];
const JPEG_PNG: readonly ImageMimeType[] = ['image/jpeg', 'image/png'];
const GENERATIONS = '/v1/images/generations';

const GEMINI_31_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '5:4', '4:5', '21:9', '1:4', '4:1', '1:8', '8:1'] as const;
const GEMINI_31_OFFICIAL_RATIOS = ['1:1', '3:2', '2:3', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '4:1', '8:1'] as const;
const GEMINI_3_PRO_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
const GEMINI_25_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const;
const GPT_IMAGE_2_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'] as const;
const GPT_IMAGE_2_OFFICIAL_4K = ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'] as const;
const FLUX_2_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'] as const;
const FLUX_KONTEXT_RATIOS = ['match_input_image', '1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'] as const;
const GROK_IMAGINE_RATIOS = ['1:1', '16:9', '9:16', '3:2', '2:3'] as const;
const GROK_4_RATIOS = ['1:1', '2:3', '3:2', '16:9', '9:16'] as const;
const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'] as const;
const VIDU_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'] as const;

/** Ratios offered for a model the registry does not know. */
const COMMON_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '21:9', '9:21', '2:1', '1:2'] as const;

/* -------------------------------------------------------------------------------------------------
 * Model parameters (the documented extras; names are the wire keys)
 * -----------------------------------------------------------------------------------------------*/

const flag = (name: string, where: ParameterSpec['in'], dflt?: boolean): ParameterSpec =>
  ({ name, in: where, type: 'boolean', label: name, ...(dflt !== undefined && { default: dflt }) });
const choice = (name: string, where: ParameterSpec['in'], values: readonly string[], dflt?: string, label = name): ParameterSpec =>
  ({ name, in: where, type: 'enum', values, label, ...(dflt !== undefined && { default: dflt }) });
const range = (
  name: string,
  where: ParameterSpec['in'],
  type: 'integer' | 'number',
  [min, max, step]: readonly [number, number, number?],
  dflt?: number,
): ParameterSpec =>
  ({ name, in: where, type, min, max, label: name, ...(step !== undefined && { step }), ...(dflt !== undefined && { default: dflt }) });

const GOOGLE_SEARCH: readonly ParameterSpec[] = [
  flag('google_search', 'metadata', false),
  { ...flag('google_image_search', 'metadata', false), requires: { name: 'google_search', value: true } },
];
const ORIENTATION: readonly ParameterSpec[] = [choice('orientation', 'metadata', ['landscape', 'portrait'])];
/** Vertex AI pass-through on the `-official` Gemini models (object-valued options stay with the proxy). */
const GEMINI_OFFICIAL_PARAMS: readonly ParameterSpec[] = [
  range('temperature', 'metadata', 'number', [0, 2, 0.1], 1),
  range('topP', 'metadata', 'number', [0, 1, 0.05], 0.95),
  range('maxOutputTokens', 'metadata', 'integer', [1, 1_000_000], 32_768),
  choice('personGeneration', 'metadata', ['ALLOW_ALL', 'ALLOW_ADULT', 'ALLOW_NONE']),
];
const quality = (dflt: string) => choice('quality', 'top', ['low', 'medium', 'high'], dflt);
const GPT_OUTPUT: readonly ParameterSpec[] = [
  choice('output_format', 'top', ['png', 'jpeg'], 'png'),
  { ...range('output_compression', 'top', 'integer', [0, 100], 100), requires: { name: 'output_format', value: 'jpeg' } },
];
const FLUX_KONTEXT_PARAMS: readonly ParameterSpec[] = [
  choice('response_format', 'metadata', ['png', 'jpg'], 'png', 'output_format'),
  range('safety_tolerance', 'metadata', 'integer', [0, 6], 2),
  flag('prompt_upsampling', 'metadata', false),
];
const seedreamParams = (watermark: boolean): readonly ParameterSpec[] => [
  flag('watermark', 'metadata', watermark),
  choice('sequential_image_generation', 'metadata', ['disabled', 'auto'], 'disabled'),
];
const VIDU_PARAMS: readonly ParameterSpec[] = [range('seed', 'top', 'integer', [0, 2 ** 31 - 1]), flag('watermark', 'metadata', false)];

type PixelTable = Record<string, Record<string, readonly [number, number]>>;

/**
 * Builds a pixel table from landscape rows: `[ratio, {res: [w, h]}]`. The portrait ratio (`3:2` → `2:3`)
 * gets the swapped sizes, as §6.2 lists them (`1:1` is its own mirror).
 */
function mirrored(rows: ReadonlyArray<readonly [string, Record<string, readonly [number, number]>]>): PixelTable {
  const table: PixelTable = {};
  for (const [ratio, sizes] of rows) {
    table[ratio] = sizes;
    const [a, b] = ratio.split(':');
    if (a !== b) {
      const swapped: Record<string, readonly [number, number]> = {};
      for (const [res, [w, h]] of Object.entries(sizes)) swapped[res] = [h, w];
      table[`${b}:${a}`] = swapped;
    }
  }
  return table;
}

/** §6.2, `gpt-image-2` family, `size` × `resolution`. */
const GPT_IMAGE_2_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [2880, 2880] }],
  ['3:2', { '1K': [1536, 1024], '2K': [2048, 1360], '4K': [3520, 2336] }],
  ['4:3', { '1K': [1024, 768], '2K': [2048, 1536], '4K': [3312, 2480] }],
  ['5:4', { '1K': [1280, 1024], '2K': [2560, 2048], '4K': [3216, 2576] }],
  ['16:9', { '1K': [1536, 864], '2K': [2048, 1152], '4K': [3840, 2160] }],
  ['2:1', { '1K': [2048, 1024], '2K': [2688, 1344], '4K': [3840, 1920] }],
  ['21:9', { '1K': [2016, 864], '2K': [2688, 1152], '4K': [3840, 1648] }],
]);

/** `gpt-image-2-official` only renders 4K for the wide and tall ratios (§6.1). */
const GPT_IMAGE_2_OFFICIAL_PIXELS: PixelTable = Object.fromEntries(
  Object.entries(GPT_IMAGE_2_PIXELS).map(([ratio, sizes]) => {
    if ((GPT_IMAGE_2_OFFICIAL_4K as readonly string[]).includes(ratio)) return [ratio, sizes];
    const { '4K': _dropped, ...rest } = sizes;
    return [ratio, rest];
  }),
);

/** §6.2, Flux 2 (1K / 2K; "portrait ratios swap"). */
const FLUX_2_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024], '2K': [2048, 2048] }],
  ['4:3', { '1K': [1365, 1024], '2K': [2730, 2048] }],
  ['16:9', { '1K': [1820, 1024], '2K': [3640, 2048] }],
  ['3:2', { '1K': [1536, 1024], '2K': [3072, 2048] }],
]);

/** §6.2, Gemini 2.5 Flash lists landscape sizes only; portrait is assumed to swap, as on Flux. */
const GEMINI_25_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024] }],
  ['16:9', { '1K': [1792, 1024] }],
  ['4:3', { '1K': [1365, 1024] }],
  ['3:2', { '1K': [1536, 1024] }],
]);

/** §6.2, Seedream 4.0 (also used for 4.5, whose page gives no table): only 1:1 and 16:9 are listed. */
const SEEDREAM_4_PIXELS: PixelTable = {
  '1:1': { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [4096, 4096] },
  '16:9': { '1K': [1280, 720], '2K': [2560, 1440], '4K': [5404, 3040] },
};

/** §6.2, Seedream 5.0 (lite). */
const SEEDREAM_5_PIXELS: PixelTable = {
  '1:1': { '2K': [2048, 2048], '3K': [3072, 3072] },
  '16:9': { '2K': [2848, 1600], '3K': [4096, 2304] },
};

/**
 * Gemini 3.1 Flash sizes are an ESTIMATE: the docs only say "~512 / ~1024 / ~2048 / ~4096 px".
 * The long side is that value, the short side follows the ratio, both rounded to multiples of 16.
 */
function estimatedPixels(ratios: readonly string[], longSides: Readonly<Record<string, number>>): PixelTable {
  const round16 = (v: number) => Math.max(16, Math.round(v / 16) * 16);
  const table: PixelTable = {};
  for (const ratio of ratios) {
    const [w, h] = ratio.split(':').map(Number) as [number, number];
    const sizes: Record<string, readonly [number, number]> = {};
    for (const [res, long] of Object.entries(longSides)) {
      sizes[res] = w >= h ? [round16(long), round16((long * h) / w)] : [round16((long * w) / h), round16(long)];
    }
    table[ratio] = sizes;
  }
  return table;
}

/* -------------------------------------------------------------------------------------------------
 * Registry
 * -----------------------------------------------------------------------------------------------*/

/** The kit's default model (`GeneratorProvider.model`; README.md). */
export const DEFAULT_MODEL_ID = 'gemini-3.1-flash-image-preview';

function freeze(model: ModelCapabilities): ModelCapabilities {
  return Object.freeze(model);
}

const geminiBase = {
  resolutionField: 'metadata',
  n: { min: 1, max: 1 },
  maxReferences: 14,
  referenceField: 'image_urls',
  maxReferenceBytes: 10 * MB,
  referenceFormats: JPEG_PNG_WEBP,
  maxPromptLength: undefined,
  endpoint: GENERATIONS,
} as const;

function gptImage2(id: string, label: string, official: boolean): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: official ? [...GPT_IMAGE_2_RATIOS, 'auto'] : GPT_IMAGE_2_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K', '2K', '4K'],
    defaultResolution: '1K',
    resolutionField: 'top',
    ...(official && { resolutionRatios: { '4K': GPT_IMAGE_2_OFFICIAL_4K } }),
    // The edits page gives 1–10; `-official`'s intro also says "up to 4" (§8.10): the server judges.
    n: { min: 1, max: 10 },
    // 16 is documented for gpt-image-2 (edits) and -official; -vip states none and shares the family's.
    maxReferences: 16,
    referenceField: 'reference_images', // §2.1 and §8.7: the family's primary field
    // 50 MB is documented for gpt-image-2 only (edits page); the others keep the common 10 MB.
    maxReferenceBytes: id === 'gpt-image-2' ? 50 * MB : 10 * MB,
    referenceFormats: JPEG_PNG,
    maxPromptLength: 32_000,
    ...(id === 'gpt-image-2' && { pricePerImage: { '1K': 0.015, '2K': 0.02, '4K': 0.025 } }),
    pixelSizes: official ? GPT_IMAGE_2_OFFICIAL_PIXELS : GPT_IMAGE_2_PIXELS,
    endpoint: GENERATIONS,
    // -vip defaults to medium quality; -official and gpt-image-2's edit mode to high, with a format choice.
    params: id === 'gpt-image-2-vip' ? [quality('medium')] : [quality('high'), ...GPT_OUTPUT],
  });
}

function flux2(id: string, label: string): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: FLUX_2_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K', '2K'],
    defaultResolution: '1K',
    resolutionField: 'metadata',
    n: { min: 1, max: 1 }, // `n` is not documented for Flux (§8.9): send 1
    maxReferences: 8,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: undefined,
    pixelSizes: FLUX_2_PIXELS,
    endpoint: GENERATIONS,
  });
}

function fluxKontext(id: string, label: string): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: FLUX_KONTEXT_RATIOS,
    defaultAspectRatio: '16:9',
    defaultAspectRatioWithReferences: 'match_input_image',
    referenceOnlyRatios: ['match_input_image'],
    resolutions: [],
    defaultResolution: undefined,
    resolutionField: 'none',
    n: { min: 1, max: 1 }, // not documented; fixed price per request
    maxReferences: 1,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: undefined,
    endpoint: GENERATIONS,
    params: FLUX_KONTEXT_PARAMS,
  });
}

function grok4(id: string, label: string): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: GROK_4_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: [],
    defaultResolution: undefined,
    resolutionField: 'none',
    n: { min: 1, max: 4, allowed: [1, 2, 4] },
    maxReferences: 5,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: 1000,
    endpoint: GENERATIONS,
  });
}

function seedream(
  id: string,
  label: string,
  extra: Pick<ModelCapabilities, 'resolutions' | 'n'> & Partial<ModelCapabilities>,
): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: SEEDREAM_RATIOS,
    defaultAspectRatio: '1:1',
    defaultResolution: '2K',
    resolutionField: 'metadata',
    maxReferences: 10,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG,
    maxPromptLength: undefined,
    maxReferencesPlusOutputs: 15,
    endpoint: GENERATIONS,
    ...extra,
  });
}

function vidu(id: string, label: string, resolutions: readonly string[]): ModelCapabilities {
  return freeze({
    id,
    label,
    aliases: [],
    aspectRatios: VIDU_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions,
    defaultResolution: '1K',
    resolutionField: 'metadata',
    n: { min: 1, max: 1 },
    maxReferences: 7,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: undefined,
    endpoint: GENERATIONS,
    params: VIDU_PARAMS,
  });
}

const REGISTRY: readonly ModelCapabilities[] = [
  freeze({
    id: 'gemini-3.1-flash-image-preview',
    label: 'Nano Banana 2',
    aliases: ['nano-banana-2', 'nano_banana_2'],
    aspectRatios: GEMINI_31_RATIOS,
    defaultAspectRatio: '1:1', // no default stated (§8.9)
    resolutions: ['0.5K', '1K', '2K', '4K'],
    defaultResolution: '1K',
    resolutionField: 'metadata',
    n: { min: 1, max: 4 }, // range not stated; 4 is the kit's choice
    maxReferences: 14,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: undefined,
    pricePerImage: { '1K': 0.025, '2K': 0.03, '4K': 0.04 },
    pixelSizes: estimatedPixels(GEMINI_31_RATIOS, { '0.5K': 512, '1K': 1024, '2K': 2048, '4K': 4096 }),
    endpoint: GENERATIONS,
    params: GOOGLE_SEARCH,
  }),
  freeze({
    ...geminiBase,
    id: 'gemini-3.1-flash-image-preview-official',
    label: 'Nano Banana 2 (official)',
    aliases: ['nano-banana-2-official', 'nano-banana-2-lite-official'],
    aspectRatios: GEMINI_31_OFFICIAL_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K', '2K', '4K'],
    defaultResolution: '1K',
    params: GEMINI_OFFICIAL_PARAMS,
  }),
  freeze({
    ...geminiBase,
    id: 'gemini-3-pro-image-preview',
    label: 'Nano Banana Pro',
    aliases: ['nano-banana-pro'],
    aspectRatios: GEMINI_3_PRO_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K', '2K', '4K'],
    defaultResolution: '1K',
    maxPromptLength: undefined, // the old 1,000 cap is gone (§8.10); upstream limit is in tokens
    params: ORIENTATION,
  }),
  freeze({
    ...geminiBase,
    id: 'gemini-3-pro-image-preview-official',
    label: 'Nano Banana Pro (official)',
    aliases: ['nano-banana-pro-official'],
    aspectRatios: GEMINI_3_PRO_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K', '2K', '4K'],
    defaultResolution: '1K',
    params: GEMINI_OFFICIAL_PARAMS,
  }),
  freeze({
    ...geminiBase,
    id: 'gemini-2.5-flash-image-preview',
    label: 'Nano Banana',
    aliases: ['nano-banana'],
    aspectRatios: GEMINI_25_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: ['1K'],
    defaultResolution: '1K',
    maxPromptLength: 1000,
    pixelSizes: GEMINI_25_PIXELS,
    params: ORIENTATION,
  }),
  freeze({
    ...geminiBase,
    id: 'gemini-2.5-flash-image-official',
    label: 'Nano Banana (official)',
    aliases: ['nano-banana-official'],
    aspectRatios: GEMINI_3_PRO_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: [],
    defaultResolution: undefined,
    resolutionField: 'none',
    maxReferences: 3,
    params: GEMINI_OFFICIAL_PARAMS,
  }),
  freeze({
    id: 'gpt-4o-image',
    label: 'GPT-4o Image',
    aliases: [],
    aspectRatios: ['1:1', '2:3', '3:2'],
    defaultAspectRatio: '1:1',
    resolutions: [],
    defaultResolution: undefined,
    resolutionField: 'none',
    n: { min: 1, max: 4, allowed: [1, 2, 4] }, // the guide says 1–4; the API page 1, 2 or 4 (§8.10)
    maxReferences: 5,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: 1000,
    endpoint: GENERATIONS,
  }),
  gptImage2('gpt-image-2', 'GPT Image 2', false),
  gptImage2('gpt-image-2-vip', 'GPT Image 2 VIP', false),
  gptImage2('gpt-image-2-official', 'GPT Image 2 (official)', true),
  flux2('flux-2-flex', 'Flux 2 Flex'),
  flux2('flux-2-pro', 'Flux 2 Pro'),
  fluxKontext('flux-kontext-pro', 'Flux Kontext Pro'),
  fluxKontext('flux-kontext-max', 'Flux Kontext Max'),
  freeze({
    id: 'grok-imagine-1.0',
    label: 'Grok Imagine 1.0',
    aliases: ['grok-imagine-1-0'], // the model guide's spelling (§8.16)
    aspectRatios: GROK_IMAGINE_RATIOS,
    defaultAspectRatio: '1:1',
    resolutions: [],
    defaultResolution: undefined,
    resolutionField: 'none',
    n: { min: 1, max: 10 },
    maxReferences: 0,
    referenceField: 'image_urls',
    maxReferenceBytes: 10 * MB,
    referenceFormats: JPEG_PNG_WEBP,
    maxPromptLength: undefined,
    endpoint: GENERATIONS,
  }),
  // `grok-imagine-1.0-edit` is left out: it lives on `/v1/images/edits`, lists no sizes and requires a
  // reference, none of which the generation flow models. `resolveModel` still lets it through.
  grok4('grok-4-1-image', 'Grok 4.1 Image'),
  grok4('grok-4-2-image', 'Grok 4.2 Image'),
  seedream('doubao-seedream-4-0', 'Seedream 4.0', {
    aspectRatios: [...SEEDREAM_RATIOS, 'auto'],
    referenceOnlyRatios: ['auto'],
    resolutions: ['1K', '2K', '4K'],
    n: { min: 1, max: 15 },
    maxPromptLength: 1000,
    pixelSizes: SEEDREAM_4_PIXELS,
    params: seedreamParams(true),
  }),
  seedream('doubao-seedream-4-5', 'Seedream 4.5', {
    resolutions: ['2K', '4K'],
    n: { min: 1, max: 15 },
    pixelSizes: SEEDREAM_4_PIXELS,
    params: seedreamParams(true),
  }),
  seedream('doubao-seedream-5-0', 'Seedream 5.0 Lite', {
    resolutions: ['2K', '3K'],
    n: { min: 1, max: 15 },
    pixelSizes: SEEDREAM_5_PIXELS,
    params: seedreamParams(false),
  }),
  seedream('doubao-seedream-5-0-pro', 'Seedream 5.0 Pro', {
    resolutions: ['1K', '2K'],
    n: { min: 1, max: 10 },
    params: [...seedreamParams(false), flag('layer_decomposition', 'top', false)],
  }),
  vidu('vidu-image', 'Vidu Image', ['1K', '2K', '4K']),
  vidu('viduq3-fast', 'Vidu Q3 Fast', ['1K', '2K', '4K']),
  vidu('viduq2-pro', 'Vidu Q2 Pro', ['1K', '2K', '4K']),
  vidu('viduq2-fast', 'Vidu Q2 Fast', ['1K']),
];

/** Every registered model, keyed by its wire id. */
export const MODELS: Readonly<Record<string, ModelCapabilities>> = Object.freeze(
  Object.fromEntries(REGISTRY.map((m) => [m.id, m])),
);

/** Registered wire ids in display order (the default model first). */
export const MODEL_IDS: readonly string[] = Object.freeze(REGISTRY.map((m) => m.id));

const ALIASES: ReadonlyMap<string, ModelCapabilities> = new Map(
  REGISTRY.flatMap((m) => m.aliases.map((alias) => [alias.toLowerCase(), m] as const)),
);

/**
 * Model ids as people write them: `gemini-3-1-flash-image-preview` (a dash for the version's dot),
 * `Gemini 3.1 Flash Image Preview`, `gpt_image_1`. Case, spaces, `_` and `.` are not told apart.
 */
export function modelKey(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/[\s._]+/g, '-')
    .replace(/-+/g, '-');
}

const BY_KEY: ReadonlyMap<string, ModelCapabilities> = new Map(
  REGISTRY.flatMap((m) => [m.id, ...m.aliases].map((name) => [modelKey(name), m] as const)),
);

/** Looks a model up by wire id or alias, as people write it (see {@link modelKey}); `undefined` when unknown. */
export function getModel(id: string): ModelCapabilities | undefined {
  if (Object.hasOwn(MODELS, id)) return MODELS[id];
  const key = id.trim().toLowerCase();
  if (Object.hasOwn(MODELS, key)) return MODELS[key];
  return ALIASES.get(key) ?? BY_KEY.get(modelKey(id));
}

/**
 * Like `getModel`, but an unknown id gets a permissive generic capability object carrying that id
 * (common ratios, no resolution, one image, 14 references of 10 MB), so a model newer than this
 * registry still works and the server judges the rest.
 */
export function resolveModel(id: string): ModelCapabilities {
  return (
    getModel(id) ?? {
      id,
      label: id,
      aliases: [],
      aspectRatios: COMMON_RATIOS,
      defaultAspectRatio: '1:1',
      resolutions: [],
      defaultResolution: undefined,
      resolutionField: 'none',
      n: { min: 1, max: 1 },
      maxReferences: 14,
      referenceField: 'image_urls',
      maxReferenceBytes: 10 * MB,
      referenceFormats: JPEG_PNG_WEBP,
      maxPromptLength: undefined,
      endpoint: GENERATIONS,
    }
  );
}

/* -------------------------------------------------------------------------------------------------
 * Lookups
 * -----------------------------------------------------------------------------------------------*/

/** The model's display value for a resolution typed in any case (`'2k'` → `'2K'`), or `undefined`. */
function matchResolution(model: ModelCapabilities, resolution: string): string | undefined {
  const key = resolution.trim().toUpperCase();
  return model.resolutions.find((r) => r.toUpperCase() === key);
}

function matchRatio(model: ModelCapabilities, ratio: string): string | undefined {
  const key = ratio.trim().toLowerCase();
  return model.aspectRatios.find((r) => r.toLowerCase() === key);
}

/**
 * Resolutions the model offers with one ratio (all of them unless `resolutionRatios` restricts some),
 * so a picker can hide 4K for 1:1 on `gpt-image-2-official`.
 */
export function resolutionsForRatio(model: ModelCapabilities, ratio: string): readonly string[] {
  const limits = model.resolutionRatios;
  if (!limits) return model.resolutions;
  return model.resolutions.filter((res) => {
    const ratios = limits[res];
    return ratios === undefined || ratios.includes(ratio);
  });
}

/**
 * Output size in pixels for a ratio and resolution (default resolution when omitted), where the
 * registry knows it; `undefined` otherwise. Gemini 3.1 Flash sizes are estimates.
 */
export function pixelSizeFor(
  model: ModelCapabilities,
  ratio: string,
  resolution?: string,
): readonly [number, number] | undefined {
  const table = model.pixelSizes;
  if (!table) return undefined;
  const res = resolution === undefined ? model.defaultResolution : matchResolution(model, resolution);
  if (res === undefined) return undefined;
  const key = matchRatio(model, ratio) ?? ratio;
  if (!Object.hasOwn(table, key)) return undefined;
  const sizes = table[key];
  return sizes && Object.hasOwn(sizes, res) ? sizes[res] : undefined;
}

/**
 * Landing-page price in USD for `n` images at a resolution (default resolution when omitted), or
 * `undefined` where §6.3 gives no price. Final billing follows the account's pricing.
 */
export function estimatePrice(model: ModelCapabilities, resolution: string | undefined, n: number): number | undefined {
  const prices = model.pricePerImage;
  if (!prices || !Number.isFinite(n) || n < 0) return undefined;
  const res = resolution === undefined ? model.defaultResolution : matchResolution(model, resolution);
  if (res === undefined || !Object.hasOwn(prices, res)) return undefined;
  const each = prices[res] as number;
  // Round away float noise (0.015 * 3 = 0.045000000000000005).
  return Math.round(each * n * 1e6) / 1e6;
}

/* -------------------------------------------------------------------------------------------------
 * Request building
 * -----------------------------------------------------------------------------------------------*/

/** Which user choice an issue is about, so a form can put the message next to it. */
export type GenerationField = 'model' | 'prompt' | 'aspectRatio' | 'resolution' | 'n' | 'references' | 'parameters';

/** One problem with the user's choices, in plain English. */
export interface FieldIssue {
  field: GenerationField;
  code: 'required' | 'too_long' | 'unsupported' | 'out_of_range' | 'too_many' | 'invalid_url' | 'invalid_type' | 'requires';
  message: string;
  /** The limit that was crossed (characters, images, references), when there is one. */
  limit?: number;
  /** For `field: 'parameters'`: the parameter's name. */
  parameter?: string;
  /** Values for the message's placeholders, for label packs; `message` stays the English text. */
  params?: Record<string, string | number>;
}

/** What the user picked; unset values fall back to the model's defaults. */
export interface GenerationChoices {
  /** Wire id or alias; an unknown id is sent as-is with generic limits. */
  model: string;
  prompt: string;
  aspectRatio?: string;
  /** Any case (`'2k'` or `'2K'`); normalised for the model's field. */
  resolution?: string;
  /** @default 1 */
  n?: number;
  /** Uploaded reference URLs (http/https only, §2.1). */
  referenceUrls?: readonly string[];
  /** The model's documented extras (see `ModelCapabilities.params`); each goes to `metadata` or the top level. */
  parameters?: Readonly<ModelParameters>;
  clientBusinessId?: string;
}

/** A ready body for `POST /v1/images/generations`, or every issue found. */
export type BuildResult = { ok: true; request: SubmitRequest } | { ok: false; issues: FieldIssue[] };

const count = (n: number) => n.toLocaleString('en-US');

function joinOr(values: readonly (string | number)[], word: 'or' | 'and'): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} ${word} ${String(values[values.length - 1])}`;
}

interface Resolved {
  model: ModelCapabilities;
  prompt: string;
  ratio: string | undefined;
  resolution: string | undefined;
  n: number;
  refs: string[];
  issues: FieldIssue[];
}

function resolveChoices(choices: GenerationChoices): Resolved {
  const issues: FieldIssue[] = [];
  const modelId = choices.model.trim();
  if (modelId === '') issues.push({ field: 'model', code: 'required', message: 'Choose a model.' });
  const model = resolveModel(modelId);
  const name = model.id || 'This model';

  // Prompt: trimmed; length in characters (code points), as a person counts them.
  const prompt = choices.prompt.trim();
  const length = [...prompt].length;
  if (length === 0) issues.push({ field: 'prompt', code: 'required', message: 'Enter a prompt.' });
  else if (model.maxPromptLength !== undefined && length > model.maxPromptLength) {
    issues.push({
      field: 'prompt',
      code: 'too_long',
      message: `The prompt is ${count(length)} characters; this model accepts at most ${count(model.maxPromptLength)}.`,
      limit: model.maxPromptLength,
    });
  }

  // References.
  const refs = (choices.referenceUrls ?? []).map((url) => url.trim());
  if (refs.length > model.maxReferences) {
    issues.push({
      field: 'references',
      code: 'too_many',
      message:
        model.maxReferences === 0
          ? `${name} does not accept reference images.`
          : `${name} accepts at most ${count(model.maxReferences)} reference images; there are ${count(refs.length)}.`,
      limit: model.maxReferences,
    });
  }
  refs.forEach((url, i) => {
    if (!isHttpUrl(url)) {
      issues.push({
        field: 'references',
        code: 'invalid_url',
        message: `Reference image ${i + 1} is not an http(s) URL; upload it first.`,
      });
    }
  });

  // Aspect ratio.
  let ratio: string | undefined;
  const wantedRatio = choices.aspectRatio?.trim();
  if (wantedRatio) {
    ratio = matchRatio(model, wantedRatio);
    if (ratio === undefined) {
      issues.push({
        field: 'aspectRatio',
        code: 'unsupported',
        message: `${name} does not support the ${wantedRatio} aspect ratio.`,
      });
    }
  } else {
    ratio =
      refs.length > 0 && model.defaultAspectRatioWithReferences
        ? model.defaultAspectRatioWithReferences
        : model.defaultAspectRatio;
  }
  if (ratio !== undefined && refs.length === 0 && model.referenceOnlyRatios?.includes(ratio)) {
    issues.push({
      field: 'aspectRatio',
      code: 'unsupported',
      message: `The ${ratio} aspect ratio needs at least one reference image.`,
    });
  }

  // Resolution.
  let resolution: string | undefined;
  const wantedResolution = choices.resolution?.trim();
  if (wantedResolution) {
    if (model.resolutions.length === 0) {
      issues.push({ field: 'resolution', code: 'unsupported', message: `${name} has no resolution setting.` });
    } else {
      resolution = matchResolution(model, wantedResolution);
      if (resolution === undefined) {
        issues.push({
          field: 'resolution',
          code: 'unsupported',
          message: `${name} does not support the ${wantedResolution.toUpperCase()} resolution; choose ${joinOr(model.resolutions, 'or')}.`,
        });
      }
    }
  } else {
    resolution = model.defaultResolution;
  }
  const onlyWith = resolution !== undefined ? model.resolutionRatios?.[resolution] : undefined;
  if (resolution !== undefined && ratio !== undefined && onlyWith && !onlyWith.includes(ratio)) {
    issues.push({
      field: 'resolution',
      code: 'unsupported',
      message: `${name} supports ${resolution} only for the ${joinOr(onlyWith, 'and')} aspect ratios.`,
    });
  }

  // Number of images.
  const n = choices.n ?? 1;
  const { min, max, allowed } = model.n;
  const nOk = Number.isInteger(n) && n >= min && n <= max && (allowed === undefined || allowed.includes(n));
  if (!nOk) {
    let message: string;
    if (max === 1) message = `${name} makes one image per request.`;
    else if (allowed) message = `${name} can make ${joinOr(allowed, 'or')} images per request.`;
    else message = `${name} can make ${min} to ${max} images per request.`;
    issues.push({ field: 'n', code: 'out_of_range', message, limit: max });
  }

  const together = model.maxReferencesPlusOutputs;
  if (together !== undefined && nOk && refs.length > 0 && refs.length + n > together) {
    issues.push({
      field: 'references',
      code: 'too_many',
      message: `${name} allows at most ${together} reference and output images together; ${refs.length} references and ${n} images make ${refs.length + n}.`,
      limit: together,
    });
  }

  issues.push(...checkParameters(model.params ?? [], name, choices.parameters));

  return { model, prompt, ratio, resolution, n, refs, issues };
}

/** Every issue with the choices (empty when they make a valid request), in form order. */
export function validateGenerationChoices(choices: GenerationChoices): FieldIssue[] {
  return resolveChoices(choices).issues;
}

/**
 * Checks the choices against the model and builds the submit body. `size` and `n` are always sent
 * (§8.9); the resolution goes where the model wants it, in the case it wants (§8.8); references go
 * in the model's field only when there are some. On failure, returns every issue, not just the first.
 */
export function buildGenerationRequest(choices: GenerationChoices): BuildResult {
  const { model, prompt, ratio, resolution, n, refs, issues } = resolveChoices(choices);
  if (issues.length > 0 || ratio === undefined) return { ok: false, issues };

  const request: SubmitRequest = { model: model.id, prompt, size: ratio, n };
  if (refs.length > 0) request[model.referenceField] = refs;
  if (resolution !== undefined) {
    if (model.resolutionField === 'metadata') request.metadata = { resolution: resolution.toUpperCase() };
    else if (model.resolutionField === 'top') request.resolution = resolution.toLowerCase();
  }
  const businessId = choices.clientBusinessId?.trim();
  if (businessId) request.client_business_id = businessId;
  return { ok: true, request: placeParameters(request, model.params ?? [], choices.parameters) };
}

/* -------------------------------------------------------------------------------------------------
 * Model parameters
 * -----------------------------------------------------------------------------------------------*/

/** The documented extras a model takes (wire id or alias); `[]` for unknown models and models without any. */
export function parametersFor(modelId: string): readonly ParameterSpec[] {
  return getModel(modelId)?.params ?? [];
}

/**
 * Every problem with `parameters` for the model: a name it does not take, a value of the wrong type,
 * out of range or not in the list, a broken dependency (`google_image_search` without
 * `google_search: true`). Empty when they can be sent. An unknown model takes none.
 */
export function validateParameters(modelId: string, parameters: Readonly<Record<string, unknown>> | undefined): ParameterIssue[] {
  const model = resolveModel(modelId.trim());
  return checkParameters(model.params ?? [], model.id || 'This model', parameters);
}

/**
 * A copy of `body` with each of the model's parameters in its place: `metadata.<name>` or top-level
 * `<name>` (`metadata` keeps the resolution). Names the model does not take are left out; check
 * with `validateParameters` first.
 */
export function applyParameters(
  body: SubmitRequest,
  modelId: string,
  parameters: Readonly<Record<string, unknown>> | undefined,
): SubmitRequest {
  return placeParameters(body, parametersFor(modelId), parameters);
}
