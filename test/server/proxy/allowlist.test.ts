/**
 * The submit allow-list: for every model in the registry only its documented fields go upstream,
 * unknown ones (`webhook_url`, `notify_url`, `metadata.callback_url`, `__proto__`…) are dropped, and
 * the seed's shapes (top-level `resolution`, `reference_images`) are moved to the model's place.
 */
import { MODEL_IDS, getModel, resolutionsForRatio } from '../../../src/core/models';
import { documentedFields } from '../../../server/proxy/submitFields';
import { closeHarnesses, BASE, harness, json, errorOf, type Harness, type Json } from './harness';

afterEach(closeHarnesses);

const REFS = ['https://files.toapis.com/uploads/1/a.png', 'https://files.toapis.com/uploads/1/b.png'];
const JUNK = {
  webhook_url: 'https://evil.test/hook',
  notify_url: 'https://evil.test/notify',
  callback_url: 'https://evil.test/callback',
  extra_field: 1,
  constructor: { prototype: { polluted: true } },
};

/** Posts raw JSON text (so `__proto__` arrives as an own key) and returns the answer and the upstream body. */
async function submitText(h: Harness, text: string): Promise<{ res: Response; sent: Json | undefined }> {
  const res = await h.visitor().send('/v1/images/generations', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
  const request = h.upstream.find((r) => r.method === 'POST');
  const sent = request ? ((await request.clone().json()) as Json) : undefined;
  return { res, sent };
}

/** Adds `"__proto__": {...}` at the top level and inside `metadata` of a JSON text. */
function withProto(body: Json): string {
  const text = JSON.stringify(body);
  const metaProto = text.replace('"metadata":{', '"metadata":{"__proto__":{"polluted":true},');
  return `{"__proto__":{"polluted":true},${metaProto.slice(1)}`;
}

describe('submit allow-list, every model in the registry', () => {
  it.each(MODEL_IDS)('%s: only documented fields go upstream; seed shapes are moved to the documented place', async (id) => {
    const model = getModel(id)!;
    const h = harness();
    const size = model.defaultAspectRatio;
    const refs = REFS.slice(0, Math.min(2, model.maxReferences));
    const resolution = resolutionsForRatio(model, size).at(-1);
    const body: Json = {
      model: id,
      prompt: 'a lighthouse at dawn',
      size,
      n: 1,
      ...JUNK,
      // The seed's shapes: top-level resolution in lower case, references as reference_images.
      ...(resolution !== undefined && { resolution: resolution.toLowerCase() }),
      ...(refs.length > 0 && { reference_images: refs }),
      metadata: { callback_url: 'https://evil.test/meta', webhook: 'x', client_business_id: 'order-7' },
    };
    const { res, sent } = await submitText(h, withProto(body));
    expect(res.status).toBe(200);
    expect(sent).toBeDefined();
    const upstream = sent!;

    const allowed = new Set(['model', 'prompt', 'size', 'n', 'client_business_id', 'metadata', 'resolution', model.referenceField]);
    for (const key of Object.keys(upstream)) expect(allowed.has(key), `${id} sent ${key}`).toBe(true);
    for (const key of Object.keys(JUNK)) expect(Object.hasOwn(upstream, key), key).toBe(false);
    expect(Object.hasOwn(upstream, '__proto__')).toBe(false);
    expect(upstream.model).toBe(model.id);
    expect(upstream.client_business_id).toMatch(/^[0-9a-f]{16}:order-7$/);

    if (refs.length > 0) expect(upstream[model.referenceField]).toEqual(refs);
    const other = model.referenceField === 'image_urls' ? 'reference_images' : 'image_urls';
    expect(Object.hasOwn(upstream, other)).toBe(false);

    const metadata = upstream.metadata as Json | undefined;
    if (metadata) expect(Object.keys(metadata)).toEqual(['resolution']);
    if (resolution === undefined || model.resolutionField === 'none') {
      expect(Object.hasOwn(upstream, 'resolution')).toBe(false);
      expect(metadata).toBeUndefined();
    } else if (model.resolutionField === 'metadata') {
      expect(Object.hasOwn(upstream, 'resolution')).toBe(false);
      expect(metadata).toEqual({ resolution: resolution.toUpperCase() });
    } else {
      expect(upstream.resolution).toBe(resolution.toLowerCase());
      expect(metadata).toBeUndefined();
    }
    expect(({} as Json).polluted).toBeUndefined();
  });

  it.each(MODEL_IDS)('%s: the documented shape passes unchanged', async (id) => {
    const model = getModel(id)!;
    const h = harness();
    const size = model.defaultAspectRatio;
    const refs = REFS.slice(0, Math.min(2, model.maxReferences));
    const resolution = model.defaultResolution;
    const body: Json = { model: id, prompt: 'a quiet harbour', size, n: 1 };
    if (refs.length > 0) body[model.referenceField] = refs;
    if (resolution !== undefined && model.resolutionField === 'metadata') body.metadata = { resolution: resolution.toUpperCase() };
    if (resolution !== undefined && model.resolutionField === 'top') body.resolution = resolution.toLowerCase();
    const { res, sent } = await submitText(h, JSON.stringify(body));
    expect(res.status).toBe(200);
    const { client_business_id: wireId, ...rest } = sent!;
    expect(typeof wireId).toBe('string');
    expect(rest).toEqual(body);
  });
});

describe('documented extras', () => {
  const cases: Array<[string, Json, Json]> = [
    ['gemini-3.1-flash-image-preview', { metadata: { google_search: true, google_image_search: true, resolution: '2K' } }, { metadata: { resolution: '2K', google_search: true, google_image_search: true } }],
    ['gemini-3-pro-image-preview', { metadata: { orientation: 'portrait' } }, { metadata: { orientation: 'portrait' } }],
    ['gemini-3-pro-image-preview-official', { metadata: { temperature: 0.5, thinkingConfig: { thinkingLevel: 'LOW', sneaky: 1 } } }, { metadata: { temperature: 0.5, thinkingConfig: { thinkingLevel: 'LOW' } } }],
    // A mask that goes upstream must be an upload of this proxy: test/server/proxy/mask.test.ts.
    ['gpt-image-2-official', { quality: 'high', output_format: 'jpeg', output_compression: 80 }, { quality: 'high', output_format: 'jpeg', output_compression: 80 }],
    ['gpt-image-2-vip', { quality: 'low', response_format: 'url', mask_url: 'https://files.toapis.com/m.png' }, { quality: 'low', response_format: 'url' }],
    ['flux-kontext-pro', { metadata: { response_format: 'jpg', safety_tolerance: 3, prompt_upsampling: true } }, { metadata: { response_format: 'jpg', safety_tolerance: 3, prompt_upsampling: true } }],
    ['doubao-seedream-4-0', { metadata: { watermark: false, optimize_prompt_options: { mode: 'fast' }, sequential_image_generation_options: { max_images: 3, callback_url: 'x' } } }, { metadata: { watermark: false, optimize_prompt_options: { mode: 'fast' }, sequential_image_generation_options: { max_images: 3 } } }],
    ['doubao-seedream-5-0-pro', { layer_decomposition: true, metadata: { optimize_prompt_options: { mode: 'fast' } } }, { layer_decomposition: true }],
    ['vidu-image', { seed: 42, metadata: { watermark: true } }, { seed: 42, metadata: { watermark: true } }],
    ['gemini-3.1-flash-image-preview', { quality: 'high', mask_url: 'https://files.toapis.com/m.png', seed: 4 }, {}],
  ];

  it.each(cases)('%s keeps %j as %j', async (id, extra, expected) => {
    const h = harness();
    const { res, sent } = await submitText(h, JSON.stringify({ model: id, prompt: 'x', size: getModel(id)!.defaultAspectRatio, n: 1, ...extra }));
    expect(res.status).toBe(200);
    const { model, prompt, size, n, client_business_id, ...rest } = sent!;
    void [model, prompt, size, n, client_business_id];
    expect(rest).toEqual(expected);
    const docs = documentedFields(id);
    for (const key of Object.keys(rest)) expect([...docs.top, 'metadata', ...(docs.mask ? ['mask_url'] : [])]).toContain(key);
  });

  it.each([
    ['doubao-seedream-4-0', { metadata: { watermark: 'yes' } }, 'metadata.watermark'],
    ['vidu-image', { seed: 1.5 }, 'seed'],
    ['gpt-image-2-official', { quality: 'ultra' }, 'quality'],
    ['gpt-image-2', { response_format: 'b64_json' }, 'response_format'],
    ['gemini-3.1-flash-image-preview-official', { metadata: { temperature: 9 } }, 'metadata.temperature'],
  ])('%s refuses %j with 400 on %s and sends nothing', async (id, extra, param) => {
    const h = harness();
    const { res, sent } = await submitText(h, JSON.stringify({ model: id, prompt: 'x', n: 1, ...extra }));
    expect(res.status).toBe(400);
    expect(errorOf(await json(res)).param).toBe(param);
    expect(sent).toBeUndefined();
    expect(h.upstream).toHaveLength(0);
  });

  it('moves metadata.resolution and image_urls to the gpt-image-2 places', async () => {
    const h = harness();
    const { res, sent } = await submitText(h, JSON.stringify({ model: 'gpt-image-2', prompt: 'x', size: '16:9', metadata: { resolution: '2K' }, image_urls: REFS }));
    expect(res.status).toBe(200);
    expect(sent).toMatchObject({ resolution: '2k', reference_images: REFS });
    expect(Object.hasOwn(sent!, 'metadata')).toBe(false);
    expect(Object.hasOwn(sent!, 'image_urls')).toBe(false);
  });

  it('keeps only the common fields for a model outside the registry (allowedModels)', async () => {
    const h = harness({ allowedModels: ['brand-new-model'] });
    const { res, sent } = await submitText(
      h,
      // (its mask_url, checked as an upload of this proxy: test/server/proxy/mask.test.ts)
      JSON.stringify({ model: 'brand-new-model', prompt: 'x', size: '1:1', image_urls: REFS, ...JUNK, metadata: { resolution: '2K', callback_url: 'x' } }),
    );
    expect(res.status).toBe(200);
    const { client_business_id, ...rest } = sent!;
    expect(typeof client_business_id).toBe('string');
    expect(rest).toEqual({ model: 'brand-new-model', prompt: 'x', size: '1:1', image_urls: REFS, metadata: { resolution: '2K' } });
  });

  it('adds only the proxy’s own callback_url when webhooks are configured', async () => {
    const h = harness({ webhook: { secret: 'whsec_test', publicUrl: 'https://app.example.com/api' } });
    const { sent } = await submitText(h, JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'x', callback_url: 'https://evil.test/c', metadata: { callback_url: 'https://evil.test/m' } }));
    expect(sent!.callback_url).toBe('https://app.example.com/api/v1/webhooks/toapis');
    expect(sent!.metadata).toBeUndefined();
    void BASE;
  });
});

describe('reference URLs', () => {
  it('allows loopback and private hosts only with allowPrivateReferenceUrls, and never credentials', async () => {
    const refs = ['http://127.0.0.1:8787/__sim/sim/uploads/a.png', 'http://[::1]/b.png', 'http://localhost/c.png', 'http://10.1.2.3/d.png'];
    const strict = harness();
    const refused = await submitText(strict, JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'x', image_urls: refs }));
    expect(refused.res.status).toBe(400);
    expect(errorOf(await json(refused.res)).message).toMatch(/local or private address/);
    expect(strict.upstream).toHaveLength(0);

    const open = harness({ allowPrivateReferenceUrls: true });
    const allowed = await submitText(open, JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'x', image_urls: refs }));
    expect(allowed.res.status).toBe(200);
    expect(allowed.sent!.image_urls).toEqual(refs);

    const withCredentials = await submitText(open, JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'x', image_urls: ['http://user:pw@127.0.0.1/a.png'] }));
    expect(withCredentials.res.status).toBe(400);
    expect(errorOf(await json(withCredentials.res)).message).toMatch(/user name or password/);
  });
});
