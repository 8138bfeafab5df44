/**
 * PresetPicker (issue 14): combobox "Preset" over the host's presets and the user's own, the
 * "Save preset" dialog, "Delete preset", export and import — by keyboard, announced, axe-clean.
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AspectRatioPicker } from '../../src/components/AspectRatioPicker';
import { GeneratorProvider } from '../../src/components/GeneratorProvider/GeneratorProvider';
import { PresetPicker } from '../../src/components/PresetPicker';
import type { GeneratorPreset } from '../../src/store/types';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const BRAND: GeneratorPreset[] = [
  { name: 'Brand poster', description: 'Tall poster', aspectRatio: '2:3', resolution: '2K' },
  { name: 'Brand banner', aspectRatio: '16:9', prompt: 'A clean banner in brand colours' },
];

const status = () => document.querySelector('.gen-PresetPicker-announcer')!;
const combobox = () => screen.getByRole('combobox', { name: 'Preset' });

function jsonFile(text: string, name = 'presets.json') {
  return new File([text], name, { type: 'application/json' });
}

function fileInput(container: HTMLElement) {
  return container.querySelector<HTMLInputElement>('input[type="file"]')!;
}

describe('PresetPicker', () => {
  it('lists the host’s presets and the user’s own in two groups', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PresetPicker />, { store: { presets: BRAND } });
    await act(() => store.getState().savePreset('Mine'));
    act(() => store.setState({ activePreset: undefined }));
    expect(combobox()).toHaveTextContent('Choose a preset');
    await user.click(combobox());
    const listbox = await screen.findByRole('listbox');
    const [hostGroup, userGroup] = within(listbox).getAllByRole('group');
    expect(within(hostGroup!).getByText('Presets')).toBeInTheDocument();
    expect(within(hostGroup!).getAllByRole('option').map((o) => o.textContent)).toEqual(['Brand poster Tall poster', 'Brand banner']);
    expect(within(userGroup!).getByText('My presets')).toBeInTheDocument();
    expect(within(userGroup!).getAllByRole('option').map((o) => o.textContent)).toEqual(['Mine']);
  });

  it('applies a host preset chosen by keyboard: the settings change and it is announced', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <>
        <PresetPicker />
        <AspectRatioPicker />
      </>,
      { store: { presets: BRAND } },
    );
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('1:1');
    await user.tab();
    expect(combobox()).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByRole('listbox');
    await waitFor(() => expect(screen.getByRole('option', { name: /^Brand poster/ })).toHaveAttribute('data-highlighted'));
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(screen.getByRole('option', { name: 'Brand banner' })).toHaveAttribute('data-highlighted'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(store.getState().aspectRatio).toBe('16:9'));
    expect(store.getState().prompt).toBe('A clean banner in brand colours');
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('16:9');
    expect(combobox()).toHaveTextContent('Brand banner');
    expect(status()).toHaveTextContent('Preset “Brand banner” applied');
    // A host preset cannot be deleted.
    expect(screen.queryByRole('button', { name: 'Delete preset' })).not.toBeInTheDocument();
  });

  it('saves the current settings through the dialog by keyboard alone, and deletes the preset', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PresetPicker />, { store: { presets: BRAND } });
    act(() => store.getState().setAspectRatio('21:9'));
    const save = screen.getByRole('button', { name: 'Save preset' });
    await user.tab(); // the combobox
    await user.tab();
    expect(save).toHaveFocus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Save preset' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    const name = within(dialog).getByRole('textbox', { name: 'Preset name' });
    await waitFor(() => expect(name).toHaveFocus());

    // An empty name is refused with a clear message; the dialog stays.
    await user.keyboard('{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Enter a name for the preset.');
    // A host preset's name cannot be taken.
    await user.type(name, 'Brand poster{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(`"Brand poster" is one of this site's presets and cannot be replaced; choose another name.`);
    expect(store.getState().userPresets).toEqual([]);

    // Tab stays inside the dialog.
    await user.tab();
    expect(within(dialog).getByRole('checkbox', { name: 'Include the prompt' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Save' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(name).toHaveFocus();

    await user.clear(name);
    await user.type(name, 'Cinema');
    // Enter on the checkbox saves too.
    await user.tab();
    expect(within(dialog).getByRole('checkbox', { name: 'Include the prompt' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(save).toHaveFocus();
    expect(store.getState().userPresets).toEqual([expect.objectContaining({ name: 'Cinema', aspectRatio: '21:9' })]);
    expect(combobox()).toHaveTextContent('Cinema');
    expect(status()).toHaveTextContent('Preset “Cinema” saved');

    // Escape cancels and returns focus.
    await user.keyboard('{Enter}');
    await screen.findByRole('dialog', { name: 'Save preset' });
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Preset name' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(save).toHaveFocus();

    // Delete: shown for the user's own preset only, announced, selection cleared.
    await user.tab();
    const del = screen.getByRole('button', { name: 'Delete preset' });
    expect(del).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(store.getState().userPresets).toEqual([]));
    expect(status()).toHaveTextContent('Preset “Cinema” deleted');
    expect(screen.queryByRole('button', { name: 'Delete preset' })).not.toBeInTheDocument();
    expect(combobox()).toHaveTextContent('Choose a preset');
    expect(combobox()).toHaveFocus();
  });

  it('shows an import error in an alert and keeps the presets; a good file is imported and announced', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<PresetPicker />);
    await act(() => store.getState().savePreset('Keep me'));
    const before = store.getState().userPresets;

    await user.upload(fileInput(container), jsonFile('{"v":1,"presets":['));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file is not valid JSON; no presets were imported.');
    expect(store.getState().userPresets).toBe(before);

    await user.upload(fileInput(container), jsonFile(JSON.stringify({ v: 1, presets: [{ name: 'Ok' }, { name: 'Bad', n: 'two' }] })));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Preset 2 ("Bad") in the file has an invalid "n"; no presets were imported.'));
    expect(store.getState().userPresets).toBe(before);

    await user.upload(fileInput(container), jsonFile(JSON.stringify({ v: 1, presets: [{ name: 'Wide', aspectRatio: '16:9' }, { name: 'Keep me', n: 2 }] })));
    await waitFor(() => expect(status()).toHaveTextContent('2 presets imported'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Keep me', 'Wide']);
    // The Import button opens the file chooser.
    const chooser = vi.spyOn(fileInput(container), 'click').mockImplementation(() => {});
    await user.click(screen.getByRole('button', { name: 'Import presets' }));
    expect(chooser).toHaveBeenCalledTimes(1);
  });

  it('exports the user’s presets as presets.json', async () => {
    const user = userEvent.setup();
    const clicks: Array<{ href: string; download: string }> = [];
    const made: Blob[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.getAttribute('href') ?? '', download: this.getAttribute('download') ?? '' });
    });
    for (const target of new Set([URL, window.URL])) {
      Object.assign(target, { createObjectURL: (blob: Blob) => (made.push(blob), 'blob:http://localhost/p'), revokeObjectURL: () => {} });
    }
    const { store } = renderKit(<PresetPicker />);
    expect(screen.getByRole('button', { name: 'Export presets' })).toBeDisabled();
    await act(() => store.getState().savePreset('Mine'));
    await user.click(screen.getByRole('button', { name: 'Export presets' }));
    await waitFor(() => expect(clicks).toEqual([{ href: 'blob:http://localhost/p', download: 'presets.json' }]));
    expect(JSON.parse(await made[0]!.text())).toEqual({ v: 1, presets: store.getState().userPresets });
  });

  it('is axe-clean, with the dialog open too', async () => {
    const user = userEvent.setup();
    const { container, store } = renderKit(<PresetPicker />, { store: { presets: BRAND } });
    await act(() => store.getState().savePreset('Mine'));
    await expectNoSeriousA11yViolations(container);
    await user.click(screen.getByRole('button', { name: 'Save preset' }));
    await screen.findByRole('dialog', { name: 'Save preset' });
    await user.clear(screen.getByRole('textbox', { name: 'Preset name' }));
    await user.keyboard('{Enter}'); // with its error shown
    await screen.findByRole('alert');
    await expectNoSeriousA11yViolations(container);
  });

  it('keeps the provider’s presets prop live', async () => {
    const user = userEvent.setup();
    const { rerender } = render(
      <GeneratorProvider backendUrl="http://127.0.0.1:4010" persistKey={false} presets={BRAND}>
        <PresetPicker />
      </GeneratorProvider>,
    );
    rerender(
      <GeneratorProvider backendUrl="http://127.0.0.1:4010" persistKey={false} presets={[{ name: 'Brand square', aspectRatio: '1:1' }]}>
        <PresetPicker />
      </GeneratorProvider>,
    );
    await user.click(combobox());
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['Brand square']);
  });
});
