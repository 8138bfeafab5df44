'use client';
import * as React from 'react';
import { useStore } from 'zustand';
import type { FetchLike, HeadersOption } from '../../core/client';
import type { ToapisError } from '../../core/errors';
import { isProvisional, storeModel } from '../../store/models';
import { pickParameters, type ModelParameters } from '../../core/parameters';
import { createBrowserEnvironment } from '../../browser/online';
import { createLazyImageCodec, createLazyThumbnailer } from '../../browser/lazyEnvironment';
import { whenIdle } from '../../browser/idle';
import { prefetchAll } from '../../core/util/lazy';
import { createBrowserCoordinator } from '../../browser/coordinator';
import { createGeneratorStore, type GeneratorStore } from '../../store';
import type { GenerationTask, GeneratorPreset } from '../../store/types';
import { GeneratorContext, type GeneratorContextValue } from '../../hooks/GeneratorContext';
import { en, mergeLabels, type Labels } from '../../labels/en';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import { useStoreControllable } from '../../hooks/useStoreControllable';

/* -------------------------------------------------------------------------------------------------
 * GeneratorProvider
 * -----------------------------------------------------------------------------------------------*/

export interface GeneratorProviderProps {
  /** URL of a ToAPIs-compatible backend: the kit's proxy or simulator (never ToAPIs with a key in the browser). */
  backendUrl: string;
  /** Model id. @default 'gemini-3.1-flash-image-preview' */
  model?: string;
  /**
   * Controlled model parameters, the model's documented extras (`{ google_search: true }`). The
   * values the current model takes are mirrored into the store, so Generate sends what the host
   * holds; the others are kept out until a model that takes them is chosen.
   */
  parameters?: ModelParameters;
  /**
   * Initial model parameters when uncontrolled. Values saved in the session (persistKey) win over
   * these; values the current model does not take are left out.
   */
  defaultParameters?: ModelParameters;
  /** Called with the current model's parameters on every change in the kit's own controls, controlled or not. */
  onParametersChange?: (parameters: ModelParameters) => void;
  /** Extra headers for every request (the host product's own auth), or an async function returning them. */
  headers?: HeadersOption;
  /** `fetch` override (instrumentation, tests). */
  fetch?: FetchLike;
  /** UI strings to override (i18n, white-label). Partial; English defaults fill the rest. */
  labels?: Partial<Labels>;
  /** Milliseconds between status reads, overriding the default cadence (3 s first, then 4–6 s with jitter). */
  pollInterval?: number;
  /**
   * Called once per task when its images are ready. The URLs in `task.images` expire 24 hours after
   * completion (`task.expiresAt`); copy the images you want to keep to your own storage.
   */
  onTaskComplete?: (task: GenerationTask) => void;
  /** Called for every error the kit shows (submit, poll, upload). */
  onError?: (error: ToapisError, task?: GenerationTask) => void;
  /**
   * Session-storage key that keeps the prompt, settings, uploaded references and running tasks
   * across reloads; `false` turns persistence off. Two generators on one page that talk to the same
   * backend need distinct keys (the kit warns in development when two mounted providers share one).
   * In a server-rendered page the saved state is applied right after hydration, so the server's
   * HTML and the first client render always match.
   * @default `toapis-kit:${backendUrl}`
   */
  persistKey?: string | false;
  /**
   * Prompt history: the prompts Generate sent (the newest 100, each once), kept in `localStorage`
   * per backend URL, offered by the "Prompt history" button beside the prompt and by Alt+ArrowUp /
   * Alt+ArrowDown in it. `false` turns it off: nothing is recorded, read or written, and no button is
   * shown. Read when the provider creates its store (a later change only shows or hides the button).
   * With a host's own `store`, pass `history: false` to `createGeneratorStore` as well; this prop
   * then only hides the button. @default true
   */
  history?: boolean;
  /** A store made with `createGeneratorStore` — for hosts that own the state. The provider then neither creates nor disposes one. */
  store?: GeneratorStore;
  /* ---- presets (issue 14) */
  /**
   * The host's presets (e.g. a portal's brand styles), listed in `<PresetPicker>` before the user's
   * own and read-only for the user. Kept live: a new array replaces them in the store.
   */
  presets?: readonly GeneratorPreset[];
  children?: React.ReactNode;
}

