/**
 * Lookups on one model's capabilities: the resolutions a ratio allows, output pixel sizes,
 * landing-page prices (docs/toapis-api.md §6.1–§6.3) and the documented extras it takes.
 */
import type { SubmitRequest } from '../protocol';
import { checkParameters, placeParameters, type ParameterIssue, type ParameterSpec } from '../parameters';
import { getModel, resolveModel } from './registry';
import type { ModelCapabilities } from './types';

/** The model's display value for a resolution typed in any case (`'2k'` → `'2K'`), or `undefined`. */
export function matchResolution(model: ModelCapabilities, resolution: string): string | undefined {
  const key = resolution.trim().toUpperCase();
  return model.resolutions.find((r) => r.toUpperCase() === key);
}

export function matchRatio(model: ModelCapabilities, ratio: string): string | undefined {
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
