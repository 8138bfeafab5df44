/**
 * Compare (issue 14): every result has a "Select image N" checkbox; with two selected, the bar's
 * "Compare" opens the modal "Compare images": a slider "Comparison position" (arrow keys, or a drag
 * on the images) over the two images, a switch "Side by side", Close and Escape, focus back on
 * Compare. All by keyboard.
 */
import * as React from 'react';
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSimulatorServer } from '../msw/server';
import { completedTask, expectNoSeriousA11yViolations, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';

useSimulatorServer({ seed: 14 });

const URLS = ['https://files.toapis.com/generated/a.png', 'https://files.toapis.com/generated/b.png', 'https://files.toapis.com/generated/c.png'];

function showTasks() {
  const kit = renderKit(<TaskProgress />);
  act(() =>
    kit.store.setState({
      tasks: [
        completedTask({ id: 'one', taskId: 'task_01', prompt: 'a red fox', images: [{ url: URLS[0]! }, { url: URLS[1]! }] }),
        completedTask({ id: 'two', taskId: 'task_02', prompt: 'a blue whale', n: 1, images: [{ url: URLS[2]! }] }),
      ],
    }),
  );
  return kit;
}

/** The row showing a prompt. */
function row(prompt: string) {
  return screen.getAllByRole('listitem').find((li) => li.classList.contains('gen-TaskProgress-item') && within(li).queryByText(prompt))!;
}

describe('TaskProgress Compare', () => {
  it('each result has a "Select image N" checkbox described by its prompt; Space ticks it', async () => {
    showTasks();
    const user = userEvent.setup();
    const fox = row('a red fox');
    const boxes = within(fox).getAllByRole('checkbox');
    expect(boxes.map((b) => b.getAttribute('aria-label'))).toEqual(['Select image 1', 'Select image 2']);
    expect(within(row('a blue whale')).getByRole('checkbox', { name: 'Select image 1' })).toHaveAccessibleDescription('a blue whale');
    expect(boxes[1]).toHaveAccessibleDescription('a red fox');

    expect(screen.queryByRole('group', { name: /selected/ })).toBeNull();
    boxes[1]!.focus();
    await user.keyboard(' ');
    expect(boxes[1]).toBeChecked();
    const bar = await screen.findByRole('group', { name: '1 selected' });
    // One image: Compare is unavailable, and says why.
    const compare = within(bar).getByRole('button', { name: 'Compare' });
    expect(compare).toHaveAttribute('aria-disabled', 'true');
    expect(compare).toHaveAccessibleDescription('Select exactly two images to compare.');
    await user.click(compare);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('two selected by keyboard: Compare opens the dialog; slider, switch, focus trap, Escape', async () => {
    const { container, store } = showTasks();
    const user = userEvent.setup();
    within(row('a red fox')).getByRole('checkbox', { name: 'Select image 1' }).focus();
    await user.keyboard(' ');
    within(row('a blue whale')).getByRole('checkbox', { name: 'Select image 1' }).focus();
    await user.keyboard(' ');
    expect(store.getState().selectedImages).toEqual([
      { task: 'one', index: 1 },
      { task: 'two', index: 1 },
    ]);

    const bar = await screen.findByRole('group', { name: '2 selected' });
    const compare = within(bar).getByRole('button', { name: 'Compare' });
    expect(compare).not.toHaveAttribute('aria-disabled');
    compare.focus();
    await user.keyboard('{Enter}');

    const dialog = await screen.findByRole('dialog', { name: 'Compare images' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    const images = within(dialog).getAllByRole('img');
    expect(images.map((img) => img.getAttribute('alt')).sort()).toEqual(['Image 1 of task: a blue whale', 'Image 1 of task: a red fox']);
    expect(within(dialog).getByRole('img', { name: 'Image 1 of task: a red fox' })).toHaveAttribute('src', URLS[0]);

    // The slider has focus; arrow keys move it, and the first image is clipped there.
    const slider = within(dialog).getByRole('slider', { name: 'Comparison position' });
    expect(slider).toHaveFocus();
    expect(slider).toHaveValue('50');
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(slider).toHaveValue('52');
    expect(slider).toHaveAttribute('aria-valuetext', '52%');
    await user.keyboard('{ArrowLeft}{PageDown}{End}');
    expect(slider).toHaveValue('100');
    await user.keyboard('{Home}{PageUp}');
    expect(slider).toHaveValue('10');
    const stage = dialog.querySelector<HTMLElement>('.gen-TaskProgress-compareStage')!;
    expect(stage.style.getPropertyValue('--gen-compare')).toBe('10%');

    // A drag on the images moves it too.
    stage.getBoundingClientRect = () => ({ left: 100, width: 200, top: 0, height: 200, right: 300, bottom: 200, x: 100, y: 0, toJSON: () => ({}) });
    fireEvent.pointerDown(stage, { clientX: 250, pointerId: 1 });
    expect(slider).toHaveValue('75');
    fireEvent.pointerMove(stage, { clientX: 150, pointerId: 1 });
    expect(slider).toHaveValue('25');
    fireEvent.pointerUp(stage, { pointerId: 1 });
    fireEvent.pointerMove(stage, { clientX: 300, pointerId: 1 });
    expect(slider).toHaveValue('25');

    // Focus stays inside: Tab from the last control wraps to the first.
    slider.focus();
    await user.tab();
    const sideBySide = within(dialog).getByRole('switch', { name: 'Side by side' });
    expect(sideBySide).toHaveFocus();
    await user.tab({ shift: true });
    expect(slider).toHaveFocus();

    await expectNoSeriousA11yViolations(container);

    sideBySide.focus();
    expect(sideBySide).toHaveAttribute('aria-checked', 'false');
    await user.keyboard(' ');
    expect(sideBySide).toHaveAttribute('aria-checked', 'true');
    expect(dialog).toHaveAttribute('data-mode', 'side-by-side');
    expect(within(dialog).queryByRole('slider')).toBeNull();
    expect(within(dialog).getAllByRole('img')).toHaveLength(2);
    await user.keyboard(' ');
    expect(sideBySide).toHaveAttribute('aria-checked', 'false');
    expect(within(dialog).getByRole('slider', { name: 'Comparison position' })).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(compare).toHaveFocus();
    // The selection is kept.
    expect(store.getState().selectedImages).toHaveLength(2);
  });

  it('Close closes the dialog and gives focus back to Compare', async () => {
    showTasks();
    const user = userEvent.setup();
    const fox = row('a red fox');
    await user.click(within(fox).getByRole('checkbox', { name: 'Select image 1' }));
    await user.click(within(fox).getByRole('checkbox', { name: 'Select image 2' }));
    const compare = within(await screen.findByRole('group', { name: '2 selected' })).getByRole('button', { name: 'Compare' });
    await user.click(compare);
    const dialog = await screen.findByRole('dialog', { name: 'Compare images' });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(compare).toHaveFocus();
  });

  it('Clear selection unticks everything, hides the bar and puts focus on the first image ticked', async () => {
    const { store } = showTasks();
    const user = userEvent.setup();
    const whale = within(row('a blue whale')).getByRole('checkbox', { name: 'Select image 1' });
    await user.click(whale);
    await user.click(within(row('a red fox')).getByRole('checkbox', { name: 'Select image 2' }));
    const bar = await screen.findByRole('group', { name: '2 selected' });
    await user.click(within(bar).getByRole('button', { name: 'Clear selection' }));
    expect(store.getState().selectedImages).toEqual([]);
    expect(screen.queryByRole('group', { name: /selected/ })).toBeNull();
    expect(screen.getAllByRole('checkbox').filter((b) => (b as HTMLInputElement).checked)).toEqual([]);
    expect(whale).toHaveFocus();
  });

  it('a dismissed task leaves the selection by itself', async () => {
    const { store } = showTasks();
    const user = userEvent.setup();
    await user.click(within(row('a blue whale')).getByRole('checkbox', { name: 'Select image 1' }));
    await user.click(within(row('a red fox')).getByRole('checkbox', { name: 'Select image 1' }));
    await screen.findByRole('group', { name: '2 selected' });
    act(() => store.setState({ tasks: store.getState().tasks.filter((t) => t.id !== 'two') }));
    expect(screen.getByRole('group', { name: '1 selected' })).toBeInTheDocument();
  });
});
