/**
 * `mask_url` through the proxy (issue 15): passed only for the models that take a mask (the proxy's
 * table and the kit's registry agree), and only when it is an upload this proxy handed to the same
 * caller; anything else is a 400 on `mask_url` and nothing goes upstream.
 */
import { MODEL_IDS, getModel } from '../../../src/core/models';
import { documentedFields } from '../../../server/proxy/submitFields';
import { MASK_NOT_UPLOADED } from '../../../server/proxy/routes/submit';
import { PNG, closeHarnesses, errorOf, harness, json, submit, upload, upstreamSubmits, type Json, type Visitor } from './harness';

afterEach(closeHarnesses);

async function uploadedUrl(v: Visitor): Promise<string> {
  const res = await upload(v, PNG, 'mask.png');
  expect(res.status).toBe(200);
  return ((await json(res)).data as { url: string }).url;
}

async function sentBody(h: ReturnType<typeof harness>): Promise<Json> {
  const request = upstreamSubmits(h).at(-1)!;
  return (await request.clone().json()) as Json;
}

describe('mask_url', () => {
  it.each(MODEL_IDS)('%s: the proxy’s table and the registry agree on the mask', (id) => {
    expect(documentedFields(id).mask).toBe(!!getModel(id)!.mask);
  });

  it('passes a mask this caller uploaded through the proxy (gpt-image-2 with a reference)', async () => {
    const h = harness();
    const v = h.visitor();
    const reference = await uploadedUrl(v);
    const mask = await uploadedUrl(v);
    const res = await submit(v, { model: 'gpt-image-2', image_urls: [reference], mask_url: mask });
    expect(res.status).toBe(200);
    expect(await sentBody(h)).toMatchObject({ reference_images: [reference], mask_url: mask });
  });

  it.each(['gpt-4o-image', 'gpt-image-2-official'])('%s: refuses a mask URL the proxy did not hand out, sending nothing', async (model) => {
    const h = harness();
    const v = h.visitor();
    const reference = await uploadedUrl(v);
    const res = await submit(v, { model, size: getModel(model)!.defaultAspectRatio, image_urls: [reference], mask_url: 'https://files.toapis.com/someone-else.png' });
    expect(res.status).toBe(400);
    const error = errorOf(await json(res));
    expect(error).toMatchObject({ param: 'mask_url', message: MASK_NOT_UPLOADED });
    expect(upstreamSubmits(h)).toHaveLength(0);
  });

  it('refuses a mask another caller uploaded', async () => {
    const h = harness();
    const owner = h.visitor();
    const mask = await uploadedUrl(owner);
    const other = h.visitor();
    const reference = await uploadedUrl(other);
    const res = await submit(other, { model: 'gpt-image-2', image_urls: [reference], mask_url: mask });
    expect(res.status).toBe(400);
    expect(errorOf(await json(res)).param).toBe('mask_url');
    expect(upstreamSubmits(h)).toHaveLength(0);
  });

  it('drops the mask for a model that takes none (no upload check: it never goes upstream)', async () => {
    const h = harness();
    const v = h.visitor();
    const res = await submit(v, { model: 'gpt-image-2-vip', mask_url: 'https://files.toapis.com/m.png' });
    expect(res.status).toBe(200);
    expect(Object.hasOwn(await sentBody(h), 'mask_url')).toBe(false);
  });

  it('checks a model outside the registry’s mask as well (allowedModels)', async () => {
    const h = harness({ allowedModels: ['brand-new-model'] });
    const v = h.visitor();
    const refused = await submit(v, { model: 'brand-new-model', mask_url: 'https://files.toapis.com/m.png' });
    expect(refused.status).toBe(400);
    const mask = await uploadedUrl(v);
    const res = await submit(v, { model: 'brand-new-model', mask_url: mask });
    expect(res.status).toBe(200);
    expect(await sentBody(h)).toMatchObject({ mask_url: mask });
  });
});