export function GeneratorProvider(props: GeneratorProviderProps) {
  const { backendUrl, model, headers, fetch, labels, pollInterval, persistKey, parameters, defaultParameters, history, presets, store: external, children } = props;
  // True on the server and while React hydrates server HTML (the server snapshot), false in a
  // client-only render. Saved state is read from storage at creation only when it cannot make the
  // first client render differ from the server's HTML; otherwise it is applied after hydration.
  const hydrating = React.useSyncExternalStore(subscribeNothing, isClientRender, isServerRender);
  // Callbacks are read through a ref so a new function each render does not rebuild the store.
  const callbacks = React.useRef(props);
  callbacks.current = props;

  const [ownStore] = React.useState<GeneratorStore | undefined>(() => {
    if (external) return undefined;
    const imageCodec = createLazyImageCodec();
    const thumbnailer = createLazyThumbnailer();
    const storage = webStorage('sessionStorage');
    const local = webStorage('localStorage');
    const key = persistKeyFor(backendUrl, persistKey);
    return createGeneratorStore({
      ...(storage && key !== false && { persist: { storage, key, skipHydration: hydrating } }),
      ...(local && { keep: { storage: local, scope: backendUrl } }),
      ...(history === false && { history: false }),
      coordinator: createBrowserCoordinator(),
      connected: false, // connected from the effect below; a store StrictMode discards stays idle
      backendUrl,
      ...(model !== undefined && { model }),
      ...(defaultParameters !== undefined && { initial: { parameters: defaultParameters } }),
      // Read through the ref: a host may pass a new object or function on every render.
      ...(headers !== undefined && {
        headers: () => {
          const h = callbacks.current.headers;
          return typeof h === 'function' ? h() : (h ?? {});
        },
      }),
      ...(fetch !== undefined && { fetch }),
      ...(pollInterval !== undefined && { pollInterval }),
      ...(presets !== undefined && { presets }),
      environment: createBrowserEnvironment(),
      ...(imageCodec !== undefined && { imageCodec }),
      ...(thumbnailer !== undefined && { createPreviewUrl: thumbnailer }),
      onTaskComplete: (task) => callbacks.current.onTaskComplete?.(task),
      onError: (error, task) => callbacks.current.onError?.(error, task),
    });
  });
  const store = external ?? ownStore!;

  useWarnOnChange(backendUrl, 'backendUrl');
  useWarnOnSharedKey(ownStore ? persistKeyFor(backendUrl, persistKey) : false);

  // After hydration (before the browser paints): apply the saved prompt, settings, references and
  // tasks. A no-op when they were read at creation (client-only render).
  useIsomorphicLayoutEffect(() => {
    ownStore?.getState().rehydrate();
  }, [ownStore]);

  // Unmount stops all network activity at once; thumbnails are released a tick later unless the
  // provider mounts again straight away (React StrictMode, <Activity>), which keeps them.
  const releaseTimer = React.useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  React.useEffect(() => {
    if (!ownStore) return;
    clearTimeout(releaseTimer.current);
    ownStore.getState().connect();
    return () => {
      ownStore.getState().disconnect();
      releaseTimer.current = setTimeout(() => ownStore.getState().releasePreviews(), 0);
    };
  }, [ownStore]);

  // What a first paint did not need (select popups, the client, reference intake, task rows) loads
  // once the browser is idle, so it is there before the user reaches for it.
  // One module per idle period, so prefetching never piles up into a long task while the user works.
  React.useEffect(() => {
    let stopped = false;
    let cancel = () => {};
    prefetchAll((task) => {
      if (!stopped) cancel = whenIdle(task);
    });
    return () => {
      stopped = true;
      cancel();
    };
  }, []);

  React.useEffect(() => {
    if (model !== undefined && store.getState().model !== model) store.getState().setModel(model);
  }, [model, store]);

  usePresetsProp(store, presets);

  const setParameters = useParametersControllable(store, parameters, external ? defaultParameters : undefined, callbacks);

  const value = React.useMemo<GeneratorContextValue>(
    () => ({ store, labels: mergeLabels(en, labels), setParameters, ...(history === false && { history: false }) }),
    [store, labels, setParameters, history],
  );
  return <GeneratorContext.Provider value={value}>{children}</GeneratorContext.Provider>;
}

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

