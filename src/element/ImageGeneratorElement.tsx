/**
 * `<toapis-image-generator>`: the whole generator (PromptForm with PresetPicker and
 * AspectRatioPicker, ReferenceTray, TaskProgress) as a custom element, for pages that cannot mount
 * React. It renders the React components into an open shadow root, with the kit's sheet adopted
 * there, and speaks attributes, properties and DOM events.
 */
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { GeneratorProvider } from '../components/GeneratorProvider/GeneratorProvider';
import { PromptForm } from '../components/PromptForm';
import { PresetPicker } from '../components/PresetPicker';
import { AspectRatioPicker } from '../components/AspectRatioPicker';
import { ReferenceTray } from '../components/ReferenceTray';
import { TaskProgress } from '../components/TaskProgress';
import { PortalContainerContext } from '../components/internal/PortalContainer';
import { useGeneratorStore } from '../hooks/useGenerator';
import type { Labels } from '../labels';
import type { FetchLike, HeadersOption } from '../core/client';
import type { ToapisError, ToapisErrorKind } from '../core/errors';
import type { GeneratorStore } from '../store';
import type { GenerationTask, GeneratorPreset } from '../store/types';
import kitCss from '../styles.css?inline';
import elementCss from './element.css?inline';

/** The languages the `lang` attribute picks a shipped label pack for. */
export type ImageGeneratorLang = 'en' | 'zh' | 'ja' | 'ko';
export type ImageGeneratorTheme = 'light' | 'dark' | 'auto';

/** `detail` of the `taskerror` event. */
export interface ImageGeneratorErrorDetail {
  kind: ToapisErrorKind;
  message: string;
  task: GenerationTask | undefined;
}

/** The element's events: `generate` (a task was submitted), `taskcomplete`, `taskerror`. */
export interface ImageGeneratorEventMap {
  generate: CustomEvent<GenerationTask>;
  taskcomplete: CustomEvent<GenerationTask>;
  taskerror: CustomEvent<ImageGeneratorErrorDetail>;
}

/**
 * The non-English label packs load when a `lang` asks for one (a few kB each, kept off the first
 * load); English is built in. Loaded packs are kept for every element on the page.
 */
const PACKS: Readonly<Record<string, () => Promise<Partial<Labels>>>> = {
  zh: () => import('../labels/zh').then((m) => m.zh),
  ja: () => import('../labels/ja').then((m) => m.ja),
  ko: () => import('../labels/ko').then((m) => m.ko),
};
const loadedPacks = new Map<string, Partial<Labels>>();
const loadingPacks = new Map<string, Promise<void>>();

/** The pack for `lang` if it has loaded (undefined for English); else starts loading it and calls `then`. */
function packFor(lang: string, then: () => void): { ready: boolean; pack: Partial<Labels> | undefined } {
  const load = Object.hasOwn(PACKS, lang) ? PACKS[lang] : undefined;
  if (!load) return { ready: true, pack: undefined }; // English, or a language with no pack: English
  const pack = loadedPacks.get(lang);
  if (pack) return { ready: true, pack };
  let loading = loadingPacks.get(lang);
  if (!loading) {
    loading = load().then(
      (p) => void loadedPacks.set(lang, p),
      () => void loadingPacks.delete(lang), // a dropped chunk: the next render asks again
    );
    loadingPacks.set(lang, loading);
  }
  void loading.then(then);
  return { ready: false, pack: undefined };
}

const OBSERVED = ['backend-url', 'model', 'lang', 'theme', 'max-references', 'poll-interval', 'credentials', 'id'] as const;

// Server-side (no DOM), the module still loads: the class extends a stand-in and is never defined.
const Base: typeof HTMLElement = typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

let instances = 0;

export class ImageGeneratorElement extends Base {
  static get observedAttributes(): readonly string[] {
    return OBSERVED;
  }

  readonly #instance = ++instances;
  readonly #container: HTMLDivElement;
  readonly #portal: HTMLDivElement;
  #root: Root | undefined;
  #store: GeneratorStore | undefined;
  #labels: Partial<Labels> | undefined;
  /** Rendered at least once since connected; the label pack shown. */
  #shown = false;
  #shownPack: Partial<Labels> | undefined;
  #headers: HeadersOption | undefined;
  #presets: readonly GeneratorPreset[] | undefined;
  #fetch: FetchLike | undefined;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    this.#container = document.createElement('div');
    this.#container.className = 'gen-element-root';
    this.#portal = document.createElement('div');
    this.#portal.className = 'gen-element-portal';
    shadow.append(this.#container, this.#portal);
  }

  connectedCallback(): void {
    installThemeTokens(this.ownerDocument);
    this.#reflectTheme();
    this.#root ??= createRoot(this.#container);
    this.#render();
  }

