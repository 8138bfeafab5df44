/**
 * The inpainting mask in the store (issue 15): uploaded through the upload route, sent as `mask_url`
 * only with a model that takes one, only when ready and drawn on the first reference; kept aside
 * otherwise; waited for; checked against the first reference's size; kept across a reload. Against
 * the simulator (MSW at the network edge), on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { selectCapabilities, selectMaskStatus } from '../../src/store/selectors';
import type { StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { encodeRgbaPng } from '../../server/simulator';
import { formatMessage } from '../../src/labels/format';
import { en } from '../../src/labels/en';
import { ja } from '../../src/labels/ja';
import { useSimulatorServer } from '../msw/server';
import { decodePng } from '../server/simulator/harness';
import { pngFile } from '../fixtures/files';
import { advance, until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 15, queuedMs: 300, generatingMs: 600 });

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, random: () => 0.5, ...options });
  stores.push(store);
  return store;
}

function memoryStorage(initial?: Record<string, string>): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial ?? {}));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

/** A mask file: transparent (repaint) in the left half. */
function maskFile(width: number, height: number): Blob {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba[i * 4 + 3] = i % width < width / 2 ? 0 : 255;
  return new Blob([encodeRgbaPng(width, height, rgba)], { type: 'image/png' });
}

/** A store on `model` with a prompt and `count` uploaded 20×14 references. */
async function ready(model = 'gpt-image-2', count = 1, options: Partial<GeneratorStoreOptions> = {}): Promise<GeneratorStore> {
  const store = makeStore(options);
  store.getState().setModel(model);
  await until(store, (s) => !!selectCapabilities(s).label && selectCapabilities(s).id === model);
  store.getState().setPrompt('Repaint the left half');
  await store.getState().addReferences(Array.from({ length: count }, (_, i) => pngFile(`ref${i}.png`, 20, 14, i + 1)));
  await until(store, (s) => s.references.length === count && s.references.every((r) => r.state === 'ready'));
  return store;
}

async function applyMask(store: GeneratorStore, width = 20, height = 14) {
  const first = store.getState().references[0]!;
  await store.getState().setMask({ referenceId: first.id, file: maskFile(width, height), width, height });
}

describe('setMask', () => {
  it('uploads the mask through the upload route and makes it ready', async () => {
    const store = await ready();
    const uploads = sim.simulator.stats.uploads;
    await applyMask(store);
    const { mask, references } = store.getState();
    expect(mask).toMatchObject({ state: 'ready', referenceId: references[0]!.id, referenceUrl: references[0]!.url, width: 20, height: 14, aside: undefined });
    expect(mask!.url).toMatch(/\/sim\/uploads\/upload_[0-9a-f]{8}\.png$/);
    expect(sim.simulator.stats.uploads).toBe(uploads + 1);
    expect(selectMaskStatus(store.getState())).toBe('ready');
  });

  it('shows the preview as an object URL (alpha kept, not thumbnailed) and revokes it on removeMask', async () => {
    const revoked: string[] = [];
    const thumbnailer = vi.fn(() => 'data:thumbnail');
    const store = await ready('gpt-image-2', 1, { revokePreviewUrl: (url) => revoked.push(url), createPreviewUrl: thumbnailer });
    thumbnailer.mockClear();
    const first = store.getState().references[0]!;
    await store.getState().setMask({ referenceId: first.id, file: maskFile(20, 14), width: 20, height: 14, preview: maskFile(10, 7) });
    const previewUrl = store.getState().mask!.previewUrl!;
    expect(previewUrl).toMatch(/^blob:/);
    expect(thumbnailer).not.toHaveBeenCalled();
    store.getState().removeMask();
    expect(revoked).toEqual([previewUrl]);
  });

  it('leaves the mask in error when its upload fails', async () => {
    const store = await ready();
    sim.server.use(http.post(`${sim.baseUrl}/v1/uploads/images`, () => HttpResponse.json({ success: false, message: 'disk full' }, { status: 500 })));
    await applyMask(store);
    await until(store, (s) => s.mask?.state !== 'uploading');
    expect(store.getState().mask).toMatchObject({ state: 'error', url: undefined });
    expect(store.getState().mask!.error).toBeDefined();
  });

  it('refuses a file over the model’s limit with a notice, uploading nothing', async () => {
    const store = await ready('gpt-4o-image');
    const uploads = sim.simulator.stats.uploads;
    const first = store.getState().references[0]!;
    const file = new Blob([new Uint8Array(4 * 1024 * 1024 + 1)], { type: 'image/png' });
    await store.getState().setMask({ referenceId: first.id, file, width: 20, height: 14 });
    expect(store.getState().mask).toBeUndefined();
    expect(sim.simulator.stats.uploads).toBe(uploads);
    const notice = store.getState().notices.at(-1)!;
    expect(notice).toMatchObject({ code: 'mask_too_large', fileName: 'ref0.png', params: { size: 4 * 1024 * 1024 + 1, max: 4 * 1024 * 1024 } });
    expect(notice.message).toBe('The mask is 4 MB; this model takes masks of at most 4 MB. It was not applied.');
  });
});