/**
 * `parameters` / `defaultParameters` / `onParametersChange` over the store, like a component's
 * `value` trio: the controlled prop (the current model's part of it) is mirrored into the store,
 * the default is written once for a host's own store (a created store gets it as its initial value,
 * below saved values). Returns the setter the kit's controls use.
 */
function useParametersControllable(
  store: GeneratorStore,
  controlled: ModelParameters | undefined,
  defaultForExternalStore: ModelParameters | undefined,
  callbacks: React.RefObject<GeneratorProviderProps>,
) {
  const stored = useStore(store, selectParameters);
  const onChange = React.useCallback((next: ModelParameters) => callbacks.current.onParametersChange?.(next), [callbacks]);
  const [, setParameters] = useStoreControllable<ModelParameters>({
    prop: controlled,
    defaultProp: defaultForExternalStore,
    onChange,
    stored,
    // Only what the current model takes is written (again after a model switch, when the store's
    // value changes); the store keeps the same object when nothing changed, so this settles.
    write: (next) => {
      const state = store.getState();
      const caps = storeModel(state.model);
      state.setParameters(isProvisional(caps) ? next : pickParameters(caps.params ?? [], next));
    },
    caller: 'GeneratorProvider',
    propNames: PARAMETER_PROPS,
  });
  return setParameters;
}

/** The `presets` prop, kept live in the store once given (a host's own store gets it from here too). */
function usePresetsProp(store: GeneratorStore, presets: readonly GeneratorPreset[] | undefined) {
  const given = React.useRef(false);
  React.useEffect(() => {
    if (presets === undefined && !given.current) return;
    given.current = true;
    store.getState().setHostPresets(presets);
  }, [store, presets]);
}

const PARAMETER_PROPS = ['parameters', 'defaultParameters'] as const;
const selectParameters = (s: { parameters: ModelParameters }) => s.parameters;
const subscribeNothing = () => () => {};
const isClientRender = () => false;
const isServerRender = () => true;

function persistKeyFor(backendUrl: string, persistKey: string | false | undefined): string | false {
  return persistKey === undefined ? `toapis-kit:${backendUrl}` : persistKey;
}

/** Keys of the mounted providers, to warn when two would overwrite each other's saved state. */
const mountedKeys = new Map<string, number>();

function useWarnOnSharedKey(key: string | false) {
  React.useEffect(() => {
    if (key === false) return;
    const count = (mountedKeys.get(key) ?? 0) + 1;
    mountedKeys.set(key, count);
    if (count === 2) {
      console.warn(
        `[gen] GeneratorProvider: two mounted providers save their state under "${key}" and will overwrite each other; give each a distinct \`persistKey\` (or \`persistKey={false}\`).`,
      );
    }
    return () => {
      const left = (mountedKeys.get(key) ?? 1) - 1;
      if (left > 0) mountedKeys.set(key, left);
      else mountedKeys.delete(key);
    };
  }, [key]);
}

function webStorage(name: 'sessionStorage' | 'localStorage'): Storage | undefined {
  try {
    return typeof window !== 'undefined' && window[name] ? window[name] : undefined;
  } catch {
    return undefined; // blocked by privacy settings
  }
}

function useWarnOnChange(value: string, name: string) {
  const first = React.useRef(value);
  React.useEffect(() => {
    if (first.current !== value) {
      console.warn(`[gen] GeneratorProvider: \`${name}\` changed after mount; remount the provider (key={${name}}) to apply it.`);
      first.current = value;
    }
  }, [value, name]);
}
