/**
 * The strict profile: bearer key, per-model checks against the registry, business ids without
 * de-duplication, files on a second origin without CORS, drawn timelines and Retry-After values,
 * and expiry. Also that the kind profile keeps its old behaviour.
 */
import { buildGenerationRequest, MODEL_IDS, MODELS } from '../../../src/core/models';
import type { SimulatorOptions } from '../../../server/simulator';
import { BASE, T0, type Json, clocked, submit, poll, upload, json, submitOk, PNG_BYTES } from './harness';

const FILES = 'http://127.0.0.1:5555';
const AUTH = { Authorization: 'Bearer sk-test' };
const GEMINI = 'gemini-3.1-flash-image-preview';

function strict(options: SimulatorOptions = {}) {
  return clocked({ profile: 'strict', queuedMs: 1000, generatingMs: 4000, ...options });
}

async function expect400(res: Response, param: string, message: string | RegExp = /./): Promise<void> {
  expect(res.status).toBe(400);
  expect(await json(res)).toEqual({
    error: { code: 'invalid_request', type: 'invalid_request_error', param, message: typeof message === 'string' ? message : expect.stringMatching(message) },
  });
}

describe('kind profile (the default) is unchanged', () => {
  it('needs no key, takes any model id, de-duplicates a repeated business id and echoes it on every poll', async () => {
    const { sim } = clocked();
    const anon = await sim.fetch(
      new Request(`${BASE}/v1/images/generations`, { method: 'POST', body: JSON.stringify({ model: 'any-model', prompt: 'x', size: '7:5', n: 10 }) }),
    );
    expect(anon.status).toBe(200);
    const first = await submitOk(sim, { client_business_id: 'order-1' });
    const again = await submitOk(sim, { client_business_id: 'order-1', prompt: 'other' });
    expect(again.id).toBe(first.id);
    expect(sim.stats.tasksCreated).toBe(2);
    expect(await json(await poll(sim, first.id as string))).toMatchObject({ status: 'queued', client_business_id: 'order-1' });
    const upload1 = await json(await upload(sim, PNG_BYTES));
    expect((upload1.data as { url: string }).url.startsWith(`${BASE}/sim/uploads/`)).toBe(true);
  });
});

describe('strict: bearer key', () => {
  const body = JSON.stringify({ model: GEMINI, prompt: 'x' });
  const send = (sim: ReturnType<typeof strict>['sim'], headers: Record<string, string>) =>
    sim.fetch(new Request(`${BASE}/v1/images/generations`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body }));

  it('answers 401 on /v1/ routes without a non-empty bearer key, and not on file routes or preflights', async () => {
    const { sim, advance } = strict();
    const refused: Array<Record<string, string>> = [{}, { Authorization: '' }, { Authorization: 'Bearer ' }, { Authorization: 'Basic c2stdGVzdA==' }];
    for (const headers of refused) {
      const res = await send(sim, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await json(res)).toEqual({
        error: { code: 'unauthorized', type: 'authentication_error', message: 'API key missing or not valid' },
      });
    }
    expect((await poll(sim, 'task_img_x')).status).toBe(401);
    expect((await upload(sim, PNG_BYTES)).status).toBe(401);
    expect(sim.stats.tasksCreated).toBe(0);

    const { id } = await json(await send(sim, { Authorization: 'Bearer any-key-at-all' }));
    const preflight = await sim.fetch(new Request(`${BASE}/v1/images/generations`, { method: 'OPTIONS' }));
    expect(preflight.status).toBe(204);
    advance(5000);
    const done = await json(await poll(sim, id as string, AUTH));
    const url = (done.result as { data: Array<{ url: string }> }).data[0]!.url;
    expect((await sim.fetch(new Request(url))).status).toBe(200); // no Authorization on the file route
  });

  it('with apiKey accepts that key only', async () => {
    const { sim } = strict({ apiKey: 'sk-right' });
    expect((await send(sim, { Authorization: 'Bearer sk-wrong' })).status).toBe(401);
    expect((await send(sim, { Authorization: 'Bearer sk-right' })).status).toBe(200);
  });
});

