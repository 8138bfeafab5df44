/**
 * Session persistence: the prompt, the settings, uploaded references and the tasks survive a
 * reload. Storage is injected (`sessionStorage` in the browser); whatever
 * is read back is validated field by field, so a garbled entry is ignored, never trusted.
 */
import { ToapisError } from '../core/errors';
import { RESULT_TTL_MS } from '../core/expiry';
import type { ModelParameters } from '../core/parameters';
import type { TaskSnapshot } from '../core/protocol';
import type { SubmitRequest } from '../core/submit-request';
import { isSubmitRequest } from '../core/submit-request-check';
import { isSafeUrl } from '../core/util/url';
import { TASK_PHASES, isRunning, isTerminal, type GenerationTask, type TaskPhase } from '../core/task';
import type { GeneratorSettings, GeneratorState, PersistOptions } from './types';

export type { PersistOptions, StorageLike } from './types';

export interface PersistedState {
  settings: Partial<GeneratorSettings>;
  references: Array<{ name: string; url: string; width?: number; height?: number }>;
  tasks: Array<Omit<GenerationTask, 'id'>>;
  /**
   * Saved tasks that were garbled (an unknown phase, a request that is not a valid submit body…)
   * and were left out, never sent again: the saved prompt when there was one, else ''.
   */
  dropped: string[];
  /**
   * The inpainting mask (issue 15) as it was read, not yet checked: the mask code (loaded on demand,
   * src/store/slices/maskOps.ts) validates it and restores it with its reference.
   */
  mask?: unknown;
}

const VERSION = 1;
const SAVED_PHASES: readonly TaskPhase[] = TASK_PHASES.filter((p) => p !== 'idle');

/** Turns a normalised snapshot back into the wire shape, so `parseTask` re-validates it. */
export function rawOfSnapshot(value: object): Record<string, unknown> {
  const s = value as Partial<TaskSnapshot>;
  return {
    id: s.id,
    status: s.status,
    progress: s.progress,
    model: s.model,
    client_business_id: s.clientBusinessId,
    revised_prompt: s.revisedPrompt,
    created_at: s.createdAt,
    completed_at: s.completedAt,
    expires_at: s.expiresAt,
    queue_position: s.queuePosition,
    ...(Array.isArray(s.images) && { result: { type: 'image', data: s.images.map((i) => ({ ...i?.extra, url: i?.url })) } }),
    ...(s.error && { error: s.error }),
  };
}

const str = (v: unknown, max = 100_000): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Saved model parameters: names of at most 64 characters mapped to flags, finite numbers or short
 * strings; anything else is left out (the store checks the rest against the model). `undefined`
 * when there are none.
 */
