/**
 * The rendering contract: "a progress tick re-renders TaskProgress and nothing else". Each component sits in
 * its own React Profiler; we count commits while progress updates arrive.
 */
import * as React from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AspectRatioPicker, PromptForm, ReferenceTray, TaskProgress } from '../../src';
import { useSimulatorServer } from '../msw/server';
import { renderKit } from './render';

const sim = useSimulatorServer({ seed: 3, queuedMs: 100, generatingMs: 1500 });

type Name = 'PromptForm' | 'AspectRatioPicker' | 'ReferenceTray' | 'TaskProgress';

function setup() {
  const commits: Record<Name, number> = { PromptForm: 0, AspectRatioPicker: 0, ReferenceTray: 0, TaskProgress: 0 };
  const onRender: React.ProfilerOnRenderCallback = (id) => {
    commits[id as Name] += 1;
  };
  const view = renderKit(
    <>
      <React.Profiler id="PromptForm" onRender={onRender}>
        <PromptForm />
      </React.Profiler>
      <React.Profiler id="AspectRatioPicker" onRender={onRender}>
        <AspectRatioPicker />
      </React.Profiler>
      <React.Profiler id="ReferenceTray" onRender={onRender}>
        <ReferenceTray />
      </React.Profiler>
      <React.Profiler id="TaskProgress" onRender={onRender}>
        <TaskProgress />
      </React.Profiler>
    </>,
    { store: { pollInterval: 100 } },
  );
  return { ...view, commits };
}

describe('render isolation', () => {
  it('a progress update commits TaskProgress once and the other three not at all', async () => {
    const { store, commits } = setup();
    act(() => store.getState().setPrompt('isolation'));
    await act(() => store.getState().submit());
    await screen.findByRole('progressbar', { name: 'Generation progress' });
    await waitFor(() => expect(store.getState().tasks[0]!.phase).toBe('generating'), { timeout: 5000 });

    // Deterministic ticks: exactly what the poller's onUpdate does to a running task.
    for (let tick = 1; tick <= 5; tick += 1) {
      const before = { ...commits };
      act(() => {
        store.setState((s) => ({
          tasks: s.tasks.map((t) => ({ ...t, progress: Math.min(99, (t.progress ?? 0) + 1), updatedAt: t.updatedAt + 1 })),
        }));
      });
      expect(commits.TaskProgress - before.TaskProgress).toBe(1);
      expect(commits.PromptForm - before.PromptForm).toBe(0);
      expect(commits.AspectRatioPicker - before.AspectRatioPicker).toBe(0);
      expect(commits.ReferenceTray - before.ReferenceTray).toBe(0);
    }
  });

  it('real ticks from the simulator never commit the other three', async () => {
    const { store, commits } = setup();
    act(() => store.getState().setPrompt('real ticks'));
    await act(() => store.getState().submit());
    await waitFor(() => expect(store.getState().tasks[0]!.phase).toBe('generating'), { timeout: 5000 });
    const start = { ...commits };
    let ticks = 0;
    let last = store.getState().tasks[0]!.progress;
    const unsub = store.subscribe((s) => {
      if (s.tasks[0]!.progress !== last) {
        ticks += 1;
        last = s.tasks[0]!.progress;
      }
    });
    await waitFor(() => expect(store.getState().tasks[0]!.phase).toBe('completed'), { timeout: 8000 });
    unsub();
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(commits.TaskProgress - start.TaskProgress).toBeGreaterThanOrEqual(ticks);
    expect(commits.PromptForm - start.PromptForm).toBe(0);
    expect(commits.AspectRatioPicker - start.AspectRatioPicker).toBe(0);
    expect(commits.ReferenceTray - start.ReferenceTray).toBe(0);
    expect(sim.simulator.stats.submits).toBe(1);
  });
});
