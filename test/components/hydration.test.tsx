/**
 * Hydration with saved state: the server's HTML (which knows nothing of session storage) is
 * hydrated in a page whose session storage holds a prompt, settings and a finished task from before
 * a reload. The first client render must match the server HTML (no recoverable error, no console
 * error), and the saved state must appear right after hydration and stay.
 */
import * as React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AspectRatioPicker, GeneratorProvider, PromptForm, ReferenceTray, TaskProgress, createGeneratorStore } from '../../src';
import { SIMULATOR_BASE_URL, useSimulatorServer } from '../msw/server';

useSimulatorServer({ seed: 17, queuedMs: 20, generatingMs: 60 });

const KEY = `toapis-kit:${SIMULATOR_BASE_URL}`;

function App({ persistKey }: { persistKey?: string }) {
  return (
    <GeneratorProvider backendUrl={SIMULATOR_BASE_URL} pollInterval={50} {...(persistKey !== undefined && { persistKey })}>
      <PromptForm />
      <AspectRatioPicker />
      <ReferenceTray max={8} />
      <TaskProgress />
    </GeneratorProvider>
  );
}

/** Runs a real generation through a store that saves where the provider reads, as a page before a reload would. */
async function saveAFinishedTask(key = KEY) {
  const store = createGeneratorStore({ backendUrl: SIMULATOR_BASE_URL, pollInterval: 20, persist: { storage: sessionStorage, key } });
  store.getState().setPrompt('a red kite over the dunes');
  store.getState().setAspectRatio('16:9');
  await store.getState().submit();
  await vi.waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('completed'), { timeout: 5000, interval: 20 });
  store.getState().dispose();
  expect(sessionStorage.getItem(key)).toContain('a red kite over the dunes');
}

let root: Root | undefined;
let container: HTMLElement | undefined;
afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
  root = undefined;
  container = undefined;
});

/** Server HTML into the document, then hydrateRoot; returns every hydration complaint React made. */
async function hydrate(element: React.ReactElement) {
  // The server has no session storage: hide it while the HTML is made, as a real server would.
  const noStorage = vi.spyOn(window, 'sessionStorage', 'get').mockReturnValue(undefined as unknown as Storage);
  const html = renderToString(element);
  noStorage.mockRestore();
  container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);
  const recoverable: unknown[] = [];
  const consoleErrors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void consoleErrors.push(args.map(String).join(' ')));
  await act(async () => {
    root = hydrateRoot(container!, element, { onRecoverableError: (error) => void recoverable.push(error) });
  });
  spy.mockRestore();
  return { html, recoverable, consoleErrors };
}

describe('hydration of server HTML', () => {
  it('with saved state: no mismatch, then the prompt, ratio and finished task are back', async () => {
    await saveAFinishedTask();
    const { html, recoverable, consoleErrors } = await hydrate(<App />);
    // The server's HTML was made without the saved state (as on a real server)…
    expect(html).not.toContain('a red kite over the dunes');
    // …and hydrating it raised nothing.
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('a red kite over the dunes');
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('16:9');
    expect(await screen.findByRole('img', { name: /a red kite over the dunes/ })).toBeInTheDocument();
    expect(screen.getByText('0 / 8')).toBeInTheDocument();
    // Saving continues after the restore: what is on screen is what is stored.
    expect(JSON.parse(sessionStorage.getItem(KEY)!).settings.prompt).toBe('a red kite over the dunes');
  });

  it('without saved state: no mismatch and an empty form', async () => {
    const { recoverable, consoleErrors } = await hydrate(<App />);
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('');
  });

  it('under StrictMode the saved state survives the double mount', async () => {
    await saveAFinishedTask();
    const { recoverable } = await hydrate(
      <React.StrictMode>
        <App />
      </React.StrictMode>,
    );
    expect(recoverable).toEqual([]);
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('a red kite over the dunes');
    expect(await screen.findByRole('img', { name: /a red kite over the dunes/ })).toBeInTheDocument();
  });

  it('two generators with their own persistKey restore their own state', async () => {
    await saveAFinishedTask('gen:left');
    await hydrate(
      <>
        <section aria-label="left">
          <App persistKey="gen:left" />
        </section>
        <section aria-label="right">
          <App persistKey="gen:right" />
        </section>
      </>,
    );
    const prompts = screen.getAllByRole('textbox', { name: 'Prompt' });
    expect(prompts.map((p) => (p as HTMLTextAreaElement).value)).toEqual(['a red kite over the dunes', '']);
  });
});

describe('client-only render (no server HTML)', () => {
  it('restores in the very first render: no flash of an empty form', async () => {
    await saveAFinishedTask();
    const seen: string[] = [];
    function Probe() {
      const ref = React.useRef<HTMLDivElement>(null);
      React.useLayoutEffect(() => {
        // Before any effect of the provider could run a second render.
        seen.push((ref.current?.parentElement?.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '(none)');
      }, []);
      return <div ref={ref} />;
    }
    render(
      <GeneratorProvider backendUrl={SIMULATOR_BASE_URL}>
        <PromptForm />
        <Probe />
      </GeneratorProvider>,
    );
    expect(seen[0]).toBe('a red kite over the dunes');
  });

  it('warns in development when two mounted providers would share one saved state', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    render(
      <>
        <App />
        <App />
      </>,
    );
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('persistKey')]);
  });

  it('reload keeps the state under the default key, whatever the tree around the provider', async () => {
    await saveAFinishedTask();
    // A different tree position (what React's useId depends on) must not change the key.
    render(
      <div>
        <span />
        <App />
      </div>,
    );
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('a red kite over the dunes'));
  });
});
