/**
 * The playground: all six components against the backend that served this page (the simulator
 * unless a TOAPIS_API_KEY is configured), or any ToAPIs-compatible backend given as `?backend=<url>`.
 * The MaskEditor opens from the tray's "Edit mask" with a model that takes a mask (`?model=gpt-image-2`).
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import {
  AspectRatioPicker,
  GeneratorProvider,
  PresetPicker,
  MODEL_IDS,
  DEFAULT_MODEL_ID,
  PromptForm,
  ReferenceTray,
  TaskProgress,
  type GeneratorPreset,
  type Labels,
} from '../src/index';
import { labelPacks } from '../src/labels';
import '../src/styles.css';
import './playground.css';

const params = new URLSearchParams(window.location.search);
const backendUrl = params.get('backend') ?? window.location.origin;
/** A portal's brand presets (the provider's `presets`); users save their own beside them. */
const BRAND_PRESETS: GeneratorPreset[] = [
  { name: 'Brand poster', description: 'Tall, 2K', aspectRatio: '2:3', resolution: '2K' },
  { name: 'Brand banner', description: 'Wide web banner', aspectRatio: '21:9', prompt: 'A clean banner in our brand colours, flat shapes' },
  { name: 'Social square', description: 'Four to choose from', aspectRatio: '1:1', n: 4 },
];
const FAULTS = ['', 'rate_limit', 'auth', 'bad_request', 'quota', 'content_policy', 'task_failed', 'slow', 'server_error', 'drop_poll', 'lost_submit', 'not_found', 'garbled', 'upload_rejected'];

function Playground() {
  const [model, setModel] = React.useState(params.get('model') ?? DEFAULT_MODEL_ID);
  const [theme, setTheme] = React.useState<'light' | 'dark' | 'auto'>((params.get('theme') as 'light' | 'dark' | null) ?? 'light');
  const [lang, setLang] = React.useState<keyof typeof labelPacks>((params.get('lang') as keyof typeof labelPacks | null) ?? 'en');
  const [fault, setFault] = React.useState(params.get('fault') ?? '');
  const faultRef = React.useRef(fault);
  faultRef.current = fault;
  const headers = React.useCallback((): Record<string, string> => (faultRef.current ? { 'x-simulator-fault': faultRef.current } : {}), []);
  const labels: Partial<Labels> | undefined = labelPacks[lang];
  const pollInterval = params.has('poll') ? Number(params.get('poll')) : undefined;

  return (
    <div className="pg" data-gen-theme={theme}>
      <header className="pg-header">
        <div>
          <h1 className="pg-title">Image generator</h1>
          <p className="pg-subtitle">
            Backend: <code>{backendUrl}</code>
          </p>
        </div>
        <div className="pg-controls">
          <label>
            Model
            <select value={model} onChange={(e) => setModel(e.target.value)}>
              {MODEL_IDS.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Language
            <select value={lang} onChange={(e) => setLang(e.target.value as keyof typeof labelPacks)}>
              {Object.keys(labelPacks).map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value as 'light' | 'dark' | 'auto')}>
              <option value="light">light</option>
              <option value="dark">dark</option>
              <option value="auto">auto</option>
            </select>
          </label>
          <label>
            Simulate
            <select value={fault} onChange={(e) => setFault(e.target.value)}>
              {FAULTS.map((f) => (
                <option key={f} value={f}>
                  {f || 'no fault'}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <GeneratorProvider
        backendUrl={backendUrl}
        model={model}
        headers={headers}
        labels={labels}
        presets={BRAND_PRESETS}
        {...(pollInterval !== undefined && { pollInterval })}
      >
        <main className="pg-main">
          <section className="pg-compose" aria-label="Compose">
            <PromptForm>
              <PresetPicker />
              <AspectRatioPicker />
            </PromptForm>
            <ReferenceTray />
          </section>
          <section className="pg-results" aria-label="Results">
            <TaskProgress />
          </section>
        </main>
      </GeneratorProvider>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <Playground />
  </React.StrictMode>,
);
