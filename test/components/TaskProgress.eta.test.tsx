/**
 * The ETA in a task row: learned from the tasks this store has seen (median per model and
 * resolution), shown as "About N s left" / "About N min left" / "Almost done" while generating,
 * counted down once a second by one timer per row, carried by the progress bar's aria-valuetext,
 * and never in a live region. A queued row shows the backend's queue position.
 */
import * as React from 'react';
import { act, screen, within } from '@testing-library/react';
import { vi } from 'vitest';
import { TaskProgress, TaskProgressItem } from '../../src/components/TaskProgress';
import { newTask } from '../../src/core/task';
import type { GenerationTask } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';
import { until } from '../store/harness';
import { expectNoSeriousA11yViolations, renderKit } from './render';

useSimulatorServer({ seed: 4, queuedMs: 1000, generatingMs: 20_000 });

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);
const MODEL = 'gemini-3.1-flash-image-preview';
const KEY = `${MODEL}|1K`;

function fakeClock(at = T0) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(at);
}

afterEach(() => {
  vi.useRealTimers();
});

function generatingTask(fields: Partial<GenerationTask> = {}): GenerationTask {
  const task = newTask({ id: 'ta', taskId: 'task_eta', phase: 'queued', model: MODEL, resolution: '1K', request: { model: MODEL, prompt: 'a lighthouse' }, at: T0 });
  return { ...task, phase: 'generating', status: 'in_progress', progress: 40, generatingAt: T0, ...fields };
}

const rows = () =>
  within(screen.getByRole('list', { name: 'Generations' }))
    .getAllByRole('listitem')
    .filter((li) => li.classList.contains('gen-TaskProgress-item'));

/** Advances the fake clock inside act, so the row's tick renders. */
const tick = (ms: number) => act(() => vi.advanceTimersByTime(ms));

