/**
 * Many jobs (issue 14): "Reuse settings" and "More like this" from a task row, and the list-wide
 * "Cancel all", "Clear finished" and its undo. Part of the engine (./engine.ts), so none of it is in
 * a first load: every action needs a task, and tasks bring the engine.
 *
 * "Clear finished" keeps what it removed in this closure, never in the state: persistence
 * (src/store/persistence.ts) writes `state.tasks` only, so cleared tasks are not saved back. The
 * state carries `clearedTasks: { count, until }` for the view; the undo works while the store's
 * injected `now()` is before `until` (10 s). No timer here: the view hides its Undo button at
 * `until` and calls `forgetClearedTasks()`; the next clear or a late undo drops them too.
 */
import { createBusinessId } from '../../core/util/business-id';
import { isSafeUrl } from '../../core/util/url';
import { isRunning, isTerminal, newTask, type GenerationTask } from '../../core/task';
import { EXPIRED_REFERENCE_MESSAGE, hostedReference } from '../records';
import type { GeneratorSettings, GeneratorState, ReferenceItem, ReuseResult } from '../types';
import type { StoreContext } from './context';
import { fit, refitWhenKnown, type Fitted } from './settings';
import { storeModel } from '../models';
import type { TasksSlice } from './tasks';

/** How long "Clear finished" can be undone. */
export const UNDO_CLEAR_MS = 10_000;

/** The store's job actions (src/store/types.ts), synchronous here: the store wraps them in `withEngine`. */
export interface JobActions {
  reuseSettings(taskLocalId: string): ReuseResult | undefined;
  moreLikeThis: GeneratorState['moreLikeThis'];
  cancelAll(): void;
  clearFinished(): number;
  undoClearFinished(): number;
  forgetClearedTasks(): void;
}

/**
 * Every setting but the prompt at once, fitted to `values.model` as `setModel` does (an unknown
 * ratio becomes the model's default, `n` is clamped, parameters it does not take are dropped).
 */
function fittedSettings(ctx: StoreContext, values: Omit<GeneratorSettings, 'prompt'>): Pick<GeneratorSettings, 'model'> & Fitted {
  const caps = storeModel(values.model);
  refitWhenKnown(ctx, caps);
  return { model: caps.id, ...fit(ctx, caps, values) };
}

/** Tasks removed by the last "Clear finished", with where each stood. */
interface Cleared {
  tasks: GenerationTask[];
  /** Every task id in list order at the moment of the clear, to put the cleared ones back in place. */
  order: string[];
}

export function createJobs(ctx: StoreContext, tasks: TasksSlice): JobActions {
  const { set, get, now } = ctx;
  let cleared: Cleared | undefined;

  const forget = () => {
    cleared = undefined;
    if (get().clearedTasks !== undefined) set({ clearedTasks: undefined });
  };

  return {
    reuseSettings: (localId) => {
      const task = get().tasks.find((t) => t.id === localId);
      if (!task) return undefined;
      const s = get();
      const settings = fittedSettings(ctx, {
        model: task.model || task.request.model,
        aspectRatio: task.aspectRatio ?? s.aspectRatio,
        resolution: task.resolution,
        n: task.n,
        parameters: { ...task.parameters },
      });
      // The same model keeps the tray's maximum as it is (a host's `max`); another one is fitted, as `setModel` does.
      if (settings.model === s.model) settings.maxReferences = s.maxReferences;
      const { references, result } = reusedReferences(ctx, task, settings.maxReferences);
      // The tray is replaced: what is not reused goes the way Remove does (uploads stop, thumbnails revoked).
      const kept = new Set(references.map((r) => r.id));
      for (const r of s.references) if (!kept.has(r.id)) get().removeReference(r.id);
      set({ prompt: task.request.prompt, ...settings, references, issues: [] });
      return result;
    },

    moreLikeThis: async (localId) => {
      const task = get().tasks.find((t) => t.id === localId);
      if (!task || task.phase !== 'completed' || !ctx.runtime.connected) return undefined;
      // The service could not fetch a reference whose result expired: say so, send nothing.
      const expired = requestReferences(task).filter((url) => ctx.isExpiredResult(url));
      if (expired.length > 0) {
        for (const url of expired) {
          const fileName = referenceName(ctx, url);
          ctx.addNotice({ code: 'expired', fileName, params: { name: fileName }, message: EXPIRED_REFERENCE_MESSAGE });
        }
        return undefined;
      }
      // The exact request again, as a new task upstream: only the business id is fresh.
      const request = { ...task.request, client_business_id: createBusinessId(ctx.random) };
      const next = newTask({
        id: ctx.nextId('t'),
        phase: 'submitting',
        request,
        model: task.model,
        aspectRatio: task.aspectRatio,
        resolution: task.resolution,
        n: task.n,
        ...(task.parameters && { parameters: { ...task.parameters } }),
        at: now(),
      });
      set((st) => ({ tasks: [...st.tasks, next] }));
      await tasks.send(next.id);
      return get().tasks.find((t) => t.id === next.id);
    },

    cancelAll: () => {
      for (const t of get().tasks) if (isRunning(t.phase)) tasks.actions.cancel(t.id);
    },

    clearFinished: () => {
      const all = get().tasks;
      const finished = all.filter((t) => isTerminal(t.phase));
      if (finished.length === 0) return 0;
      // A new clear replaces what the last one kept: only the latest can be undone.
      cleared = { tasks: finished, order: all.map((t) => t.id) };
      const gone = new Set(finished.map((t) => t.id));
      set((st) => ({
        tasks: st.tasks.filter((t) => !gone.has(t.id)),
        clearedTasks: { count: finished.length, until: now() + UNDO_CLEAR_MS },
      }));
      return finished.length;
    },

    undoClearFinished: () => {
      const offer = get().clearedTasks;
      const kept = cleared;
      if (!offer || !kept || now() >= offer.until) {
        forget();
        return 0;
      }
      cleared = undefined;
      const tasksNow = get().tasks;
      const back = kept.tasks.filter((t) => !tasksNow.some((x) => x.id === t.id));
      set({ tasks: putBack(tasksNow, back, kept.order), clearedTasks: undefined });
      return back.length;
    },

    forgetClearedTasks: forget,
  };
}

