/**
 * Session persistence wired into the store: what a saved state restores (references, tasks,
 * notices for what could not come back), `rehydrate()`, and saving every change.
 */
import type { StoreApi } from 'zustand/vanilla';
import { isTerminal, type GenerationTask } from '../../core/task';
import { loadPersisted, savePersisted, type PersistedState } from '../persistence';
import { EXPIRED_REFERENCE_MESSAGE, MAX_NOTICES, hostedReference } from '../records';
import type { GeneratorState, PersistOptions, ReferenceItem, TrayNotice } from '../types';
import type { StoreContext } from './context';
import { mergeSavedSettings } from './settings';

const UNRESTORABLE_MESSAGE = 'A saved generation could not be restored; it was not sent again.';

/** The parts of the state a saved state brings back. */
export interface Restored {
  references: ReferenceItem[];
  tasks: GenerationTask[];
  notices: TrayNotice[];
}

export function restore(ctx: StoreContext, saved: PersistedState | undefined): Restored {
  if (!saved) return { references: [], tasks: [], notices: [] };
  // A saved reference that was a result of a saved task whose results have expired is not restored
  // (the file host no longer serves it); a notice says so instead.
  const expired = saved.references.filter((r) => ctx.isExpiredResult(r.url, saved.tasks));
  const notice = (fields: Omit<TrayNotice, 'id'>): TrayNotice => ({ id: ctx.nextId('n'), ...fields });
  return {
    references: saved.references.filter((r) => !expired.includes(r)).map((r) => hostedReference(ctx.nextId('r'), r.url, r.name, r)),
    tasks: saved.tasks.map((t) => ({ ...t, id: ctx.nextId('t') })),
    notices: [
      ...expired.map((r) => notice({ code: 'expired', fileName: r.name, params: { fileName: r.name }, message: EXPIRED_REFERENCE_MESSAGE })),
      ...saved.dropped.map((prompt) => notice({ code: 'unrestorable', fileName: prompt, params: { prompt }, message: UNRESTORABLE_MESSAGE })),
    ],
  };
}

/** Whether a saved state holds tasks to resume (polling, streaming, or looking a submit up). */
export function hasRunningTasks(saved: PersistedState | undefined): boolean {
  return !!saved?.tasks.some((t) => !isTerminal(t.phase));
}

/** Starts writing the persisted part of the state on every change. */
export function startSaving(store: StoreApi<GeneratorState>, persist: PersistOptions): void {
  let last = '';
  const write = (state: GeneratorState) => {
    last = savePersisted(persist, state, last);
  };
  store.subscribe(write);
  write(store.getState());
}

/**
 * `rehydrate()`: the saved state applied once, after creation. Anything set meanwhile stays: a typed
 * prompt wins, saved references and tasks come first. Returns the saved state that was read.
 */
export function applySaved(ctx: StoreContext, persist: PersistOptions): PersistedState | undefined {
  const saved = loadPersisted(persist);
  if (!saved) return undefined;
  const s = ctx.get();
  const restored = restore(ctx, saved);
  ctx.set({
    ...mergeSavedSettings(ctx, s, saved.settings),
    references: [...restored.references, ...s.references],
    tasks: [...restored.tasks, ...s.tasks],
    notices: [...restored.notices, ...s.notices].slice(-MAX_NOTICES),
  });
  return saved;
}
