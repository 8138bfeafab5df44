import type { Loader, Preview } from '@storybook/react-vite';
import type { SetupWorker } from 'msw/browser';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { createMockHandlers } from '../server/mock';
import { STORY_SIMULATOR, storyHandlers, withGenerator } from '../stories/decorators';
import '../src/styles.css';

/**
 * MSW's service worker with the simulator as its initial handlers (they survive the per-story
 * reset). `./mockServiceWorker.js` is relative to `iframe.html`, so a build deployed under a
 * sub-path works too.
 */
const loadMsw = mswLoader(async () => {
  const { setupWorker } = await import('msw/browser');
  const worker: SetupWorker = setupWorker(...createMockHandlers(STORY_SIMULATOR).handlers);
  await worker.start({
    quiet: true,
    serviceWorker: { url: './mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
  });
  return worker;
});

/**
 * Starts the worker and installs this story's handlers: its `parameters.msw` overrides first, then a
 * fresh simulator with its `parameters.generator.simulator` options. Without a service worker
 * (jsdom under Vitest) it does nothing: `test/stories/stories.test.tsx` installs the same handlers
 * on MSW's node server.
 */
const simulatorLoader: Loader = async (context) => {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return {};
  await loadMsw({ ...context, parameters: { ...context.parameters, msw: { handlers: storyHandlers(context.parameters) } } });
  return {};
};

const preview = {
  decorators: [withGenerator],
  loaders: [simulatorLoader],
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    options: {
      storySort: {
        order: ['Kit', ['Docs', 'Full generator', 'White label (Pixelforge)', 'Japanese labels', 'Dark'], 'PromptForm', 'AspectRatioPicker', 'ReferenceTray', 'TaskProgress'],
      },
    },
  },
  tags: ['autodocs'],
} satisfies Preview;

export default preview;
