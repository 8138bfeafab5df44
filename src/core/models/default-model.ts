/**
 * The kit's default model, the fallback for ids no registry knows, and how model ids are compared:
 * all a page needs before the whole registry (registry.ts, every model and its prices) has loaded.
 * The store loads the registry on demand (src/store/models.ts); server code imports it directly.
 */
import type { ModelCapabilities } from './types';
import { COMMON_RATIOS, GEMINI_31_RATIOS, GENERATIONS, GOOGLE_SEARCH, JPEG_PNG_WEBP, MB, estimatedPixels } from './data';

/** The kit's default model (`GeneratorProvider.model`; README.md). */
export const DEFAULT_MODEL_ID = 'gemini-3.1-flash-image-preview';

export const DEFAULT_MODEL: ModelCapabilities = /* @__PURE__ */ Object.freeze({
    id: DEFAULT_MODEL_ID,
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
  });

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

/**
 * A permissive generic capability object for an id the registry does not know (common ratios, no
 * resolution, one image, 14 references of 10 MB), so a model newer than the registry still works
 * and the server judges the rest.
 */
export function unknownModel(id: string): ModelCapabilities {
  return {
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
  };
}
