import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { AspectRatioPicker } from '../src/components/AspectRatioPicker';
import { PresetPicker } from '../src/components/PresetPicker';
import type { GeneratorPreset } from '../src/store/types';

/** A portal's brand styles, passed as the provider's `presets` prop. */
const BRAND_PRESETS: GeneratorPreset[] = [
  { name: 'Brand poster', description: 'Tall, 2K', aspectRatio: '2:3', resolution: '2K' },
  { name: 'Brand banner', description: 'Wide web banner', aspectRatio: '21:9', prompt: 'A clean banner in our brand colours, flat shapes' },
  { name: 'Social square', description: 'Four to choose from', aspectRatio: '1:1', n: 4 },
];

/**
 * Presets: combobox "Preset" over the host's presets and the user's own, "Save preset" (a modal
 * dialog), "Delete preset" for the user's own, and export / import as JSON. Shown beside the
 * AspectRatioPicker, which follows the preset applied.
 */
const meta = {
  title: 'PresetPicker',
  component: PresetPicker,
  tags: ['autodocs'],
  args: { disabled: false, importExport: true, onPresetApply: fn() },
  parameters: { generator: { presets: BRAND_PRESETS } },
  render: (args) => (
    <div style={{ display: 'grid', gap: 'calc(var(--gen-space) * 2)', justifyItems: 'start' }}>
      <PresetPicker {...args} />
      <AspectRatioPicker />
    </div>
  ),
} satisfies Meta<typeof PresetPicker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The host's brand presets: choosing "Brand banner" sets its ratio and prompt. */
export const BrandPresets: Story = {
  name: 'Host brand presets',
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    const preset = canvas.getByRole('combobox', { name: 'Preset' });
    await expect(preset).toHaveTextContent('Choose a preset');
    await userEvent.click(preset);
    const listbox = await body.findByRole('listbox');
    await expect(within(listbox).getByText('Presets')).toBeInTheDocument();
    await expect(within(listbox).getAllByRole('option')).toHaveLength(3);
    await userEvent.click(within(listbox).getByRole('option', { name: /^Brand banner/ }));
    await waitFor(() => expect(canvas.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('21:9'));
    await expect(preset).toHaveTextContent('Brand banner');
    await expect(args.onPresetApply).toHaveBeenCalledWith(BRAND_PRESETS[1]);
  },
};

/** "Save preset" open: the dialog with its name, by keyboard. Left open. */
export const SaveDialogOpen: Story = {
  name: 'Save dialog open',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('button', { name: 'Save preset' }));
    const dialog = await body.findByRole('dialog', { name: 'Save preset' });
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    const name = within(dialog).getByRole('textbox', { name: 'Preset name' });
    await waitFor(() => expect(name).toHaveFocus());
    await userEvent.keyboard('My night shots');
    await expect(name).toHaveValue('My night shots');
    await expect(within(dialog).getByRole('checkbox', { name: 'Include the prompt' })).not.toBeChecked();
  },
};

/** Saving, then the user's own preset in "My presets" with "Delete preset". */
export const SaveAndDelete: Story = {
  name: 'Save and delete',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('button', { name: 'Save preset' }));
    const dialog = await body.findByRole('dialog', { name: 'Save preset' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Preset name' }), 'Mine{Enter}');
    await waitFor(() => expect(body.queryByRole('dialog')).not.toBeInTheDocument());
    await expect(canvas.getByRole('combobox', { name: 'Preset' })).toHaveTextContent('Mine');
    await userEvent.click(canvas.getByRole('button', { name: 'Delete preset' }));
    await waitFor(() => expect(canvas.queryByRole('button', { name: 'Delete preset' })).not.toBeInTheDocument());
    await expect(canvas.getByRole('status')).toHaveTextContent('Preset “Mine” deleted');
  },
};

/** Importing a file that is not JSON: a clear message in an alert, nothing changed. */
export const ImportError: Story = {
  name: 'Import error',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, new File(['not json'], 'presets.json', { type: 'application/json' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('The file is not valid JSON; no presets were imported.');
  },
};
