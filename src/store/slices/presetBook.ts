/**
 * Presets, the part that loads on demand (./presets.ts declares it): validating presets read from
 * storage or a file, applying one, saving, deleting, export and import. Everything read back or
 * imported is checked field by field; an import is all or nothing.
 */
import type { MessageParams } from '../../core/messages';
import { readKept, writeKept } from '../keep';
import { params } from '../persistence';
import type { GeneratorPreset, GeneratorState, KeepOptions, PresetImportResult, PresetMessage, PresetSaveResult } from '../types';
import type { StoreContext } from './context';

/** Version of the presets file (`exportPresets`) and of what is kept in storage. */
export const PRESETS_VERSION = 1;
/** The user's presets kept at most. */
export const MAX_PRESETS = 100;
export const MAX_NAME = 80;
/** Largest presets file read, in characters. */
export const MAX_FILE = 5_000_000;

const KEPT = 'presets';
const LIMITS = { description: 500, prompt: 32_000, model: 200, aspectRatio: 50, resolution: 20 } as const;

type Parsed = { preset: GeneratorPreset } | { field: string };

/**
 * One preset, field by field. `strict` (an import): any field of the wrong type or size makes the
 * whole preset invalid (`{ field }`); otherwise (storage, the host's) such a field is left out.
 * A name is required either way; an own `__proto__` key is refused.
 */
export function parsePreset(value: unknown, strict: boolean): Parsed {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { field: 'name' };
  const o = value as Record<string, unknown>;
  if (Object.hasOwn(o, '__proto__')) return { field: '__proto__' };
  const name = typeof o.name === 'string' ? o.name.trim() : '';
  if (!name || name.length > MAX_NAME) return { field: 'name' };
  const preset: GeneratorPreset = { name };
  for (const key of ['description', 'prompt', 'model', 'aspectRatio', 'resolution'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v === 'string' && v.length <= LIMITS[key] && (key === 'description' || key === 'prompt' || v.trim() !== '')) preset[key] = v;
    else if (strict) return { field: key };
  }
  if (o.n !== undefined) {
    if (typeof o.n === 'number' && Number.isInteger(o.n) && o.n >= 1 && o.n <= 100) preset.n = o.n;
    else if (strict) return { field: 'n' };
  }
  if (o.parameters !== undefined) {
    const p = params(o.parameters);
    const given = o.parameters && typeof o.parameters === 'object' && !Array.isArray(o.parameters) ? Object.keys(o.parameters).length : -1;
    // In strict mode every parameter given must survive the check (none dropped, none refused).
    if (strict && given !== Object.keys(p ?? {}).length) return { field: 'parameters' };
    if (given >= 0) preset.parameters = p ?? {};
  }
  return { preset };
}

/** Presets kept in storage: garbled entries are left out, a garbled whole is ignored. */
export function parseKept(value: unknown): GeneratorPreset[] | undefined {
  const o = value as { v?: unknown; presets?: unknown } | null;
  if (!o || typeof o !== 'object' || o.v !== PRESETS_VERSION || !Array.isArray(o.presets)) return undefined;
  const out: GeneratorPreset[] = [];
  for (const entry of o.presets) {
    const parsed = parsePreset(entry, false);
    if ('preset' in parsed && !out.some((p) => p.name === parsed.preset.name)) out.push(parsed.preset);
    if (out.length >= MAX_PRESETS) break;
  }
  return out;
}

/** The user's presets kept in storage (none when there is no storage, or what it holds is garbled). */
export function readPresets(keep: KeepOptions | undefined): GeneratorPreset[] {
  return readKept(keep, KEPT, parseKept) ?? [];
}

function file(presets: readonly GeneratorPreset[]): { v: number; presets: readonly GeneratorPreset[] } {
  return { v: PRESETS_VERSION, presets };
}

function refusal(code: PresetMessage['code'], message: string, values?: MessageParams): { error: PresetMessage } {
  return { error: { code, message, ...(values && { params: values }) } };
}

