/**
 * Capability registry of the ToAPIs image models (docs/toapis-api.md §6) and the one function that
 * turns a user's choices into a `POST /v1/images/generations` body, reporting every problem at once.
 *
 * The registry is data: components read ratios, resolutions, `n` and reference limits from it, and
 * `buildGenerationRequest` checks a request against it before anything leaves the browser. Where
 * the docs conflict (§8.10) the registry follows the current page and the server stays the judge.
 *
 * This file is the public face; the parts live in ./models/: the shape (types.ts), the data
 * (data.ts, registry.ts), lookups (lookups.ts) and request building and its rules (request.ts).
 */
export type { ImageMimeType, MaskRules, ModelCapabilities } from './models/types';
export { DEFAULT_MODEL_ID, MODELS, MODEL_IDS, getModel, modelKey, resolveModel } from './models/registry';
export { applyParameters, estimatePrice, parametersFor, pixelSizeFor, resolutionsForRatio, validateParameters } from './models/lookups';
export {
  buildGenerationRequest,
  checkPrompt,
  checkReferenceCount,
  checkReferenceUrls,
  validateGenerationChoices,
  type BuildResult,
  type FieldIssue,
  type GenerationChoices,
  type GenerationField,
} from './models/request';
