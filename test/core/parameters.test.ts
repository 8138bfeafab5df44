/** Model parameters: the registry's data, `validateParameters` and `applyParameters`, and the request builder. */
import {
  MODELS,
  applyParameters,
  buildGenerationRequest,
  parametersFor,
  validateParameters,
  type ModelParameters,
  type ParameterSpec,
} from '../../src/core';
import { isValidParameterValue } from '../../src/core/parameters';

const spec = (model: string, name: string): ParameterSpec => {
  const found = parametersFor(model).find((p) => p.name === name);
  if (!found) throw new Error(`${model} has no ${name}`);
  return found;
};
const codes = (model: string, parameters: Record<string, unknown>) => validateParameters(model, parameters).map((i) => [i.parameter, i.code]);

describe('registry data', () => {
  it('lists the documented extras with their place, type, range and default', () => {
    expect(spec('gemini-3.1-flash-image-preview', 'google_search')).toMatchObject({ in: 'metadata', type: 'boolean', default: false });
    expect(spec('gemini-3.1-flash-image-preview', 'google_image_search')).toMatchObject({
      in: 'metadata',
      type: 'boolean',
      requires: { name: 'google_search', value: true },
    });
    for (const id of ['gemini-3-pro-image-preview', 'gemini-2.5-flash-image-preview']) {
      expect(spec(id, 'orientation')).toMatchObject({ in: 'metadata', type: 'enum', values: ['landscape', 'portrait'] });
    }
    expect(spec('gpt-image-2-vip', 'quality')).toMatchObject({ in: 'top', type: 'enum', values: ['low', 'medium', 'high'], default: 'medium' });
    expect(spec('gpt-image-2-official', 'quality')).toMatchObject({ in: 'top', default: 'high' });
    expect(spec('gpt-image-2-official', 'output_format')).toMatchObject({ in: 'top', type: 'enum', values: ['png', 'jpeg'], default: 'png' });
    expect(spec('gpt-image-2-official', 'output_compression')).toMatchObject({
      in: 'top',
      type: 'integer',
      min: 0,
      max: 100,
      requires: { name: 'output_format', value: 'jpeg' },
    });
    for (const id of ['flux-kontext-pro', 'flux-kontext-max']) {
      expect(spec(id, 'response_format')).toMatchObject({ in: 'metadata', type: 'enum', values: ['png', 'jpg'], default: 'png' });
      expect(spec(id, 'safety_tolerance')).toMatchObject({ in: 'metadata', type: 'integer', min: 0, max: 6, default: 2 });
      expect(spec(id, 'prompt_upsampling')).toMatchObject({ in: 'metadata', type: 'boolean', default: false });
    }
    expect(spec('doubao-seedream-4-0', 'watermark')).toMatchObject({ in: 'metadata', type: 'boolean', default: true });
    expect(spec('doubao-seedream-5-0', 'watermark')).toMatchObject({ default: false });
    expect(spec('doubao-seedream-5-0-pro', 'layer_decomposition')).toMatchObject({ in: 'top', type: 'boolean', default: false });
    expect(spec('vidu-image', 'seed')).toMatchObject({ in: 'top', type: 'integer' });
    expect(spec('vidu-image', 'watermark')).toMatchObject({ in: 'metadata', type: 'boolean', default: false });
    for (const id of ['gemini-3.1-flash-image-preview-official', 'gemini-3-pro-image-preview-official', 'gemini-2.5-flash-image-official']) {
      expect(spec(id, 'temperature')).toMatchObject({ in: 'metadata', type: 'number', min: 0, max: 2 });
      expect(spec(id, 'topP')).toMatchObject({ in: 'metadata', type: 'number', min: 0, max: 1 });
    }
  });

  it('gives models without documented extras none, and unknown models none', () => {
    for (const id of ['gpt-4o-image', 'flux-2-pro', 'grok-4-1-image', 'grok-imagine-1.0']) expect(parametersFor(id)).toEqual([]);
    expect(parametersFor('brand-new-model')).toEqual([]);
    expect(parametersFor('nano-banana-2').map((p) => p.name)).toEqual(['google_search', 'google_image_search']); // aliases resolve
  });

  it('is consistent: unique names per model, defaults valid, dependencies point at a parameter of the same model', () => {
    for (const model of Object.values(MODELS)) {
      const params = model.params ?? [];
      expect(new Set(params.map((p) => p.name)).size, model.id).toBe(params.length);
      for (const p of params) {
        expect(p.label, `${model.id} ${p.name}`).toBeTruthy();
        if (p.default !== undefined) expect(isValidParameterValue(p, p.default), `${model.id} ${p.name} default`).toBe(true);
        if (p.type === 'integer' || p.type === 'number') expect(p.min).toBeLessThanOrEqual(p.max);
        if (p.requires) {
          const other = params.find((q) => q.name === p.requires!.name);
          expect(other, `${model.id} ${p.name} requires`).toBeDefined();
          expect(isValidParameterValue(other!, p.requires.value)).toBe(true);
        }
        // Reserved body fields are never parameters.
        expect(['model', 'prompt', 'size', 'n', 'resolution', 'image_urls', 'reference_images', 'metadata', 'client_business_id']).not.toContain(p.name);
      }
    }
  });
});

