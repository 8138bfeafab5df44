import * as React from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fireEvent, fn, userEvent, waitFor, within } from 'storybook/test';
import { MaskEditor, type MaskEditorProps } from '../src/components/MaskEditor';
import { ReferenceTray } from '../src/components/ReferenceTray';
import { samplePng, TASK_TIMEOUT } from './decorators';

/**
 * The mask editor (issue 15): paint the area `gpt-image-2` is to repaint on the first reference.
 * "Edit mask" on the first reference in the tray opens it (the model must take a mask); "Apply
 * mask" makes the PNG (the reference's size, transparent where painted) off the main thread and
 * uploads it; the tray then shows a "Mask" badge, the masked area over the thumbnail and "Remove
 * mask". Every story starts with one reference added on mount.
 */
const meta = {
  title: 'MaskEditor',
  component: MaskEditor,
  tags: ['autodocs'],
  args: { open: false, onOpenChange: fn() },
  parameters: {
    generator: { model: 'gpt-image-2', references: () => [samplePng('portrait.png', 96, 64, 11)] },
  },
  render: (args) => <TrayWithEditor {...args} />,
} satisfies Meta<typeof MaskEditor>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The tray, and the editor as a host would open it (`open` / `onOpenChange`), beside the tray's own button. */
function TrayWithEditor({ open: initial, onOpenChange, ...rest }: MaskEditorProps) {
  const [open, setOpen] = React.useState(initial);
  React.useEffect(() => setOpen(initial), [initial]);
  return (
    <div style={{ display: 'grid', gap: 'calc(var(--gen-space) * 2)', maxWidth: '40rem' }}>
      <ReferenceTray />
      <button type="button" className="gen-button" style={{ justifySelf: 'start' }} onClick={() => setOpen(true)}>
        Open the editor (host)
      </button>
      <MaskEditor
        {...rest}
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          onOpenChange(next);
        }}
      />
    </div>
  );
}

type Canvas = ReturnType<typeof within>;

/** Waits for the reference to upload and opens the editor from its "Edit mask". */
async function openEditor(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  const edit = await canvas.findByRole('button', { name: 'Edit mask' }, { timeout: TASK_TIMEOUT });
  await userEvent.click(edit);
  const dialog = within(await canvas.findByRole('dialog', { name: 'Mask editor' }));
  return { canvas, dialog, edit };
}

/**
 * A drag across the middle of the image with the pointer. jsdom lays nothing out: there the
 * painting layer is given a 480 × 320 box first (a real browser has its own).
 */
async function drag(dialog: Canvas, from: [number, number], to: [number, number], pointerType = 'mouse') {
  const stage: HTMLElement = dialog.getByRole('application');
  const layer = stage.querySelector('.gen-MaskEditor-layer') as HTMLElement;
  await waitFor(() => expect(stage.querySelector('canvas')).not.toBeNull());
  if (!(layer.getBoundingClientRect().width > 0)) {
    layer.getBoundingClientRect = () => ({ left: 0, top: 0, right: 480, bottom: 320, width: 480, height: 320, x: 0, y: 0, toJSON: () => ({}) });
  }
  const box = layer.getBoundingClientRect();
  const at = ([fx, fy]: [number, number]) => ({ clientX: box.left + box.width * fx, clientY: box.top + box.height * fy });
  const common = { pointerId: 7, pointerType, isPrimary: true };
  fireEvent.pointerDown(stage, { ...common, button: 0, buttons: 1, ...at(from) });
  for (let i = 1; i <= 8; i += 1) {
    const f: [number, number] = [from[0] + ((to[0] - from[0]) * i) / 8, from[1] + ((to[1] - from[1]) * i) / 8];
    fireEvent.pointerMove(stage, { ...common, buttons: 1, ...at(f) });
  }
  fireEvent.pointerUp(stage, { ...common, button: 0, ...at(to) });
}

/** The Brush: a stroke across the image paints it; Undo and Redo step through it. Left open. */
export const Brush: Story = {
  play: async ({ canvasElement }) => {
    const { dialog } = await openEditor(canvasElement);
    const root = dialog.getByRole('application').closest('[role="dialog"]')!;
    await expect(dialog.getByRole('button', { name: 'Brush' })).toHaveAttribute('aria-pressed', 'true');
    await expect(root).toHaveAttribute('data-state', 'empty');
    await drag(dialog, [0.2, 0.5], [0.8, 0.5]);
    await expect(root).toHaveAttribute('data-state', 'painted');
    await userEvent.click(dialog.getByRole('button', { name: 'Undo' }));
    await expect(root).toHaveAttribute('data-state', 'empty');
    await userEvent.click(dialog.getByRole('button', { name: 'Redo' }));
    await expect(root).toHaveAttribute('data-state', 'painted');
  },
};

