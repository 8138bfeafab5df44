/**
 * The one function that turns a user's choices into a `POST /v1/images/generations` body, reporting
 * every problem at once (docs/toapis-api.md §2, §8.8, §8.9), and the per-field rules it is made of.
 * The proxy (server/proxy/routes/submit.ts) runs the same rules on what reaches it.
 *
 * Each problem is data: a `field`, a `code` and the `params` a label pack turns into text
 * (src/labels/format.ts); `message` is the English fallback.
 */
import type { MessageParams } from '../messages';
import type { SubmitRequest } from '../protocol';
import { checkParameters, placeParameters, type ModelParameters } from '../parameters';
import { isHttpUrl } from '../util/url';
import { matchRatio, matchResolution } from './lookups';
import { resolveModel } from './registry';
import type { ModelCapabilities } from './types';

/** Which user choice an issue is about, so a form can put the message next to it. */
/** `mask`: the inpainting mask (issue 15): its upload failed, or its size is not the first reference's. */
/** `generator`: not a setting — part of the kit itself could not load (a dropped connection), so nothing was sent. */
export type GenerationField = 'model' | 'prompt' | 'aspectRatio' | 'resolution' | 'n' | 'references' | 'parameters' | 'mask' | 'generator';

/**
 * One problem with the user's choices. `field` + `code` name it for a label pack
 * (`labels.messages['prompt.too_long']`), `params` fill it in; `message` is the English text.
 */