  disconnectedCallback(): void {
    // Unmounting the provider stops polling and streams and releases the thumbnails; the session's
    // saved state lets the next connect resume the tasks.
    this.#root?.unmount();
    this.#root = undefined;
    this.#store = undefined;
    this.#shown = false;
  }

  attributeChangedCallback(name: string): void {
    if (name === 'theme') this.#reflectTheme();
    this.#render();
  }

  /* ---- properties */

  /** UI strings over the `lang` pack (white-label wording). */
  get labels(): Partial<Labels> | undefined {
    return this.#labels;
  }
  set labels(value: Partial<Labels> | undefined) {
    this.#labels = value;
    this.#render();
  }

  /** Extra headers for every request, or an (async) function returning them. */
  get headers(): HeadersOption | undefined {
    return this.#headers;
  }
  set headers(value: HeadersOption | undefined) {
    this.#headers = value;
  }

  /** The host's presets, listed first in the preset picker. */
  get presets(): readonly GeneratorPreset[] | undefined {
    return this.#presets;
  }
  set presets(value: readonly GeneratorPreset[] | undefined) {
    this.#presets = value;
    this.#render();
  }

  /** `fetch` override (instrumentation, tests); `credentials` is still applied. */
  get fetch(): FetchLike | undefined {
    return this.#fetch;
  }
  set fetch(value: FetchLike | undefined) {
    this.#fetch = value;
  }

  /** The generator's store (read-only; `undefined` until the first render after connecting, and while disconnected). */
  get store(): GeneratorStore | undefined {
    return this.#store;
  }
  set store(_value: GeneratorStore | undefined) {
    throw new TypeError('<toapis-image-generator>: `store` is read-only; the element creates its own store.');
  }

  /* ---- attributes, as typed values */

  /** `backend-url`, resolved against the page (a relative URL such as `/` works); the page's origin by default. */
  get backendUrl(): string {
    const attr = this.getAttribute('backend-url');
    const doc = this.ownerDocument;
    if (attr === null) return doc.defaultView?.location.origin ?? '';
    try {
      return new URL(attr, doc.baseURI).href.replace(/\/+$/, '');
    } catch {
      return attr;
    }
  }

  get credentials(): RequestCredentials {
    return this.getAttribute('credentials') === 'include' ? 'include' : 'same-origin';
  }

  /* ---- internals */

