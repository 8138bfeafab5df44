/**
 * The strict profile's rules (`createSimulator({ profile: 'strict' })`): the bearer key, per-model
 * checks against the model registry (src/core/models.ts), drawn task timelines and `Retry-After`
 * values, and which paths are the public file routes (served without CORS headers).
 */
import { MODELS, type ModelCapabilities } from '../../src/core/models';
import { isRecord } from '../../src/core/util';
import { openAiError } from './responses';
import type { SimSettings } from './settings';

/** The simulator's public file routes, at the end of the pathname (under any prefix). */
const FILE_ROUTE = /\/sim\/(?:uploads\/[^/]+|images\/[^/]+\/[^/]+)$/;
/** API routes: everything under a `/v1/` segment. */
const API_ROUTE = /(?:^|\/)v1\//;

/** Strict task durations: the total is drawn uniformly from this range, in milliseconds. */
const TOTAL_MS = { normal: [5_000, 30_000], long: [60_000, 120_000] } as const;
/** Share of a drawn total spent waiting before `in_progress`. */
const QUEUED_SHARE = 0.2;
/** Strict `Retry-After` range in whole seconds, both ends included. */
const RETRY_AFTER_S = [5, 20] as const;

export function isFileRoute(pathname: string): boolean {
  return FILE_ROUTE.test(pathname);
}

export function isApiRoute(pathname: string): boolean {
  return API_ROUTE.test(pathname) && !isFileRoute(pathname);
}

/** The 401 for a missing, empty or (with `apiKey`) wrong `Authorization: Bearer <key>`; undefined when the key is fine. */
export function checkBearer(request: Request, apiKey: string | undefined): Response | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec(request.headers.get('authorization')?.trim() ?? '');
  const key = match?.[1]?.trim() ?? '';
  if (key !== '' && (apiKey === undefined || key === apiKey)) return undefined;
  return openAiError(401, 'unauthorized', 'authentication_error', 'API key missing or not valid');
}

/** Queued and generating milliseconds of a new task, before the `slow` fault stretches them. */
export function drawTimeline(settings: SimSettings, random: () => number): { queuedMs: number; generatingMs: number } {
  if (settings.profile === 'kind' || (settings.explicitQueuedMs && settings.explicitGeneratingMs)) {
    return { queuedMs: settings.queuedMs, generatingMs: settings.generatingMs };
  }
  const [low, high] = settings.longTasks ? TOTAL_MS.long : TOTAL_MS.normal;
  const total = Math.round(low + random() * (high - low));
  const queued = Math.round(total * QUEUED_SHARE);
  return {
    queuedMs: settings.explicitQueuedMs ? settings.queuedMs : queued,
    generatingMs: settings.explicitGeneratingMs ? settings.generatingMs : total - queued,
  };
}

/** `Retry-After` seconds of one 429: the option, or in the strict profile a draw from 5–20 unless the option was given. */
export function drawRetryAfter(settings: SimSettings, random: () => number): number {
  if (settings.profile === 'kind' || settings.explicitRetryAfter) return settings.retryAfterSeconds;
  const [low, high] = RETRY_AFTER_S;
  return low + Math.floor(random() * (high - low + 1));
}

function invalid(param: string, message: string): Response {
  return openAiError(400, 'invalid_request', 'invalid_request_error', message, param);
}

function list(values: readonly (string | number)[]): string {
  return values.join(', ');
}

/**
 * Checks a submit that passed the common checks (validate.ts) against its model's registry entry:
 * exact model id, `size`, resolution (where the model takes it: `metadata.resolution` or top-level
 * `resolution`, any letter case), `n`, reference count and prompt length. Returns the first 400,
 * or undefined.
 */
export function validateForModel(body: Record<string, unknown>): Response | undefined {
  const id = String(body.model);
  if (!Object.hasOwn(MODELS, id)) return invalid('model', `Unknown model ${id}; use the exact model id`);
  const model = MODELS[id] as ModelCapabilities;

  const refs = countReferences(body);
  const size = typeof body.size === 'string' ? body.size : model.defaultAspectRatio;
  if (!model.aspectRatios.includes(size)) return invalid('size', `Unsupported aspect ratio ${size} for this model`);
  if (refs.count === 0 && model.referenceOnlyRatios?.includes(size)) {
    return invalid('size', `Aspect ratio ${size} needs at least one reference image`);
  }

  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const rawResolution =
    model.resolutionField === 'metadata' ? metadata.resolution : model.resolutionField === 'top' ? body.resolution : undefined;
  if (rawResolution !== undefined) {
    const resolution = typeof rawResolution === 'string' ? model.resolutions.find((r) => r.toLowerCase() === rawResolution.toLowerCase()) : undefined;
    if (resolution === undefined) return invalid('resolution', `Unsupported resolution ${String(rawResolution)} for this model`);
    const onlyWith = model.resolutionRatios?.[resolution];
    if (onlyWith && !onlyWith.includes(size)) {
      return invalid('resolution', `Resolution ${resolution} is only available for aspect ratios ${list(onlyWith)} on this model`);
    }
  }

  const n = body.n === undefined ? 1 : (body.n as number);
  const { min, max, allowed } = model.n;
  if (!Number.isInteger(n) || n < min || n > max || (allowed !== undefined && !allowed.includes(n))) {
    return invalid('n', allowed ? `n must be one of ${list(allowed)} for this model` : `n must be between ${min} and ${max} for this model`);
  }

  if (refs.count > model.maxReferences) {
    return invalid(
      refs.param,
      model.maxReferences === 0
        ? 'This model does not accept reference images'
        : `At most ${model.maxReferences} reference images are allowed for this model`,
    );
  }
  const together = model.maxReferencesPlusOutputs;
  if (together !== undefined && refs.count > 0 && refs.count + n > together) {
    return invalid(refs.param, `Reference images plus requested images may not exceed ${together} for this model`);
  }

  const prompt = String(body.prompt);
  if (model.maxPromptLength !== undefined && [...prompt].length > model.maxPromptLength) {
    return invalid('prompt', `The prompt may have at most ${model.maxPromptLength} characters for this model`);
  }
  return undefined;
}

/** References in `image_urls` and `reference_images` together; the param names the field sent (`image_urls` when both). */
function countReferences(body: Record<string, unknown>): { count: number; param: string } {
  const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  const count = length(body.image_urls) + length(body.reference_images);
  const param = body.image_urls === undefined && body.reference_images !== undefined ? 'reference_images' : 'image_urls';
  return { count, param };
}