describe('validateParameters', () => {
  it('accepts valid values of every type (and an empty or missing set)', () => {
    expect(validateParameters('gemini-3.1-flash-image-preview', { google_search: true, google_image_search: true })).toEqual([]);
    expect(validateParameters('gemini-3-pro-image-preview', { orientation: 'portrait' })).toEqual([]);
    expect(validateParameters('gpt-image-2-official', { quality: 'low', output_format: 'jpeg', output_compression: 0 })).toEqual([]);
    expect(validateParameters('gpt-image-2-official', { output_format: 'jpeg', output_compression: 100 })).toEqual([]);
    expect(validateParameters('flux-kontext-pro', { safety_tolerance: 6, response_format: 'jpg', prompt_upsampling: false })).toEqual([]);
    expect(validateParameters('gemini-3-pro-image-preview-official', { temperature: 1.5, topP: 0 })).toEqual([]);
    expect(validateParameters('vidu-image', { seed: 0, watermark: true })).toEqual([]);
    expect(validateParameters('gemini-3.1-flash-image-preview', {})).toEqual([]);
    expect(validateParameters('gemini-3.1-flash-image-preview', undefined)).toEqual([]);
    expect(validateParameters('gemini-3.1-flash-image-preview', { google_search: undefined })).toEqual([]);
  });

  it('refuses a name the model does not take, naming the model', () => {
    const issues = validateParameters('gemini-3.1-flash-image-preview', { quality: 'high' });
    expect(issues).toEqual([
      expect.objectContaining({ field: 'parameters', code: 'unsupported', parameter: 'quality', message: expect.stringContaining('gemini-3.1-flash-image-preview') }),
    ]);
    expect(codes('gpt-image-2-vip', { output_format: 'png' })).toEqual([['output_format', 'unsupported']]);
    expect(codes('brand-new-model', { google_search: true })).toEqual([['google_search', 'unsupported']]);
  });

  it('checks booleans', () => {
    expect(codes('gemini-3.1-flash-image-preview', { google_search: 'true' })).toEqual([['google_search', 'invalid_type']]);
    expect(codes('gemini-3.1-flash-image-preview', { google_search: 1 })).toEqual([['google_search', 'invalid_type']]);
    expect(validateParameters('doubao-seedream-4-0', { watermark: 'no' })[0]!.message).toBe('"watermark" must be true or false.');
  });

  it('checks enums: type and list, case-sensitive', () => {
    expect(codes('gemini-3-pro-image-preview', { orientation: 'square' })).toEqual([['orientation', 'unsupported']]);
    expect(codes('gemini-3-pro-image-preview', { orientation: 'Portrait' })).toEqual([['orientation', 'unsupported']]);
    expect(codes('gpt-image-2-vip', { quality: 2 })).toEqual([['quality', 'invalid_type']]);
    expect(validateParameters('gpt-image-2-vip', { quality: 'ultra' })[0]!.message).toBe('"quality" must be low, medium or high; "ultra" is not one of them.');
  });

  it('checks integers and numbers: type, whole numbers, range with its limit', () => {
    expect(codes('flux-kontext-pro', { safety_tolerance: 2.5 })).toEqual([['safety_tolerance', 'invalid_type']]);
    expect(codes('flux-kontext-pro', { safety_tolerance: '3' })).toEqual([['safety_tolerance', 'invalid_type']]);
    expect(codes('vidu-image', { seed: Number.NaN })).toEqual([['seed', 'invalid_type']]);
    expect(codes('vidu-image', { seed: Number.POSITIVE_INFINITY })).toEqual([['seed', 'invalid_type']]);
    expect(validateParameters('flux-kontext-pro', { safety_tolerance: 7 })).toEqual([
      expect.objectContaining({ parameter: 'safety_tolerance', code: 'out_of_range', limit: 6, message: '"safety_tolerance" must be between 0 and 6; it is 7.' }),
    ]);
    expect(validateParameters('vidu-image', { seed: -1 })).toEqual([expect.objectContaining({ code: 'out_of_range', limit: 0 })]);
    expect(codes('gemini-3.1-flash-image-preview-official', { temperature: 2.01, topP: -0.1 })).toEqual([
      ['temperature', 'out_of_range'],
      ['topP', 'out_of_range'],
    ]);
    expect(validateParameters('gemini-3.1-flash-image-preview-official', { temperature: 0.7 })).toEqual([]); // numbers need not be whole
  });

  it('google_image_search only together with google_search: true', () => {
    const broken = validateParameters('gemini-3.1-flash-image-preview', { google_image_search: true });
    expect(broken).toEqual([
      expect.objectContaining({ parameter: 'google_image_search', code: 'requires', message: '"google_image_search" needs "google_search" set to true.' }),
    ]);
    expect(codes('gemini-3.1-flash-image-preview', { google_search: false, google_image_search: true })).toEqual([['google_image_search', 'requires']]);
    // Off is always fine; on with search on is fine.
    expect(validateParameters('gemini-3.1-flash-image-preview', { google_image_search: false })).toEqual([]);
    expect(validateParameters('gemini-3.1-flash-image-preview', { google_search: true, google_image_search: true })).toEqual([]);
  });

  it('output_compression only with output_format jpeg (the default png counts)', () => {
    expect(codes('gpt-image-2-official', { output_compression: 80 })).toEqual([['output_compression', 'requires']]);
    expect(codes('gpt-image-2-official', { output_format: 'png', output_compression: 80 })).toEqual([['output_compression', 'requires']]);
    expect(validateParameters('gpt-image-2-official', { output_format: 'jpeg', output_compression: 80 })).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(codes('gpt-image-2-official', { quality: 'ultra', output_compression: 101, google_search: true })).toEqual([
      ['quality', 'unsupported'],
      ['output_compression', 'out_of_range'],
      ['google_search', 'unsupported'],
    ]);
  });
});