  #reflectTheme() {
    // The theme's tokens (installed in the document) apply to the element itself, so custom
    // properties a page sets on the element still win; without `theme` the inherited ones apply.
    const theme = this.getAttribute('theme');
    if (theme === 'light' || theme === 'dark' || theme === 'auto') this.setAttribute('data-gen-theme', theme);
    else this.removeAttribute('data-gen-theme');
  }

  readonly #emit = (type: keyof ImageGeneratorEventMap, detail: unknown) => {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  };

  readonly #onStore = (store: GeneratorStore | undefined) => {
    this.#store = store;
  };

  readonly #readHeaders = () => {
    const h = this.#headers;
    return typeof h === 'function' ? h() : (h ?? {});
  };

  readonly #doFetch: FetchLike = (input, init) => {
    const f = this.#fetch ?? globalThis.fetch.bind(globalThis);
    return f(input, { ...init, credentials: init?.credentials ?? this.credentials });
  };

  readonly #onTaskComplete = (task: GenerationTask) => this.#emit('taskcomplete', task);
  readonly #onError = (error: ToapisError, task?: GenerationTask) => this.#emit('taskerror', { kind: error.kind, message: error.message, task });

  #render() {
    const root = this.#root;
    if (!root) return;
    const backendUrl = this.backendUrl;
    // `ja-JP` picks the `ja` pack; an unknown language shows English. A pack still loading: the
    // element keeps the language it shows (or, before its first render, waits) rather than flash English.
    const lang = (this.getAttribute('lang') ?? 'en').split('-')[0]!.toLowerCase();
    const wanted = packFor(lang, () => this.#render());
    if (!wanted.ready && !this.#shown) return;
    const pack = wanted.ready ? (this.#shownPack = wanted.pack) : this.#shownPack;
    this.#shown = true;
    const labels = this.#labels ? { ...pack, ...this.#labels } : pack;
    const model = this.getAttribute('model') ?? undefined;
    const poll = numberAttr(this.getAttribute('poll-interval'));
    const max = numberAttr(this.getAttribute('max-references'));
    const id = this.getAttribute('id');
    // Each element keeps its own session state: keyed by its id, or by its order on the page.
    const persistKey = `toapis-element:${backendUrl}#${id ?? this.#instance}`;
    // The backend, credentials and poll cadence are fixed when a store is made: a change makes a new one
    // (the session's saved state carries the prompt and the running tasks over).
    const key = `${backendUrl}|${this.credentials}|${poll ?? ''}|${persistKey}`;
    root.render(
      <GeneratorProvider
        key={key}
        backendUrl={backendUrl}
        persistKey={persistKey}
        headers={this.#readHeaders}
        fetch={this.#doFetch}
        onTaskComplete={this.#onTaskComplete}
        onError={this.#onError}
        {...(model !== undefined && { model })}
        {...(labels !== undefined && { labels })}
        {...(poll !== undefined && { pollInterval: poll })}
        {...(this.#presets !== undefined && { presets: this.#presets })}
      >
        <PortalContainerContext.Provider value={this.#portal}>
          <StoreBridge onStore={this.#onStore} emit={this.#emit} />
          <div className="gen-element">
            <div part="prompt-form">
              <PromptForm>
                <PresetPicker />
                <div part="aspect-ratio-picker">
                  <AspectRatioPicker />
                </div>
              </PromptForm>
            </div>
            <div part="reference-tray">
              <ReferenceTray {...(max !== undefined && { max })} />
            </div>
            <div part="task-progress">
              <TaskProgress />
            </div>
          </div>
        </PortalContainerContext.Provider>
      </GeneratorProvider>,
    );
  }
}

/** Hands the provider's store to the element and turns new tasks into `generate` events. */
function StoreBridge({ onStore, emit }: { onStore: (store: GeneratorStore | undefined) => void; emit: (type: 'generate', detail: unknown) => void }) {
  const store = useGeneratorStore();
  React.useLayoutEffect(() => {
    onStore(store);
    return () => onStore(undefined);
  }, [store, onStore]);
  // A passive effect runs after the provider restored the session's tasks: those are not new.
  React.useEffect(() => {
    const known = new Set(store.getState().tasks.map((t) => t.id));
    return store.subscribe((state) => {
      for (const task of state.tasks) {
        if (known.has(task.id)) continue;
        known.add(task.id);
        emit('generate', task);
      }
    });
  }, [store, emit]);
  return null;
}

function numberAttr(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/* -------------------------------------------------------------------------------------------------
 * Styles
 * -----------------------------------------------------------------------------------------------*/

const SHEET_TEXT = `${kitCss}\n${elementCss}`;
let sharedSheet: CSSStyleSheet | undefined;

/** The kit's sheet in the shadow root: one constructable sheet shared by every element, or a `<style>`. */
function adoptStyles(shadow: ShadowRoot) {
  if ('adoptedStyleSheets' in shadow && constructable(shadow.ownerDocument)) {
    try {
      sharedSheet ??= makeSheet(SHEET_TEXT);
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sharedSheet];
      return;
    } catch {
      // fall through to a <style> element
    }
  }
  const style = document.createElement('style');
  style.textContent = SHEET_TEXT;
  shadow.append(style);
}

function makeSheet(text: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
}

const installed = new WeakSet<Document>();

/**
 * The theme tokens (`--gen-*` on `:root`, and the `data-gen-theme` rules), added once to the
 * element's document: custom properties inherit into the shadow tree, so a page re-brands the element
 * by setting them on it or on any ancestor, as with the React components. Only the token rules, all
 * zero-specificity `:where()`, so any page rule wins; nothing else of the kit's sheet leaves the shadow root.
 */
function installThemeTokens(doc: Document) {
  if (installed.has(doc)) return;
  installed.add(doc);
  // Parsed by a constructable sheet where there is one (and adopted by the document: no <style>, so a
  // page's CSP without 'unsafe-inline' styles is fine), else by a <style> element briefly in <head>.
  if (constructable(doc) && 'adoptedStyleSheets' in doc) {
    try {
      const parsed = makeSheet(kitCss);
      const tokens = Array.from(parsed.cssRules).filter(isTokenRule).map((r) => r.cssText);
      if (tokens.length > 0) doc.adoptedStyleSheets = [makeSheet(tokens.join('\n')), ...doc.adoptedStyleSheets];
      return;
    } catch {
      // fall through to <style> elements
    }
  }
  const probe = doc.createElement('style');
  probe.textContent = kitCss;
  doc.head.append(probe);
  const rules = Array.from(probe.sheet?.cssRules ?? []);
  probe.remove();
  const tokens = rules.filter(isTokenRule).map((r) => r.cssText);
  if (tokens.length === 0) return;
  const style = doc.createElement('style');
  style.setAttribute('data-toapis-image-generator', 'tokens');
  style.textContent = tokens.join('\n');
  doc.head.prepend(style);
}

function constructable(doc: Document): boolean {
  const Sheet = doc.defaultView?.CSSStyleSheet;
  return typeof Sheet === 'function' && Sheet === globalThis.CSSStyleSheet && 'replaceSync' in Sheet.prototype;
}

function isTokenRule(rule: CSSRule): boolean {
  if ('selectorText' in rule) return /:root|data-gen-theme/.test(String(rule.selectorText));
  if ('cssRules' in rule && 'media' in rule) return Array.from((rule as CSSMediaRule).cssRules).some(isTokenRule);
  return false;
}
