/**
 * Shared Storybook plumbing: the `withGenerator` decorator (a fresh store and provider per story
 * render), the per-story simulator handlers (used by `.storybook/preview.tsx` in the browser and by
 * `test/stories/stories.test.tsx` in jsdom), and small fixtures for play functions.
 *
 * A story describes its setup in `parameters.generator`:
 *
 * ```ts
 * parameters: {
 *   generator: {
 *     prompt: 'A lighthouse [sim:quota]', // submitted on mount, to reach a phase
 *     initial: { n: 4 },                  // store settings before the first render
 *     simulator: { generatingMs: 600_000 }, // a fresh simulator with these options
 *     theme: 'dark',
 *   },
 * },
 * ```
 */
import * as React from 'react';
import type { Decorator } from '@storybook/react-vite';
import type { AnyHandler } from 'msw';
import { action } from 'storybook/actions';
import { createMockHandlers, type MockHandlersOptions } from '../server/mock';
import { renderPlaceholder, type SimulatorOptions } from '../server/simulator';
import { createBrowserEnvironment, createBrowserImageCodec } from '../src/browser/environment';
import { GeneratorProvider } from '../src/components/GeneratorProvider/GeneratorProvider';
import { createGeneratorStore, type GeneratorStore } from '../src/store';
import { keptKey } from '../src/store/keep';
import type { GeneratorPreset, GeneratorSettings, KeepOptions } from '../src/store/types';
import type { Labels } from '../src/labels/en';

/* -------------------------------------------------------------------------------------------------
 * Parameters
 * -----------------------------------------------------------------------------------------------*/

/** `parameters.generator` of a story (merged over the meta's and the preview's). */
export interface GeneratorStoryParameters {
  /**
   * Backend URL of the provider. The simulator handlers answer any origin, so the page's own origin
   * is used in Storybook; the jsdom tests set `http://127.0.0.1:4010` (MSW's node server).
   * @default window.location.origin
   */
  backendUrl?: string;
  /** Model id. @default 'gemini-3.1-flash-image-preview' */
  model?: string;
  /** Partial UI strings passed to the provider. */
  labels?: Partial<Labels>;
  /** Milliseconds between status reads. @default 300 */
  pollInterval?: number;
  /** Give up waiting for a task after this long (a `timeout` error). @default 600000 */
  deadlineMs?: number;
  /** Store settings before the first render (aspect ratio, resolution, n, prompt). */
  initial?: Partial<Omit<GeneratorSettings, 'model'>>;
  /** Typed into the store and submitted on mount, to reach a phase without clicking. */
  prompt?: string;
  /** Files added to the tray on mount (uploaded at once), e.g. `() => [samplePng('a.png')]`. */
  references?: () => File[];
  /**
   * Options of a fresh simulator for this story (timings, faults, Retry-After), over the defaults
   * ({@link STORY_SIMULATOR} in Storybook, faster ones in the tests).
   */
  simulator?: SimulatorOptions;
  /** `dark` wraps the story in `data-gen-theme="dark"`. @default 'light' */
  theme?: 'light' | 'dark';
  /** Inline style of the wrapper: where a re-branded story sets its `--gen-*` values. */
  style?: React.CSSProperties;
  /**
   * Long-lived data put into a fresh in-memory `keep` storage before the store is created, by name
   * (`{ durations: { v: 1, durations: { 'gemini-3.1-flash-image-preview|1K': [45000] } } }`).
   * @default undefined (no keep storage)
   */
  kept?: Record<string, unknown>;
  /** The host's presets, passed to the provider's `presets` prop (issue 14). */
  presets?: readonly GeneratorPreset[];
}

declare module 'storybook/internal/csf' {
  interface Parameters {
    generator?: GeneratorStoryParameters;
  }
}

/** Simulator timings in Storybook: slow enough to watch each phase. */
export const STORY_SIMULATOR: SimulatorOptions = { seed: 1, queuedMs: 800, generatingMs: 3000 };

/** How long a play function waits for a task to finish (Storybook timings plus polling). */
export const TASK_TIMEOUT = 10_000;

/* -------------------------------------------------------------------------------------------------
 * Handlers
 * -----------------------------------------------------------------------------------------------*/

interface HandlerParameters {
  generator?: GeneratorStoryParameters;
  msw?: AnyHandler[] | { handlers?: AnyHandler[] | Record<string, AnyHandler | AnyHandler[]> };
}

/**
 * The request handlers a story adds over the defaults, first match first: the story's own
 * `parameters.msw` overrides (a slow upload, a dropped submit), then a fresh simulator with the
 * story's `parameters.generator.simulator` options over `base`. A fresh simulator per render means
 * stories never share tasks, uploads or rate-limit budgets.
 */