describe('applyParameters', () => {
  it('puts gemini parameters in metadata next to the resolution, without touching the input', () => {
    const body = { model: 'gemini-3.1-flash-image-preview', prompt: 'x', size: '1:1', n: 1, metadata: { resolution: '2K' } };
    const out = applyParameters(body, 'gemini-3.1-flash-image-preview', { google_search: true, google_image_search: false });
    expect(out).toEqual({ ...body, metadata: { resolution: '2K', google_search: true, google_image_search: false } });
    expect(body.metadata).toEqual({ resolution: '2K' });
    expect(Object.hasOwn(out, 'google_search')).toBe(false);
  });

  it('puts gpt-image-2-official parameters at the top level and adds no metadata', () => {
    const body = { model: 'gpt-image-2-official', prompt: 'x', size: '16:9', n: 1, resolution: '2k' };
    const out = applyParameters(body, 'gpt-image-2-official', { quality: 'high', output_format: 'jpeg', output_compression: 70 });
    expect(out).toEqual({ ...body, quality: 'high', output_format: 'jpeg', output_compression: 70 });
    expect(Object.hasOwn(out, 'metadata')).toBe(false);
  });

  it('places mixed parameters (Seedream 5.0 Pro, Vidu) each where it belongs', () => {
    const body = { model: 'doubao-seedream-5-0-pro', prompt: 'x' };
    expect(applyParameters(body, 'doubao-seedream-5-0-pro', { layer_decomposition: true, watermark: false })).toEqual({
      ...body,
      layer_decomposition: true,
      metadata: { watermark: false },
    });
    expect(applyParameters({ model: 'vidu-image', prompt: 'x' }, 'vidu-image', { seed: 42, watermark: true })).toEqual({
      model: 'vidu-image',
      prompt: 'x',
      seed: 42,
      metadata: { watermark: true },
    });
  });

  it('leaves out names the model does not take and unset values', () => {
    const body = { model: 'gpt-image-2-vip', prompt: 'x' };
    const params: Record<string, unknown> = { quality: 'low', google_search: true, output_format: 'jpeg' };
    expect(applyParameters(body, 'gpt-image-2-vip', params)).toEqual({ ...body, quality: 'low' });
    expect(applyParameters(body, 'gpt-image-2-vip', { quality: undefined } as unknown as ModelParameters)).toEqual(body);
    expect(applyParameters(body, 'brand-new-model', { quality: 'low' })).toEqual(body);
  });
});

describe('buildGenerationRequest with parameters', () => {
  it('places them in the body (metadata for gemini, top-level for gpt-image-2-official)', () => {
    const gemini = buildGenerationRequest({ model: 'gemini-3.1-flash-image-preview', prompt: 'x', resolution: '2K', parameters: { google_search: true } });
    expect(gemini).toEqual({
      ok: true,
      request: { model: 'gemini-3.1-flash-image-preview', prompt: 'x', size: '1:1', n: 1, metadata: { resolution: '2K', google_search: true } },
    });
    const gpt = buildGenerationRequest({ model: 'gpt-image-2-official', prompt: 'x', parameters: { quality: 'medium', output_format: 'jpeg', output_compression: 50 } });
    expect(gpt).toEqual({
      ok: true,
      request: { model: 'gpt-image-2-official', prompt: 'x', size: '1:1', n: 1, resolution: '1k', quality: 'medium', output_format: 'jpeg', output_compression: 50 },
    });
  });

  it('refuses invalid parameters with the other issues, field "parameters"', () => {
    const built = buildGenerationRequest({ model: 'gemini-3.1-flash-image-preview', prompt: '', parameters: { google_image_search: true } });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.issues.map((i) => [i.field, i.code, i.parameter])).toEqual([
      ['prompt', 'required', undefined],
      ['parameters', 'requires', 'google_image_search'],
    ]);
  });
});
