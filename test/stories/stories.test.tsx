/// <reference types="vite/client" />
/**
 * Every story is a test: each `stories/*.stories.tsx` export is composed with the Storybook preview
 * (decorators, parameters), rendered in jsdom and its play function run, against the simulator
 * through MSW's node server instead of the browser's service worker. A failing play fails its test.
 */
import { composeStories, setProjectAnnotations, type ReactRenderer } from '@storybook/react-vite';
import type { ComposedStoryFn } from 'storybook/internal/types';
import { render } from '@testing-library/react';
import { beforeAll, describe, it } from 'vitest';
import preview from '../../.storybook/preview';
import { storyHandlers } from '../../stories/decorators';
import { useSimulatorServer } from '../msw/server';

/** Faster than Storybook's timings, so the whole file stays well under 30 s. */
const SIMULATOR = { seed: 1, queuedMs: 200, generatingMs: 600 };
const sim = useSimulatorServer(SIMULATOR);

const project = setProjectAnnotations([
  preview,
  {
    // Rendered through testing-library, so its `cleanup()` after each test unmounts the story.
    testingLibraryRender: render,
    parameters: { generator: { backendUrl: sim.baseUrl } },
  },
]);
beforeAll(project.beforeAll);

type StoryModule = Parameters<typeof composeStories>[0];
type ComposedStory = ComposedStoryFn<ReactRenderer>;
const modules = import.meta.glob<StoryModule>('../../stories/*.stories.tsx', { eager: true });

for (const [path, module] of Object.entries(modules)) {
  const file = path.replace(/^.*\//, '');
  describe(file, () => {
    for (const [name, Story] of Object.entries<ComposedStory>(composeStories(module))) {
      it(name, async () => {
        sim.server.use(...storyHandlers(Story.parameters, { ...SIMULATOR, baseUrl: sim.baseUrl }));
        await Story.run();
      });
    }
  });
}
