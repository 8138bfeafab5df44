/** The settings slice: prompt, model, aspect ratio, resolution, n and model parameters. */
import { DEFAULT_MODEL_ID, resolveModel, type ModelCapabilities } from '../../core/models';
import { pickParameters, sameParameters, type ModelParameters, type ParameterValue } from '../../core/parameters';
import type { GeneratorSettings, GeneratorState } from '../types';
import type { StoreContext } from './context';

type SettingsActions = Pick<
  GeneratorState,
  'setPrompt' | 'setModel' | 'setAspectRatio' | 'setResolution' | 'setN' | 'setParameter' | 'setParameters' | 'resetParameters' | 'setMaxReferences'
>;

/**
 * The settings a store starts with: saved ones over the initial ones, each checked against the
 * model. Saved parameters win over the initial ones, which stay for the parameters not saved.
 */
export function initialSettings(ctx: StoreContext, saved: Partial<GeneratorSettings> | undefined): GeneratorSettings & Pick<GeneratorState, 'maxReferences'> {
  const initial = { ...ctx.options.initial, ...saved };
  const caps = resolveModel(initial.model ?? ctx.options.model ?? DEFAULT_MODEL_ID);
  return {
    prompt: initial.prompt ?? '',
    model: caps.id,
    aspectRatio: pickRatio(caps, initial.aspectRatio),
    resolution: pickResolution(caps, initial.resolution),
    n: clampN(caps, initial.n ?? 1),
    parameters: pickParameters(caps.params ?? [], { ...ctx.options.initial?.parameters, ...saved?.parameters }),
    maxReferences: Math.min(ctx.trayMax, caps.maxReferences),
  };
}

/**
 * Saved settings applied late (`rehydrate`): a prompt typed meanwhile wins; saved parameters are
 * merged over the current ones.
 */
export function mergeSavedSettings(ctx: StoreContext, s: GeneratorState, saved: Partial<GeneratorSettings>): GeneratorSettings & Pick<GeneratorState, 'maxReferences'> {
  const caps = resolveModel(saved.model ?? s.model);
  return {
    prompt: s.prompt !== '' ? s.prompt : (saved.prompt ?? ''),
    model: caps.id,
    aspectRatio: pickRatio(caps, saved.aspectRatio ?? s.aspectRatio),
    resolution: pickResolution(caps, saved.resolution ?? s.resolution),
    n: clampN(caps, saved.n ?? s.n),
    parameters: pickParameters(caps.params ?? [], { ...s.parameters, ...saved.parameters }),
    maxReferences: Math.min(ctx.trayMax, caps.maxReferences),
  };
}

export function createSettingsActions(ctx: StoreContext): SettingsActions {
  const { set } = ctx;
  return {
    setPrompt: (prompt) =>
      set((s) => ({ prompt, issues: s.issues.length ? s.issues.filter((i) => i.field !== 'prompt') : s.issues })),

    setModel: (model) => {
      const caps = resolveModel(model);
      set((s) => ({
        model: caps.id,
        aspectRatio: pickRatio(caps, s.aspectRatio),
        resolution: pickResolution(caps, s.resolution),
        n: clampN(caps, s.n),
        parameters: keepSame(s.parameters, pickParameters(caps.params ?? [], s.parameters)),
        maxReferences: Math.min(ctx.trayMax, caps.maxReferences),
        issues: [],
      }));
    },

    setAspectRatio: (aspectRatio) => set((s) => ({ aspectRatio, issues: s.issues.filter((i) => i.field !== 'aspectRatio') })),

    setResolution: (resolution) => set((s) => ({ resolution, issues: s.issues.filter((i) => i.field !== 'resolution') })),

    setN: (n) => set((s) => ({ n: clampN(ctx.capabilities(), n), issues: s.issues.filter((i) => i.field !== 'n') })),

    setParameter: (name, value) =>
      set((s) => {
        if (name === '__proto__') return s;
        const next = { ...s.parameters };
        if (value === undefined) delete next[name];
        else next[name] = value;
        return withParameters(s, next);
      }),

    setParameters: (values) => set((s) => withParameters(s, definedOnly(values))),

    resetParameters: () => set((s) => withParameters(s, {})),

    setMaxReferences: (max) => set({ maxReferences: Math.max(0, Math.min(Math.floor(max), ctx.capabilities().maxReferences)) }),
  };
}

/** `next` unless it holds the same values as `current` (then `current`, so selectors stay stable). */
function keepSame(current: ModelParameters, next: ModelParameters): ModelParameters {
  return sameParameters(current, next) ? current : next;
}

/** New parameters with their messages cleared; the same state (no update at all) when nothing changes. */
function withParameters(s: GeneratorState, next: ModelParameters): GeneratorState | Pick<GeneratorState, 'parameters' | 'issues'> {
  const parameters = keepSame(s.parameters, next);
  const issues = s.issues.some((i) => i.field === 'parameters') ? s.issues.filter((i) => i.field !== 'parameters') : s.issues;
  return parameters === s.parameters && issues === s.issues ? s : { parameters, issues };
}

function definedOnly(values: Readonly<Record<string, ParameterValue | undefined>>): ModelParameters {
  const out: ModelParameters = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined && name !== '__proto__') out[name] = value;
  return out;
}

function pickRatio(caps: ModelCapabilities, wanted: string | undefined): string {
  return wanted && caps.aspectRatios.includes(wanted) ? wanted : caps.defaultAspectRatio;
}

function pickResolution(caps: ModelCapabilities, wanted: string | undefined): string | undefined {
  if (caps.resolutions.length === 0) return undefined;
  const match = wanted && caps.resolutions.find((r) => r.toLowerCase() === wanted.toLowerCase());
  return match || caps.defaultResolution || caps.resolutions[0];
}

function clampN(caps: ModelCapabilities, n: number): number {
  const v = Number.isFinite(n) ? Math.floor(n) : 1;
  if (caps.n.allowed?.length) {
    return caps.n.allowed.includes(v) ? v : (caps.n.allowed.filter((a) => a <= v).pop() ?? caps.n.allowed[0]!);
  }
  return Math.max(caps.n.min, Math.min(caps.n.max, v));
}