export interface FieldIssue {
  field: GenerationField;
  code: 'required' | 'too_long' | 'unsupported' | 'out_of_range' | 'too_many' | 'invalid_url' | 'invalid_type' | 'requires' | 'upload_failed' | 'size_mismatch' | 'load_failed';
  message: string;
  /** The values the message names (lengths, limits, the model, the rejected value). */
  params?: MessageParams;
  /** The limit that was crossed (characters, images, references), when there is one. */
  limit?: number;
  /** For `field: 'parameters'`: the parameter's name. */
  parameter?: string;
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

/** A list as a message parameter (`'1K, 2K'`); packs show it as it is. */
const list = (values: readonly (string | number)[]) => values.join(', ');

/* -------------------------------------------------------------------------------------------------
 * Rules, one per field (also run by the proxy)
 * -----------------------------------------------------------------------------------------------*/

/**
 * The prompt rule: not empty after trimming, and at most `maxLength` characters (code points, as a
 * person counts them) when there is a limit. `limitOf` says whose limit it is, for the English text.
 */
export function checkPrompt(prompt: string, maxLength: number | undefined, limitOf: 'model' | 'service' = 'model'): FieldIssue | undefined {
  const length = [...prompt.trim()].length;
  if (length === 0) return { field: 'prompt', code: 'required', message: 'Enter a prompt.', params: {} };
  if (maxLength === undefined || length <= maxLength) return undefined;
  const whose = limitOf === 'model' ? 'this model accepts at most' : 'the limit is';
  return {
    field: 'prompt',
    code: 'too_long',
    message: `The prompt is ${count(length)} characters; ${whose} ${count(maxLength)}.`,
    params: { length, max: maxLength },
    limit: maxLength,
  };
}

/**
 * The reference count rule: at most `max` references. `model` names who sets the limit (a wire id);
 * without it the limit is the service's own.
 */
export function checkReferenceCount(countNow: number, max: number, model?: string): FieldIssue | undefined {
  if (countNow <= max) return undefined;
  let message: string;
  if (model === undefined) message = `At most ${count(max)} reference images are allowed; there are ${count(countNow)}.`;
  else if (max === 0) message = `${model} does not accept reference images.`;
  else message = `${model} accepts at most ${count(max)} reference images; there are ${count(countNow)}.`;
  return { field: 'references', code: 'too_many', message, params: { ...(model !== undefined && { model }), count: countNow, max }, limit: max };
}

/** The reference URL rule: each one is http(s), i.e. already uploaded (§2.1). `index` counts from 1. */
export function checkReferenceUrls(urls: readonly string[]): FieldIssue[] {
  return urls.flatMap((url, i) =>
    isHttpUrl(url)
      ? []
      : [{ field: 'references', code: 'invalid_url', message: `Reference image ${i + 1} is not an http(s) URL; upload it first.`, params: { index: i + 1 } } satisfies FieldIssue],
  );
}

function checkRatio(model: ModelCapabilities, name: string, wanted: string | undefined, refs: number): { ratio: string | undefined; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let ratio: string | undefined;
  if (wanted) {
    ratio = matchRatio(model, wanted);
    if (ratio === undefined) {
      issues.push({ field: 'aspectRatio', code: 'unsupported', message: `${name} does not support the ${wanted} aspect ratio.`, params: { model: name, ratio: wanted } });
    }
  } else {
    ratio = refs > 0 && model.defaultAspectRatioWithReferences ? model.defaultAspectRatioWithReferences : model.defaultAspectRatio;
  }
  if (ratio !== undefined && refs === 0 && model.referenceOnlyRatios?.includes(ratio)) {
    issues.push({
      field: 'aspectRatio',
      code: 'unsupported',
      message: `The ${ratio} aspect ratio needs at least one reference image.`,
      params: { model: name, ratio, minReferences: 1 },
    });
  }
  return { ratio, issues };
}

function checkResolution(
  model: ModelCapabilities,
  name: string,
  wanted: string | undefined,
  ratio: string | undefined,
): { resolution: string | undefined; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  let resolution: string | undefined;
  if (!wanted) resolution = model.defaultResolution;
  else if (model.resolutions.length === 0) {
    issues.push({ field: 'resolution', code: 'unsupported', message: `${name} has no resolution setting.`, params: { model: name, resolution: wanted.toUpperCase() } });
  } else {
    resolution = matchResolution(model, wanted);
    if (resolution === undefined) {
      issues.push({
        field: 'resolution',
        code: 'unsupported',
        message: `${name} does not support the ${wanted.toUpperCase()} resolution; choose ${joinOr(model.resolutions, 'or')}.`,
        params: { model: name, resolution: wanted.toUpperCase(), allowed: list(model.resolutions) },
      });
    }
  }
  const onlyWith = resolution !== undefined ? model.resolutionRatios?.[resolution] : undefined;
  if (resolution !== undefined && ratio !== undefined && onlyWith && !onlyWith.includes(ratio)) {
    issues.push({
      field: 'resolution',
      code: 'unsupported',
      message: `${name} supports ${resolution} only for the ${joinOr(onlyWith, 'and')} aspect ratios.`,
      params: { model: name, resolution, ratio, ratios: list(onlyWith) },
    });
  }
  return { resolution, issues };
}

/** The image count rule: a whole number in the model's range (and list, where it has gaps). */
function checkCount(model: ModelCapabilities, name: string, n: number): FieldIssue | undefined {
  const { min, max, allowed } = model.n;
  if (Number.isInteger(n) && n >= min && n <= max && (allowed === undefined || allowed.includes(n))) return undefined;
  let message: string;
  if (max === 1) message = `${name} makes one image per request.`;
  else if (allowed) message = `${name} can make ${joinOr(allowed, 'or')} images per request.`;
  else message = `${name} can make ${min} to ${max} images per request.`;
  const params: MessageParams = { model: name, n, min, max, ...(allowed && { allowed: list(allowed) }) };
  return { field: 'n', code: 'out_of_range', message, params, limit: max };
}

/** References plus requested images may not exceed the model's shared cap (Seedream: 15). */
function checkTogether(model: ModelCapabilities, name: string, refs: number, n: number): FieldIssue | undefined {
  const together = model.maxReferencesPlusOutputs;
  if (together === undefined || refs === 0 || refs + n <= together) return undefined;
  return {
    field: 'references',
    code: 'too_many',
    message: `${name} allows at most ${together} reference and output images together; ${refs} references and ${n} images make ${refs + n}.`,
    params: { model: name, count: refs, n, total: refs + n, max: together },
    limit: together,
  };
}

/* -------------------------------------------------------------------------------------------------
 * Request building
 * -----------------------------------------------------------------------------------------------*/

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
  if (modelId === '') issues.push({ field: 'model', code: 'required', message: 'Choose a model.', params: {} });
  const model = resolveModel(modelId);
  const name = model.id || 'This model';

  const prompt = choices.prompt.trim();
  const promptIssue = checkPrompt(prompt, model.maxPromptLength);
  if (promptIssue) issues.push(promptIssue);

  const refs = (choices.referenceUrls ?? []).map((url) => url.trim());
  const countIssue = checkReferenceCount(refs.length, model.maxReferences, name);
  if (countIssue) issues.push(countIssue);
  issues.push(...checkReferenceUrls(refs));

  const { ratio, issues: ratioIssues } = checkRatio(model, name, choices.aspectRatio?.trim(), refs.length);
  const { resolution, issues: resolutionIssues } = checkResolution(model, name, choices.resolution?.trim(), ratio);
  issues.push(...ratioIssues, ...resolutionIssues);

  const n = choices.n ?? 1;
  const nIssue = checkCount(model, name, n);
  if (nIssue) issues.push(nIssue);
  else {
    const togetherIssue = checkTogether(model, name, refs.length, n);
    if (togetherIssue) issues.push(togetherIssue);
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
