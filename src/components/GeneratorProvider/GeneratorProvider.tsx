'use client';
import * as React from 'react';
import type { FetchLike, HeadersOption } from '../../core/client';
import type { ToapisError } from '../../core/errors';
import { createBrowserEnvironment, createBrowserImageCodec, createBrowserThumbnailer } from '../../browser/environment';
import { createBrowserCoordinator } from '../../browser/coordinator';
import { createGeneratorStore, type GeneratorStore } from '../../store';
import type { GenerationTask } from '../../store/types';
import { GeneratorContext, type GeneratorContextValue } from '../../hooks/GeneratorContext';
import { en, mergeLabels, type Labels } from '../../labels/en';

/* -------------------------------------------------------------------------------------------------
 * GeneratorProvider
 * -----------------------------------------------------------------------------------------------*/

export interface GeneratorProviderProps {
  /** URL of a ToAPIs-compatible backend: the kit's proxy or simulator (never ToAPIs with a key in the browser). */
  backendUrl: string;
  /** Model id. @default 'gemini-3.1-flash-image-preview' */
  model?: string;
  /** Extra headers for every request (the host product's own auth), or an async function returning them. */
  headers?: HeadersOption;
  /** `fetch` override (instrumentation, tests). */
  fetch?: FetchLike;
  /** UI strings to override (i18n, white-label). Partial; English defaults fill the rest. */
  labels?: Partial<Labels>;
  /** Milliseconds between status reads, overriding the default cadence (3 s first, then 4–6 s with jitter). */
  pollInterval?: number;
  /** Called once per task when its images are ready. */
  onTaskComplete?: (task: GenerationTask) => void;
  /** Called for every error the kit shows (submit, poll, upload). */
  onError?: (error: ToapisError, task?: GenerationTask) => void;
  /**
   * Session-storage key that keeps the prompt, settings, uploaded references and running tasks
   * across reloads; `false` turns persistence off. Give two generators on one page distinct keys.
   * @default `toapis-kit:${backendUrl}` plus the provider's position in the tree
   */
  persistKey?: string | false;
  /** A store made with `createGeneratorStore` — for hosts that own the state. The provider then neither creates nor disposes one. */
  store?: GeneratorStore;
  children?: React.ReactNode;
}

export function GeneratorProvider(props: GeneratorProviderProps) {
  const { backendUrl, model, headers, fetch, labels, pollInterval, persistKey, store: external, children } = props;
  const treeId = React.useId();
  // Callbacks are read through a ref so a new function each render does not rebuild the store.
  const callbacks = React.useRef(props);
  callbacks.current = props;

  const [ownStore] = React.useState<GeneratorStore | undefined>(() => {
    if (external) return undefined;
    const imageCodec = createBrowserImageCodec();
    const thumbnailer = createBrowserThumbnailer();
    const storage = sessionStorageOrUndefined();
    const key = persistKey === undefined ? `toapis-kit:${backendUrl}:${treeId}` : persistKey;
    return createGeneratorStore({
      ...(storage && key !== false && { persist: { storage, key } }),
      coordinator: createBrowserCoordinator(),
      connected: false, // connected from the effect below; a store StrictMode discards stays idle
      backendUrl,
      ...(model !== undefined && { model }),
      // Read through the ref: a host may pass a new object or function on every render.
      ...(headers !== undefined && {
        headers: () => {
          const h = callbacks.current.headers;
          return typeof h === 'function' ? h() : (h ?? {});
        },
      }),
      ...(fetch !== undefined && { fetch }),
      ...(pollInterval !== undefined && { pollInterval }),
      environment: createBrowserEnvironment(),
      ...(imageCodec !== undefined && { imageCodec }),
      ...(thumbnailer !== undefined && { createPreviewUrl: thumbnailer }),
      onTaskComplete: (task) => callbacks.current.onTaskComplete?.(task),
      onError: (error, task) => callbacks.current.onError?.(error, task),
    });
  });
  const store = external ?? ownStore!;

  useWarnOnChange(backendUrl, 'backendUrl');

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

  React.useEffect(() => {
    if (model !== undefined && store.getState().model !== model) store.getState().setModel(model);
  }, [model, store]);

  const value = React.useMemo<GeneratorContextValue>(() => ({ store, labels: mergeLabels(en, labels) }), [store, labels]);
  return <GeneratorContext.Provider value={value}>{children}</GeneratorContext.Provider>;
}

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return typeof window !== 'undefined' && window.sessionStorage ? window.sessionStorage : undefined;
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