/** The Eraser (E): the whole image painted with "Invert mask", then a stroke erased across it. Left open. */
export const Eraser: Story = {
  play: async ({ canvasElement }) => {
    const { dialog } = await openEditor(canvasElement);
    await userEvent.click(dialog.getByRole('button', { name: 'Invert mask' }));
    dialog.getByRole('application').focus();
    await userEvent.keyboard('e]]]]]]');
    await expect(dialog.getByRole('button', { name: 'Eraser' })).toHaveAttribute('aria-pressed', 'true');
    await drag(dialog, [0.1, 0.5], [0.9, 0.5], 'pen');
    await expect(dialog.getByRole('button', { name: 'Undo' })).toBeEnabled();
    const root = dialog.getByRole('application').closest('[role="dialog"]')!;
    await expect(root).toHaveAttribute('data-state', 'painted'); // the rest is still painted
  },
};

/** The Rectangle by keyboard alone: R, arrows move the selection, Shift+arrows resize it, Enter paints it. Left open. */
export const RectangleByKeyboard: Story = {
  name: 'Rectangle by keyboard',
  play: async ({ canvasElement }) => {
    const { dialog } = await openEditor(canvasElement);
    await expect(dialog.getByRole('application')).toHaveFocus();
    await userEvent.keyboard('r{ArrowLeft}{ArrowUp}{Shift>}{ArrowRight}{ArrowRight}{ArrowDown}{/Shift}');
    await expect(dialog.getByRole('button', { name: 'Rectangle' })).toHaveAttribute('aria-pressed', 'true');
    await expect(dialog.getByRole('status')).toHaveTextContent(/^Selection \d+ × \d+ at \d+, \d+$/);
    await userEvent.keyboard('{Enter}');
    const root = dialog.getByRole('application').closest('[role="dialog"]')!;
    await expect(root).toHaveAttribute('data-state', 'painted');
  },
};

/** Escape after painting asks "Discard changes?" (focus on "Keep editing"). Left asking. */
export const DiscardConfirmation: Story = {
  name: 'Discard confirmation',
  play: async ({ canvasElement }) => {
    const { dialog } = await openEditor(canvasElement);
    await userEvent.keyboard('r{Enter}{Escape}');
    const confirm = within(await dialog.findByRole('alertdialog', { name: 'Discard changes?' }));
    await expect(confirm.getByRole('button', { name: 'Keep editing' })).toHaveFocus();
    await expect(confirm.getByRole('button', { name: 'Discard' })).toBeInTheDocument();
  },
};

/** "Discard" closes the editor and focus goes back to "Edit mask"; nothing was applied. */
export const Discarded: Story = {
  play: async ({ canvasElement }) => {
    const { canvas, dialog, edit } = await openEditor(canvasElement);
    await userEvent.keyboard('r{Enter}');
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(await dialog.findByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument());
    await expect(edit).toHaveFocus();
    await expect(canvas.queryByRole('button', { name: 'Remove mask' })).not.toBeInTheDocument();
  },
};

/** A mask applied: uploaded, the reference shows the "Mask" badge and "Remove mask". */
export const AppliedMask: Story = {
  name: 'Applied mask in the tray',
  play: async ({ canvasElement }) => {
    const { canvas, dialog, edit } = await openEditor(canvasElement);
    await userEvent.keyboard('r{Shift>}{ArrowRight}{ArrowRight}{/Shift}{Enter}');
    await userEvent.click(dialog.getByRole('button', { name: 'Apply mask' }));
    await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: TASK_TIMEOUT });
    await expect(edit).toHaveFocus();
    await expect(await canvas.findByText('Mask', {}, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Remove mask' })).toBeInTheDocument();
  },
};

/** The editor opened by the host (`open`, `onOpenChange`), with "Zoom in" / "Zoom out" / "Fit". */
export const OpenByHost: Story = {
  name: 'Opened by the host',
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('button', { name: 'Edit mask' }, { timeout: TASK_TIMEOUT }); // the reference is ready
    await userEvent.click(canvas.getByRole('button', { name: 'Open the editor (host)' }));
    const dialog = within(await canvas.findByRole('dialog', { name: 'Mask editor' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Zoom in' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Zoom out' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Fit' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    await expect(args.onOpenChange).toHaveBeenCalledWith(false);
  },
};
