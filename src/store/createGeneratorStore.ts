/**
 * `createGeneratorStore(options)` — all state and actions of one generator, on zustand/vanilla.
 * One store per `GeneratorProvider`; no React, no DOM globals (browser bindings are injected).
 * Invariant: no error ever clears the prompt, the settings or the references.
 *
 * The store is composed of slices (src/store/slices): settings, references (uploads and notices),
 * tasks (sending, following, tab sharing) and submit, prompt history, plus the saved state (persistence).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { isTerminal, type TaskPhase } from '../core/task';
import { loadPersisted } from './persistence';
import { createContext, type StoreContext } from './slices/context';
import { createHistory } from './slices/history';
import { createMask } from './slices/mask';
import { createReferences } from './slices/references';
import { createPresets } from './slices/presets';
import { applySaved, hasRunningTasks, restore, startSaving } from './slices/saved';
import { createSelectionActions } from './slices/selection';
import { createSettingsActions, initialSettings } from './slices/settings';
import type { TasksSlice } from './slices/tasks';
import type { JobActions } from './slices/jobs';
import { lazyModule, withModule } from '../core/util/lazy';
import { modelRegistry } from './models';
import type { GeneratorState, GeneratorStoreOptions, PersistOptions } from './types';

export type GeneratorStore = StoreApi<GeneratorState>;

/** Whether a task is over (completed, failed or cancelled). Same as `isTerminal` in src/core/task.ts. */
export function isTerminalPhase(phase: TaskPhase): boolean {
  return isTerminal(phase);
}

/**
 * Sending and following tasks, and Generate's checks (./slices/engine.ts): loaded with the first
 * Generate, a restored or resumed task, or when the browser is idle.
 */
// The registry comes with it: Generate checks the request against the model's real capabilities.
const engineModule = /* @__PURE__ */ lazyModule(() => Promise.all([import('./slices/engine'), modelRegistry.load()]).then(([m]) => m));

/** Shown under the form when Generate could not load the engine: nothing was sent. */
const LOAD_FAILED = {
  field: 'generator',
  code: 'load_failed',
  message: 'Part of the generator could not be loaded (check the connection). Nothing was sent; press Generate again.',
} as const;

interface Engine {
  tasks: TasksSlice;
  submit: GeneratorState['submit'];
  jobs: JobActions;
}

export function createGeneratorStore(options: GeneratorStoreOptions = {}): GeneratorStore {
  const persist: PersistOptions | undefined = options.persist || undefined;
  // Saved state is read now, or (server-rendered hosts) by `rehydrate()` once React has hydrated.
  let hydrated = !persist?.skipHydration;
  const saved = persist && hydrated ? loadPersisted(persist) : undefined;
  const runtime = { connected: options.connected !== false, disposed: false };

  let startHistory = () => {};
  let maskSlice: ReturnType<typeof createMask> | undefined;
  const store = createStore<GeneratorState>()((set, get) => {
    const ctx: StoreContext = createContext(options, set, get, runtime);
    const references = createReferences(ctx);
    const mask = createMask(ctx);
    maskSlice = mask;
    const history = createHistory(ctx);
    startHistory = history.start;
    let engine: Engine | undefined;
    const build = (m: typeof import('./slices/engine')): Engine => {
      const tasks = m.createTasks(ctx);
      // Generate waits for the references and the mask (issue 15) alike.
      const waitForUploads = async (signal: AbortSignal) => (await references.waitForUploads(signal)) && mask.waitForUpload(signal);
      const submit = m.createSubmit(ctx, { waitForUploads, send: (id) => tasks.send(id) });
      return { tasks, submit, jobs: m.createJobs(ctx, tasks) };
    };
    /** Runs `run` with this store's engine: at once (same tick) when its code has loaded, else once it has. */
    const withEngine = <R>(run: (e: Engine) => R | Promise<R>): Promise<R> => withModule(engineModule, (m) => run((engine ??= build(m))));
    const restored = restore(ctx, saved);
    const presets = createPresets(ctx);

    return {
      ...initialSettings(ctx, saved?.settings),
      references: restored.references,
      tasks: restored.tasks,
      notices: restored.notices,
      issues: [],
      submitState: 'idle',
      durations: {},
      clearedTasks: undefined,
      selectedImages: [],
      ...history.state,

      ...createSettingsActions(ctx),
      ...references.actions,
      ...createSelectionActions(ctx),
      ...history.actions,
      // A prompt joins the history once Generate has sent a task with it (not on Retry, which sends
      // a prompt that is already there).
      submit: () =>
        withEngine((e) => e.submit()).then(
          (task) => {
            if (task) history.record(task.prompt);
            return task;
          },
          (error: unknown) => {
            // The engine's code did not arrive (a dropped connection): say so; the next press loads it again.
            if (engineModule.get() === undefined) {
              set({ issues: [LOAD_FAILED] });
              return undefined;
            }
            throw error;
          },
        ),
      retry: (id) => withEngine((e) => e.tasks.actions.retry(id)),
      cancel: (id) => void withEngine((e) => e.tasks.actions.cancel(id)),
      dismissTask: (id) => void withEngine((e) => e.tasks.actions.dismissTask(id)),
      fetchResultImage: (id, index, o) => withEngine((e) => e.tasks.actions.fetchResultImage(id, index, o)),
      resumeTask: (record) => void withEngine((e) => e.tasks.actions.resumeTask(record)),
      reuseSettings: (id) => withEngine((e) => e.jobs.reuseSettings(id)),
      moreLikeThis: (id) => withEngine((e) => e.jobs.moreLikeThis(id)),
      cancelAll: () => void withEngine((e) => e.jobs.cancelAll()),
      clearFinished: () => withEngine((e) => e.jobs.clearFinished()),
      undoClearFinished: () => withEngine((e) => e.jobs.undoClearFinished()),
      // Only a loaded engine can hold cleared tasks.
      forgetClearedTasks: () => (engine ? engine.jobs.forgetClearedTasks() : get().clearedTasks && set({ clearedTasks: undefined })),
      ...presets.state,
      ...presets.actions,
      mask: undefined,
      ...mask.actions,

      rehydrate: () => {
        if (hydrated || !persist) return;
        hydrated = true;
        const late = applySaved(ctx, persist);
        mask.restore(late?.mask);
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
        // Nothing to follow or look up: the engine's code can wait until it is needed.
        if (engine || get().tasks.length > 0) void withEngine((e) => runtime.connected && e.tasks.resume());
        references.resume();
        mask.resume();
      },

      disconnect: () => {
        if (!runtime.connected) return;
        runtime.connected = false;
        engine?.tasks.halt();
        references.halt();
        mask.halt();
      },

      dispose: () => {
        if (runtime.disposed) return;
        get().disconnect();
        runtime.disposed = true;
        references.revokePreviews();
        mask.revoke();
        presets.dispose();
      },
    };
  });
  if (hydrated && persist) startSaving(store, persist);
  startHistory();
  // The mask (issue 15): a saved one comes back with its reference; its `aside` follows the model and the tray.
  maskSlice?.restore(saved?.mask);
  store.subscribe(() => maskSlice?.sync());
  // Restored running tasks resume at once (polling or streaming), and a restored submit is looked up.
  if (runtime.connected && hasRunningTasks(saved)) {
    const st = store.getState();
    st.disconnect();
    st.connect();
  }
  return store;
}
