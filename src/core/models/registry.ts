/**
 * Capability registry of the ToAPIs image models (docs/toapis-api.md §6): every model the kit knows,
 * and the lookups by wire id or alias. Where the docs conflict (§8.10) the registry follows the
 * current page and the server stays the judge.
 */
import type { ModelCapabilities } from './types';
import { DEFAULT_MODEL, DEFAULT_MODEL_ID, modelKey, unknownModel } from './default-model';
import {
  FLUX_2_PIXELS, FLUX_2_RATIOS, FLUX_KONTEXT_PARAMS, FLUX_KONTEXT_RATIOS, GEMINI_25_PIXELS, GEMINI_25_RATIOS,
  GEMINI_31_OFFICIAL_RATIOS, GEMINI_3_PRO_RATIOS, GEMINI_OFFICIAL_PARAMS, GENERATIONS,
  GPT_IMAGE_2_OFFICIAL_4K, GPT_IMAGE_2_OFFICIAL_PIXELS, GPT_IMAGE_2_PIXELS, GPT_IMAGE_2_RATIOS, GPT_OUTPUT, GROK_4_RATIOS,
  GROK_IMAGINE_RATIOS, JPEG_PNG, JPEG_PNG_WEBP, MB, ORIENTATION, SEEDREAM_4_PIXELS, SEEDREAM_5_PIXELS, SEEDREAM_RATIOS,
  VIDU_PARAMS, VIDU_RATIOS, flag, quality, seedreamParams,
} from './data';


export { DEFAULT_MODEL_ID, modelKey };

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
    // A PNG with alpha the first reference's size: gpt-image-2 (edit mode) and -official; -vip states none.
    ...(id !== 'gpt-image-2-vip' && { mask: { format: 'png-alpha' } }),
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
  DEFAULT_MODEL,
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
    mask: { format: 'png-alpha', maxBytes: 4 * MB }, // PNG, ≤ 4 MB, the reference's size
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
  return getModel(id) ?? unknownModel(id);
}
