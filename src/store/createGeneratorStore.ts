/**
 * `createGeneratorStore(options)` — all state and actions of one generator, on zustand/vanilla.
 * One store per `GeneratorProvider`; no React, no DOM globals (browser bindings are injected).
 * Invariant: no error ever clears the prompt, the settings or the references.
 *
 * The store is composed of slices (src/store/slices): settings, references (uploads and notices),
 * tasks (sending, following, tab sharing) and submit, plus the saved state (persistence).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { isTerminal, type TaskPhase } from '../core/task';
import { loadPersisted } from './persistence';
import { createContext, type StoreContext } from './slices/context';
import { createReferences } from './slices/references';
import { applySaved, hasRunningTasks, restore, startSaving } from './slices/saved';
import { createSettingsActions, initialSettings } from './slices/settings';
import { createSubmit } from './slices/submit';
import { createTasks } from './slices/tasks';
import type { GeneratorState, GeneratorStoreOptions, PersistOptions } from './types';

export type GeneratorStore = StoreApi<GeneratorState>;

/** Whether a task is over (completed, failed or cancelled). Same as `isTerminal` in src/core/task.ts. */
export function isTerminalPhase(phase: TaskPhase): boolean {
  return isTerminal(phase);
}

export function createGeneratorStore(options: GeneratorStoreOptions = {}): GeneratorStore {
  const persist: PersistOptions | undefined = options.persist || undefined;
  // Saved state is read now, or (server-rendered hosts) by `rehydrate()` once React has hydrated.
  let hydrated = !persist?.skipHydration;
  const saved = persist && hydrated ? loadPersisted(persist) : undefined;
  const runtime = { connected: options.connected !== false, disposed: false };

  const store = createStore<GeneratorState>()((set, get) => {
    const ctx: StoreContext = createContext(options, set, get, runtime);
    const references = createReferences(ctx);
    const tasks = createTasks(ctx);
    const submit = createSubmit(ctx, { waitForUploads: references.waitForUploads, send: (id) => tasks.send(id) });
    const restored = restore(ctx, saved);

    return {
      ...initialSettings(ctx, saved?.settings),
      references: restored.references,
      tasks: restored.tasks,
      notices: restored.notices,
      issues: [],
      submitState: 'idle',

      ...createSettingsActions(ctx),
      ...references.actions,
      ...tasks.actions,
      submit,

      rehydrate: () => {
        if (hydrated || !persist) return;
        hydrated = true;
        const late = applySaved(ctx, persist);
        startSaving(store, persist);
        // Saved running tasks resume at once (polling or streaming); a saved submit is looked up.
        if (runtime.connected && hasRunningTasks(late)) {
          get().disconnect();
          get().connect();
        }
      },

      connect: () => {
        if (runtime.connected || runtime.disposed) return;
        runtime.connected = true;
        tasks.resume();
        references.resume();
      },

      disconnect: () => {
        if (!runtime.connected) return;
        runtime.connected = false;
        tasks.halt();
        references.halt();
      },

      dispose: () => {
        if (runtime.disposed) return;
        get().disconnect();
        runtime.disposed = true;
        references.revokePreviews();
      },
    };
  });
  if (hydrated && persist) startSaving(store, persist);
  // Restored running tasks resume at once (polling or streaming), and a restored submit is looked up.
  if (runtime.connected && hasRunningTasks(saved)) {
    const st = store.getState();
    st.disconnect();
    st.connect();
  }
  return store;
}