export function storyHandlers(parameters: HandlerParameters, base: MockHandlersOptions = STORY_SIMULATOR): AnyHandler[] {
  const own = parameters.msw;
  const overrides = !own
    ? []
    : Array.isArray(own)
      ? own
      : Array.isArray(own.handlers)
        ? own.handlers
        : Object.values(own.handlers ?? {}).flat();
  const { handlers } = createMockHandlers({ ...base, ...parameters.generator?.simulator });
  return [...overrides, ...handlers];
}

/* -------------------------------------------------------------------------------------------------
 * withGenerator
 * -----------------------------------------------------------------------------------------------*/

/**
 * Renders the story inside a `GeneratorProvider` with a store of its own, created on mount from
 * `parameters.generator`, so no two stories (or two renders of one story) share state.
 */
export const withGenerator: Decorator = (Story, context) => (
  <StoryGenerator parameters={context.parameters.generator ?? {}}>
    <Story />
  </StoryGenerator>
);

function StoryGenerator({ parameters, children }: { parameters: GeneratorStoryParameters; children: React.ReactNode }) {
  const backendUrl = parameters.backendUrl ?? defaultBackendUrl();
  const pollInterval = parameters.pollInterval ?? 300;
  const [store] = React.useState<GeneratorStore>(() => {
    const imageCodec = createBrowserImageCodec();
    return createGeneratorStore({
      backendUrl,
      pollInterval,
      ...(parameters.model !== undefined && { model: parameters.model }),
      ...(parameters.deadlineMs !== undefined && { deadlineMs: parameters.deadlineMs }),
      initial: { ...parameters.initial, ...(parameters.prompt !== undefined && { prompt: parameters.prompt }) },
      environment: createBrowserEnvironment(),
      ...(imageCodec !== undefined && { imageCodec }),
      ...(parameters.kept !== undefined && { keep: memoryKeep(backendUrl, parameters.kept) }),
      onTaskComplete: action('onTaskComplete'),
      onError: action('onError'),
    });
  });

  // The provider leaves an external store's lifecycle to its owner: here, this component.
  React.useEffect(() => {
    store.getState().connect();
    return () => store.getState().disconnect();
  }, [store]);

  // Once per store, also under StrictMode's double effects: references first, then the submit
  // (which waits for their uploads).
  const started = React.useRef(false);
  React.useEffect(() => {
    if (started.current) return;
    started.current = true;
    const files = parameters.references?.() ?? [];
    if (files.length > 0) void store.getState().addReferences(files);
    if (parameters.prompt !== undefined) void store.getState().submit();
  }, [store, parameters]);

  return (
    <GeneratorProvider
      backendUrl={backendUrl}
      pollInterval={pollInterval}
      store={store}
      {...(parameters.model !== undefined && { model: parameters.model })}
      {...(parameters.labels !== undefined && { labels: parameters.labels })}
      {...(parameters.presets !== undefined && { presets: parameters.presets })}
    >
      <div
        className="gen-story-surface"
        data-gen-theme={parameters.theme ?? 'light'}
        style={{
          background: 'var(--gen-color-bg)',
          color: 'var(--gen-color-fg)',
          fontFamily: 'var(--gen-font-family)',
          fontSize: 'var(--gen-font-size)',
          lineHeight: 'var(--gen-line-height)',
          padding: 'calc(var(--gen-space) * 3)',
          borderRadius: 'var(--gen-radius)',
          ...parameters.style,
        }}
      >
        {children}
      </div>
    </GeneratorProvider>
  );
}

/** A `keep` storage in memory (never the page's localStorage), holding `kept` as JSON per name. */
function memoryKeep(scope: string, kept: Record<string, unknown>): KeepOptions {
  const data = new Map<string, string>();
  const keep: KeepOptions = {
    scope,
    storage: { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) },
  };
  for (const [name, value] of Object.entries(kept)) data.set(keptKey(keep, name), JSON.stringify(value));
  return keep;
}

function defaultBackendUrl(): string {
  return typeof window !== 'undefined' && window.location.origin !== 'null' ? window.location.origin : 'http://127.0.0.1:6006';
}

/* -------------------------------------------------------------------------------------------------
 * Fixtures for play functions
 * -----------------------------------------------------------------------------------------------*/

/** A real PNG (the simulator's gradient placeholder), as a user would pick it. */
export function samplePng(name = 'sketch.png', width = 48, height = 32, seed = 7): File {
  return new File([renderPlaceholder(width, height, seed)], name, { type: 'image/png' });
}
