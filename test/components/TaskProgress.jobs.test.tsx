/**
 * Many jobs in TaskProgress (issue 14): "Reuse settings" and "More like this" in the rows, and the
 * "Tasks" group above the list — "Cancel all", "Clear finished" and its 10 s "Undo" — by role and
 * name, by keyboard, axe clean.
 */
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { completedTask, expectNoSeriousA11yViolations, renderKit } from './render';
import { AspectRatioPicker, PromptForm, ReferenceTray, TaskProgress } from '../../src';
import type { GenerationTask } from '../../src/store/types';

useSimulatorServer({ seed: 14, queuedMs: 100, generatingMs: 300 });

const MODEL = 'gemini-3.1-flash-image-preview';
const REF_URL = 'https://files.example/uploads/ref-a.png';

function rows() {
  return within(screen.getByRole('list', { name: 'Generations' })).getAllByRole('listitem').filter((li) => li.classList.contains('gen-TaskProgress-item'));
}

/** The row whose prompt is `prompt`. */
function rowOf(prompt: string) {
  const row = rows().find((r) => within(r).queryByText(prompt));
  expect(row).toBeDefined();
  return row!;
}

/** A task in `phase` (completed, cancelled…; a running one is not followed: it only sits in the list). */
function task(id: string, prompt: string, fields: Partial<GenerationTask> = {}): GenerationTask {
  return completedTask({ id, taskId: `task_${id}`, clientBusinessId: `kit-${id}`, prompt, request: { model: MODEL, prompt }, images: [{ url: `https://files.example/out/${id}.png` }], ...fields });
}

const running = (id: string, prompt: string) => task(id, prompt, { phase: 'queued', progress: null, images: [], completedAt: undefined, expiresAt: undefined });

/**
 * Fake setTimeout and Date for the 10 s undo. Testing Library's async wrapper drains work with a
 * `setTimeout(0)` and advances only Jest's fake timers; this lets it advance Vitest's.
 */
function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  (globalThis as { jest?: unknown }).jest = { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) };
}

afterEach(() => {
  vi.useRealTimers();
  delete (globalThis as { jest?: unknown }).jest;
});

/** Lets the toolbar's action promise settle and its focus move (no waitFor: the timers are fake). */
const flush = () => act(async () => {
  await Promise.resolve();
  await Promise.resolve();
});

describe('Reuse settings', () => {
  it('puts prompt, ratio, count, parameters and references back in the form; says so; keeps focus', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(
      <>
        <PromptForm />
        <AspectRatioPicker />
        <ReferenceTray />
        <TaskProgress />
      </>,
    );
    const old = task('t1', 'a lighthouse at dusk', {
      request: { model: MODEL, prompt: 'a lighthouse at dusk', size: '16:9', n: 2, image_urls: [REF_URL] },
      aspectRatio: '16:9',
      n: 2,
      parameters: { google_search: true },
    });
    act(() => store.setState({ tasks: [old, running('t2', 'still running')] }));

    // Every row offers Reuse settings, described by its prompt; only the completed one More like this.
    const row = rowOf('a lighthouse at dusk');
    const reuse = within(row).getByRole('button', { name: 'Reuse settings' });
    expect(reuse).toHaveAccessibleDescription('a lighthouse at dusk');
    expect(within(row).getByRole('button', { name: 'More like this' })).toHaveAccessibleDescription('a lighthouse at dusk');
    const other = rowOf('still running');
    expect(within(other).getByRole('button', { name: 'Reuse settings' })).toBeInTheDocument();
    expect(within(other).queryByRole('button', { name: 'More like this' })).not.toBeInTheDocument();

    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'typed meanwhile');
    reuse.focus();
    await user.keyboard('{Enter}');

    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('a lighthouse at dusk');
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('16:9');
    expect(store.getState()).toMatchObject({ n: 2, parameters: { google_search: true } });
    const tray = screen.getByRole('list', { name: /reference/i });
    expect(within(tray).getAllByRole('listitem')).toHaveLength(1);
    expect(store.getState().references.map((r) => r.url)).toEqual([REF_URL]);
    expect(within(row).getByText('Settings restored').closest('[role="status"]')).not.toBeNull();
    expect(reuse).toHaveFocus();
    await expectNoSeriousA11yViolations(container);
  });

  it('reports a reference whose result expired, in the announcement and in the tray', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <>
        <ReferenceTray />
        <TaskProgress />
      </>,
    );
    const gone = 'https://files.example/out/old.png';
    const expired = task('t1', 'the old one', { images: [{ url: gone }], expiresAt: Date.now() - 1 });
    const built = task('t2', 'built on it', { request: { model: MODEL, prompt: 'built on it', image_urls: [gone, REF_URL] } });
    act(() => store.setState({ tasks: [expired, built] }));
    await user.click(within(rowOf('built on it')).getByRole('button', { name: 'Reuse settings' }));
    const said = within(rowOf('built on it')).getByText('Settings restored; 1 expired reference left out');
    expect(said.closest('[role="status"]')).not.toBeNull();
    expect(store.getState().references.map((r) => r.url)).toEqual([REF_URL]);
    expect(within(screen.getByRole('alert')).getByText(/has expired/)).toBeInTheDocument();
  });
});