describe('Generate with a mask', () => {
  it('sends mask_url with a mask model when the mask is ready', async () => {
    const store = await ready();
    await applyMask(store);
    const task = await store.getState().submit();
    expect(task?.request.mask_url).toBe(store.getState().mask!.url);
    expect(task?.request.reference_images).toEqual([store.getState().references[0]!.url]);
    // The simulator got it: the result is tinted where the mask is transparent (the left half) only.
    const done = await until(store, (s) => s.tasks[0]?.phase === 'completed');
    const { width, height, pixels } = decodePng(new Uint8Array(await (await fetch(done.tasks[0]!.images[0]!.url)).arrayBuffer()));
    const tinted = (x: number, y: number) => pixels[y * (1 + width * 3) + 1 + x * 3 + 1]! <= 64 && pixels[y * (1 + width * 3) + 1 + x * 3]! >= 191;
    expect(tinted(Math.floor(width * 0.25), Math.floor(height / 2))).toBe(true);
    expect(tinted(Math.floor(width * 0.75), Math.floor(height / 2))).toBe(false);
  });

  it('keeps the mask aside with a model that takes none (notice), and brings it back with a mask model', async () => {
    const store = await ready();
    await applyMask(store);
    store.getState().setModel('gemini-3.1-flash-image-preview');
    expect(store.getState().mask!.aside).toBe('model');
    expect(selectMaskStatus(store.getState())).toBe('aside-model');
    expect(store.getState().notices.at(-1)).toMatchObject({ code: 'mask_aside_model', params: { model: expect.any(String) } });
    const aside = await store.getState().submit();
    expect(aside).toBeDefined();
    expect(aside!.request).not.toHaveProperty('mask_url');

    // Worded by the label packs (the tray formats notices as `reference.<code>`).
    const notice = store.getState().notices.at(-1)!;
    const text = (labels: typeof en) => formatMessage(labels, { ...notice, field: 'reference', params: { name: notice.fileName, ...notice.params } });
    expect(text(en)).toBe(notice.message);
    expect(notice.message).toMatch(/does not take a mask; the mask is kept aside/);
    expect(text(ja)).toMatch(/はマスクに対応していないため、マスクは保留されます/);

    store.getState().setModel('gpt-image-2');
    expect(store.getState().mask!.aside).toBeUndefined();
    expect(store.getState().notices.some((n) => n.code === 'mask_aside_model')).toBe(false);
    await until(store, (s) => s.submitState === 'idle');
    const back = await store.getState().submit();
    expect(back!.request.mask_url).toBe(store.getState().mask!.url);
  });

  it('waits for a mask still uploading, then sends it', async () => {
    const store = await ready();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    sim.server.use(
      http.post(`${sim.baseUrl}/v1/uploads/images`, async ({ request }) => {
        await gate;
        return sim.simulator.fetch(request);
      }, { once: true }),
    );
    void applyMask(store);
    await until(store, (s) => s.mask?.state === 'uploading');
    const submitting = store.getState().submit();
    await until(store, (s) => s.submitState === 'waiting');
    expect(sim.simulator.stats.submits).toBe(0);
    release();
    const task = await submitting;
    expect(store.getState().mask!.state).toBe('ready');
    expect(task!.request.mask_url).toBe(store.getState().mask!.url);
  });

  it('a failed mask upload is a field issue; nothing is sent', async () => {
    const store = await ready();
    sim.server.use(http.post(`${sim.baseUrl}/v1/uploads/images`, () => HttpResponse.json({ success: false, message: 'no' }, { status: 500 })));
    await applyMask(store);
    await until(store, (s) => s.mask?.state === 'error');
    expect(await store.getState().submit()).toBeUndefined();
    expect(store.getState().issues).toEqual([expect.objectContaining({ field: 'mask', code: 'upload_failed' })]);
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('a mask of another size than the first reference is a field issue; nothing is sent', async () => {
    const store = await ready();
    expect(store.getState().references[0]).toMatchObject({ width: 20, height: 14 });
    await applyMask(store, 30, 30);
    expect(await store.getState().submit()).toBeUndefined();
    const issue = store.getState().issues[0]!;
    expect(issue).toMatchObject({ field: 'mask', code: 'size_mismatch', params: { width: 30, height: 30, referenceWidth: 20, referenceHeight: 14 } });
    expect(issue.message).toBe('The mask is 30×30 pixels but the first reference is 20×14; edit the mask again.');
    expect(sim.simulator.stats.submits).toBe(0);
    // Applying a new mask clears the issue.
    await applyMask(store);
    expect(store.getState().issues).toEqual([]);
  });
});

describe('the first reference', () => {
  it('another reference first puts the mask aside (notice); moving it back brings it back', async () => {
    const store = await ready('gpt-image-2', 2);
    await applyMask(store);
    const [first, second] = store.getState().references;
    store.getState().moveReference(second!.id, 0);
    expect(store.getState().mask!.aside).toBe('reference');
    expect(store.getState().notices.at(-1)).toMatchObject({ code: 'mask_aside_reference', fileName: first!.name });
    const task = await store.getState().submit();
    expect(task!.request).not.toHaveProperty('mask_url');

    store.getState().moveReference(first!.id, 0);
    expect(store.getState().mask!.aside).toBeUndefined();
    expect(selectMaskStatus(store.getState())).toBe('ready');
  });

  it('removing the masked reference keeps the mask aside and removes nothing else', async () => {
    const store = await ready('gpt-image-2', 2);
    await applyMask(store);
    const [first, second] = store.getState().references;
    store.getState().removeReference(first!.id);
    expect(store.getState().references.map((r) => r.id)).toEqual([second!.id]);
    expect(store.getState().mask).toMatchObject({ state: 'ready', referenceId: first!.id, aside: 'reference' });
    store.getState().removeMask();
    expect(store.getState().mask).toBeUndefined();
    expect(store.getState().notices.some((n) => n.code.startsWith('mask_aside'))).toBe(false);
    expect(store.getState().references).toHaveLength(1);
  });
});

describe('reload', () => {
  it('the mask comes back ready with its reference', async () => {
    const storage = memoryStorage();
    const a = await ready('gpt-image-2', 1, { persist: { storage, key: 'gen:mask' } });
    await applyMask(a);
    const { url, width, height } = a.getState().mask!;
    const b = makeStore({ persist: { storage, key: 'gen:mask' } });
    // The mask code loads on demand: the saved mask is back once it has.
    const s = await until(b, (st) => st.mask !== undefined);
    expect(s.references).toHaveLength(1);
    expect(s.mask).toMatchObject({ state: 'ready', url, width, height, referenceId: s.references[0]!.id, referenceUrl: s.references[0]!.url, aside: undefined });
    expect(s.notices).toEqual([]);
    const task = await b.getState().submit();
    expect(task!.request.mask_url).toBe(url);
  });

  it('a garbled saved mask is ignored; the rest comes back', async () => {
    const saved = (mask: unknown) =>
      JSON.stringify({ v: 1, settings: { model: 'gpt-image-2' }, references: [{ name: 'a.png', url: 'https://files.example/a.png' }], tasks: [], mask });
    const good = { url: 'https://files.example/m.png', referenceUrl: 'https://files.example/a.png', width: 20, height: 14 };
    for (const mask of [
      { ...good, url: 'javascript:alert(1)' },
      { ...good, referenceUrl: 'blob:https://x/1' },
      { ...good, width: -3 },
      { ...good, height: 1.5 },
      { ...good, width: '20' },
      { ...good, referenceUrl: 'https://files.example/other.png' }, // its reference did not come back
      'mask',
      [good],
      null,
    ]) {
      const store = makeStore({ persist: { storage: memoryStorage({ 'gen:m': saved(mask) }), key: 'gen:m' } });
      await advance(100); // time for the mask code to load and look
      expect(store.getState().references).toHaveLength(1);
      expect(store.getState().mask).toBeUndefined();
    }
    const store = makeStore({ persist: { storage: memoryStorage({ 'gen:m': saved(good) }), key: 'gen:m' } });
    await advance(100);
    expect(store.getState().mask).toMatchObject({ state: 'ready', url: good.url });
  });
});
