/**
 * The submit body allow-list: per model in the registry (src/core/models.ts), only the fields that
 * the ToAPIs API reference documents for that model (common body fields and model-specific extras)
 * go upstream; everything else (`webhook_url`, `notify_url`, `metadata.callback_url`, `__proto__`,
 * …) is dropped.
 *
 * The scalar extras (`metadata.google_search`, top-level `quality`, …) come from the registry's
 * `params` and are checked with the core's `validateParameters`, the same check the kit runs
 * before it submits. The object-valued extras the registry does not describe (`thinkingConfig`,
 * `safetySettings`, …) and the `response_format` transport choice are listed here and checked with
 * zod (objects keep only their documented keys).
 *
 * The shapes the kit's earlier versions and ToAPIs' own examples use are accepted and moved to the
 * place the model reads them from: a resolution sent top-level or in `metadata` goes to the model's
 * `resolutionField` (upper case in `metadata`, lower case top-level), and reference URLs sent as
 * `image_urls` or `reference_images` go to the model's `referenceField`.
 *
 * A model this registry does not know (admitted through `allowedModels`) keeps the common body
 * fields only.
 */
import * as z from 'zod/mini';
import { getModel, validateParameters, type ModelCapabilities } from '../../src/core/models';
import type { ParameterSpec } from '../../src/core/parameters';
import type { Json } from './context';

type Schema = z.ZodMiniType;
type Fields = Readonly<Record<string, Schema>>;

/** What one model documents beyond its registry `params` and the common fields. */
interface ModelFields {
  top: Fields;
  metadata: Fields;
  /** `mask_url` (inpainting), only where the model lists it. */
  mask: boolean;
}

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

const GEMINI_OFFICIAL: Fields = {
  imageOutputOptions: z.object({
    mimeType: z.optional(z.enum(['image/png', 'image/jpeg', 'image/webp'])),
    compressionQuality: z.optional(int(0, 100)),
  }),
  safetySettings: z.array(z.object({ category: z.string().check(z.maxLength(64)), threshold: z.string().check(z.maxLength(64)) })).check(z.maxLength(16)),
};
const THINKING: Fields = {
  thinkingConfig: z.object({
    thinkingBudget: z.optional(int(0, 24_576)),
    thinkingLevel: z.optional(z.enum(['LOW', 'MEDIUM', 'HIGH', 'MINIMAL'])),
  }),
};
/** `url` only: a base64 answer would not fit the proxy's answer cap and is not what the kit reads. */
const RESPONSE_URL: Fields = { response_format: z.enum(['url']) };
const SEEDREAM_META: Fields = {
  sequential_image_generation_options: z.object({ max_images: z.optional(int(1, 15)) }),
};
const SEEDREAM_4_META: Fields = { ...SEEDREAM_META, optimize_prompt_options: z.object({ mode: z.optional(z.enum(['standard', 'fast'])) }) };

const NONE: ModelFields = { top: {}, metadata: {}, mask: false };

/**
 * Object-valued extras, `response_format` and the mask, by wire id; the scalar extras are the
 * registry's `params`. Models not listed document nothing else.
 */
const MODEL_FIELDS: Readonly<Record<string, ModelFields>> = {
  'gemini-3.1-flash-image-preview-official': { ...NONE, metadata: { ...GEMINI_OFFICIAL, ...THINKING } },
  'gemini-3-pro-image-preview-official': { ...NONE, metadata: { ...GEMINI_OFFICIAL, ...THINKING } },
  'gemini-2.5-flash-image-official': { ...NONE, metadata: GEMINI_OFFICIAL },
  'gpt-4o-image': { ...NONE, mask: true },
  // gpt-image-2's edit mode (the same endpoint with references) documents the mask.
  'gpt-image-2': { top: RESPONSE_URL, metadata: {}, mask: true },
  'gpt-image-2-vip': { top: RESPONSE_URL, metadata: {}, mask: false },
  'gpt-image-2-official': { ...NONE, mask: true },
  'doubao-seedream-4-0': { ...NONE, metadata: SEEDREAM_4_META },
  'doubao-seedream-4-5': { ...NONE, metadata: SEEDREAM_4_META },
  'doubao-seedream-5-0': { ...NONE, metadata: SEEDREAM_META },
  'doubao-seedream-5-0-pro': { ...NONE, metadata: SEEDREAM_META },
};

/** The documented extras of a registry model (for tests and docs): its `params` and the object-valued ones. */
export function documentedFields(modelId: string): { top: string[]; metadata: string[]; mask: boolean } {
  const fields = Object.hasOwn(MODEL_FIELDS, modelId) ? MODEL_FIELDS[modelId]! : NONE;
  const params = getModel(modelId)?.params ?? [];
  return {
    top: [...params.filter((p) => p.in === 'top').map((p) => p.name), ...Object.keys(fields.top)],
    metadata: [...params.filter((p) => p.in === 'metadata').map((p) => p.name), ...Object.keys(fields.metadata)],
    mask: fields.mask,
  };
}

