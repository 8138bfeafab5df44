/** Renders components inside a fresh provider + store per test, against the simulator via MSW. */
import * as React from 'react';
import { render, type RenderResult } from '@testing-library/react';
import axe from 'axe-core';
import { expect } from 'vitest';
import { GeneratorProvider, type GeneratorProviderProps } from '../../src/components/GeneratorProvider/GeneratorProvider';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { newTask } from '../../src/core/task';
import type { GenerationTask } from '../../src/store/types';
import { SIMULATOR_BASE_URL } from '../msw/server';

export interface RenderKitOptions {
  /** Options for the store the test creates (so the test can read and drive it). */
  store?: Partial<GeneratorStoreOptions>;
  provider?: Partial<Omit<GeneratorProviderProps, 'store' | 'children'>>;
}

export function renderKit(ui: React.ReactElement, options: RenderKitOptions = {}): RenderResult & { store: GeneratorStore } {
  const store = createGeneratorStore({
    backendUrl: SIMULATOR_BASE_URL,
    pollInterval: 100,
    random: () => 0.5,
    ...options.store,
  });
  const result = render(
    <GeneratorProvider backendUrl={SIMULATOR_BASE_URL} store={store} {...options.provider}>
      {ui}
    </GeneratorProvider>,
  );
  const unmount = result.unmount;
  return Object.assign(result, {
    store,
    unmount: () => {
      unmount();
      store.getState().dispose();
    },
  });
}

/**
 * axe-core on a container; fails on serious or critical violations. Colour contrast is checked in
 * the real browser (jsdom computes no styles).
 */
export async function expectNoSeriousA11yViolations(container: Element) {
  const results = await axe.run(container, {
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
    resultTypes: ['violations'],
  });
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(' | ')})`)).toEqual([]);
}

/**
 * A completed task to put straight into a store (`store.setState({ tasks: [...] })`): two images,
 * finished now, its results expiring in 24 h; `fields` override any of it.
 */
export function completedTask(fields: Partial<GenerationTask> & { prompt?: string } = {}): GenerationTask {
  const at = Date.now();
  const prompt = fields.prompt ?? 'a lighthouse at dusk';
  const model = 'gemini-3.1-flash-image-preview';
  const task = newTask({ id: 'tx', taskId: 'task_01', clientBusinessId: 'kit-1', phase: 'queued', model, request: { model, prompt }, aspectRatio: '1:1', n: 2, at });
  return { ...task, phase: 'completed', progress: 100, status: 'completed', images: [], completedAt: at, expiresAt: at + 24 * 3_600_000, ...fields };
}
