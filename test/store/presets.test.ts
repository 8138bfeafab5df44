/**
 * Presets in the store (issue 14): the host's (read-only, live) and the user's own (saved, applied,
 * deleted, kept in long-lived storage), export and import with all-or-nothing validation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { GeneratorPreset, GeneratorStoreOptions, PresetImportResult, StorageLike } from '../../src/store/types';
import { keptKey } from '../../src/store/keep';
import { MODELS } from '../../src/core/models';

const SCOPE = 'https://api.example.com';
const KEY = keptKey({ storage: undefined as never, scope: SCOPE }, 'presets');

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const stores: GeneratorStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.getState().dispose();
});

function make(options: Partial<GeneratorStoreOptions> = {}): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: 'http://127.0.0.1:1', connected: false, ...options });
  stores.push(store);
  return store;
}

const BRAND: GeneratorPreset[] = [
  { name: 'Brand poster', model: 'gpt-image-2', aspectRatio: '2:3', resolution: '2K', n: 1, parameters: { quality: 'high' } },
  { name: 'Brand banner', aspectRatio: '16:9', prompt: 'A clean banner in brand colours' },
];

const errorOf = (r: PresetImportResult) => ('error' in r ? r.error : undefined);

describe('presets: save, apply, delete', () => {
  it('saves the current settings as a user preset and applies it again later', async () => {
    const store = make();
    const st = store.getState();
    st.setAspectRatio('16:9');
    st.setResolution('2K');
    st.setN(3);
    st.setParameter('google_search', true);
    st.setPrompt('a red fox');
    const saved = await st.savePreset('  Fox wide  ');
    expect(saved).toEqual({
      preset: { name: 'Fox wide', model: 'gemini-3.1-flash-image-preview', aspectRatio: '16:9', resolution: '2K', n: 3, parameters: { google_search: true } },
      replaced: false,
    });
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Fox wide']);
    expect(store.getState().activePreset).toBe('user:Fox wide');

    st.setAspectRatio('1:1');
    st.setN(1);
    st.resetParameters();
    st.setPrompt('kept');
    expect(await st.applyPreset('Fox wide')).toBe(true);
    const s = store.getState();
    expect([s.aspectRatio, s.resolution, s.n, s.parameters]).toEqual(['16:9', '2K', 3, { google_search: true }]);
    // Saved without the prompt: the prompt stays as it is.
    expect(s.prompt).toBe('kept');
  });

  it('keeps the prompt only when asked to, and applies it', async () => {
    const store = make();
    store.getState().setPrompt('a lighthouse at dusk');
    const r = await store.getState().savePreset('With prompt', { includePrompt: true });
    expect('preset' in r && r.preset.prompt).toBe('a lighthouse at dusk');
    store.getState().setPrompt('');
    await store.getState().applyPreset('user:With prompt');
    expect(store.getState().prompt).toBe('a lighthouse at dusk');
  });

  it('replaces the user’s own preset of the same name, refuses an empty or a host preset’s name', async () => {
    const store = make({ presets: BRAND });
    const st = store.getState();
    await st.savePreset('Mine');
    st.setAspectRatio('4:3');
    const again = await st.savePreset('Mine');
    expect('replaced' in again && again.replaced).toBe(true);
    expect(store.getState().userPresets).toHaveLength(1);
    expect(store.getState().userPresets[0]!.aspectRatio).toBe('4:3');

    const empty = await st.savePreset('   ');
    expect('error' in empty && empty.error).toMatchObject({ code: 'preset.name_required', message: 'Enter a name for the preset.' });
    const host = await st.savePreset('Brand poster');
    expect('error' in host && host.error).toMatchObject({ code: 'preset.name_reserved', params: { name: 'Brand poster' } });
    const long = await st.savePreset('x'.repeat(81));
    expect('error' in long && long.error.code).toBe('preset.name_too_long');
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Mine']);
    expect(store.getState().hostPresets).toHaveLength(2);
  });

  it('fits a preset’s values to its model: a ratio the model does not offer falls back to its default', async () => {
    const store = make({
      presets: [
        { name: 'Odd', model: 'gpt-image-2', aspectRatio: '8:1', resolution: '9K', n: 99, parameters: { quality: 'high', google_search: true } },
      ],
    });
    expect(await store.getState().applyPreset('Odd')).toBe(true);
    const s = store.getState();
    expect(s.model).toBe('gpt-image-2');
    const caps = MODELS['gpt-image-2']!;
    expect(caps.aspectRatios).not.toContain('8:1');
    expect(s.aspectRatio).toBe(caps.defaultAspectRatio);
    expect(s.resolution).toBe(caps.defaultResolution ?? caps.resolutions[0]);
    expect(s.n).toBe(caps.n.max);
    // gpt-image-2 takes quality, not Gemini's web search.
    expect(s.parameters).toEqual({ quality: 'high' });
    expect(s.activePreset).toBe('host:Odd');
  });

  it('applies a host preset by id or name, and reports an unknown one', async () => {
    const store = make({ presets: BRAND });
    expect(await store.getState().applyPreset('host:Brand poster')).toBe(true);
    expect(store.getState()).toMatchObject({ model: 'gpt-image-2', aspectRatio: '2:3', resolution: '2K', parameters: { quality: 'high' } });
    expect(await store.getState().applyPreset('Brand banner')).toBe(true);
    // Only what the preset holds changes: model and resolution stay, the prompt is filled in.
    expect(store.getState()).toMatchObject({ model: 'gpt-image-2', aspectRatio: '16:9', resolution: '2K', prompt: 'A clean banner in brand colours' });
    expect(store.getState().activePreset).toBe('host:Brand banner');
    expect(await store.getState().applyPreset('nope')).toBe(false);
    expect(store.getState().activePreset).toBe('host:Brand banner');
  });

  it('deletes only the user’s own presets, and clears the active one', async () => {
    const store = make({ presets: BRAND });
    await store.getState().savePreset('Mine');
    expect(store.getState().activePreset).toBe('user:Mine');
    expect(await store.getState().deletePreset('Brand poster')).toBe(false);
    expect(await store.getState().deletePreset('host:Brand poster')).toBe(false);
    expect(store.getState().hostPresets).toHaveLength(2);
    expect(await store.getState().deletePreset('user:Mine')).toBe(true);
    expect(store.getState().userPresets).toEqual([]);
    expect(store.getState().activePreset).toBeUndefined();
    expect(await store.getState().deletePreset('Mine')).toBe(false);
  });
});

describe('host presets', () => {
  it('are read-only and updated live by setHostPresets; a withdrawn active one is cleared', async () => {
    const store = make({ presets: [...BRAND, { name: 'Brand poster', aspectRatio: '1:1' }, { name: '' } as GeneratorPreset] });
    // Unnamed entries are left out; of two with one name the first is kept.
    expect(store.getState().hostPresets.map((p) => p.name)).toEqual(['Brand poster', 'Brand banner']);
    await store.getState().applyPreset('Brand banner');
    store.getState().setHostPresets([BRAND[0]!, { name: 'Brand square', aspectRatio: '1:1' }]);
    expect(store.getState().hostPresets.map((p) => p.name)).toEqual(['Brand poster', 'Brand square']);
    expect(store.getState().activePreset).toBeUndefined();
    await store.getState().applyPreset('Brand square');
    store.getState().setHostPresets([{ name: 'Brand square', aspectRatio: '3:2' }]);
    expect(store.getState().activePreset).toBe('host:Brand square');
    store.getState().setHostPresets(undefined);
    expect(store.getState().hostPresets).toEqual([]);
  });
});

describe('presets in long-lived storage', () => {
  it('survive a new store on the same storage (round trip), per scope', async () => {
    const storage = memoryStorage();
    const a = make({ keep: { storage, scope: SCOPE } });
    a.getState().setAspectRatio('3:4');
    await a.getState().savePreset('Portrait');
    expect(JSON.parse(storage.data.get(KEY)!)).toEqual({ v: 1, presets: [expect.objectContaining({ name: 'Portrait', aspectRatio: '3:4' })] });

    const b = make({ keep: { storage, scope: SCOPE } });
    expect(b.getState().userPresets).toEqual(a.getState().userPresets);
    const other = make({ keep: { storage, scope: 'https://other.example.com' } });
    expect(other.getState().userPresets).toEqual([]);

    await b.getState().deletePreset('Portrait');
    expect(JSON.parse(storage.data.get(KEY)!)).toEqual({ v: 1, presets: [] });
  });

  it('ignores garbled storage and garbled entries, and never crashes', async () => {
    for (const raw of ['{not json', '42', 'null', '{"v":2,"presets":[]}', '{"v":1,"presets":{}}']) {
      const store = make({ keep: { storage: memoryStorage({ [KEY]: raw }), scope: SCOPE } });
      expect(store.getState().userPresets, raw).toEqual([]);
    }
    const mixed = JSON.stringify({
      v: 1,
      presets: [
        { name: 'Good', aspectRatio: '16:9', n: 2, parameters: { google_search: true, bad: { deep: 1 } } },
        { name: 42 },
        null,
        { name: 'Huge n', n: Infinity, model: 7 },
        JSON.parse('{"name":"Proto","__proto__":{"polluted":true}}'),
        { name: 'Good', aspectRatio: '1:1' },
      ],
    });
    const store = make({ keep: { storage: memoryStorage({ [KEY]: mixed }), scope: SCOPE } });
    expect(store.getState().userPresets).toEqual([
      { name: 'Good', aspectRatio: '16:9', n: 2, parameters: { google_search: true } },
      { name: 'Huge n' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A storage that throws loses nothing in memory.
    const broken: StorageLike = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    const b = make({ keep: { storage: broken, scope: SCOPE } });
    expect((await b.getState().savePreset('Still here')) ).toMatchObject({ replaced: false });
    expect(b.getState().userPresets.map((p) => p.name)).toEqual(['Still here']);
  });
});

describe('export and import', () => {
  it('exports pretty, versioned JSON that imports back (round trip)', async () => {
    const a = make();
    a.getState().setAspectRatio('21:9');
    a.getState().setPrompt('cinematic');
    await a.getState().savePreset('Cinema', { includePrompt: true });
    await a.getState().savePreset('Plain');
    const json = await a.getState().exportPresets();
    expect(json).toContain('\n  "presets": [');
    expect(JSON.parse(json)).toEqual({ v: 1, presets: a.getState().userPresets });

    const b = make();
    expect(await b.getState().importPresets(json)).toEqual({ added: 2, replaced: 0 });
    expect(b.getState().userPresets).toEqual(a.getState().userPresets);
    expect(await b.getState().importPresets(json)).toEqual({ added: 0, replaced: 2 });
    expect(b.getState().userPresets).toHaveLength(2);
  });

  it('adds new presets and replaces those of the same name', async () => {
    const storage = memoryStorage();
    const store = make({ keep: { storage, scope: SCOPE } });
    await store.getState().savePreset('Keep');
    await store.getState().savePreset('Swap');
    const json = JSON.stringify({ v: 1, presets: [{ name: 'Swap', aspectRatio: '9:16' }, { name: 'New', n: 2 }, { name: 'Newer', description: 'two in one file: the later wins' }, { name: 'Newer', n: 4 }] });
    expect(await store.getState().importPresets(json)).toEqual({ added: 2, replaced: 1 });
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Keep', 'Swap', 'New', 'Newer']);
    expect(store.getState().userPresets[1]).toEqual({ name: 'Swap', aspectRatio: '9:16' });
    expect(store.getState().userPresets[3]).toEqual({ name: 'Newer', n: 4 });
    // Kept too.
    expect(JSON.parse(storage.data.get(KEY)!).presets).toHaveLength(4);
  });

  it('refuses bad JSON, another shape or an invalid entry with a clear message, and changes nothing', async () => {
    const storage = memoryStorage();
    const store = make({ presets: BRAND, keep: { storage, scope: SCOPE } });
    await store.getState().savePreset('Mine');
    const before = store.getState().userPresets;
    const kept = storage.data.get(KEY);

    const cases: Array<[string, string, Record<string, unknown>?]> = [
      ['{"v":1,"presets":[', 'preset.invalid_json'],
      ['', 'preset.invalid_json'],
      ['[]', 'preset.wrong_shape'],
      ['{"v":1}', 'preset.wrong_shape'],
      ['{"presets":[]}', 'preset.wrong_shape', { version: '?' }],
      ['{"v":2,"presets":[]}', 'preset.wrong_shape', { version: '2' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'Fine' }, { name: 'Bad n', n: 'three' }] }), 'preset.invalid_entry', { index: 2, name: 'Bad n', field: 'n' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'Fine' }, { aspectRatio: '1:1' }] }), 'preset.invalid_entry', { index: 2, field: 'name' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'Mine', n: 1e9 }] }), 'preset.invalid_entry', { index: 1, field: 'n' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'P', parameters: { seed: { deep: true } } }] }), 'preset.invalid_entry', { field: 'parameters' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'P', model: 'x'.repeat(201) }] }), 'preset.invalid_entry', { field: 'model' }],
      ['{"v":1,"presets":[{"name":"P","__proto__":{"polluted":true}}]}', 'preset.invalid_entry', { field: '__proto__' }],
      ['{"v":1,"presets":[{"name":"P","parameters":{"__proto__":{"polluted":true}}}]}', 'preset.invalid_entry', { field: 'parameters' }],
      [JSON.stringify({ v: 1, presets: [{ name: 'Brand poster' }] }), 'preset.name_reserved', { index: 1, name: 'Brand poster' }],
      [JSON.stringify({ v: 1, presets: Array.from({ length: 101 }, (_, i) => ({ name: `p${i}` })) }), 'preset.too_many', { count: 101, max: 100 }],
      [JSON.stringify({ v: 1, presets: Array.from({ length: 100 }, (_, i) => ({ name: `p${i}` })) }), 'preset.too_many', { count: 101, max: 100 }],
      [' '.repeat(5_000_001), 'preset.file_too_large'],
    ];
    for (const [json, code, values] of cases) {
      const error = errorOf(await store.getState().importPresets(json));
      expect(error?.code, json.slice(0, 80)).toBe(code);
      expect(error?.message.length, code).toBeGreaterThan(10);
      if (values) expect(error?.params, json.slice(0, 80)).toMatchObject(values);
      expect(store.getState().userPresets).toBe(before);
      expect(storage.data.get(KEY)).toBe(kept);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errorOf(await store.getState().importPresets('{oops'))?.message).toBe('The file is not valid JSON; no presets were imported.');
  });
});
