/**
 * Shared values of the registry: ratio lists, formats, the documented extras per model family and
 * the output pixel tables (docs/toapis-api.md §6.1, §6.2). registry.ts assembles the models from them.
 * The builders are marked side-effect free so a bundle keeps only the tables it uses.
 */
import type { ParameterSpec } from '../parameters';
import type { ImageMimeType } from './types';

export const MB = 1024 * 1024;
export const JPEG_PNG_WEBP: readonly ImageMimeType[] = ['image/jpeg', 'image/png', 'image/webp'];
export const JPEG_PNG: readonly ImageMimeType[] = ['image/jpeg', 'image/png'];
export const GENERATIONS = '/v1/images/generations';

export const GEMINI_31_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '5:4', '4:5', '21:9', '1:4', '4:1', '1:8', '8:1'] as const;
export const GEMINI_31_OFFICIAL_RATIOS = ['1:1', '3:2', '2:3', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '4:1', '8:1'] as const;
export const GEMINI_3_PRO_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
export const GEMINI_25_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'] as const;
export const GPT_IMAGE_2_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'] as const;
export const GPT_IMAGE_2_OFFICIAL_4K = ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'] as const;
export const FLUX_2_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'] as const;
export const FLUX_KONTEXT_RATIOS = ['match_input_image', '1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'] as const;
export const GROK_IMAGINE_RATIOS = ['1:1', '16:9', '9:16', '3:2', '2:3'] as const;
export const GROK_4_RATIOS = ['1:1', '2:3', '3:2', '16:9', '9:16'] as const;
export const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'] as const;
export const VIDU_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'] as const;

/** Ratios offered for a model the registry does not know. */
export const COMMON_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '21:9', '9:21', '2:1', '1:2'] as const;

/* -------------------------------------------------------------------------------------------------
 * Model parameters (the documented extras; names are the wire keys)
 * -----------------------------------------------------------------------------------------------*/

/* @__NO_SIDE_EFFECTS__ */
export const flag = (name: string, where: ParameterSpec['in'], dflt?: boolean): ParameterSpec =>
  ({ name, in: where, type: 'boolean', label: name, ...(dflt !== undefined && { default: dflt }) });
/* @__NO_SIDE_EFFECTS__ */
export const choice = (name: string, where: ParameterSpec['in'], values: readonly string[], dflt?: string, label = name): ParameterSpec =>
  ({ name, in: where, type: 'enum', values, label, ...(dflt !== undefined && { default: dflt }) });
/* @__NO_SIDE_EFFECTS__ */
export const range = (
  name: string,
  where: ParameterSpec['in'],
  type: 'integer' | 'number',
  [min, max, step]: readonly [number, number, number?],
  dflt?: number,
): ParameterSpec =>
  ({ name, in: where, type, min, max, label: name, ...(step !== undefined && { step }), ...(dflt !== undefined && { default: dflt }) });

export const GOOGLE_SEARCH: readonly ParameterSpec[] = [
  flag('google_search', 'metadata', false),
  { ...flag('google_image_search', 'metadata', false), requires: { name: 'google_search', value: true } },
];
export const ORIENTATION: readonly ParameterSpec[] = [choice('orientation', 'metadata', ['landscape', 'portrait'])];
/** Vertex AI pass-through on the `-official` Gemini models (object-valued options stay with the proxy). */
export const GEMINI_OFFICIAL_PARAMS: readonly ParameterSpec[] = [
  range('temperature', 'metadata', 'number', [0, 2, 0.1], 1),
  range('topP', 'metadata', 'number', [0, 1, 0.05], 0.95),
  range('maxOutputTokens', 'metadata', 'integer', [1, 1_000_000], 32_768),
  choice('personGeneration', 'metadata', ['ALLOW_ALL', 'ALLOW_ADULT', 'ALLOW_NONE']),
];
/* @__NO_SIDE_EFFECTS__ */
export const quality = (dflt: string) => choice('quality', 'top', ['low', 'medium', 'high'], dflt);
export const GPT_OUTPUT: readonly ParameterSpec[] = [
  choice('output_format', 'top', ['png', 'jpeg'], 'png'),
  { ...range('output_compression', 'top', 'integer', [0, 100], 100), requires: { name: 'output_format', value: 'jpeg' } },
];
export const FLUX_KONTEXT_PARAMS: readonly ParameterSpec[] = [
  choice('response_format', 'metadata', ['png', 'jpg'], 'png', 'output_format'),
  range('safety_tolerance', 'metadata', 'integer', [0, 6], 2),
  flag('prompt_upsampling', 'metadata', false),
];
/* @__NO_SIDE_EFFECTS__ */
export const seedreamParams = (watermark: boolean): readonly ParameterSpec[] => [
  flag('watermark', 'metadata', watermark),
  choice('sequential_image_generation', 'metadata', ['disabled', 'auto'], 'disabled'),
];
export const VIDU_PARAMS: readonly ParameterSpec[] = [range('seed', 'top', 'integer', [0, 2 ** 31 - 1]), flag('watermark', 'metadata', false)];

