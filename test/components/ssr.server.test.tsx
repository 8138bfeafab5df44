// @vitest-environment node
/**
 * Server rendering: the provider and every component render to HTML in plain Node (no `window`,
 * no `document`, no storage), as a Next.js, Remix or Astro server would, and the HTML already holds
 * the whole form with its accessible names.
 */
import * as React from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  AspectRatioPicker,
  GeneratorErrorBoundary,
  GeneratorProvider,
  MaskEditor,
  PresetPicker,
  PromptForm,
  ReferenceTray,
  TaskProgress,
  createGeneratorStore,
} from '../../src';
import { newTask } from '../../src/core/task';

const BACKEND = 'http://127.0.0.1:4010';

function serverHtml(children: React.ReactNode, props: Partial<React.ComponentProps<typeof GeneratorProvider>> = {}) {
  return renderToString(
    <GeneratorProvider backendUrl={BACKEND} {...props}>
      {children}
    </GeneratorProvider>,
  );
}

describe('server rendering (Node, no DOM)', () => {
  it('runs with no DOM globals', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('the whole kit renders its form, picker, tray and progress list', () => {
    const html = serverHtml(
      <>
        <PromptForm />
        <AspectRatioPicker />
        <ReferenceTray max={8} />
        <TaskProgress />
      </>,
    );
    expect(html).toMatch(/<textarea[^>]*id="[^"]+"/);
    expect(html).toContain('>Prompt<');
    expect(html).toContain('>Generate<');
    expect(html).toContain('Aspect ratio');
    expect(html).toContain('Resolution');
    expect(html).toContain('Add reference images');
    expect(html).toContain('0 / 8');
  });

  it.each([
    ['PromptForm', <PromptForm key="p" />, '>Generate<'],
    ['AspectRatioPicker', <AspectRatioPicker key="a" />, '1:1'],
    ['ReferenceTray', <ReferenceTray key="r" />, '0 / 14'],
    ['TaskProgress', <TaskProgress key="t" />, 'gen-TaskProgress'],
    ['PresetPicker', <PresetPicker key="s" />, 'Save preset'],
    ['GeneratorErrorBoundary', <GeneratorErrorBoundary key="e" name="PromptForm"><PromptForm /></GeneratorErrorBoundary>, '>Generate<'],
  ])('%s renders on its own', (_name, element, expected) => {
    expect(serverHtml(element)).toContain(expected);
  });

  it('a host-owned store with saved state renders that state on the server', () => {
    const store = createGeneratorStore({ backendUrl: BACKEND, connected: false, initial: { prompt: 'a lighthouse at dusk', aspectRatio: '16:9' } });
    const html = serverHtml(
      <>
        <PromptForm />
        <AspectRatioPicker />
      </>,
      { store },
    );
    expect(html).toContain('a lighthouse at dusk');
    expect(html).toContain('16:9');
    store.getState().dispose();
  });

  it('MaskEditor renders nothing on the server, open or not (its dialog loads in the browser)', () => {
    const noop = () => {};
    expect(serverHtml(<MaskEditor open={false} onOpenChange={noop} />)).toBe(serverHtml(null));
    expect(() => serverHtml(<MaskEditor open onOpenChange={noop} />)).not.toThrow();
  });

  it('PresetPicker with host presets renders its combobox, placeholder and actions on the server', () => {
    const html = serverHtml(<PresetPicker />, {
      presets: [{ id: 'brand', name: 'Brand square', settings: { aspectRatio: '1:1' } }],
    } as never);
    expect(html).toMatch(/role="combobox"[^>]*aria-labelledby="[^"]+"/);
    expect(html).toContain('Choose a preset');
    expect(html).toContain('>Import presets<');
  });

  it('the server renders the store initial state, not references and tasks added since (the first client render matches it)', () => {
    const store = createGeneratorStore({ backendUrl: BACKEND, connected: false, initial: { prompt: 'a fox at dawn' } });
    const url = 'https://files.example.test/uploads/ref-1.png';
    const reference = { id: 'r1', name: 'ref-1.png', size: 1000, mimeType: 'image/png', state: 'ready', progress: 100, url, previewUrl: url, hash: undefined, width: 64, height: 64, error: undefined, downscaled: false } as const;
    const at = Date.now();
    const model = 'gemini-3.1-flash-image-preview';
    const task = newTask({ id: 'ssr-1', taskId: 'task_ssr_1', phase: 'queued', model, request: { model, prompt: 'a fox at dawn' }, aspectRatio: '1:1', n: 1, at });
    store.setState({
      references: [reference],
      tasks: [{ ...task, phase: 'completed', status: 'completed', progress: 100, images: [{ url: 'https://files.example.test/generated/fox.png' }], completedAt: at, expiresAt: at + 86_400_000 }],
    });
    const html = serverHtml(
      <>
        <ReferenceTray />
        <TaskProgress />
      </>,
      { store },
    );
    // References and tasks live in the browser (session storage); they are applied after hydration
    // (test/components/hydration.test.tsx), so the server HTML is what the first client render is.
    expect(store.getState().tasks).toHaveLength(1);
    expect(html).toContain('0 / 14');
    expect(html).toContain('Your images will appear here.');
    expect(html).not.toContain('fox.png');
    expect(html).not.toContain('ref-1.png');
    store.getState().dispose();
  });

  it('labels in another language render on the server', () => {
    expect(serverHtml(<PromptForm />, { labels: { generate: 'Erzeugen' } })).toContain('>Erzeugen<');
  });
});