export function params(v: unknown): ModelParameters | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: ModelParameters = {};
  for (const [name, value] of Object.entries(v as Record<string, unknown>).slice(0, 32)) {
    if (name.length > 64 || name === '__proto__') continue;
    if (typeof value === 'boolean' || num(value) !== undefined || str(value, 200) !== undefined) out[name] = value as boolean | number | string;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function loadPersisted(options: PersistOptions): PersistedState | undefined {
  let raw: string | null;
  try {
    raw = options.storage.getItem(options.key);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || data.v !== VERSION) return undefined;
  const settingsIn = (data.settings ?? {}) as Record<string, unknown>;
  const settings: Partial<GeneratorSettings> = {};
  if (str(settingsIn.prompt) !== undefined) settings.prompt = str(settingsIn.prompt)!;
  if (str(settingsIn.model, 200)) settings.model = str(settingsIn.model, 200)!;
  if (str(settingsIn.aspectRatio, 50)) settings.aspectRatio = str(settingsIn.aspectRatio, 50)!;
  if (str(settingsIn.resolution, 20)) settings.resolution = str(settingsIn.resolution, 20)!;
  if (num(settingsIn.n) !== undefined) settings.n = num(settingsIn.n)!;
  const parameters = params(settingsIn.parameters);
  if (parameters) settings.parameters = parameters;

  const references: PersistedState['references'] = [];
  for (const r of Array.isArray(data.references) ? data.references.slice(0, 64) : []) {
    const o = (r ?? {}) as Record<string, unknown>;
    if (!isSafeUrl(o.url) || String(o.url).startsWith('blob:')) continue;
    references.push({ name: str(o.name, 500) ?? 'image', url: String(o.url), ...(num(o.width) && { width: num(o.width)! }), ...(num(o.height) && { height: num(o.height)! }) });
  }

  const tasks: PersistedState['tasks'] = [];
  const dropped: string[] = [];
  for (const t of Array.isArray(data.tasks) ? data.tasks.slice(0, 64) : []) {
    const task = savedTask(t);
    if (task) tasks.push(task);
    else dropped.push(savedPrompt(t));
  }
  return { settings, references, tasks, dropped, ...(data.mask !== undefined && { mask: data.mask }) };
}

/** The request a saved task would send again, checked as a submit body; undefined when it is not one. */
function savedRequest(value: unknown): SubmitRequest | undefined {
  return isSubmitRequest(value) ? { ...value } : undefined;
}

function savedPrompt(value: unknown): string {
  const o = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const request = (o.request && typeof o.request === 'object' ? o.request : {}) as Record<string, unknown>;
  return (str(request.prompt) ?? str(o.prompt) ?? '').slice(0, 80);
}

/** One saved task, validated field by field; undefined when it cannot be trusted. */
function savedTask(value: unknown): Omit<GenerationTask, 'id'> | undefined {
  const o = (value ?? {}) as Record<string, unknown>;
  const phase = SAVED_PHASES.includes(o.phase as TaskPhase) ? (o.phase as TaskPhase) : undefined;
  const request = savedRequest(o.request);
  const clientBusinessId = str(o.clientBusinessId, 200);
  if (!phase || !request || clientBusinessId === undefined) return undefined;
  const taskId = str(o.taskId, 200);
  // Past the submit, a running task is followed by its upstream id.
  if (isRunning(phase) && phase !== 'submitting' && !taskId) return undefined;
  const images = (Array.isArray(o.images) ? o.images : [])
    .map((i) => (i && typeof i === 'object' ? (i as { url?: unknown }).url : undefined))
    .filter(isSafeUrl)
    .map((url) => ({ url }));
  const createdAt = num(o.createdAt) ?? 0;
  const completedAt = num(o.completedAt);
  // Saved before expiry was kept: results live 24 h from completion.
  const expiresAt = num(o.expiresAt) ?? (phase === 'completed' && completedAt !== undefined ? completedAt + RESULT_TTL_MS : undefined);
  const parameters = params(o.parameters);
  const generatingAt = num(o.generatingAt);
  return {
    taskId,
    clientBusinessId,
    phase,
    progress: num(o.progress) ?? null,
    status: str(o.status, 64),
    request,
    // The prompt is saved once, in the request (older saves also had it beside it).
    prompt: request.prompt,
    model: str(o.model, 200) ?? request.model,
    aspectRatio: str(o.aspectRatio, 50),
    resolution: str(o.resolution, 20),
    n: num(o.n) ?? 1,
    ...(parameters && { parameters }),
    images,
    revisedPrompt: str(o.revisedPrompt),
    error: o.error ? ToapisError.fromJSON(o.error) : undefined,
    retry: undefined,
    createdAt,
    updatedAt: createdAt,
    completedAt,
    ...(expiresAt !== undefined && { expiresAt }),
    ...(generatingAt !== undefined && generatingAt >= 0 && { generatingAt }),
  };
}

/** Writes the persisted part of the state when it changed; returns what was written. */
export function savePersisted(options: PersistOptions, state: GeneratorState, previous: string): string {
  const keep = options.keepFinished ?? 12;
  const finished = state.tasks.filter((t) => isTerminal(t.phase)).slice(-keep);
  const running = state.tasks.filter((t) => isRunning(t.phase));
  const tasks = state.tasks
    .filter((t) => finished.includes(t) || running.includes(t))
    .map((t) => ({
      taskId: t.taskId,
      clientBusinessId: t.clientBusinessId,
      phase: t.phase,
      progress: t.progress,
      status: t.status,
      request: t.request,
      model: t.model,
      aspectRatio: t.aspectRatio,
      resolution: t.resolution,
      n: t.n,
      parameters: t.parameters,
      images: t.images.map((i) => ({ url: i.url })),
      revisedPrompt: t.revisedPrompt,
      error: t.error?.toJSON(),
      createdAt: t.createdAt,
      completedAt: t.completedAt,
      expiresAt: t.expiresAt,
      generatingAt: t.generatingAt,
    }));
  const json = JSON.stringify({
    v: VERSION,
    settings: {
      prompt: state.prompt,
      model: state.model,
      aspectRatio: state.aspectRatio,
      resolution: state.resolution,
      n: state.n,
      parameters: state.parameters,
    },
    references: state.references
      .filter((r) => r.state === 'ready' && r.url && !r.url.startsWith('blob:'))
      .map((r) => ({ name: r.name, url: r.url, width: r.width, height: r.height })),
    tasks,
    ...(state.mask?.state === 'ready' && state.mask.url && state.mask.referenceUrl && {
      mask: { url: state.mask.url, referenceUrl: state.mask.referenceUrl, width: state.mask.width, height: state.mask.height },
    }),
  });
  if (json === previous) return previous;
  try {
    options.storage.setItem(options.key, json);
  } catch {
    // storage full or blocked (private mode): persistence is best effort
  }
  return json;
}
