/**
 * The MaskEditor (issue 15), opened from the tray's "Edit mask": tools by keys and clicks, the brush
 * size, a mask made by keyboard alone and exported as a PNG of the reference's size (checked pixel by
 * pixel), pointer painting, undo / redo / clear / invert, the "Discard changes?" confirmation, focus
 * back to the opener, and axe with the dialog open.
 */
import * as React from 'react';
import { inflateSync } from 'node:zlib';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import { MaskEditor, setMaskExporter, type MaskFileInput } from '../../src/components/MaskEditor';
import { encodeMaskFiles } from '../../src/browser/maskFile';
import { MAX_WORKING_PIXELS } from '../../src/components/MaskEditor/maskBitmap';
import { hostedReference } from '../../src/store/records';
import type { GeneratorStore } from '../../src/store';

useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

afterEach(() => setMaskExporter(undefined));

/** A ready reference of `width` × `height` put straight into the store (no upload needed). */
function addReference(store: GeneratorStore, width = 40, height = 30, name = 'photo.png') {
  const reference = hostedReference(`r-${name}`, `https://cdn.example.test/${name}`, name, { width, height });
  act(() => store.setState((s) => ({ references: [...s.references, reference] })));
  return reference;
}

/** The tray with one reference, for a model that takes masks; `setMask` replaced by a spy. */
function setup(options: { width?: number; height?: number; model?: string } = {}) {
  const view = renderKit(<ReferenceTray />, { store: { model: options.model ?? 'gpt-image-2' } });
  const reference = addReference(view.store, options.width, options.height);
  const setMask = vi.fn(async () => {});
  view.store.setState({ setMask });
  return { ...view, reference, setMask };
}

function dialog() {
  return screen.getByRole('dialog', { name: 'Mask editor' });
}
function stage() {
  return within(dialog()).getByRole('application');
}
function button(name: string) {
  return within(dialog()).getByRole('button', { name });
}
function pressed() {
  return ['Brush', 'Eraser', 'Rectangle'].filter((n) => button(n).getAttribute('aria-pressed') === 'true');
}

async function openEditor(user: ReturnType<typeof userEvent.setup>) {
  const edit = await screen.findByRole('button', { name: 'Edit mask' });
  edit.focus();
  await user.keyboard('{Enter}');
  await screen.findByRole('dialog', { name: 'Mask editor' });
  return edit;
}

/** Puts the painting layer at 0,0 on screen, `width` × `height` CSS pixels (jsdom lays nothing out). */
function layOut(width: number, height: number) {
  const layer = dialog().querySelector('.gen-MaskEditor-layer') as HTMLElement;
  layer.getBoundingClientRect = () => ({ left: 0, top: 0, right: width, bottom: height, width, height, x: 0, y: 0, toJSON: () => ({}) });
}

/** Captures what "Apply mask" hands the exporter, and exports with the plain-JavaScript encoder. */
function captureExports() {
  const inputs: MaskFileInput[] = [];
  setMaskExporter(async (input) => {
    inputs.push(input);
    return encodeMaskFiles(input);
  });
  return inputs;
}

/** Decodes an RGBA PNG written with filter 0 rows (the kit's encoder): its size and alpha bytes. */
async function decodePng(blob: Blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  for (let p = 8; p < bytes.length; ) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8));
    const data = bytes.subarray(p + 8, p + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(p + 8);
      height = view.getUint32(p + 12);
      expect(Array.from(data.subarray(8, 10))).toEqual([8, 6]); // 8-bit RGBA
    }
    if (type === 'IDAT') idat.push(data);
    p += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    for (let x = 0; x < width; x += 1) alpha[y * width + x] = raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!;
  }
  return { width, height, alpha };
}