/** Where a parameter is on the wire, as an error's `param` names it (`metadata.google_search`, `quality`). */
export function parameterPath(spec: Pick<ParameterSpec, 'name' | 'in'>): string {
  return spec.in === 'metadata' ? `metadata.${spec.name}` : spec.name;
}

/** The caller's choices after validation, which the builder places. */
export interface CheckedSubmit {
  /** The parsed body (already checked against the core schema). */
  raw: Json;
  /** The wire id for registry models; the caller's id otherwise. */
  modelId: string;
  /** Reference URLs from `image_urls` then `reference_images`. */
  references: readonly string[];
  /** The resolution the caller asked for, from whichever place it was sent, if any. */
  resolution: string | undefined;
}

export type BuildOutcome = { ok: true; body: Json } | { ok: false; message: string; param: string };

/**
 * The upstream body: documented fields only, each in the model's place. The business id and the
 * proxy's own `callback_url` are added by the caller.
 */
export function buildUpstreamBody({ raw, modelId, references, resolution }: CheckedSubmit): BuildOutcome {
  const model = getModel(modelId);
  const body: Json = Object.create(null) as Json;
  body.model = model?.id ?? modelId;
  body.prompt = raw.prompt;
  if (raw.size !== undefined) body.size = raw.size;
  if (raw.n !== undefined) body.n = raw.n;
  const metadata: Json = Object.create(null) as Json;
  const rawMeta: Json = isPlainRecord(raw.metadata) ? raw.metadata : {};

  if (!model) {
    // Not in the registry: the common body fields, as sent.
    for (const field of ['image_urls', 'reference_images', 'mask_url', 'resolution'] as const) {
      if (raw[field] !== undefined) body[field] = raw[field];
    }
    if (typeof rawMeta.resolution === 'string') metadata.resolution = rawMeta.resolution;
  } else {
    if (references.length > 0) body[model.referenceField] = [...references];
    placeResolution(model, resolution, body, metadata);
    const params = placeParams(model, raw, rawMeta, body, metadata);
    if (!params.ok) return params;
    const fields = Object.hasOwn(MODEL_FIELDS, model.id) ? MODEL_FIELDS[model.id]! : NONE;
    // The registry says which models take a mask (`ModelCapabilities.mask`); the table must agree.
    if (model.mask && fields.mask && raw.mask_url !== undefined) body.mask_url = raw.mask_url;
    const top = pick(raw, fields.top, '');
    if (!top.ok) return top;
    Object.assign(body, top.values);
    const meta = pick(rawMeta, fields.metadata, 'metadata.');
    if (!meta.ok) return meta;
    Object.assign(metadata, meta.values);
  }
  if (Object.keys(metadata).length > 0) body.metadata = { ...metadata };
  return { ok: true, body: { ...body } };
}

/**
 * The model's registry `params` found in their place (`metadata.<name>` or top-level), checked with
 * `validateParameters` (type, range, list, dependencies) and copied to the same place upstream.
 * A parameter sent in the other place is not the model's and is dropped like any unknown field.
 */
function placeParams(
  model: ModelCapabilities,
  raw: Json,
  rawMeta: Json,
  body: Json,
  metadata: Json,
): { ok: true } | { ok: false; message: string; param: string } {
  const specs = model.params ?? [];
  const values: Json = {};
  for (const spec of specs) {
    const source = spec.in === 'top' ? raw : rawMeta;
    if (Object.hasOwn(source, spec.name) && source[spec.name] !== undefined) values[spec.name] = source[spec.name];
  }
  const issue = validateParameters(model.id, values)[0];
  if (issue) {
    const spec = specs.find((p) => p.name === issue.parameter);
    return { ok: false, message: issue.message, param: spec ? parameterPath(spec) : issue.parameter };
  }
  for (const spec of specs) {
    if (!Object.hasOwn(values, spec.name)) continue;
    if (spec.in === 'top') body[spec.name] = values[spec.name];
    else metadata[spec.name] = values[spec.name];
  }
  return { ok: true };
}

/** The resolution in the model's field and case; nothing for models without one. */
function placeResolution(model: ModelCapabilities, resolution: string | undefined, body: Json, metadata: Json): void {
  if (resolution === undefined) return;
  const wanted = resolution.trim().toUpperCase();
  const display = model.resolutions.find((r) => r.toUpperCase() === wanted);
  if (display === undefined) return; // validation already refused it
  if (model.resolutionField === 'metadata') metadata.resolution = display.toUpperCase();
  else if (model.resolutionField === 'top') body.resolution = display.toLowerCase();
}

/** The documented fields present in `source`, parsed; the first one of the wrong shape is refused. */
function pick(source: Json, fields: Fields, prefix: string): { ok: true; values: Json } | { ok: false; message: string; param: string } {
  const values: Json = {};
  for (const [name, schema] of Object.entries(fields)) {
    if (!Object.hasOwn(source, name) || source[name] === undefined) continue;
    const parsed = z.safeParse(schema, source[name]);
    if (!parsed.success) return { ok: false, message: `Invalid value for ${prefix}${name}.`, param: `${prefix}${name}` };
    values[name] = parsed.data;
  }
  return { ok: true, values };
}

function isPlainRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
