/** The settings slice: prompt, model, aspect ratio, resolution, n and model parameters. */
import { DEFAULT_MODEL_ID } from '../../core/models/default-model';
import type { ModelCapabilities } from '../../core/models/types';
import { isProvisional, modelRegistry, storeModel } from '../models';
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
  const caps = storeModel(initial.model ?? ctx.options.model ?? DEFAULT_MODEL_ID);
  refitWhenKnown(ctx, caps);
  return {
    prompt: initial.prompt ?? '',
    model: caps.id,
    ...fit(ctx, caps, { ...initial, parameters: { ...ctx.options.initial?.parameters, ...saved?.parameters } }),
  };
}

export type Fitted = Pick<GeneratorSettings, 'aspectRatio' | 'resolution' | 'n' | 'parameters'> & Pick<GeneratorState, 'maxReferences'>;

/**
 * The settings checked against the model: an unknown ratio or resolution becomes the model's
 * default, `n` is clamped, parameters it does not take are dropped. Left as they are while the
 * model's capabilities are provisional (src/store/models.ts): they are fitted once it is known.
 */
export function fit(ctx: StoreContext, caps: ModelCapabilities, v: Partial<GeneratorSettings>, current?: ModelParameters): Fitted {
  if (isProvisional(caps)) {
    const { aspectRatio = caps.defaultAspectRatio, resolution, n = 1, parameters = {} } = v;
    return { aspectRatio, resolution, n: Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 1, parameters, maxReferences: ctx.trayMax };
  }
  const parameters = pickParameters(caps.params ?? [], v.parameters ?? {});
  return {
    aspectRatio: pickRatio(caps, v.aspectRatio),
    resolution: pickResolution(caps, v.resolution),
    n: clampN(caps, v.n ?? 1),
    parameters: current ? keepSame(current, parameters) : parameters,
    maxReferences: Math.min(ctx.trayMax, caps.maxReferences),
  };
}

/** For provisional capabilities: loads the registry, then fits the settings to the model as it is then. */
export function refitWhenKnown(ctx: StoreContext, caps: ModelCapabilities): void {
  if (!isProvisional(caps)) return;
  modelRegistry.load().then(
    () => ctx.set((s) => {
      const known = storeModel(s.model);
      return { model: known.id, ...fit(ctx, known, s, s.parameters) };
    }),
    () => {}, // not loaded (offline): the settings stay as they are; the server judges them
  );
}

/**
 * Saved settings applied late (`rehydrate`): a prompt typed meanwhile wins; saved parameters are
 * merged over the current ones.
 */
export function mergeSavedSettings(ctx: StoreContext, s: GeneratorState, saved: Partial<GeneratorSettings>): GeneratorSettings & Pick<GeneratorState, 'maxReferences'> {
  const caps = storeModel(saved.model ?? s.model);
  refitWhenKnown(ctx, caps);
  return {
    prompt: s.prompt !== '' ? s.prompt : (saved.prompt ?? ''),
    model: caps.id,
    ...fit(ctx, caps, {
      aspectRatio: saved.aspectRatio ?? s.aspectRatio,
      resolution: saved.resolution ?? s.resolution,
      n: saved.n ?? s.n,
      parameters: { ...s.parameters, ...saved.parameters },
    }),
  };
}

export function createSettingsActions(ctx: StoreContext): SettingsActions {
  const { set } = ctx;
  return {
    setPrompt: (prompt) =>
      set((s) => ({ prompt, issues: s.issues.length ? s.issues.filter((i) => i.field !== 'prompt') : s.issues })),

    setModel: (model) => {
      const caps = storeModel(model);
      refitWhenKnown(ctx, caps);
      set((s) => ({ model: caps.id, ...fit(ctx, caps, s, s.parameters), issues: [] }));
    },

    setAspectRatio: (aspectRatio) => set((s) => ({ aspectRatio, issues: s.issues.filter((i) => i.field !== 'aspectRatio') })),

    setResolution: (resolution) => set((s) => ({ resolution, issues: s.issues.filter((i) => i.field !== 'resolution') })),

    setN: (n) =>
      set((s) => {
        const caps = ctx.capabilities();
        return { n: isProvisional(caps) ? fit(ctx, caps, { n }).n : clampN(caps, n), issues: s.issues.filter((i) => i.field !== 'n') };
      }),

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
