import {
  DEFAULT_MODEL_ID,
  MODELS,
  MODEL_IDS,
  buildGenerationRequest,
  estimatePrice,
  getModel,
  modelKey,
  pixelSizeFor,
  resolutionsForRatio,
  resolveModel,
  validateGenerationChoices,
  type FieldIssue,
  type GenerationChoices,
  type ModelCapabilities,
} from '../../src/core/models';
import { SubmitRequestSchema } from '../../src/core/protocol';
import { en } from '../../src/labels/en';
import { formatMessage } from '../../src/labels/format';

const MB = 1024 * 1024;

/* -------------------------------------------------------------------------------------------------
 * Registry vs. docs/toapis-api.md §6.1
 * -----------------------------------------------------------------------------------------------*/

const GEMINI_3_PRO = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const GPT2 = ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'];
const FLUX2 = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'];
const KONTEXT = ['match_input_image', '1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'];
const SEEDREAM = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9', '9:21'];
const VIDU = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3'];

interface Expected {
  ratios: string[];
  defaultRatio: string;
  res: string[];
  defRes?: string;
  field: ModelCapabilities['resolutionField'];
  n: ModelCapabilities['n'];
  refs: number;
  refField?: ModelCapabilities['referenceField'];
  prompt?: number;
}

const EXPECTED: Record<string, Expected> = {
  'gemini-3.1-flash-image-preview': {
    ratios: ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '5:4', '4:5', '21:9', '1:4', '4:1', '1:8', '8:1'],
    defaultRatio: '1:1', res: ['0.5K', '1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 4 }, refs: 14,
  },
  'gemini-3.1-flash-image-preview-official': {
    ratios: ['1:1', '3:2', '2:3', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '4:1', '8:1'],
    defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 14,
  },
  'gemini-3-pro-image-preview': { ratios: GEMINI_3_PRO, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 14 },
  'gemini-3-pro-image-preview-official': { ratios: GEMINI_3_PRO, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 14 },
  'gemini-2.5-flash-image-preview': {
    ratios: ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3'], defaultRatio: '1:1', res: ['1K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 14, prompt: 1000,
  },
  'gemini-2.5-flash-image-official': { ratios: GEMINI_3_PRO, defaultRatio: '1:1', res: [], field: 'none', n: { min: 1, max: 1 }, refs: 3 },
  'gpt-4o-image': { ratios: ['1:1', '2:3', '3:2'], defaultRatio: '1:1', res: [], field: 'none', n: { min: 1, max: 4, allowed: [1, 2, 4] }, refs: 5, prompt: 1000 },
  'gpt-image-2': { ratios: GPT2, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'top', n: { min: 1, max: 10 }, refs: 16, refField: 'reference_images', prompt: 32000 },
  'gpt-image-2-vip': { ratios: GPT2, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'top', n: { min: 1, max: 10 }, refs: 16, refField: 'reference_images', prompt: 32000 },
  'gpt-image-2-official': { ratios: [...GPT2, 'auto'], defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'top', n: { min: 1, max: 10 }, refs: 16, refField: 'reference_images', prompt: 32000 },
  'flux-2-flex': { ratios: FLUX2, defaultRatio: '1:1', res: ['1K', '2K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 8 },
  'flux-2-pro': { ratios: FLUX2, defaultRatio: '1:1', res: ['1K', '2K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 8 },
  'flux-kontext-pro': { ratios: KONTEXT, defaultRatio: '16:9', res: [], field: 'none', n: { min: 1, max: 1 }, refs: 1 },
  'flux-kontext-max': { ratios: KONTEXT, defaultRatio: '16:9', res: [], field: 'none', n: { min: 1, max: 1 }, refs: 1 },
  'grok-imagine-1.0': { ratios: ['1:1', '16:9', '9:16', '3:2', '2:3'], defaultRatio: '1:1', res: [], field: 'none', n: { min: 1, max: 10 }, refs: 0 },
  'grok-4-1-image': { ratios: ['1:1', '2:3', '3:2', '16:9', '9:16'], defaultRatio: '1:1', res: [], field: 'none', n: { min: 1, max: 4, allowed: [1, 2, 4] }, refs: 5, prompt: 1000 },
  'grok-4-2-image': { ratios: ['1:1', '2:3', '3:2', '16:9', '9:16'], defaultRatio: '1:1', res: [], field: 'none', n: { min: 1, max: 4, allowed: [1, 2, 4] }, refs: 5, prompt: 1000 },
  'doubao-seedream-4-0': { ratios: [...SEEDREAM, 'auto'], defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '2K', field: 'metadata', n: { min: 1, max: 15 }, refs: 10, prompt: 1000 },
  'doubao-seedream-4-5': { ratios: SEEDREAM, defaultRatio: '1:1', res: ['2K', '4K'], defRes: '2K', field: 'metadata', n: { min: 1, max: 15 }, refs: 10 },
  'doubao-seedream-5-0': { ratios: SEEDREAM, defaultRatio: '1:1', res: ['2K', '3K'], defRes: '2K', field: 'metadata', n: { min: 1, max: 15 }, refs: 10 },
  'doubao-seedream-5-0-pro': { ratios: SEEDREAM, defaultRatio: '1:1', res: ['1K', '2K'], defRes: '2K', field: 'metadata', n: { min: 1, max: 10 }, refs: 10 },
  'vidu-image': { ratios: VIDU, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 7 },
  'viduq3-fast': { ratios: VIDU, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 7 },
  'viduq2-pro': { ratios: VIDU, defaultRatio: '1:1', res: ['1K', '2K', '4K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 7 },
  'viduq2-fast': { ratios: VIDU, defaultRatio: '1:1', res: ['1K'], defRes: '1K', field: 'metadata', n: { min: 1, max: 1 }, refs: 7 },
};

describe('model registry', () => {
  it('registers exactly the §6.1 models, default first', () => {
    expect([...MODEL_IDS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(MODEL_IDS[0]).toBe(DEFAULT_MODEL_ID);
    expect(DEFAULT_MODEL_ID).toBe('gemini-3.1-flash-image-preview');
    expect(Object.keys(MODELS)).toEqual([...MODEL_IDS]);
  });

  it.each(Object.entries(EXPECTED))('%s matches the documented capabilities', (id, want) => {
    const m = MODELS[id] as ModelCapabilities;
    expect(m.id).toBe(id);
    expect(m.label.length).toBeGreaterThan(0);
    expect([...m.aspectRatios]).toEqual(want.ratios);
    expect(m.defaultAspectRatio).toBe(want.defaultRatio);
    expect(m.aspectRatios).toContain(m.defaultAspectRatio);
    expect([...m.resolutions]).toEqual(want.res);
    expect(m.defaultResolution).toBe(want.defRes);
    expect(m.resolutionField).toBe(want.field);
    expect(m.n).toEqual(want.n);
    expect(m.maxReferences).toBe(want.refs);
    expect(m.referenceField).toBe(want.refField ?? 'image_urls');
    expect(m.maxPromptLength).toBe(want.prompt);
    expect(m.endpoint).toBe('/v1/images/generations');
    expect(m.maxReferenceBytes).toBe(id === 'gpt-image-2' ? 50 * MB : 10 * MB);
    // Resolutions are upper-case display values; a model with none has no field.
    for (const r of m.resolutions) expect(r).toBe(r.toUpperCase());
    expect(m.resolutions.length === 0).toBe(m.resolutionField === 'none');
  });

  it('keeps Seedream and gpt-image-2 reference formats narrower (JPEG/PNG) and others JPEG/PNG/WebP', () => {
    expect(MODELS['doubao-seedream-4-0']?.referenceFormats).toEqual(['image/jpeg', 'image/png']);
    expect(MODELS['gpt-image-2']?.referenceFormats).toEqual(['image/jpeg', 'image/png']);
    expect(MODELS['gemini-3.1-flash-image-preview']?.referenceFormats).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    for (const m of Object.values(MODELS)) expect(m.referenceFormats).not.toContain('image/gif');
  });

  it('limits Seedream references plus outputs to 15 and no one else', () => {
    for (const m of Object.values(MODELS)) {
      expect(m.maxReferencesPlusOutputs).toBe(m.id.startsWith('doubao-seedream') ? 15 : undefined);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(MODELS)).toBe(true);
    expect(Object.isFrozen(MODELS[DEFAULT_MODEL_ID])).toBe(true);
  });

  it('the default model offers 14 ratios incl. the extreme ones and 0.5K–4K', () => {
    const m = MODELS[DEFAULT_MODEL_ID] as ModelCapabilities;
    expect(m.aspectRatios).toHaveLength(14);
    for (const r of ['1:4', '4:1', '1:8', '8:1']) expect(m.aspectRatios).toContain(r);
    expect(m.resolutions).toEqual(['0.5K', '1K', '2K', '4K']);
  });
});

describe('model ids as people write them', () => {
  it.each([
    ['gemini-3-1-flash-image-preview', 'gemini-3.1-flash-image-preview'], // the seed's spelling
    ['Gemini 3.1 Flash Image Preview', 'gemini-3.1-flash-image-preview'],
    ['GEMINI_3_1_FLASH_IMAGE_PREVIEW', 'gemini-3.1-flash-image-preview'],
    [' gemini-3.1-flash-image-preview ', 'gemini-3.1-flash-image-preview'],
    ['gemini-2-5-flash-image-preview', 'gemini-2.5-flash-image-preview'],
    ['gpt_image_2', 'gpt-image-2'],
    ['Nano Banana Pro', 'gemini-3-pro-image-preview'],
  ])('%s resolves to %s', (written, id) => {
    expect(getModel(written)?.id).toBe(id);
    expect(resolveModel(written).id).toBe(id);
  });

  it('no two registry entries share a normalised id (the table is unambiguous)', () => {
    const seen = new Map<string, string>();
    for (const id of MODEL_IDS) {
      const m = getModel(id)!;
      for (const name of [m.id, ...m.aliases]) {
        const key = modelKey(name);
        expect([name, seen.get(key) ?? m.id]).toEqual([name, m.id]);
        seen.set(key, m.id);
      }
    }
  });

  it('an unknown id stays unknown (no fuzzy guessing)', () => {
    expect(getModel('gemini-3.2-flash-image-preview')).toBeUndefined();
    expect(getModel('gemini')).toBeUndefined();
  });
});

describe('getModel / resolveModel', () => {
  it('resolves ids and aliases, case-insensitively', () => {
    expect(getModel('gpt-image-2')?.id).toBe('gpt-image-2');
    expect(getModel('nano-banana-pro')?.id).toBe('gemini-3-pro-image-preview');
    expect(getModel('nano-banana-2')?.id).toBe('gemini-3.1-flash-image-preview');
    expect(getModel('nano_banana_2')?.id).toBe('gemini-3.1-flash-image-preview');
    expect(getModel('nano-banana-2-lite-official')?.id).toBe('gemini-3.1-flash-image-preview-official');
    expect(getModel('nano-banana')?.id).toBe('gemini-2.5-flash-image-preview');
    expect(getModel('nano-banana-official')?.id).toBe('gemini-2.5-flash-image-official');
    expect(getModel('grok-imagine-1-0')?.id).toBe('grok-imagine-1.0');
    expect(getModel(' GPT-Image-2 ')?.id).toBe('gpt-image-2');
  });

  it('returns undefined for unknown ids and prototype keys', () => {
    expect(getModel('no-such-model')).toBeUndefined();
    expect(getModel('toString')).toBeUndefined();
    expect(getModel('__proto__')).toBeUndefined();
  });

  it('gives an unknown id a permissive generic capability', () => {
    const m = resolveModel('brand-new-model');
    expect(m.id).toBe('brand-new-model');
    expect(m.aspectRatios).toContain('16:9');
    expect(m.resolutions).toEqual([]);
    expect(m.resolutionField).toBe('none');
    expect(m.n).toEqual({ min: 1, max: 1 });
    expect(m.maxReferences).toBe(14);
    expect(m.maxReferenceBytes).toBe(10 * MB);
    expect(m.referenceFormats).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(resolveModel('nano-banana-pro')).toBe(MODELS['gemini-3-pro-image-preview']);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Pixel sizes and prices
 * -----------------------------------------------------------------------------------------------*/

describe('pixelSizeFor', () => {
  const gpt2 = MODELS['gpt-image-2'] as ModelCapabilities;

  it('reads the §6.2 gpt-image-2 table, any resolution case, portrait swapped', () => {
    expect(pixelSizeFor(gpt2, '1:1')).toEqual([1024, 1024]);
    expect(pixelSizeFor(gpt2, '16:9', '4k')).toEqual([3840, 2160]);
    expect(pixelSizeFor(gpt2, '9:16', '4K')).toEqual([2160, 3840]);
    expect(pixelSizeFor(gpt2, '2:3', '2K')).toEqual([1360, 2048]);
    expect(pixelSizeFor(gpt2, '9:21', '1k')).toEqual([864, 2016]);
    expect(pixelSizeFor(gpt2, '1:1', '4K')).toEqual([2880, 2880]);
  });

  it('has every ratio × resolution for gpt-image-2 but no 4K 1:1 on -official', () => {
    for (const ratio of gpt2.aspectRatios) {
      for (const res of gpt2.resolutions) expect(pixelSizeFor(gpt2, ratio, res), `${ratio} ${res}`).toBeDefined();
    }
    const official = MODELS['gpt-image-2-official'] as ModelCapabilities;
    expect(pixelSizeFor(official, '1:1', '4K')).toBeUndefined();
    expect(pixelSizeFor(official, '21:9', '4K')).toEqual([3840, 1648]);
    expect(pixelSizeFor(official, 'auto')).toBeUndefined();
  });

  it('knows Flux 2 and Gemini 2.5 Flash sizes', () => {
    const flux = MODELS['flux-2-pro'] as ModelCapabilities;
    expect(pixelSizeFor(flux, '4:3', '1K')).toEqual([1365, 1024]);
    expect(pixelSizeFor(flux, '9:16', '2K')).toEqual([2048, 3640]);
    const g25 = MODELS['gemini-2.5-flash-image-preview'] as ModelCapabilities;
    expect(pixelSizeFor(g25, '16:9')).toEqual([1792, 1024]);
  });

  it('estimates Gemini 3.1 Flash sizes: long side by resolution, multiples of 16', () => {
    const m = MODELS[DEFAULT_MODEL_ID] as ModelCapabilities;
    expect(pixelSizeFor(m, '1:1', '0.5K')).toEqual([512, 512]);
    expect(pixelSizeFor(m, '16:9', '1K')).toEqual([1024, 576]);
    expect(pixelSizeFor(m, '9:16', '4K')).toEqual([2304, 4096]);
    for (const ratio of m.aspectRatios) {
      for (const res of m.resolutions) {
        const size = pixelSizeFor(m, ratio, res);
        expect(size).toBeDefined();
        const [w, h] = size as readonly [number, number];
        expect(w % 16).toBe(0);
        expect(h % 16).toBe(0);
        const [a, b] = ratio.split(':').map(Number) as [number, number];
        expect(Math.abs(w / h - a / b) / (a / b)).toBeLessThan(0.15);
      }
    }
  });

  it('returns undefined when unknown', () => {
    expect(pixelSizeFor(MODELS['gpt-4o-image'] as ModelCapabilities, '1:1')).toBeUndefined();
    expect(pixelSizeFor(gpt2, '7:5')).toBeUndefined();
    expect(pixelSizeFor(gpt2, '1:1', '8K')).toBeUndefined();
    expect(pixelSizeFor(MODELS['doubao-seedream-5-0-pro'] as ModelCapabilities, '1:1')).toBeUndefined();
  });
});

describe('resolutionsForRatio', () => {
  it('hides 4K for square images on gpt-image-2-official only', () => {
    const official = MODELS['gpt-image-2-official'] as ModelCapabilities;
    expect(resolutionsForRatio(official, '1:1')).toEqual(['1K', '2K']);
    expect(resolutionsForRatio(official, '16:9')).toEqual(['1K', '2K', '4K']);
    expect(resolutionsForRatio(MODELS['gpt-image-2'] as ModelCapabilities, '1:1')).toEqual(['1K', '2K', '4K']);
  });
});

describe('estimatePrice', () => {
  it('multiplies the §6.3 price by n, defaulting the resolution', () => {
    const m = MODELS[DEFAULT_MODEL_ID] as ModelCapabilities;
    expect(estimatePrice(m, undefined, 1)).toBe(0.025);
    expect(estimatePrice(m, '2k', 2)).toBe(0.06);
    expect(estimatePrice(m, '4K', 4)).toBe(0.16);
    expect(estimatePrice(MODELS['gpt-image-2'] as ModelCapabilities, '1K', 3)).toBe(0.045);
  });

  it('is undefined where no price is known', () => {
    const m = MODELS[DEFAULT_MODEL_ID] as ModelCapabilities;
    expect(estimatePrice(m, '0.5K', 1)).toBeUndefined();
    expect(estimatePrice(m, '1K', Number.NaN)).toBeUndefined();
    expect(estimatePrice(m, '1K', -1)).toBeUndefined();
    expect(estimatePrice(MODELS['flux-2-pro'] as ModelCapabilities, '1K', 1)).toBeUndefined();
    expect(estimatePrice(MODELS['gpt-image-2-vip'] as ModelCapabilities, '1K', 1)).toBeUndefined();
  });
});

/* -------------------------------------------------------------------------------------------------
 * Request building
 * -----------------------------------------------------------------------------------------------*/

function issuesOf(result: ReturnType<typeof buildGenerationRequest>): FieldIssue[] {
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.request)}`);
  return result.issues;
}

/** The issues as data (field, code, params, limit): what a label pack words; the English `message` left out. */
function dataOf(result: ReturnType<typeof buildGenerationRequest>) {
  return issuesOf(result).map(({ message: _english, ...data }) => data);
}

function requestOf(result: ReturnType<typeof buildGenerationRequest>) {
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.issues)}`);
  expect(SubmitRequestSchema.safeParse(result.request).success).toBe(true);
  return result.request;
}

describe('buildGenerationRequest', () => {
  it('sends size and n explicitly and metadata.resolution upper-case by default', () => {
    const request = requestOf(buildGenerationRequest({ model: DEFAULT_MODEL_ID, prompt: '  a lighthouse  ' }));
    expect(request).toEqual({
      model: DEFAULT_MODEL_ID,
      prompt: 'a lighthouse',
      size: '1:1',
      n: 1,
      metadata: { resolution: '1K' },
    });
  });

  it('normalises a lower-case resolution for metadata models', () => {
    const request = requestOf(
      buildGenerationRequest({
        model: 'nano-banana-2',
        prompt: 'p',
        aspectRatio: '4:3',
        resolution: '2k',
        n: 2,
        referenceUrls: ['https://files.toapis.com/uploads/1.png'],
        clientBusinessId: 'order-77',
      }),
    );
    expect(request).toEqual({
      model: 'gemini-3.1-flash-image-preview',
      prompt: 'p',
      size: '4:3',
      n: 2,
      image_urls: ['https://files.toapis.com/uploads/1.png'],
      client_business_id: 'order-77',
      metadata: { resolution: '2K' },
    });
  });

  it('accepts 0.5K on the default model', () => {
    const request = requestOf(buildGenerationRequest({ model: DEFAULT_MODEL_ID, prompt: 'p', resolution: '0.5k', aspectRatio: '8:1' }));
    expect(request.metadata).toEqual({ resolution: '0.5K' });
    expect(request.size).toBe('8:1');
  });

  it('puts gpt-image-2 resolution top-level, lower-case, and references in reference_images', () => {
    const request = requestOf(
      buildGenerationRequest({
        model: 'gpt-image-2',
        prompt: 'p',
        aspectRatio: '21:9',
        resolution: '4K',
        referenceUrls: ['https://a.example/1.png', 'http://b.example/2.jpg'],
      }),
    );
    expect(request).toEqual({
      model: 'gpt-image-2',
      prompt: 'p',
      size: '21:9',
      n: 1,
      resolution: '4k',
      reference_images: ['https://a.example/1.png', 'http://b.example/2.jpg'],
    });
    expect(request).not.toHaveProperty('metadata');
    expect(request).not.toHaveProperty('image_urls');
  });

  it('defaults gpt-image-2 resolution to 1k top-level', () => {
    const request = requestOf(buildGenerationRequest({ model: 'gpt-image-2-vip', prompt: 'p' }));
    expect(request.resolution).toBe('1k');
  });

  it('sends no resolution for models without one', () => {
    const request = requestOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'p', n: 4 }));
    expect(request).toEqual({ model: 'gpt-4o-image', prompt: 'p', size: '1:1', n: 4 });
  });

  it('defaults Seedream to 2K and Flux Kontext to match_input_image only with a reference', () => {
    expect(requestOf(buildGenerationRequest({ model: 'doubao-seedream-4-5', prompt: 'p' })).metadata).toEqual({ resolution: '2K' });
    expect(requestOf(buildGenerationRequest({ model: 'flux-kontext-pro', prompt: 'p' })).size).toBe('16:9');
    expect(
      requestOf(buildGenerationRequest({ model: 'flux-kontext-pro', prompt: 'p', referenceUrls: ['https://x.example/a.png'] })).size,
    ).toBe('match_input_image');
  });

  it('works for an unknown model with generic limits', () => {
    const request = requestOf(buildGenerationRequest({ model: 'future-model', prompt: 'p', aspectRatio: '16:9' }));
    expect(request).toEqual({ model: 'future-model', prompt: 'p', size: '16:9', n: 1 });
  });

  it('reports an empty prompt and a missing model', () => {
    expect(dataOf(buildGenerationRequest({ model: DEFAULT_MODEL_ID, prompt: '   ' }))).toEqual([{ field: 'prompt', code: 'required', params: {} }]);
    expect(dataOf(buildGenerationRequest({ model: ' ', prompt: 'p' }))).toEqual([{ field: 'model', code: 'required', params: {} }]);
  });

  it('reports a too-long prompt with its length and the limit', () => {
    expect(dataOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'x'.repeat(1203) }))).toEqual([
      { field: 'prompt', code: 'too_long', params: { length: 1203, max: 1000 }, limit: 1000 },
    ]);
    // Exactly at the limit is fine; characters are code points, so emoji count once.
    expect(buildGenerationRequest({ model: 'gpt-4o-image', prompt: '😀'.repeat(1000) }).ok).toBe(true);
    expect(buildGenerationRequest({ model: 'gpt-image-2', prompt: 'x'.repeat(32_000) }).ok).toBe(true);
    expect(buildGenerationRequest({ model: 'gpt-image-2', prompt: 'x'.repeat(32_001) }).ok).toBe(false);
    expect(buildGenerationRequest({ model: DEFAULT_MODEL_ID, prompt: 'x'.repeat(100_000) }).ok).toBe(true);
  });

  it('reports an unsupported ratio naming the model and ratio', () => {
    expect(dataOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'p', aspectRatio: '16:9' }))).toEqual([
      { field: 'aspectRatio', code: 'unsupported', params: { model: 'gpt-4o-image', ratio: '16:9' } },
    ]);
  });

  it('requires a reference for match_input_image and Seedream auto', () => {
    for (const [model, ratio] of [
      ['flux-kontext-max', 'match_input_image'],
      ['doubao-seedream-4-0', 'auto'],
    ] as const) {
      const issues = issuesOf(buildGenerationRequest({ model, prompt: 'p', aspectRatio: ratio }));
      expect(issues).toMatchObject([{ field: 'aspectRatio', code: 'unsupported', params: { ratio, minReferences: 1 } }]);
      expect(buildGenerationRequest({ model, prompt: 'p', aspectRatio: ratio, referenceUrls: ['https://x.example/a.png'] }).ok).toBe(true);
    }
    expect(buildGenerationRequest({ model: 'gpt-image-2-official', prompt: 'p', aspectRatio: 'auto' }).ok).toBe(true);
    expect(buildGenerationRequest({ model: 'doubao-seedream-4-5', prompt: 'p', aspectRatio: 'auto' }).ok).toBe(false);
  });

  it('reports unsupported resolutions', () => {
    expect(dataOf(buildGenerationRequest({ model: 'flux-2-pro', prompt: 'p', resolution: '4K' }))).toEqual([
      { field: 'resolution', code: 'unsupported', params: { model: 'flux-2-pro', resolution: '4K', allowed: '1K, 2K' } },
    ]);
    expect(dataOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'p', resolution: '1K' }))).toEqual([
      { field: 'resolution', code: 'unsupported', params: { model: 'gpt-4o-image', resolution: '1K' } },
    ]);
    expect(issuesOf(buildGenerationRequest({ model: 'viduq2-fast', prompt: 'p', resolution: '2K' }))).toMatchObject([
      { field: 'resolution', code: 'unsupported' },
    ]);
    expect(dataOf(buildGenerationRequest({ model: 'gpt-image-2-official', prompt: 'p', resolution: '4k' }))).toEqual([
      {
        field: 'resolution',
        code: 'unsupported',
        params: { model: 'gpt-image-2-official', resolution: '4K', ratio: '1:1', ratios: '16:9, 9:16, 2:1, 1:2, 21:9, 9:21' },
      },
    ]);
    expect(buildGenerationRequest({ model: 'gpt-image-2-official', prompt: 'p', resolution: '4k', aspectRatio: '9:21' }).ok).toBe(true);
  });

  it('checks n against range and allowed values', () => {
    expect(dataOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'p', n: 3 }))).toEqual([
      { field: 'n', code: 'out_of_range', params: { model: 'gpt-4o-image', n: 3, min: 1, max: 4, allowed: '1, 2, 4' }, limit: 4 },
    ]);
    expect(dataOf(buildGenerationRequest({ model: DEFAULT_MODEL_ID, prompt: 'p', n: 5 }))).toEqual([
      { field: 'n', code: 'out_of_range', params: { model: DEFAULT_MODEL_ID, n: 5, min: 1, max: 4 }, limit: 4 },
    ]);
    expect(dataOf(buildGenerationRequest({ model: 'gemini-3-pro-image-preview', prompt: 'p', n: 2 }))).toEqual([
      { field: 'n', code: 'out_of_range', params: { model: 'gemini-3-pro-image-preview', n: 2, min: 1, max: 1 }, limit: 1 },
    ]);
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(validateGenerationChoices({ model: 'gpt-image-2', prompt: 'p', n })).toMatchObject([{ field: 'n', code: 'out_of_range' }]);
    }
    expect(buildGenerationRequest({ model: 'grok-imagine-1.0', prompt: 'p', n: 10 }).ok).toBe(true);
  });

  it('limits reference count, and refs + outputs on Seedream', () => {
    const urls = (k: number) => Array.from({ length: k }, (_, i) => `https://x.example/${i}.png`);
    expect(dataOf(buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'p', referenceUrls: urls(6) }))).toEqual([
      { field: 'references', code: 'too_many', params: { model: 'gpt-4o-image', count: 6, max: 5 }, limit: 5 },
    ]);
    expect(dataOf(buildGenerationRequest({ model: 'grok-imagine-1.0', prompt: 'p', referenceUrls: urls(1) }))).toEqual([
      { field: 'references', code: 'too_many', params: { model: 'grok-imagine-1.0', count: 1, max: 0 }, limit: 0 },
    ]);
    expect(buildGenerationRequest({ model: 'doubao-seedream-4-0', prompt: 'p', referenceUrls: urls(10), n: 5 }).ok).toBe(true);
    expect(dataOf(buildGenerationRequest({ model: 'doubao-seedream-4-0', prompt: 'p', referenceUrls: urls(10), n: 6 }))).toEqual([
      { field: 'references', code: 'too_many', params: { model: 'doubao-seedream-4-0', count: 10, n: 6, total: 16, max: 15 }, limit: 15 },
    ]);
    expect(buildGenerationRequest({ model: 'doubao-seedream-4-0', prompt: 'p', n: 15 }).ok).toBe(true);
  });

  it('rejects non-http(s) reference URLs, one issue each', () => {
    const issues = issuesOf(
      buildGenerationRequest({
        model: DEFAULT_MODEL_ID,
        prompt: 'p',
        referenceUrls: ['https://ok.example/a.png', 'data:image/png;base64,AAAA', 'javascript:alert(1)', 'blob:https://x/1', 'https://', ''],
      }),
    );
    expect(issues.map((i) => [i.code, i.params])).toEqual([2, 3, 4, 5, 6].map((index) => ['invalid_url', { index }]));
  });

  it('reports every issue at once', () => {
    const issues = issuesOf(
      buildGenerationRequest({
        model: 'gpt-4o-image',
        prompt: 'x'.repeat(1001),
        aspectRatio: '16:9',
        resolution: '2K',
        n: 3,
        referenceUrls: ['ftp://a', 'https://b.example/', 'https://c.example/', 'https://d.example/', 'https://e.example/', 'https://f.example/'],
      }),
    );
    expect(issues.map((i) => `${i.field}:${i.code}`).sort()).toEqual(
      [
        'aspectRatio:unsupported',
        'n:out_of_range',
        'prompt:too_long',
        'references:invalid_url',
        'references:too_many',
        'resolution:unsupported',
      ].sort(),
    );
    expect(validateGenerationChoices({ model: 'gpt-4o-image', prompt: 'x'.repeat(1001), aspectRatio: '16:9', n: 3 })).toHaveLength(3);
  });

  it('treats empty optional choices as unset and normalises ratio case', () => {
    const request = requestOf(
      buildGenerationRequest({ model: 'gpt-image-2-official', prompt: 'p', aspectRatio: 'AUTO', resolution: '', clientBusinessId: '  ' }),
    );
    expect(request).toEqual({ model: 'gpt-image-2-official', prompt: 'p', size: 'auto', n: 1, resolution: '1k' });
    expect(requestOf(buildGenerationRequest({ model: 'flux-2-flex', prompt: 'p', aspectRatio: '' })).size).toBe('1:1');
  });

  it('gives every issue the params the English pack needs to say what core says', () => {
    const urls = (k: number) => Array.from({ length: k }, (_, i) => `https://x.example/${i}.png`);
    const choices: GenerationChoices[] = [
      { model: ' ', prompt: ' ' },
      { model: 'gpt-4o-image', prompt: 'x'.repeat(1203), aspectRatio: '16:9', n: 3, referenceUrls: [...urls(5), 'data:x'] },
      { model: 'flux-kontext-max', prompt: 'p', aspectRatio: 'match_input_image', resolution: '1K' },
      { model: 'flux-2-pro', prompt: 'p', resolution: '4K', n: 2 },
      { model: 'gpt-image-2-official', prompt: 'p', resolution: '4k', n: 11 },
      { model: 'grok-imagine-1.0', prompt: 'p', referenceUrls: urls(1) },
      { model: 'doubao-seedream-4-0', prompt: 'p', referenceUrls: urls(10), n: 6 },
      { model: 'gpt-image-2', prompt: 'p', parameters: { nope: 1, quality: 'ultra', output_format: 3, output_compression: 101 } },
      { model: DEFAULT_MODEL_ID, prompt: 'p', parameters: { google_search: 'yes', google_image_search: true } },
      { model: 'vidu-image', prompt: 'p', parameters: { seed: 1.5 } },
      { model: 'gemini-3.1-flash-image-preview-official', prompt: 'p', parameters: { temperature: 'hot' } },
    ];
    const issues = choices.flatMap((c) => validateGenerationChoices(c));
    const kinds = new Set(issues.map((i) => `${i.field}.${i.code}`));
    expect(kinds.size).toBeGreaterThanOrEqual(12);
    for (const issue of issues) expect(formatMessage(en, issue), `${issue.field}.${issue.code}`).toBe(issue.message);
  });

  it('builds a valid request for every model with its defaults', () => {
    for (const id of MODEL_IDS) {
      const m = MODELS[id] as ModelCapabilities;
      const needsRef = m.referenceOnlyRatios?.includes(m.defaultAspectRatio) ?? false;
      const request = requestOf(buildGenerationRequest({ model: id, prompt: 'p', ...(needsRef && { referenceUrls: ['https://x.example/a.png'] }) }));
      expect(request.size).toBe(m.defaultAspectRatio);
      expect(typeof request.n).toBe('number');
      if (m.resolutionField === 'metadata') expect(request.metadata).toEqual({ resolution: m.defaultResolution });
      if (m.resolutionField === 'top') expect(request.resolution).toBe(m.defaultResolution?.toLowerCase());
      if (m.resolutionField === 'none') {
        expect(request).not.toHaveProperty('metadata');
        expect(request).not.toHaveProperty('resolution');
      }
    }
  });
});
