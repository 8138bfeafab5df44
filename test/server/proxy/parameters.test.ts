/**
 * Model parameters through the proxy: the registry's `params` are the allow-list (per model, in
 * their place), checked with the core's `validateParameters`; another model's parameters are
 * dropped, invalid values are refused with a 400 before anything goes upstream.
 */
import { MODEL_IDS, getModel, parametersFor, type ParameterSpec } from '../../../src/core';
import { documentedFields, parameterPath } from '../../../server/proxy/submitFields';
import { closeHarnesses, harness, json, errorOf, type Harness, type Json } from './harness';

afterEach(closeHarnesses);

async function submit(h: Harness, body: Json): Promise<{ res: Response; sent: Json | undefined }> {
  const res = await h.visitor().send('/v1/images/generations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prompt: 'x', n: 1, ...body }),
  });
  const request = h.upstream.find((r) => r.method === 'POST');
  return { res, sent: request ? ((await request.clone().json()) as Json) : undefined };
}

/** A valid value for a spec, other than its default where there is a choice. */
function sample(spec: ParameterSpec): boolean | number | string {
  switch (spec.type) {
    case 'boolean':
      return !(spec.default ?? false);
    case 'enum':
      return spec.values.find((v) => v !== spec.default) ?? spec.values[0]!;
    default:
      return spec.max;
  }
}

/** Values for every parameter of a model, with each dependency satisfied. */
function allParameters(specs: readonly ParameterSpec[]): Record<string, boolean | number | string> {
  const values: Record<string, boolean | number | string> = {};
  for (const spec of specs) values[spec.name] = sample(spec);
  for (const spec of specs) if (spec.requires) values[spec.requires.name] = spec.requires.value;
  return values;
}

/** Splits parameter values into the body's top level and its metadata, as the model documents them. */
function placed(specs: readonly ParameterSpec[], values: Record<string, unknown>): { top: Json; metadata: Json } {
  const top: Json = {};
  const metadata: Json = {};
  for (const spec of specs) if (Object.hasOwn(values, spec.name)) (spec.in === 'top' ? top : metadata)[spec.name] = values[spec.name];
  return { top, metadata };
}

const WITH_PARAMS = MODEL_IDS.filter((id) => parametersFor(id).length > 0);

describe('registry parameters are the allow-list', () => {
  it('lists every registry parameter as documented for its model', () => {
    for (const id of MODEL_IDS) {
      const docs = documentedFields(id);
      for (const spec of parametersFor(id)) {
        expect(spec.in === 'top' ? docs.top : docs.metadata, `${id} ${spec.name}`).toContain(spec.name);
      }
    }
  });

  it.each(WITH_PARAMS)('%s: every parameter is forwarded in its place', async (id) => {
    const specs = parametersFor(id);
    const values = allParameters(specs);
    const { top, metadata } = placed(specs, values);
    const h = harness();
    const { res, sent } = await submit(h, { model: id, size: getModel(id)!.defaultAspectRatio, ...top, ...(Object.keys(metadata).length > 0 && { metadata }) });
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(top)) expect(sent![name], name).toBe(value);
    for (const [name, value] of Object.entries(metadata)) expect((sent!.metadata as Json)[name], name).toBe(value);
  });

  it('drops another model’s parameters (and parameters sent in the wrong place) like any unknown field', async () => {
    const h = harness();
    const { res, sent } = await submit(h, {
      model: 'gpt-image-2-vip',
      quality: 'low',
      output_format: 'jpeg', // -official only
      output_compression: 50, // -official only
      metadata: { google_search: true, quality: 'high' }, // gemini's; quality belongs at the top level
    });
    expect(res.status).toBe(200);
    const { model, prompt, n, client_business_id, ...rest } = sent!;
    void [model, prompt, n, client_business_id];
    expect(rest).toEqual({ quality: 'low' });
  });

  it('drops gpt parameters for gemini, even invalid ones: only the model’s own are checked', async () => {
    const h = harness();
    const { res, sent } = await submit(h, { model: 'gemini-3.1-flash-image-preview', quality: 'ultra', seed: 'x', metadata: { google_search: true, orientation: 42 } });
    expect(res.status).toBe(200);
    expect(Object.hasOwn(sent!, 'quality')).toBe(false);
    expect(Object.hasOwn(sent!, 'seed')).toBe(false);
    expect(sent!.metadata).toEqual({ google_search: true });
  });
});

describe('invalid values are refused with a 400 and nothing goes upstream', () => {
  it.each<[string, Json, string, RegExp]>([
    ['gemini-3.1-flash-image-preview', { metadata: { google_image_search: true } }, 'metadata.google_image_search', /needs "google_search" set to true/],
    ['gemini-3.1-flash-image-preview', { metadata: { google_search: false, google_image_search: true } }, 'metadata.google_image_search', /needs "google_search"/],
    ['gemini-3.1-flash-image-preview', { metadata: { google_search: 'yes' } }, 'metadata.google_search', /true or false/],
    ['gemini-3-pro-image-preview', { metadata: { orientation: 'square' } }, 'metadata.orientation', /landscape or portrait/],
    ['gpt-image-2-official', { output_compression: 80 }, 'output_compression', /needs "output_format" set to jpeg/],
    ['gpt-image-2-official', { output_format: 'jpeg', output_compression: 101 }, 'output_compression', /between 0 and 100/],
    ['gpt-image-2-official', { output_format: 'webp' }, 'output_format', /png or jpeg/],
    ['flux-kontext-max', { metadata: { safety_tolerance: 2.5 } }, 'metadata.safety_tolerance', /whole number/],
    ['doubao-seedream-5-0-pro', { layer_decomposition: 1 }, 'layer_decomposition', /true or false/],
    ['vidu-image', { seed: -1 }, 'seed', /between 0 and/],
    ['gemini-2.5-flash-image-official', { metadata: { topP: 1.5 } }, 'metadata.topP', /between 0 and 1/],
  ])('%s %j → 400 on %s', async (id, extra, param, message) => {
    const h = harness();
    const { res, sent } = await submit(h, { model: id, ...extra });
    expect(res.status).toBe(400);
    const error = errorOf(await json(res));
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
    expect(sent).toBeUndefined();
    expect(h.upstream).toHaveLength(0);
  });

  it('names the place of each parameter as the error param', () => {
    expect(parameterPath({ name: 'google_search', in: 'metadata' })).toBe('metadata.google_search');
    expect(parameterPath({ name: 'quality', in: 'top' })).toBe('quality');
  });
});
