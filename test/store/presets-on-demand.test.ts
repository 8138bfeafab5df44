/**
 * Presets before their on-demand code (src/store/slices/presetBook.ts) has loaded: this file sets
 * `kitOnDemand`, so test/setup.node.ts preloads nothing. The user's kept presets arrive with the
 * code, and the first action works without waiting for anything else.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import { describe, expect, it } from 'vitest';
import { createGeneratorStore } from '../../src/store';
import { keptKey } from '../../src/store/keep';
import { loadPresets } from '../../src/store/slices/presets';
import type { StorageLike } from '../../src/store/types';

function storageWith(key: string, value: string): StorageLike {
  const data = new Map([[key, value]]);
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('presets before their code has loaded', () => {
  it('start with the host’s presets, read the user’s when the code arrives, and act at the first call', async () => {
    const keep = { storage: storageWith('toapis-kit:presets:s', JSON.stringify({ v: 1, presets: [{ name: 'Kept', aspectRatio: '4:3' }] })), scope: 's' };
    expect(keptKey(keep, 'presets')).toBe('toapis-kit:presets:s');
    const a = createGeneratorStore({ backendUrl: 'http://127.0.0.1:1', connected: false, keep, presets: [{ name: 'Host', aspectRatio: '16:9' }] });
    const b = createGeneratorStore({ backendUrl: 'http://127.0.0.1:1', connected: false, keep });
    expect(a.getState().hostPresets.map((p) => p.name)).toEqual(['Host']);
    expect(a.getState().userPresets).toEqual([]);
    // The first action loads the code; the kept presets are there before it runs.
    expect(await a.getState().applyPreset('Kept')).toBe(true);
    expect(a.getState().aspectRatio).toBe('4:3');
    // Every store waiting for the code got its presets.
    await loadPresets();
    expect(b.getState().userPresets).toEqual([{ name: 'Kept', aspectRatio: '4:3' }]);
    a.getState().dispose();
    b.getState().dispose();
  });
});
