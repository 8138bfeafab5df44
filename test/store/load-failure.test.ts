/**
 * Generate when the engine's code cannot load (a chunk request dropped by a flaky connection): the
 * form says so — a `generator.load_failed` issue — nothing is sent, nothing typed is lost, and the
 * next press loads it again and sends the task. `kitOnDemand` keeps test/setup.node.ts from
 * preloading; the engine module is mocked to fail while `failing.now` is set.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import { afterEach, expect, it, vi } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { useSimulatorServer } from '../msw/server';

const failing = vi.hoisted(() => ({ now: true }));
vi.mock('../../src/store/slices/engine', async (importOriginal) => {
  if (failing.now) throw new TypeError('Failed to fetch dynamically imported module: engine.js');
  return importOriginal();
});

const sim = useSimulatorServer({ seed: 5, queuedMs: 20, generatingMs: 40 });

let store: GeneratorStore | undefined;
afterEach(() => store?.getState().dispose());

it('says the generator could not load, sends nothing and keeps the prompt; the next Generate works', async () => {
  const submits: string[] = [];
  sim.server.events.on('request:start', ({ request }) => {
    if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/images/generations')) submits.push(request.url);
  });
  store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 20 });
  store.getState().setPrompt('a lighthouse on a flaky connection');

  expect(await store.getState().submit()).toBeUndefined();
  const s = store.getState();
  expect(s.issues).toEqual([expect.objectContaining({ field: 'generator', code: 'load_failed' })]);
  expect(s.issues[0]!.message).toMatch(/could not be loaded.*Nothing was sent/);
  expect(s.tasks).toEqual([]);
  expect(s.prompt).toBe('a lighthouse on a flaky connection');
  expect(submits).toHaveLength(0);

  failing.now = false;
  const task = await store.getState().submit();
  expect(task?.prompt).toBe('a lighthouse on a flaky connection');
  expect(store.getState().issues).toEqual([]);
  expect(store.getState().tasks).toHaveLength(1);
  expect(submits).toHaveLength(1);
  sim.server.events.removeAllListeners();
});
