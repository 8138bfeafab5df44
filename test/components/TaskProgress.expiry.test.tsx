/**
 * Result expiry in the gallery: result URLs live 24 h after completion (`task.expiresAt`). The
 * results say how long they have left; once expired they show a sentence instead of a broken image,
 * and offer neither Open, Download nor "Use as reference" — also after a reload.
 */
import * as React from 'react';
import { act, screen, within } from '@testing-library/react';
import { vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { completedTask as sharedCompletedTask, expectNoSeriousA11yViolations, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';
import type { GenerationTask } from '../../src/store/types';

useSimulatorServer({ seed: 3 });

const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const URL_1 = 'https://files.toapis.com/generated/1767001150_5be07d.png';
const URL_2 = 'https://files.toapis.com/generated/1767001150_77aa01.png';
const EXPIRED_TEXT = 'This image has expired (results are kept 24 hours). Generate again to get a new one.';

function completedTask(expiresAt: number | undefined, extra: Partial<GenerationTask> = {}): GenerationTask {
  const t = (expiresAt ?? Date.now()) - 24 * HOUR;
  return sharedCompletedTask({
    taskId: 'task_01expiry',
    images: [{ url: URL_1 }, { url: URL_2 }],
    createdAt: t,
    updatedAt: t,
    completedAt: t,
    expiresAt,
    ...extra,
  });
}

function fakeClock(at: number) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(at);
}

afterEach(() => {
  vi.useRealTimers();
});

function row(): HTMLElement {
  const items = within(screen.getByRole('list', { name: 'Generations' })).getAllByRole('listitem').filter((li) => li.classList.contains('gen-TaskProgress-item'));
  expect(items).toHaveLength(1);
  return items[0]!;
}

function expectLive(item: HTMLElement) {
  expect(within(item).getAllByRole('img')).toHaveLength(2);
  expect(within(item).getByRole('link', { name: 'Open image 1' })).toBeInTheDocument();
  expect(within(item).getByRole('button', { name: 'Download image 1' })).toBeInTheDocument();
  expect(within(item).getByRole('button', { name: 'Use as reference: image 1' })).toBeInTheDocument();
  expect(within(item).queryByText(EXPIRED_TEXT)).not.toBeInTheDocument();
}

function expectExpired(item: HTMLElement) {
  expect(item.querySelector('img')).toBeNull();
  expect(within(item).queryByRole('img')).not.toBeInTheDocument();
  expect(within(item).queryByRole('link')).not.toBeInTheDocument();
  expect(within(item).queryByRole('button', { name: /Download|Use as reference/ })).not.toBeInTheDocument();
  expect(within(item).getByText(EXPIRED_TEXT)).toBeInTheDocument();
  expect(within(item).queryByText(/^Result expires in/)).not.toBeInTheDocument();
  expect(item.querySelector('.gen-TaskProgress-gallery')).toHaveAttribute('data-state', 'expired');
}

describe('TaskProgress result expiry', () => {
  it('says how long the results have left, from a fixed clock: hours, then minutes', () => {
    fakeClock(T0);
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask(T0 + 23 * HOUR + 59 * MIN)] }));
    const item = row();
    const text = within(item).getByText('Result expires in 23 h');
    expect(text.tagName).toBe('TIME');
    expect(text).toHaveAttribute('datetime', new Date(T0 + 23 * HOUR + 59 * MIN).toISOString());
    expect(within(item).getAllByText(/^Result expires in/)).toHaveLength(1); // one per task, not per image
    expectLive(item);

    act(() => vi.advanceTimersByTime(23 * HOUR));
    expect(within(item).getByText('Result expires in 59 min')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(47 * MIN));
    expect(within(item).getByText('Result expires in 12 min')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(11 * MIN + 30_000));
    expect(within(item).getByText('Result expires in 1 min')).toBeInTheDocument();
    expectLive(item);
  });

  it('shows an expired result as a sentence: no img, no Open, Download or "Use as reference" (axe clean)', async () => {
    const { store, container } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask(Date.now() - 1000)] }));
    const item = row();
    expectExpired(item);
    expect(within(item).getByText('Done')).toBeInTheDocument(); // the task itself still reads as done
    expect(within(item).getByRole('button', { name: 'Dismiss generation' })).toBeInTheDocument();
    await expectNoSeriousA11yViolations(container);

    // The store refuses the URL too, should anything still call it.
    expect(store.getState().addReferenceUrl(URL_1, 'Result 1')).toBe(false);
    expect(store.getState().references).toEqual([]);
    expect(store.getState().notices.at(-1)).toMatchObject({ code: 'expired' });
  });

  it('a live result shows the expiry quietly and stays axe clean', async () => {
    const { store, container } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask(Date.now() + 3 * HOUR + 5 * MIN)] }));
    expect(within(row()).getByText('Result expires in 3 h')).toBeInTheDocument();
    await expectNoSeriousA11yViolations(container);
  });

  it('turns expired exactly at the boundary while mounted; its timer stops then, and is cleared on unmount', () => {
    fakeClock(T0);
    const { store, unmount } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask(T0 + 90_000)] }));
    const item = row();
    expect(within(item).getByText('Result expires in 2 min')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(30_000));
    expect(within(item).getByText('Result expires in 1 min')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(59_999));
    expectLive(item);
    act(() => vi.advanceTimersByTime(1));
    expectExpired(item);
    // Nothing left to count down: no timer keeps running for it.
    expect(vi.getTimerCount()).toBe(0);
    unmount();

    // Unmounting while results are still live clears their timers.
    const second = renderKit(<TaskProgress />);
    act(() => second.store.setState({ tasks: [completedTask(T0 + 5 * HOUR)] }));
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    second.unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a task restored after a reload whose results expired shows as expired; a reference from it is reported, not restored', () => {
    const key = 'gen:expiry-test';
    const past = Date.now() - 2 * HOUR;
    const saved = {
      v: 1,
      settings: { prompt: 'next one' },
      references: [
        { name: 'Result 1', url: URL_1 },
        { name: 'own.png', url: 'https://files.toapis.com/uploads/481/own.png' },
      ],
      tasks: [
        // Saved with its expiry…
        { ...completedTask(past), id: undefined },
        // …and saved by an older version without one: 24 h from completion.
        { ...completedTask(undefined, { taskId: 'task_02old', clientBusinessId: 'kit-2', images: [{ url: 'https://files.toapis.com/generated/old.png' }] }), id: undefined, completedAt: Date.now() - 25 * HOUR, expiresAt: undefined },
      ],
    };
    sessionStorage.setItem(key, JSON.stringify(saved));
    const { store } = renderKit(<TaskProgress />, { store: { persist: { storage: sessionStorage, key } } });

    const items = Array.from(document.querySelectorAll<HTMLElement>('.gen-TaskProgress-item'));
    expect(items).toHaveLength(2);
    for (const item of items) expectExpired(item);
    expect(store.getState().tasks[1]!.expiresAt).toBe(saved.tasks[1]!.completedAt! + 24 * HOUR);

    // The expired result is not put back in the tray (the file host no longer serves it); a notice says so.
    expect(store.getState().references.map((r) => r.name)).toEqual(['own.png']);
    expect(store.getState().notices).toEqual([expect.objectContaining({ code: 'expired', fileName: 'Result 1' })]);
  });
});