const hostId = (name: string) => `host:${name}`;
const userId = (name: string) => `user:${name}`;

/** The store's preset actions, synchronous (./presets.ts runs them once this code has loaded). */
export interface PresetBook {
  applyPreset(ref: string): boolean;
  savePreset(name: string, options?: { includePrompt?: boolean; description?: string }): PresetSaveResult;
  deletePreset(ref: string): boolean;
  exportPresets(): string;
  importPresets(json: string): PresetImportResult;
}

export function createPresetBook(ctx: StoreContext): PresetBook {
  const { get, set } = ctx;
  const keep = ctx.options.keep || undefined;

  /** A preset by id (`host:<name>`, `user:<name>`) or by name (the host's first). */
  const find = (ref: string): { id: string; preset: GeneratorPreset; own: boolean } | undefined => {
    const s = get();
    const host = (name: string) => s.hostPresets.find((p) => p.name === name);
    const user = (name: string) => s.userPresets.find((p) => p.name === name);
    const byHost = ref.startsWith('host:') ? host(ref.slice(5)) : undefined;
    if (byHost) return { id: ref, preset: byHost, own: false };
    const byUser = ref.startsWith('user:') ? user(ref.slice(5)) : undefined;
    if (byUser) return { id: ref, preset: byUser, own: true };
    const h = host(ref);
    if (h) return { id: hostId(ref), preset: h, own: false };
    const u = user(ref);
    return u ? { id: userId(ref), preset: u, own: true } : undefined;
  };

  const store = (userPresets: GeneratorPreset[], extra?: Partial<GeneratorState>) => {
    set({ userPresets, ...extra });
    writeKept(keep, KEPT, file(userPresets));
  };

  const reserved = (name: string) => get().hostPresets.some((p) => p.name === name);

  return {
    applyPreset: (ref) => {
      const found = find(ref);
      if (!found) return false;
      // The host's presets are taken as given: anything malformed in them is left out here.
      const parsed = parsePreset(found.preset, false);
      if (!('preset' in parsed)) return false;
      const p = parsed.preset;
      const st = get();
      const model = p.model ?? st.model;
      // Model first, then the rest, then the model again: that last step fits every value to it.
      st.setModel(model);
      if (p.aspectRatio !== undefined) st.setAspectRatio(p.aspectRatio);
      if (p.resolution !== undefined) st.setResolution(p.resolution);
      if (p.n !== undefined) st.setN(p.n);
      if (p.parameters !== undefined) st.setParameters(p.parameters);
      st.setModel(model);
      if (p.prompt !== undefined) st.setPrompt(p.prompt);
      set({ activePreset: found.id });
      return true;
    },

    savePreset: (rawName, options = {}) => {
      const name = rawName.trim();
      if (!name) return refusal('preset.name_required', 'Enter a name for the preset.');
      if (name.length > MAX_NAME) {
        return refusal('preset.name_too_long', `The preset name is ${name.length} characters; at most ${MAX_NAME} are allowed.`, { length: name.length, max: MAX_NAME });
      }
      if (reserved(name)) return refusal('preset.name_reserved', `"${name}" is one of this site's presets and cannot be replaced; choose another name.`, { name });
      const s = get();
      const index = s.userPresets.findIndex((p) => p.name === name);
      if (index < 0 && s.userPresets.length >= MAX_PRESETS) {
        return refusal('preset.too_many', `At most ${MAX_PRESETS} presets can be kept; delete one first.`, { max: MAX_PRESETS });
      }
      const description = options.description?.trim().slice(0, LIMITS.description);
      const preset: GeneratorPreset = {
        name,
        ...(description && { description }),
        ...(options.includePrompt && s.prompt.trim() !== '' && { prompt: s.prompt.slice(0, LIMITS.prompt) }),
        model: s.model,
        aspectRatio: s.aspectRatio,
        ...(s.resolution !== undefined && { resolution: s.resolution }),
        n: s.n,
        parameters: { ...s.parameters },
      };
      const next = [...s.userPresets];
      if (index >= 0) next[index] = preset;
      else next.push(preset);
      store(next, { activePreset: userId(name) });
      return { preset, replaced: index >= 0 };
    },

    deletePreset: (ref) => {
      // A bare name means the user's preset of that name, even when the host has one too.
      const found = find(/^(host|user):/.test(ref) ? ref : userId(ref));
      if (!found?.own) return false;
      const s = get();
      store(
        s.userPresets.filter((p) => p !== found.preset),
        s.activePreset === found.id ? { activePreset: undefined } : undefined,
      );
      return true;
    },

    exportPresets: () => JSON.stringify(file(get().userPresets), null, 2),

    importPresets: (json) => {
      if (json.length > MAX_FILE) {
        return refusal('preset.file_too_large', `The file is ${(json.length / 1e6).toFixed(1)} MB; a presets file is at most ${MAX_FILE / 1e6} MB. No presets were imported.`, {
          size: json.length,
          max: MAX_FILE,
        });
      }
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch {
        return refusal('preset.invalid_json', 'The file is not valid JSON; no presets were imported.');
      }
      const o = data as { v?: unknown; presets?: unknown } | null;
      if (!o || typeof o !== 'object' || Array.isArray(o) || !Array.isArray(o.presets)) {
        return refusal('preset.wrong_shape', 'The file is not a presets file (it should hold { "v": 1, "presets": [...] }); no presets were imported.');
      }
      if (o.v !== PRESETS_VERSION) {
        const version = typeof o.v === 'number' || typeof o.v === 'string' ? String(o.v).slice(0, 20) : '?';
        return refusal('preset.wrong_shape', `The file holds presets of version ${version}, which this kit cannot read; no presets were imported.`, { version });
      }
      if (o.presets.length > MAX_PRESETS) {
        return refusal('preset.too_many', `The file holds ${o.presets.length} presets; at most ${MAX_PRESETS} can be kept. No presets were imported.`, { count: o.presets.length, max: MAX_PRESETS });
      }
      const incoming: GeneratorPreset[] = [];
      for (const [i, entry] of o.presets.entries()) {
        const parsed = parsePreset(entry, true);
        const index = i + 1;
        if (!('preset' in parsed)) {
          const raw = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
          const name = typeof raw === 'string' ? raw.trim().slice(0, MAX_NAME) : '';
          return refusal('preset.invalid_entry', `Preset ${index}${name ? ` ("${name}")` : ''} in the file has an invalid "${parsed.field}"; no presets were imported.`, {
            index,
            ...(name && { name }),
            field: parsed.field,
          });
        }
        const { name } = parsed.preset;
        if (reserved(name)) {
          return refusal('preset.name_reserved', `Preset ${index} in the file is named "${name}", like one of this site's presets; no presets were imported.`, { index, name });
        }
        // The same name twice in one file: the later one wins.
        const same = incoming.findIndex((p) => p.name === name);
        if (same >= 0) incoming.splice(same, 1);
        incoming.push(parsed.preset);
      }
      const current = get().userPresets;
      const next = [...current];
      let added = 0;
      let replaced = 0;
      for (const preset of incoming) {
        const at = next.findIndex((p) => p.name === preset.name);
        if (at >= 0) {
          next[at] = preset;
          replaced += 1;
        } else {
          next.push(preset);
          added += 1;
        }
      }
      if (next.length > MAX_PRESETS) {
        return refusal('preset.too_many', `That would make ${next.length} presets; at most ${MAX_PRESETS} can be kept. No presets were imported.`, { count: next.length, max: MAX_PRESETS });
      }
      if (incoming.length > 0) {
        const active = get().activePreset;
        // A replaced preset that was the active one no longer holds what was applied.
        const stale = active !== undefined && incoming.some((p) => userId(p.name) === active);
        store(next, stale ? { activePreset: undefined } : undefined);
      }
      return { added, replaced };
    },
  };
}