describe('strict: per-model checks against the registry', () => {
  it.each<[string, Json, string, string | RegExp]>([
    ['an unknown model', { model: 'some-future-model' }, 'model', /some-future-model/],
    ['an alias (no normalising)', { model: 'nano-banana-2' }, 'model', /nano-banana-2/],
    ['a respelled id', { model: 'gemini-3-1-flash-image-preview' }, 'model', /gemini-3-1/],
    ['a size the model lacks', { size: '7:5' }, 'size', 'Unsupported aspect ratio 7:5 for this model'],
    ['pixel sizes', { size: '1536x1024' }, 'size', 'Unsupported aspect ratio 1536x1024 for this model'],
    ['an unknown metadata.resolution', { metadata: { resolution: '8K' } }, 'resolution', 'Unsupported resolution 8K for this model'],
    ['a top-level resolution for gpt-image-2', { model: 'gpt-image-2', resolution: '3k' }, 'resolution', /3k/],
    ['4K at 1:1 on gpt-image-2-official', { model: 'gpt-image-2-official', size: '1:1', resolution: '4k' }, 'resolution', /16:9/],
    ['n above the range', { n: 5 }, 'n', 'n must be between 1 and 4 for this model'],
    ['n outside the allowed set', { model: 'grok-4-1-image', n: 3 }, 'n', 'n must be one of 1, 2, 4 for this model'],
    ['n as a string', { n: '1' }, 'n', /integer/],
    ['n as a float', { n: 1.5 }, 'n', /integer/],
    ['two references for Flux Kontext', { model: 'flux-kontext-pro', image_urls: ['https://a.test/1.png', 'https://a.test/2.png'] }, 'image_urls', /At most 1 /],
    ['a reference for a text-only model', { model: 'grok-imagine-1.0', image_urls: ['https://a.test/1.png'] }, 'image_urls', /does not accept/],
    ['17 reference_images for gpt-image-2', { model: 'gpt-image-2', reference_images: Array.from({ length: 17 }, (_, i) => `https://a.test/${i}.png`) }, 'reference_images', /At most 16 /],
    ['match_input_image without a reference', { model: 'flux-kontext-pro', size: 'match_input_image' }, 'size', /reference/],
  ])('rejects %s', async (_label, extra, param, message) => {
    const { sim } = strict();
    await expect400(await submit(sim, { model: GEMINI, prompt: 'x', size: '1:1', ...extra }), param, message);
    expect(sim.stats.tasksCreated).toBe(0);
  });

  it('accepts the model limits beyond the kind profile’s generic ones (Seedream n = 15), and a resolution in any case', async () => {
    const { sim } = strict();
    await submitOk(sim, { model: 'doubao-seedream-4-0', n: 15, metadata: { resolution: '4k' } });
    await submitOk(sim, { model: 'gpt-image-2-official', size: '16:9', resolution: '4K' });
  });

  it('accepts what the kit builds for every registry model, at every ratio', async () => {
    const { sim } = strict();
    let sent = 0;
    for (const id of MODEL_IDS) {
      const model = MODELS[id]!;
      for (const referenceUrls of [[], model.maxReferences > 0 ? ['https://a.test/ref.png'] : []]) {
        for (const aspectRatio of model.aspectRatios) {
          for (const resolution of [undefined, ...model.resolutions]) {
            const n = model.n.allowed?.at(-1) ?? model.n.max;
            const built = buildGenerationRequest({ model: id, prompt: 'a lighthouse', aspectRatio, resolution, referenceUrls, n });
            if (!built.ok) continue; // the kit refuses it before sending (reference-only ratios, 4K limits…)
            const res = await submit(sim, built.request);
            expect(res.status, `${id} ${aspectRatio} ${resolution}: ${await res.clone().text()}`).toBe(200);
            sent++;
          }
        }
      }
      sim.reset();
    }
    expect(sent).toBeGreaterThan(500);
  });
});

describe('strict: client_business_id', () => {
  it('is echoed by the submit, absent from status replies, still a lookup key, and never de-duplicates', async () => {
    const { sim } = strict();
    const first = await submitOk(sim, { client_business_id: 'order-9' });
    expect(first).toEqual({
      id: expect.stringMatching(/^task_img_/),
      object: 'generation.task',
      model: GEMINI,
      status: 'submitted',
      progress: 0,
      created_at: expect.any(Number),
      metadata: {},
      client_business_id: 'order-9',
    });
    const byId = await json(await poll(sim, first.id as string, AUTH));
    expect(byId).toEqual({ id: first.id, object: 'generation.task', model: GEMINI, status: 'submitted', progress: 0, created_at: first.created_at });

    const second = await submitOk(sim, { client_business_id: 'order-9' });
    expect(second.id).not.toBe(first.id);
    expect(sim.stats).toMatchObject({ submits: 2, tasksCreated: 2 });
    // The lookup finds the newest task with that business id.
    expect(await json(await poll(sim, 'order-9', AUTH))).toMatchObject({ id: second.id });
    expect(await json(await poll(sim, 'order-9', AUTH))).not.toHaveProperty('client_business_id');
  });

  it('echoBusinessId puts it into status replies too', async () => {
    const { sim } = strict({ echoBusinessId: true });
    const { id } = await submitOk(sim, { client_business_id: 'order-10' });
    expect(await json(await poll(sim, id as string, AUTH))).toMatchObject({ client_business_id: 'order-10' });
  });
});

describe('strict: files on a second origin without CORS', () => {
  it('hands out result and upload URLs on filesOrigin and serves them without Access-Control-* headers', async () => {
    const { sim, advance } = strict({ filesOrigin: `${FILES}/` });
    const { id } = await submitOk(sim, { n: 2 });
    advance(5000);
    const done = await json(await poll(sim, id as string, AUTH));
    const urls = [0, 1].map((i) => `${FILES}/sim/images/${id as string}/${i}.png`);
    const createdAt = Math.floor(T0 / 1000);
    // The documented completed shape, with the URLs on the file host.
    expect(done).toEqual({
      id,
      object: 'generation.task',
      model: GEMINI,
      status: 'completed',
      progress: 100,
      created_at: createdAt,
      completed_at: createdAt + 5,
      expires_at: createdAt + 5 + 86_400,
      result: { type: 'image', data: urls.map((url) => ({ url })) },
    });
    const uploaded = await json(await upload(sim, PNG_BYTES, AUTH));
    const refUrl = (uploaded.data as { url: string }).url;
    expect(refUrl).toMatch(new RegExp(`^${FILES}/sim/uploads/upload_[0-9a-f]{8}\\.png$`));

    for (const url of [...urls, refUrl]) {
      const res = await sim.fetch(new Request(url, { headers: { Origin: 'http://127.0.0.1:8787' } }));
      expect(res.status).toBe(200);
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
      const pre = await sim.fetch(new Request(url, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:8787' } }));
      expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
    // The API keeps its CORS headers.
    expect((await poll(sim, id as string, AUTH)).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('the kind profile keeps CORS on its files', async () => {
    const { sim, advance } = clocked();
    const { id } = await submitOk(sim);
    advance(3000);
    const res = await sim.fetch(new Request(`${BASE}/sim/images/${id as string}/0.png`));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
