/**
 * The tray's mask controls (issue 15): "Edit mask" on the first ready reference when the model takes
 * a mask (and only then), a mask applied in the editor shown with its badge and its area over the
 * thumbnail, the aside badge, and "Remove mask".
 */
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import { setMaskExporter } from '../../src/components/MaskEditor';
import { encodeMaskFiles } from '../../src/browser/maskFile';
import { hostedReference } from '../../src/store/records';
import type { GeneratorStore } from '../../src/store';
import type { ReferenceItem, ReferenceMask } from '../../src/store/types';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

afterEach(() => setMaskExporter(undefined));

function put(store: GeneratorStore, ...references: ReferenceItem[]) {
  act(() => store.setState({ references }));
}

function sized(name: string, width = 40, height = 30): ReferenceItem {
  return hostedReference(`r-${name}`, `https://cdn.example.test/${name}`, name, { width, height });
}

function item(name: string) {
  const list = screen.getByRole('list', { name: 'Reference images' });
  const found = within(list)
    .getAllByRole('listitem')
    .find((li) => li.querySelector('.gen-ReferenceTray-name')?.textContent === name);
  if (!found) throw new Error(`no item ${name}`);
  return found;
}

function mask(fields: Partial<ReferenceMask> & { referenceId: string }): ReferenceMask {
  return { id: 'm1', referenceUrl: undefined, state: 'ready', url: 'https://cdn.example.test/mask.png', previewUrl: 'blob:test/mask-preview', width: 40, height: 30, error: undefined, aside: undefined, ...fields };
}

describe('ReferenceTray mask controls', () => {
  it('offers "Edit mask" on the first ready reference only, and only while the model takes a mask', async () => {
    const { store } = renderKit(<ReferenceTray />, { store: { model: 'gpt-image-2' } });
    const uploading: ReferenceItem = { ...sized('later.png'), state: 'uploading', url: undefined };
    put(store, sized('first.png'), sized('second.png'), uploading);
    const edit = await within(item('first.png')).findByRole('button', { name: 'Edit mask' });
    expect(edit).toHaveAccessibleDescription('first.png');
    expect(within(item('second.png')).queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument();
    // A reference still uploading, moved first, has no size-checked file to draw on yet.
    put(store, uploading, sized('first.png'));
    expect(within(item('later.png')).queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument();
    expect(within(item('first.png')).queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument();
    put(store, sized('first.png'));
    expect(within(item('first.png')).getByRole('button', { name: 'Edit mask' })).toBeInTheDocument();
    // A model without masks: no button.
    act(() => store.getState().setModel('gemini-3.1-flash-image-preview'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument());
  });

  it('has no "Edit mask" for a model without masks', async () => {
    const { store } = renderKit(<ReferenceTray />);
    put(store, sized('first.png'));
    await within(item('first.png')).findByText('first.png');
    expect(screen.queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument();
  });

  it('offers it on a result used as reference (a hosted image, its size read as it loads)', async () => {
    const { store } = renderKit(<ReferenceTray />, { store: { model: 'gpt-image-2' } });
    act(() => void store.getState().addReferenceUrl('https://cdn.example.test/result.png', 'Result 1'));
    expect(await within(item('Result 1')).findByRole('button', { name: 'Edit mask' })).toBeInTheDocument();
  });

  it('applies a mask from the editor: uploaded, badge "Mask", its area over the thumbnail; "Remove mask" removes it', async () => {
    const user = userEvent.setup();
    setMaskExporter(async (input) => encodeMaskFiles(input));
    const previews: Blob[] = [];
    const { store, container } = renderKit(<ReferenceTray />, {
      store: {
        model: 'gpt-image-2',
        createPreviewUrl: (blob) => {
          previews.push(blob);
          return `blob:test/${previews.length}`;
        },
      },
    });
    put(store, sized('first.png'));
    const uploadsBefore = sim.simulator.stats.uploads;
    await user.click(await screen.findByRole('button', { name: 'Edit mask' }));
    await screen.findByRole('dialog', { name: 'Mask editor' });
    await user.keyboard('r{Enter}');
    await user.click(screen.getByRole('button', { name: 'Apply mask' }));
    await waitFor(() => expect(store.getState().mask?.state).toBe('ready'), { timeout: 5000 });
    expect(sim.simulator.stats.uploads).toBe(uploadsBefore + 1);
    expect(store.getState().mask).toMatchObject({ referenceId: 'r-first.png', width: 40, height: 30 });
    const first = item('first.png');
    expect(within(first).getByText('Mask')).toHaveClass('gen-ReferenceTray-maskBadge');
    const overlay = first.querySelector('.gen-ReferenceTray-maskOverlay');
    expect(overlay).toHaveAttribute('aria-hidden', 'true');
    expect(overlay).toHaveAttribute('src', store.getState().mask!.previewUrl);
    await expectNoSeriousA11yViolations(container);

    const remove = within(first).getByRole('button', { name: 'Remove mask' });
    await user.click(remove);
    expect(store.getState().mask).toBeUndefined();
    expect(within(first).queryByText('Mask')).not.toBeInTheDocument();
    expect(first.querySelector('.gen-ReferenceTray-maskOverlay')).toBeNull();
    expect(within(first).getByRole('button', { name: 'Edit mask' })).toHaveFocus();
  });

  it('shows a mask kept aside with its reason, and still lets it be removed', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<ReferenceTray />);
    put(store, sized('first.png'));
    act(() => store.setState({ mask: mask({ referenceId: 'r-first.png', aside: 'model' }) }));
    const first = item('first.png');
    expect(await within(first).findByText('Mask not sent: this model takes no mask')).toHaveAttribute('data-state', 'aside');
    expect(within(first).queryByRole('button', { name: 'Edit mask' })).not.toBeInTheDocument();
    await user.click(within(first).getByRole('button', { name: 'Remove mask' }));
    expect(store.getState().mask).toBeUndefined();
    expect(first).toHaveFocus();
  });

  it('shows the upload state of a mask in its badge', async () => {
    const { store } = renderKit(<ReferenceTray />, { store: { model: 'gpt-image-2' } });
    put(store, sized('first.png'));
    act(() => store.setState({ mask: mask({ referenceId: 'r-first.png', state: 'uploading', url: undefined }) }));
    expect(await within(item('first.png')).findByText('Mask uploading…')).toBeInTheDocument();
    act(() => store.setState({ mask: mask({ referenceId: 'r-first.png', state: 'error', url: undefined }) }));
    expect(within(item('first.png')).getByText('Mask upload failed')).toBeInTheDocument();
  });
});
