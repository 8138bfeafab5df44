/**
 * Result images the user is waiting for (issue 13 item 4): the task that just completed loads its
 * first image eagerly with high priority even when a newer task is still running, and TaskProgress
 * starts that download from its store subscription, before React renders the `<img>`.
 */
import * as React from 'react';
import { act, screen } from '@testing-library/react';
import { vi } from 'vitest';
import { completedTask, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';
import { selectLatestCompletedTaskId } from '../../src/store/selectors';
import type { GenerationTask } from '../../src/store/types';

const image = (task: string, i: number) => ({ url: `https://files.example/${task}/${i}.png` });

function running(id: string, prompt: string): GenerationTask {
  const done = completedTask({ id, taskId: `task_${id}`, prompt });
  return { ...done, phase: 'generating', status: 'in_progress', progress: 40, images: [], completedAt: undefined, expiresAt: undefined };
}

function finished(task: GenerationTask, at: number): GenerationTask {
  const url = task.taskId ?? task.id;
  return { ...task, phase: 'completed', status: 'completed', progress: 100, images: [image(url, 0), image(url, 1)], completedAt: at, expiresAt: at + 86_400_000 };
}

/** Records the `Image` objects TaskProgress creates to prefetch. */
function spyImages() {
  const created: Array<{ src: string; fetchPriority: string }> = [];
  class RecordingImage {
    fetchPriority = 'auto';
    decoding = 'auto';
    addEventListener() {}
    set src(value: string) {
      created.push({ src: value, fetchPriority: this.fetchPriority });
    }
  }
  vi.stubGlobal('Image', RecordingImage);
  return created;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TaskProgress: the result that just arrived', () => {
  it('selectLatestCompletedTaskId picks the task that completed last, not the newest', () => {
    const older = finished(running('a', 'older'), 2000);
    const newer = finished(running('b', 'newer'), 1000);
    expect(selectLatestCompletedTaskId({ tasks: [older, newer] } as never)).toBe('a');
    expect(selectLatestCompletedTaskId({ tasks: [running('a', 'x')] } as never)).toBeUndefined();
  });

  it('loads eagerly and first the results of a task that completes while a newer one still runs', () => {
    const { store } = renderKit(<TaskProgress />);
    const older = running('a', 'the older one');
    const newer = running('b', 'the newer one');
    act(() => store.setState({ tasks: [finished(completedTask({ id: 'z', taskId: 'task_z', prompt: 'long done' }), Date.now() - 60_000), older, newer] }));
    act(() => store.setState({ tasks: [store.getState().tasks[0]!, finished(older, Date.now()), newer] }));
    const [first, second] = screen.getAllByRole('img', { name: /the older one/ });
    expect(first).toHaveAttribute('loading', 'eager');
    expect(first).toHaveAttribute('fetchpriority', 'high');
    expect(second).toHaveAttribute('fetchpriority', 'auto');
    const [stale] = screen.getAllByRole('img', { name: /long done/ });
    expect(stale).toHaveAttribute('loading', 'lazy');
  });

  it('starts downloading a task’s first result inside the store update that completes it, once', () => {
    const created = spyImages();
    const { store } = renderKit(<TaskProgress />);
    const task = running('a', 'a fox');
    act(() => store.setState({ tasks: [task] }));
    act(() => store.setState({ tasks: [{ ...task, progress: 60 }] }));
    expect(created).toEqual([]);
    let seenDuringUpdate = 0;
    const unsubscribe = store.subscribe(() => {
      seenDuringUpdate = created.length; // listeners run in order: TaskProgress subscribed first
    });
    act(() => store.setState({ tasks: [finished(task, Date.now())] }));
    unsubscribe();
    expect(seenDuringUpdate).toBe(1);
    expect(created).toEqual([{ src: 'https://files.example/task_a/0.png', fetchPriority: 'high' }]);
    act(() => store.setState({ tasks: [{ ...store.getState().tasks[0]!, progress: 100 }] }));
    expect(created).toHaveLength(1);
  });

  it('does not prefetch results restored already completed', () => {
    const created = spyImages();
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [finished(running('a', 'restored'), Date.now() - 60_000)] }));
    expect(created).toEqual([]);
  });
});
