import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { AspectRatioPicker } from '../src/components/AspectRatioPicker';

/**
 * Combobox "Aspect ratio" (Radix Select) over the current model's ratios; each option shows a
 * drawn shape and its ratio, plus the output size where the model documents it.
 */
const meta = {
  title: 'AspectRatioPicker',
  component: AspectRatioPicker,
  tags: ['autodocs'],
  args: {
    disabled: false,
    showReferenceOnlyRatios: false,
    onValueChange: fn(),
  },
  argTypes: {
    value: { control: 'text' },
    defaultValue: { control: 'text' },
  },
} satisfies Meta<typeof AspectRatioPicker>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Closed, on the model's default ratio. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const picker = canvas.getByRole('combobox', { name: 'Aspect ratio' });
    await expect(picker).toHaveTextContent('1:1');
    await expect(picker).toHaveAttribute('data-state', 'closed');
  },
};

/** Open: every ratio of the default model, each with its shape. */
export const Open: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('combobox', { name: 'Aspect ratio' }));
    const listbox = await body.findByRole('listbox');
    await expect(within(listbox).getByRole('option', { name: /16:9/ })).toBeInTheDocument();
    await expect(within(listbox).getByRole('option', { name: /9:16/ })).toBeInTheDocument();
    await expect(within(listbox).getAllByRole('option').length).toBeGreaterThanOrEqual(10);
  },
};

/** Choosing 16:9: the trigger shows it and `onValueChange` reports it. */
export const Choose: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    const picker = canvas.getByRole('combobox', { name: 'Aspect ratio' });
    await userEvent.click(picker);
    await userEvent.click(await body.findByRole('option', { name: /^16:9/ }));
    await waitFor(() => expect(picker).toHaveTextContent('16:9'));
    await expect(args.onValueChange).toHaveBeenCalledWith('16:9');
  },
};

/** Controlled by the host (`value="9:16"`); the store follows, so Generate sends what is shown. */
export const Controlled: Story = {
  args: { value: '9:16' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('9:16');
  },
};

/** `gpt-image-2`: its own ratios (2:1, 9:21…) with the output size in pixels for the resolution. */
export const GptImage2WithPixelSizes: Story = {
  parameters: { generator: { model: 'gpt-image-2' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.click(canvas.getByRole('combobox', { name: 'Aspect ratio' }));
    await expect(await body.findByRole('option', { name: /^2:1 · \d+×\d+/ })).toBeInTheDocument();
  },
};

/** Disabled. */
export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('combobox', { name: 'Aspect ratio' })).toBeDisabled();
  },
};