describe('TaskProgress ETA', () => {
  it('appears once one task was learned, counts down, and the bar carries it; queued rows show their position', async () => {
    fakeClock();
    const { store } = renderKit(<TaskProgress />, { store: { pollInterval: 250, stream: false } });

    // Two tasks at once: the simulator queues them and reports their places.
    act(() => store.getState().setPrompt('first'));
    await act(() => store.getState().submit());
    act(() => store.getState().setPrompt('second'));
    await act(() => store.getState().submit());
    const [first, second] = store.getState().tasks;
    expect(second).toMatchObject({ phase: 'queued', queuePosition: 2 });
    await act(() => until(store, (s) => s.tasks[0]!.queuePosition === 1, { maxMs: 900, stepMs: 100 }));
    // Newest first.
    expect(within(rows()[0]!).getByText('Position 2 in queue')).toBeInTheDocument();
    expect(within(rows()[1]!).getByText('Position 1 in queue')).toBeInTheDocument();

    // Nothing learned yet: generating rows say nothing about time left.
    await act(() => until(store, (s) => s.tasks.every((t) => t.phase === 'generating'), { stepMs: 250 }));
    expect(screen.queryByText(/left$/)).not.toBeInTheDocument();
    expect(screen.queryByText(/in queue$/)).not.toBeInTheDocument();
    await act(() => until(store, (s) => s.tasks.every((t) => t.phase === 'completed'), { stepMs: 250 }));
    expect(store.getState().durations[KEY]).toHaveLength(2);
    expect(first!.id).not.toBe(second!.id);

    // The third task gets an ETA from the median of the two (≈ 20 s).
    act(() => store.getState().setPrompt('third'));
    await act(() => store.getState().submit());
    await act(() => until(store, (s) => s.tasks[2]!.phase === 'generating', { stepMs: 250 }));
    const row = rows()[0]!;
    const text = within(row).getByText(/^About \d+ s left$/);
    const seconds = Number(/\d+/.exec(text.textContent!)![0]);
    expect(seconds).toBeGreaterThanOrEqual(18);
    expect(seconds).toBeLessThanOrEqual(21);
    const bar = within(row).getByRole('progressbar', { name: 'Generation progress' });
    expect(bar.getAttribute('aria-valuetext')).toMatch(new RegExp(`^\\d+% · About ${seconds} s left$`));

    await act(() => until(store, () => true, { stepMs: 1 })); // settle pending I/O before ticking
    tick(5000);
    expect(within(row).getByText(`About ${seconds - 5} s left`)).toBeInTheDocument();
    expect(bar.getAttribute('aria-valuetext')).toMatch(new RegExp(`· About ${seconds - 5} s left$`));
  });

  it('says seconds, then "Almost done"; minutes over a minute; just the ETA when progress is unknown', async () => {
    fakeClock();
    const { store, container } = renderKit(<TaskProgress />);
    act(() => store.setState({ durations: { [KEY]: [10_000, 20_000, 30_000] }, tasks: [generatingTask()] }));
    const row = rows()[0]!;
    const bar = within(row).getByRole('progressbar', { name: 'Generation progress' });
    expect(within(row).getByText('About 20 s left')).toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuetext', '40% · About 20 s left');
    expect(bar).toHaveAttribute('aria-valuenow', '40');

    tick(1000);
    expect(within(row).getByText('About 19 s left')).toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuetext', '40% · About 19 s left');
    tick(18_500);
    expect(within(row).getByText('About 1 s left')).toBeInTheDocument();
    tick(1000);
    expect(within(row).getByText('Almost done')).toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuetext', '40% · Almost done');
    tick(60_000);
    expect(within(row).getByText('Almost done')).toBeInTheDocument(); // never negative

    // Not in any live region: nothing is announced every second.
    expect(within(row).getByText('Almost done').closest('[role="status"], [aria-live], [role="alert"], [role="log"]')).toBeNull();
    vi.useRealTimers(); // axe waits on real timers
    await expectNoSeriousA11yViolations(container);

    // Over a minute, in minutes; with unknown progress the value text is the ETA alone.
    act(() => store.setState({ durations: { [KEY]: [130_000] }, tasks: [generatingTask({ generatingAt: Date.now(), progress: null })] }));
    const later = rows()[0]!;
    expect(within(later).getByText('About 2 min left')).toBeInTheDocument();
    expect(within(later).getByRole('progressbar')).toHaveAttribute('aria-valuetext', 'About 2 min left');
    expect(within(later).getByRole('progressbar')).not.toHaveAttribute('aria-valuenow');
  });

  it('shows nothing without a learned time for the model and resolution, or once the task is done', () => {
    fakeClock();
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ durations: { [`${MODEL}|4K`]: [20_000] }, tasks: [generatingTask()] }));
    expect(screen.queryByText(/left$/)).not.toBeInTheDocument();
    expect(within(rows()[0]!).getByRole('progressbar')).toHaveAttribute('aria-valuetext', '40%');
    act(() => store.setState({ durations: { [KEY]: [20_000] } }));
    expect(screen.getByText('About 20 s left')).toBeInTheDocument();
    act(() => store.setState((s) => ({ tasks: s.tasks.map((t) => ({ ...t, phase: 'completed', progress: 100, images: [{ url: 'https://files.example/1.png' }], completedAt: Date.now() })) })));
    expect(screen.queryByText(/left$/)).not.toBeInTheDocument();
  });

  it('a queued row with a reported position shows it; the next in line reads as such', () => {
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [generatingTask({ phase: 'queued', progress: null, generatingAt: undefined, queuePosition: 3 })] }));
    expect(within(rows()[0]!).getByText('Position 3 in queue')).toBeInTheDocument();
    act(() => store.setState((s) => ({ tasks: s.tasks.map((t) => ({ ...t, queuePosition: 0 })) })));
    expect(within(rows()[0]!).getByText('Next in queue')).toBeInTheDocument();
  });

  it('one timer per row (status and bar share it), cleared on unmount; a tick re-renders only its own row', () => {
    fakeClock();
    const commits = { a: 0, b: 0 };
    const { store, unmount } = renderKit(
      <ul>
        <React.Profiler id="a" onRender={() => void (commits.a += 1)}>
          <TaskProgressItem taskId="ta" />
        </React.Profiler>
        <React.Profiler id="b" onRender={() => void (commits.b += 1)}>
          <TaskProgressItem taskId="tb" />
        </React.Profiler>
      </ul>,
    );
    // Row b's model has nothing learned: no ETA, no timer.
    act(() => store.setState({ tasks: [generatingTask(), generatingTask({ id: 'tb', taskId: 'task_b', model: 'other-model' })] }));
    const idle = vi.getTimerCount();
    act(() => store.setState({ durations: { [KEY]: [20_000] } }));
    expect(screen.getByText('About 20 s left')).toBeInTheDocument();
    expect(vi.getTimerCount()).toBe(idle + 1);

    const before = { ...commits };
    tick(1000);
    expect(screen.getByText('About 19 s left')).toBeInTheDocument();
    expect(commits.a - before.a).toBe(1);
    expect(commits.b - before.b).toBe(0);

    // The row goes (dismissed): its parts unmount and the timer is cleared.
    act(() => store.setState((s) => ({ tasks: s.tasks.filter((t) => t.id !== 'ta') })));
    expect(screen.queryByText(/left$/)).not.toBeInTheDocument();
    expect(vi.getTimerCount()).toBe(idle);
    unmount();
  });
});
