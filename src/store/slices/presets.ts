/**
 * The presets slice: the host's presets (read-only), the user's own (kept in long-lived storage,
 * `keep`) and the one applied last. Only this small part is in a page's first load; validating,
 * applying, saving, export and import (./presetBook.ts) load on demand, with the model registry so
 * a preset's settings are fitted to its real model: when the browser is idle, when a PresetPicker
 * mounts (`loadPresets`), or with the first preset action. The user's presets are read from storage
 * as that code arrives.
 */
import { lazyModule, withModule } from '../../core/util/lazy';
import { modelRegistry } from '../models';
import type { GeneratorPreset, GeneratorState } from '../types';
import type { StoreContext } from './context';
import type { PresetBook } from './presetBook';

type BookModule = typeof import('./presetBook');

/** Stores waiting for the presets code, to read the user's presets from storage when it arrives. */
const waiting = /* @__PURE__ */ new Set<(m: BookModule) => void>();

const presetsModule = /* @__PURE__ */ lazyModule(() =>
  Promise.all([import('./presetBook'), modelRegistry.load().catch(() => undefined)]).then(([m]) => {
    for (const arrived of [...waiting]) arrived(m);
    waiting.clear();
    return m;
  }),
);

/** Loads the presets code (and with it every store's saved presets); a mounted PresetPicker calls it. */
export function loadPresets(): Promise<void> {
  return presetsModule.load().then(() => undefined);
}

/** The id of a preset in `activePreset` and in the Preset list: `host:<name>` or `user:<name>`. */
export function presetId(kind: 'host' | 'user', name: string): string {
  return `${kind}:${name}`;
}

type PresetState = Pick<GeneratorState, 'hostPresets' | 'userPresets' | 'activePreset'>;
type PresetActions = Pick<GeneratorState, 'setHostPresets' | 'applyPreset' | 'savePreset' | 'deletePreset' | 'exportPresets' | 'importPresets'>;

/** Named presets only, the first of each name. */
function hostList(presets: readonly GeneratorPreset[] | undefined): readonly GeneratorPreset[] {
  if (!presets) return [];
  const named = presets.filter((p) => p && typeof p.name === 'string' && p.name.trim() !== '');
  return named.filter((p, i) => named.findIndex((q) => q.name === p.name) === i);
}

export function createPresets(ctx: StoreContext): { state: PresetState; actions: PresetActions; dispose(): void } {
  const keep = ctx.options.keep || undefined;
  let book: PresetBook | undefined;
  /** The store action `name`: the book's action of that name, run once its code is there. */
  const run =
    <K extends keyof PresetBook>(name: K) =>
    (...args: Parameters<PresetBook[K]>) =>
      withModule(presetsModule, (m) => ((book ??= m.createPresetBook(ctx))[name] as (...a: typeof args) => ReturnType<PresetBook[K]>)(...args));
  const loaded = presetsModule.get();
  const restore = (m: BookModule) => ctx.set({ userPresets: m.readPresets(keep) });
  if (!loaded) waiting.add(restore);
  let hostIn = ctx.options.presets;

  return {
    state: { hostPresets: hostList(hostIn), userPresets: loaded?.readPresets(keep) ?? [], activePreset: undefined },
    actions: {
      setHostPresets: (presets) => {
        if (presets === hostIn) return;
        const hostPresets = hostList((hostIn = presets));
        ctx.set((s) => ({
          hostPresets,
          // A withdrawn host preset is no longer the active one.
          activePreset: s.activePreset?.startsWith('host:') && !hostPresets.some((p) => presetId('host', p.name) === s.activePreset) ? undefined : s.activePreset,
        }));
      },
      applyPreset: run('applyPreset'),
      savePreset: run('savePreset'),
      deletePreset: run('deletePreset'),
      exportPresets: run('exportPresets'),
      importPresets: run('importPresets'),
    },
    dispose: () => void waiting.delete(restore),
  };
}