/**
 * The cleared tasks back among the tasks there now: each right after the task that stood before it
 * at the clear and is still there (tasks dismissed meanwhile are skipped; those added meanwhile stay
 * after, being newer).
 */
function putBack(current: readonly GenerationTask[], back: readonly GenerationTask[], order: readonly string[]): GenerationTask[] {
  const present = new Set(current.map((t) => t.id));
  const position = new Map(order.map((id, i) => [id, i] as const));
  const after = new Map<string | undefined, GenerationTask[]>();
  for (const task of back) {
    let anchor: string | undefined;
    for (let i = (position.get(task.id) ?? order.length) - 1; i >= 0; i -= 1) {
      if (present.has(order[i]!)) {
        anchor = order[i];
        break;
      }
    }
    after.set(anchor, [...(after.get(anchor) ?? []), task]);
  }
  const out = [...(after.get(undefined) ?? [])];
  for (const t of current) out.push(t, ...(after.get(t.id) ?? []));
  return out;
}

/** The reference URLs a task was sent with (`image_urls`, or `reference_images` for the models that use it). */
function requestReferences(task: GenerationTask): string[] {
  const r = task.request;
  const urls = [...(r.image_urls ?? []), ...(r.reference_images ?? [])];
  return [...new Set(urls.filter((u): u is string => typeof u === 'string'))];
}

/** What the tray calls a hosted reference: a result is "Generated image", else the file's name from its URL. */
function referenceName(ctx: StoreContext, url: string): string {
  if (ctx.get().tasks.some((t) => t.images.some((i) => i.url === url))) return 'Generated image';
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last).slice(0, 120) : 'image';
  } catch {
    return 'image';
  }
}

/**
 * The tray "Reuse settings" leaves: the task's references in order, each once, up to the model's
 * maximum. One already in the tray is kept as it is (its name, size and thumbnail); an expired result
 * or one over the maximum gets a notice, never dropped silently.
 */
function reusedReferences(ctx: StoreContext, task: GenerationTask, max: number): { references: ReferenceItem[]; result: ReuseResult } {
  const tray = ctx.get().references;
  const references: ReferenceItem[] = [];
  let expired = 0;
  let refused = 0;
  for (const url of requestReferences(task)) {
    const fileName = referenceName(ctx, url);
    if (!isSafeUrl(url)) {
      refused += 1;
      ctx.addNotice({ code: 'unreadable', fileName, params: { name: fileName }, message: `"${fileName}" could not be read.` });
      continue;
    }
    if (ctx.isExpiredResult(url)) {
      expired += 1;
      ctx.addNotice({ code: 'expired', fileName, params: { name: fileName }, message: EXPIRED_REFERENCE_MESSAGE });
      continue;
    }
    if (references.length >= max) {
      refused += 1;
      const message = `"${fileName}" was not added: the tray holds at most ${max} reference images.`;
      ctx.addNotice({ code: 'too_many', fileName, params: { name: fileName, max }, message });
      continue;
    }
    const inTray = tray.find((r) => r.url === url && r.state === 'ready');
    references.push(inTray ?? hostedReference(ctx.nextId('r'), url, fileName));
  }
  return { references, result: { references: references.length, expired, refused } };
}