describe('More like this', () => {
  it('sends the same settings again as a new row; the form is untouched', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <>
        <PromptForm />
        <TaskProgress />
      </>,
    );
    await act(async () => {
      store.getState().setPrompt('a red fox in snow');
      await store.getState().submit();
    });
    const first = rows()[0]!;
    const more = await within(first).findByRole('button', { name: 'More like this' }, { timeout: 5000 });
    await user.clear(screen.getByRole('textbox', { name: 'Prompt' }));
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'something else');
    await user.click(more);
    await waitFor(() => expect(rows()).toHaveLength(2));
    // Newest first: the new row on top, with the old prompt.
    expect(within(rows()[0]!).getByText('a red fox in snow')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('something else');
    const [a, b] = store.getState().tasks;
    expect(b!.clientBusinessId).not.toBe(a!.clientBusinessId);
    await waitFor(() => expect(rows()[0]).toHaveAttribute('data-state', 'completed'), { timeout: 5000 });
  });
});

describe('the Tasks group: Cancel all, Clear finished, Undo', () => {
  it('shows nothing before the first task, then only the buttons that apply', () => {
    const { store } = renderKit(<TaskProgress />);
    expect(screen.queryByRole('group', { name: 'Tasks' })).not.toBeInTheDocument();
    act(() => store.setState({ tasks: [task('a', 'done')] }));
    const group = screen.getByRole('group', { name: 'Tasks' });
    expect(within(group).queryByRole('button', { name: 'Cancel all' })).not.toBeInTheDocument();
    expect(within(group).getByRole('button', { name: 'Clear finished' })).toBeInTheDocument();
    // One running task has its own Cancel; "Cancel all" comes with the second.
    act(() => store.setState({ tasks: [running('b', 'busy')] }));
    expect(within(group).queryByRole('button', { name: 'Cancel all' })).not.toBeInTheDocument();
    expect(within(group).queryByRole('button', { name: 'Clear finished' })).not.toBeInTheDocument();
    act(() => store.setState({ tasks: [running('b', 'busy'), running('c', 'busy too')] }));
    expect(within(group).getByRole('button', { name: 'Cancel all' })).toBeInTheDocument();
  });

  it('Cancel all cancels the running tasks only; focus moves to Clear finished (axe clean)', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [task('a', 'done'), running('b', 'busy one'), running('c', 'busy two')] }));
    const group = screen.getByRole('group', { name: 'Tasks' });
    within(group).getByRole('button', { name: 'Cancel all' }).focus();
    await user.keyboard('{Enter}');
    expect(store.getState().tasks.map((t) => t.phase)).toEqual(['completed', 'cancelled', 'cancelled']);
    expect(within(rowOf('busy one')).getByText('Cancelled')).toBeInTheDocument();
    expect(within(group).queryByRole('button', { name: 'Cancel all' })).not.toBeInTheDocument();
    await waitFor(() => expect(within(group).getByRole('button', { name: 'Clear finished' })).toHaveFocus());
    await expectNoSeriousA11yViolations(container);

    // And on to Clear finished: Undo offered, still clean (axe needs real timers, hence here).
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(group).getByRole('button', { name: 'Undo' })).toHaveFocus());
    expect(screen.queryByRole('list', { name: 'Generations' })).not.toBeInTheDocument();
    await expectNoSeriousA11yViolations(container);
  });

  it('Clear finished removes finished rows and offers Undo for 10 s; Undo puts them back in order (keyboard)', async () => {
    useFakeClock();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const { store, container } = renderKit(<TaskProgress />);
    const announcer = container.querySelector('.gen-TaskProgress-announcer')!;
    act(() => store.setState({ tasks: [running('b', 'busy')] }));
    act(() => store.setState({ tasks: [task('a', 'first done'), ...store.getState().tasks, task('c', 'second done', { phase: 'cancelled', images: [] })] }));
    const group = screen.getByRole('group', { name: 'Tasks' });
    const order = () => rows().map((r) => r.querySelector('.gen-TaskProgress-prompt')?.textContent);
    const before = order();
    expect(before).toHaveLength(3);

    within(group).getByRole('button', { name: 'Clear finished' }).focus();
    await user.keyboard('{Enter}');
    expect(order()).toEqual(['busy']);
    expect(within(group).getByRole('status')).toHaveTextContent('2 finished tasks cleared');
    const undo = within(group).getByRole('button', { name: 'Undo' });
    await flush();
    expect(undo).toHaveFocus();
    expect(undo).toHaveAccessibleDescription('2 finished tasks cleared');

    act(() => vi.advanceTimersByTime(9_000));
    expect(within(group).getByRole('button', { name: 'Undo' })).toBe(undo);
    await user.keyboard('{Enter}');
    expect(order()).toEqual(before);
    expect(within(group).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    expect(within(group).getByRole('status')).toHaveTextContent('');
    await flush();
    expect(within(group).getByRole('button', { name: 'Clear finished' })).toHaveFocus();
    // Rows that come back already over are not news: the root's announcer stays quiet about them.
    expect(announcer).toHaveTextContent('Waiting in the queue.');
  });

  it('Undo goes away after 10 s; focus falls to Cancel all, or to the group', async () => {
    useFakeClock();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [task('a', 'done'), running('b', 'busy'), running('c', 'busy too')] }));
    const group = screen.getByRole('group', { name: 'Tasks' });
    await user.click(within(group).getByRole('button', { name: 'Clear finished' }));
    await flush();
    expect(within(group).getByRole('button', { name: 'Undo' })).toHaveFocus();
    act(() => vi.advanceTimersByTime(10_000));
    expect(within(group).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    expect(within(group).getByRole('status')).toHaveTextContent('');
    expect(store.getState().clearedTasks).toBeUndefined();
    await flush();
    expect(within(group).getByRole('button', { name: 'Cancel all' })).toHaveFocus();
    // The store forgot them: nothing comes back.
    expect(await act(() => store.getState().undoClearFinished())).toBe(0);
    expect(rows()).toHaveLength(2);

    // Nothing left at all: the group keeps focus (never the page).
    act(() => store.getState().cancelAll());
    await user.click(within(group).getByRole('button', { name: 'Clear finished' }));
    expect(screen.queryByRole('list', { name: 'Generations' })).not.toBeInTheDocument();
    await flush();
    expect(within(group).getByRole('button', { name: 'Undo' })).toHaveFocus();
    act(() => vi.advanceTimersByTime(10_000));
    await flush();
    expect(group).toHaveFocus();
    expect(document.body).not.toHaveFocus();
  });

  it('in another language', async () => {
    const { ja } = await import('../../src/labels');
    const user = userEvent.setup();
    const { store } = renderKit(<TaskProgress />, { provider: { labels: ja } });
    act(() => store.setState({ tasks: [task('a', 'done'), task('b', 'done too')] }));
    const group = screen.getByRole('group', { name: 'タスク' });
    await user.click(within(group).getByRole('button', { name: '終了したものを消去' }));
    expect(within(group).getByRole('status')).toHaveTextContent('終了したタスク 2 件を消去しました');
    expect(within(group).getByRole('button', { name: '元に戻す' })).toBeInTheDocument();
  });
});
