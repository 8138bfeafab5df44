/** `<toapis-image-generator>`: the kit as a custom element in an open shadow root (src/element). */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImageGeneratorElement, defineImageGenerator } from '../../src/element';
import { ja } from '../../src/labels';
import type { GenerationTask } from '../../src/store/types';
import { SIMULATOR_BASE_URL, useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';

const sim = useSimulatorServer({ seed: 16, queuedMs: 50, generatingMs: 300 });

// The element renders with its own React root, outside testing-library's act().
const actEnv = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
let previousAct: boolean | undefined;
beforeAll(() => {
  previousAct = actEnv.IS_REACT_ACT_ENVIRONMENT;
  actEnv.IS_REACT_ACT_ENVIRONMENT = false;
});
afterAll(() => {
  actEnv.IS_REACT_ACT_ENVIRONMENT = previousAct;
});

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

function addElement(attributes: Record<string, string> = {}): ImageGeneratorElement {
  const el = document.createElement('toapis-image-generator');
  el.setAttribute('backend-url', SIMULATOR_BASE_URL);
  el.setAttribute('poll-interval', '100');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  mounted.push(el);
  return el;
}

const inside = (el: HTMLElement) => within(el.shadowRoot as unknown as HTMLElement);

async function generate(el: ImageGeneratorElement, prompt: string) {
  const user = userEvent.setup();
  const box = await inside(el).findByRole('textbox', { name: 'Prompt' });
  await user.type(box, prompt);
  await user.click(inside(el).getByRole('button', { name: 'Generate' }));
}

describe('<toapis-image-generator>', () => {
  it('is defined by importing the entry; defineImageGenerator is idempotent and refuses a foreign owner', () => {
    expect(customElements.get('toapis-image-generator')).toBe(ImageGeneratorElement);
    expect(defineImageGenerator()).toBe(ImageGeneratorElement);
    const Other = defineImageGenerator('my-image-generator');
    expect(customElements.get('my-image-generator')).toBe(Other);
    expect(defineImageGenerator('my-image-generator')).toBe(Other);
    customElements.define('taken-generator', class extends HTMLElement {});
    expect(() => defineImageGenerator('taken-generator')).toThrow(/already defined/);
  });

  it('renders the generator inside an open shadow root, with its parts', async () => {
    const el = addElement();
    expect(el.shadowRoot).not.toBeNull();
    await inside(el).findByRole('textbox', { name: 'Prompt' });
    expect(screen.queryByRole('textbox', { name: 'Prompt' })).toBeNull(); // not in the light DOM
    expect(inside(el).getByRole('button', { name: 'Generate' })).toBeInTheDocument();
    expect(inside(el).getByRole('combobox', { name: 'Aspect ratio' })).toBeInTheDocument();
    const parts = Array.from(el.shadowRoot!.querySelectorAll('[part]')).map((n) => n.getAttribute('part'));
    expect(parts).toEqual(['prompt-form', 'aspect-ratio-picker', 'reference-tray', 'task-progress']);
    expect(el.shadowRoot!.querySelector('[part="aspect-ratio-picker"]')!.closest('[part="prompt-form"]')).not.toBeNull();
  });

  it('applies lang, model, theme and max-references live', async () => {
    const el = addElement();
    await inside(el).findByRole('textbox', { name: 'Prompt' });
    el.setAttribute('lang', 'ja');
    expect(await inside(el).findByRole('textbox', { name: ja.prompt! })).toBeInTheDocument();
    expect(inside(el).getByRole('button', { name: ja.generate! })).toBeInTheDocument();
    el.labels = { generate: 'Make it' };
    expect(await inside(el).findByRole('button', { name: 'Make it' })).toBeInTheDocument();
    el.removeAttribute('lang');
    el.labels = undefined;
    expect(await inside(el).findByRole('textbox', { name: 'Prompt' })).toBeInTheDocument();

    el.setAttribute('model', 'gpt-image-2');
    await waitFor(() => expect(el.store?.getState().model).toBe('gpt-image-2'));

    el.setAttribute('theme', 'dark');
    expect(el.getAttribute('data-gen-theme')).toBe('dark');
    el.removeAttribute('theme');
    expect(el.hasAttribute('data-gen-theme')).toBe(false);

    el.setAttribute('max-references', '3');
    await waitFor(() => expect(el.store?.getState().maxReferences).toBe(3));
  });

  it('dispatches generate and taskcomplete as bubbling, composed events', async () => {
    const el = addElement();
    const seen: { type: string; bubbles: boolean; composed: boolean; task: GenerationTask }[] = [];
    const listen = (e: Event) => {
      const ev = e as CustomEvent<GenerationTask>;
      seen.push({ type: ev.type, bubbles: ev.bubbles, composed: ev.composed, task: ev.detail });
    };
    document.addEventListener('generate', listen);
    document.addEventListener('taskcomplete', listen);
    try {
      await generate(el, 'a lighthouse at dusk');
      await waitFor(() => expect(seen.map((s) => s.type)).toEqual(['generate', 'taskcomplete']), { timeout: 5000 });
      expect(seen.every((s) => s.bubbles && s.composed)).toBe(true);
      expect(seen[0]!.task.prompt).toBe('a lighthouse at dusk');
      expect(seen[1]!.task.id).toBe(seen[0]!.task.id);
      expect(seen[1]!.task.images.length).toBeGreaterThan(0);
      expect(sim.simulator.stats.submits).toBe(1);
    } finally {
      document.removeEventListener('generate', listen);
      document.removeEventListener('taskcomplete', listen);
    }
  });

  it('dispatches taskerror with the kind, message and task; headers reach the backend', async () => {
    const el = addElement();
    el.headers = async () => ({ 'x-simulator-fault': 'bad_request' });
    const errors: CustomEvent[] = [];
    el.addEventListener('taskerror', (e) => errors.push(e as CustomEvent));
    await generate(el, 'a failing prompt');
    await waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
    expect(errors[0]!.bubbles && errors[0]!.composed).toBe(true);
    expect(errors[0]!.detail).toMatchObject({ kind: 'invalid_request', message: expect.any(String) });
  });

  it('the fetch property and credentials reach every request', async () => {
    const el = addElement({ credentials: 'include' });
    const inits: (RequestInit | undefined)[] = [];
    el.fetch = (input, init) => {
      inits.push(init);
      return fetch(input, init);
    };
    await generate(el, 'counted');
    await waitFor(() => expect(inits.length).toBeGreaterThan(0));
    expect(inits.every((i) => i?.credentials === 'include')).toBe(true);
  });

  it('removing the element stops its requests; adding it back resumes', async () => {
    const el = addElement({ id: 'resumable' });
    sim.simulator.reset();
    const slow = el; // a long task, still running when removed
    slow.headers = { 'x-simulator-fault': 'slow' };
    await generate(slow, 'a long one');
    await waitFor(() => expect(sim.simulator.stats.polls).toBeGreaterThan(0), { timeout: 3000 });
    el.remove();
    expect(el.store).toBeUndefined();
    const polls = sim.simulator.stats.polls;
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.simulator.stats.polls).toBe(polls);

    document.body.append(el);
    expect(await inside(el).findByRole('textbox', { name: 'Prompt' })).toBeInTheDocument();
    await waitFor(() => expect(el.store?.getState().tasks).toHaveLength(1));
    await waitFor(() => expect(sim.simulator.stats.polls).toBeGreaterThan(polls), { timeout: 3000 });
  });

  it('removing the element frees its reference thumbnails', async () => {
    const urls = URL as unknown as { createObjectURL?: (b: Blob) => string; revokeObjectURL?: (u: string) => void };
    const original = { create: urls.createObjectURL, revoke: urls.revokeObjectURL };
    const created: string[] = [];
    const revoked: string[] = [];
    urls.createObjectURL = () => {
      const url = `blob:http://127.0.0.1/thumb-${created.length + 1}`;
      created.push(url);
      return url;
    };
    urls.revokeObjectURL = (url: string) => void revoked.push(url);
    try {
      const el = addElement();
      const user = userEvent.setup();
      await user.upload(await inside(el).findByLabelText('Add reference images'), [pngFile('one.png', 10, 10, 1)]);
      const list = await inside(el).findByRole('list', { name: 'Reference images' });
      await waitFor(() => expect(within(list).getAllByRole('img')).toHaveLength(1));
      const thumb = within(list).getByRole('img').getAttribute('src')!;
      expect(created).toContain(thumb);
      el.remove();
      await waitFor(() => expect(revoked).toContain(thumb));
    } finally {
      urls.createObjectURL = original.create;
      urls.revokeObjectURL = original.revoke;
    }
  });

  it('two elements keep separate stores, without the shared-key warning', async () => {
    const warn = vi.spyOn(console, 'warn');
    const a = addElement();
    const b = addElement();
    await inside(a).findByRole('textbox', { name: 'Prompt' });
    await inside(b).findByRole('textbox', { name: 'Prompt' });
    await waitFor(() => expect(a.store && b.store).toBeTruthy());
    expect(a.store).not.toBe(b.store);
    await userEvent.setup().type(inside(a).getByRole('textbox', { name: 'Prompt' }), 'only in a');
    expect(a.store!.getState().prompt).toBe('only in a');
    expect(b.store!.getState().prompt).toBe('');
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/two mounted providers/);
  });

  it('store is read-only', async () => {
    const el = addElement();
    await waitFor(() => expect(el.store).toBeDefined());
    const store = el.store;
    expect(() => {
      (el as unknown as { store: unknown }).store = {};
    }).toThrow(TypeError);
    expect(el.store).toBe(store);
  });

  it('the aspect-ratio popup opens inside the shadow root', async () => {
    const el = addElement();
    const user = userEvent.setup();
    const combo = await inside(el).findByRole('combobox', { name: 'Aspect ratio' });
    await user.click(combo);
    const listbox = await inside(el).findByRole('listbox');
    expect(el.shadowRoot!.contains(listbox)).toBe(true);
    expect(document.body.querySelector('[role="listbox"]')).toBeNull();
    await user.click(within(listbox).getByRole('option', { name: /16:9/ }));
    await waitFor(() => expect(el.store?.getState().aspectRatio).toBe('16:9'));
  });
});