describe('MaskEditor', () => {
  it('opens from "Edit mask" by keyboard as a modal dialog; without changes Escape closes at once and focus returns', async () => {
    const user = userEvent.setup();
    setup();
    const edit = await openEditor(user);
    expect(dialog()).toHaveAttribute('aria-modal', 'true');
    expect(stage()).toHaveFocus();
    expect(stage()).toHaveAccessibleName('Mask over photo.png');
    for (const name of ['Undo', 'Redo', 'Clear mask', 'Invert mask', 'Zoom in', 'Zoom out', 'Fit', 'Apply mask', 'Cancel']) expect(button(name)).toBeInTheDocument();
    expect(within(dialog()).getByRole('slider', { name: 'Brush size' })).toHaveAttribute('type', 'range');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(edit).toHaveFocus();
  });

  it('picks tools with B, E and R and by click, exactly one pressed', async () => {
    const user = userEvent.setup();
    setup();
    await openEditor(user);
    expect(pressed()).toEqual(['Brush']);
    await user.keyboard('e');
    expect(pressed()).toEqual(['Eraser']);
    expect(dialog()).toHaveAttribute('data-tool', 'eraser');
    await user.keyboard('r');
    expect(pressed()).toEqual(['Rectangle']);
    expect(dialog().querySelector('.gen-MaskEditor-selection')).not.toBeNull(); // the selection is visible
    await user.keyboard('b');
    expect(pressed()).toEqual(['Brush']);
    await user.click(button('Eraser'));
    expect(pressed()).toEqual(['Eraser']);
    await user.click(button('Rectangle'));
    expect(pressed()).toEqual(['Rectangle']);
  });

  it('changes the brush size with [ and ]', async () => {
    const user = userEvent.setup();
    setup();
    await openEditor(user);
    const slider = within(dialog()).getByRole('slider', { name: 'Brush size' }) as HTMLInputElement;
    const start = Number(slider.value);
    await user.keyboard(']');
    expect(Number(slider.value)).toBeGreaterThan(start);
    await user.keyboard('[[[[[[');
    expect(Number(slider.value)).toBeLessThan(start);
    expect(slider).toHaveAttribute('aria-valuetext', `${slider.value} px`);
  });

  it('makes a mask by keyboard alone (R, arrows, Shift+arrows, Enter) and applies a PNG of the reference size, transparent exactly there', async () => {
    const user = userEvent.setup();
    const { setMask, reference } = setup({ width: 400, height: 300 });
    await openEditor(user);
    // The middle third is selected: 133 × 100 at 134, 100; a step is 1/40 of the long side (10 px).
    await user.keyboard('r{ArrowRight}{ArrowRight}{Shift>}{ArrowDown}{ArrowDown}{ArrowDown}{ArrowRight}{/Shift}');
    expect(screen.getByRole('status')).toHaveTextContent('Selection 143 × 130 at 154, 100');
    expect(dialog()).toHaveAttribute('data-state', 'empty');
    await user.keyboard('{Enter}');
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    await user.click(button('Apply mask'));
    await waitFor(() => expect(setMask).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const call = (setMask.mock.calls[0] as unknown as [{ referenceId: string; file: Blob; width: number; height: number; preview?: Blob }])[0];
    expect(call).toMatchObject({ referenceId: reference.id, width: 400, height: 300 });
    expect(call.file.type).toBe('image/png');
    const png = await decodePng(call.file);
    expect([png.width, png.height]).toEqual([400, 300]);
    let transparent = 0;
    for (let y = 0; y < 300; y += 1) {
      for (let x = 0; x < 400; x += 1) {
        const inside = x >= 154 && x < 154 + 143 && y >= 100 && y < 100 + 130;
        const a = png.alpha[y * 400 + x];
        if (a === 0) transparent += 1;
        if (inside !== (a === 0)) throw new Error(`pixel ${x},${y}: alpha ${a}`);
      }
    }
    expect(transparent).toBe(143 * 130);
    expect(new Set(png.alpha)).toEqual(new Set([0, 255]));
    const preview = await decodePng(call.preview!);
    expect(Math.max(preview.width, preview.height)).toBeLessThanOrEqual(256);
  });

  it('erases the selection with Alt+Enter', async () => {
    const user = userEvent.setup();
    setup({ width: 40, height: 40 });
    const inputs = captureExports();
    await openEditor(user);
    await user.click(button('Invert mask')); // everything painted
    stage().focus();
    await user.keyboard('r{Alt>}{Enter}{/Alt}');
    await user.click(button('Apply mask'));
    await waitFor(() => expect(inputs).toHaveLength(1));
    const { mask, maskWidth } = inputs[0]!;
    expect(mask[20 * maskWidth + 20]).toBe(0); // the middle third was erased
    expect(mask[0]).toBe(255);
  });

  it('keeps a big reference in a working bitmap of at most 2 MP and exports at the full size', async () => {
    const user = userEvent.setup();
    const { setMask } = setup({ width: 4000, height: 3000 });
    const inputs = captureExports();
    setMaskExporter(async (input) => {
      inputs.push(input);
      return { file: new Blob(['png'], { type: 'image/png' }), preview: new Blob(['p'], { type: 'image/png' }) };
    });
    await openEditor(user);
    const canvas = dialog().querySelector('canvas')!;
    expect(canvas.width * canvas.height).toBeLessThanOrEqual(MAX_WORKING_PIXELS);
    expect(canvas.width / canvas.height).toBeCloseTo(4 / 3, 2);
    await user.keyboard('r{Enter}');
    await user.click(button('Apply mask'));
    await waitFor(() => expect(setMask).toHaveBeenCalledTimes(1));
    expect(inputs[0]).toMatchObject({ width: 4000, height: 3000, maskWidth: canvas.width, maskHeight: canvas.height });
    expect(setMask).toHaveBeenCalledWith(expect.objectContaining({ width: 4000, height: 3000 }));
  });

  it('paints with the pointer (coalesced, interpolated), and undoes, redoes, clears and inverts', async () => {
    const user = userEvent.setup();
    setup({ width: 40, height: 30 });
    const inputs = captureExports();
    await openEditor(user);
    layOut(400, 300); // 10 screen pixels per mask pixel; the 32 px brush is 3.2 mask pixels wide
    const target = stage();
    fireEvent.pointerDown(target, { pointerId: 1, pointerType: 'pen', button: 0, clientX: 55, clientY: 105 });
    fireEvent.pointerMove(target, { pointerId: 1, pointerType: 'pen', clientX: 305, clientY: 105 });
    fireEvent.pointerUp(target, { pointerId: 1, pointerType: 'pen', clientX: 305, clientY: 105 });
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    expect(button('Undo')).toBeEnabled();
    expect(button('Redo')).toBeDisabled();

    await user.click(button('Undo'));
    expect(dialog()).toHaveAttribute('data-state', 'empty');
    await user.click(button('Redo'));
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    stage().focus();
    await user.keyboard('{Control>}z{/Control}');
    expect(dialog()).toHaveAttribute('data-state', 'empty');
    await user.keyboard('{Shift>}{Control>}z{/Control}{/Shift}');
    expect(dialog()).toHaveAttribute('data-state', 'painted');

    await user.click(button('Apply mask'));
    await waitFor(() => expect(inputs).toHaveLength(1));
    const { mask, maskWidth } = inputs[0]!;
    // The whole line from x 5.5 to 30.5 on row 10 (a stroke, not two dots), nothing far from it.
    for (let x = 6; x <= 30; x += 1) expect(mask[10 * maskWidth + x], `x ${x}`).toBe(255);
    expect(mask[0]).toBe(0);
    expect(mask[25 * maskWidth + 20]).toBe(0);
    expect(mask.filter((v) => v === 255).length).toBeLessThan(40 * 30 / 4);
  });

  it('follows every coalesced pointer position, not just the last one of an event', async () => {
    const user = userEvent.setup();
    setup({ width: 40, height: 30 });
    const inputs = captureExports();
    await openEditor(user);
    layOut(400, 300);
    const target = stage();
    fireEvent.pointerDown(target, { pointerId: 3, pointerType: 'pen', button: 0, clientX: 55, clientY: 55 });
    // One event that went right, then down: painted as an L, not as the diagonal to its last point.
    const move = new PointerEvent('pointermove', { bubbles: true, pointerId: 3, pointerType: 'pen', clientX: 305, clientY: 255 });
    const points = [new PointerEvent('pointermove', { clientX: 305, clientY: 55 }), new PointerEvent('pointermove', { clientX: 305, clientY: 255 })];
    Object.defineProperty(move, 'getCoalescedEvents', { value: () => points });
    fireEvent(target, move);
    fireEvent.pointerUp(target, { pointerId: 3, pointerType: 'pen', clientX: 305, clientY: 255 });
    await user.click(button('Apply mask'));
    await waitFor(() => expect(inputs).toHaveLength(1));
    const { mask, maskWidth } = inputs[0]!;
    expect(mask[5 * maskWidth + 30]).toBe(255); // the corner
    expect(mask[15 * maskWidth + 30]).toBe(255); // on the way down
    expect(mask[15 * maskWidth + 18]).toBe(0); // on the diagonal
  });

  it('zooms with the buttons, Ctrl+wheel and a two-finger pinch (which paints nothing); Fit resets', async () => {
    const user = userEvent.setup();
    setup({ width: 40, height: 30 });
    await openEditor(user);
    layOut(400, 300);
    const layer = () => dialog().querySelector('.gen-MaskEditor-layer') as HTMLElement;
    const zoom = () => Number(/scale\(([\d.]+)\)/.exec(layer().style.transform)?.[1]);
    expect(zoom()).toBe(1);
    await user.click(button('Zoom in'));
    expect(zoom()).toBeCloseTo(1.25);
    await user.click(button('Zoom out'));
    await user.click(button('Zoom out'));
    expect(zoom()).toBeCloseTo(0.8);
    await user.click(button('Fit'));
    expect(zoom()).toBe(1);
    fireEvent.wheel(stage(), { ctrlKey: true, deltaY: -50 });
    expect(zoom()).toBeGreaterThan(1.5);
    await user.click(button('Fit'));

    const target = stage();
    const touch = (type: 'pointerDown' | 'pointerMove' | 'pointerUp', pointerId: number, clientX: number, clientY: number) =>
      fireEvent[type](target, { pointerId, pointerType: 'touch', button: 0, clientX, clientY });
    touch('pointerDown', 11, 50, 50);
    touch('pointerDown', 12, 150, 50); // the second finger: the first one's dot is taken back
    touch('pointerMove', 12, 250, 50); // fingers three times as far apart
    touch('pointerMove', 11, -50, 50);
    expect(zoom()).toBeCloseTo(3);
    touch('pointerUp', 11, -50, 50);
    touch('pointerUp', 12, 250, 50);
    expect(dialog()).toHaveAttribute('data-state', 'empty');
    expect(button('Undo')).toBeDisabled();
    // The mask itself: only the rectangle painted next, nothing where the first finger landed.
    const inputs = captureExports();
    stage().focus();
    await user.keyboard('r{Enter}');
    await user.click(button('Apply mask'));
    await waitFor(() => expect(inputs).toHaveLength(1));
    expect(inputs[0]!.mask[5 * 40 + 5]).toBe(0);
    expect(inputs[0]!.mask[15 * 40 + 20]).toBe(255);
  });

  it('erases with the Eraser, clears and inverts', async () => {
    const user = userEvent.setup();
    setup({ width: 40, height: 30 });
    await openEditor(user);
    layOut(400, 300);
    await user.click(button('Invert mask'));
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    await user.click(button('Clear mask'));
    expect(dialog()).toHaveAttribute('data-state', 'empty');
    await user.click(button('Undo'));
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    await user.click(button('Eraser'));
    const target = stage();
    // Erase everything with a big eraser sweep: the mask is empty again.
    await user.keyboard(']]]]]]]]]]]]]]]]]]]]');
    for (let y = 0; y <= 300; y += 50) {
      fireEvent.pointerDown(target, { pointerId: 2, pointerType: 'mouse', button: 0, clientX: 0, clientY: y });
      fireEvent.pointerMove(target, { pointerId: 2, pointerType: 'mouse', clientX: 400, clientY: y });
      fireEvent.pointerUp(target, { pointerId: 2, pointerType: 'mouse', clientX: 400, clientY: y });
    }
    expect(dialog()).toHaveAttribute('data-state', 'empty');
  });

  it('asks before discarding changes: "Keep editing" keeps them, "Discard" closes and focus returns', async () => {
    const user = userEvent.setup();
    const { setMask } = setup();
    const edit = await openEditor(user);
    await user.keyboard('r{Enter}');
    await user.keyboard('{Escape}');
    const confirm = within(dialog()).getByRole('alertdialog', { name: 'Discard changes?' });
    expect(within(confirm).getByRole('button', { name: 'Keep editing' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(dialog()).toHaveAttribute('data-state', 'painted');
    await user.click(button('Cancel'));
    await user.click(within(dialog()).getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(edit).toHaveFocus();
    expect(setMask).not.toHaveBeenCalled();
  });

  it('keeps its keys to itself: Alt+arrows in the dialog do not move the reference around the opener', async () => {
    const user = userEvent.setup();
    const { store } = setup();
    addReference(store, 20, 20, 'second.png');
    await openEditor(user);
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    expect(store.getState().references.map((r) => r.name)).toEqual(['photo.png', 'second.png']);
  });

  it('is axe-clean with the dialog open, and with the confirmation', async () => {
    const user = userEvent.setup();
    const { container } = setup();
    await openEditor(user);
    await expectNoSeriousA11yViolations(container);
    await user.keyboard('r{Enter}{Escape}');
    await expectNoSeriousA11yViolations(container);
  });
});

describe('MaskEditor outside the tray', () => {
  it('edits the first reference by default and closes through onOpenChange', async () => {
    const user = userEvent.setup();
    function Host() {
      const [open, setOpen] = React.useState(false);
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Paint a mask
          </button>
          <MaskEditor open={open} onOpenChange={setOpen} />
        </>
      );
    }
    const { store } = renderKit(<Host />, { store: { model: 'gpt-image-2' } });
    addReference(store);
    await user.click(screen.getByRole('button', { name: 'Paint a mask' }));
    expect(await screen.findByRole('dialog', { name: 'Mask editor' })).toBeInTheDocument();
    expect(stage()).toHaveAccessibleName('Mask over photo.png');
    await user.click(button('Cancel'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Paint a mask' })).toHaveFocus();
  });
});