export type PixelTable = Record<string, Record<string, readonly [number, number]>>;

/**
 * Builds a pixel table from landscape rows: `[ratio, {res: [w, h]}]`. The portrait ratio (`3:2` → `2:3`)
 * gets the swapped sizes, as §6.2 lists them (`1:1` is its own mirror).
 */
/* @__NO_SIDE_EFFECTS__ */
export function mirrored(rows: ReadonlyArray<readonly [string, Record<string, readonly [number, number]>]>): PixelTable {
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
export const GPT_IMAGE_2_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [2880, 2880] }],
  ['3:2', { '1K': [1536, 1024], '2K': [2048, 1360], '4K': [3520, 2336] }],
  ['4:3', { '1K': [1024, 768], '2K': [2048, 1536], '4K': [3312, 2480] }],
  ['5:4', { '1K': [1280, 1024], '2K': [2560, 2048], '4K': [3216, 2576] }],
  ['16:9', { '1K': [1536, 864], '2K': [2048, 1152], '4K': [3840, 2160] }],
  ['2:1', { '1K': [2048, 1024], '2K': [2688, 1344], '4K': [3840, 1920] }],
  ['21:9', { '1K': [2016, 864], '2K': [2688, 1152], '4K': [3840, 1648] }],
]);

/** `gpt-image-2-official` only renders 4K for the wide and tall ratios (§6.1). */
export const GPT_IMAGE_2_OFFICIAL_PIXELS: PixelTable = Object.fromEntries(
  Object.entries(GPT_IMAGE_2_PIXELS).map(([ratio, sizes]) => {
    if ((GPT_IMAGE_2_OFFICIAL_4K as readonly string[]).includes(ratio)) return [ratio, sizes];
    const { '4K': _dropped, ...rest } = sizes;
    return [ratio, rest];
  }),
);

/** §6.2, Flux 2 (1K / 2K; "portrait ratios swap"). */
export const FLUX_2_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024], '2K': [2048, 2048] }],
  ['4:3', { '1K': [1365, 1024], '2K': [2730, 2048] }],
  ['16:9', { '1K': [1820, 1024], '2K': [3640, 2048] }],
  ['3:2', { '1K': [1536, 1024], '2K': [3072, 2048] }],
]);

/** §6.2, Gemini 2.5 Flash lists landscape sizes only; portrait is assumed to swap, as on Flux. */
export const GEMINI_25_PIXELS = mirrored([
  ['1:1', { '1K': [1024, 1024] }],
  ['16:9', { '1K': [1792, 1024] }],
  ['4:3', { '1K': [1365, 1024] }],
  ['3:2', { '1K': [1536, 1024] }],
]);

/** §6.2, Seedream 4.0 (also used for 4.5, whose page gives no table): only 1:1 and 16:9 are listed. */
export const SEEDREAM_4_PIXELS: PixelTable = {
  '1:1': { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [4096, 4096] },
  '16:9': { '1K': [1280, 720], '2K': [2560, 1440], '4K': [5404, 3040] },
};

/** §6.2, Seedream 5.0 (lite). */
export const SEEDREAM_5_PIXELS: PixelTable = {
  '1:1': { '2K': [2048, 2048], '3K': [3072, 3072] },
  '16:9': { '2K': [2848, 1600], '3K': [4096, 2304] },
};

/**
 * Gemini 3.1 Flash sizes are an ESTIMATE: the docs only say "~512 / ~1024 / ~2048 / ~4096 px".
 * The long side is that value, the short side follows the ratio, both rounded to multiples of 16.
 */
/* @__NO_SIDE_EFFECTS__ */
export function estimatedPixels(ratios: readonly string[], longSides: Readonly<Record<string, number>>): PixelTable {
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
