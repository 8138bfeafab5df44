import * as React from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, http } from 'msw';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { PromptForm } from '../src/components/PromptForm';
import { samplePng } from './decorators';
import { useGeneratorStore } from '../src/hooks/useGenerator';

/**
 * The prompt, resolution, number of images, price and Generate. Every request is built from the
 * provider's store; the stories reach each `data-state` of the form (`idle`, `waiting`,
 * `submitting`) and its validation messages.
 */
const meta = {
  title: 'PromptForm',
  component: PromptForm,
  tags: ['autodocs'],
  args: {
    onValueChange: fn(),
  },
  argTypes: {
    value: { control: 'text' },
    defaultValue: { control: 'text' },
    placeholder: { control: 'text' },
  },
} satisfies Meta<typeof PromptForm>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Empty and ready: the prompt, the resolution and Generate. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('textbox', { name: 'Prompt' })).toHaveValue('');
    await expect(canvas.getByRole('combobox', { name: 'Resolution' })).toBeInTheDocument();
    const generate = canvas.getByRole('button', { name: 'Generate' });
    await expect(generate).toHaveAttribute('data-state', 'idle');
    await expect(generate).not.toHaveAttribute('aria-disabled');
  },
};

/** Uncontrolled, with a starting prompt; typing calls `onValueChange`. */
export const WithPrompt: Story = {
  args: { defaultValue: 'A red fox asleep in fresh snow, golden hour' },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const prompt = canvas.getByRole('textbox', { name: 'Prompt' });
    await expect(prompt).toHaveValue('A red fox asleep in fresh snow, golden hour');
    await userEvent.type(prompt, ', 35mm');
    await expect(prompt).toHaveValue('A red fox asleep in fresh snow, golden hour, 35mm');
    await expect(args.onValueChange).toHaveBeenLastCalledWith('A red fox asleep in fresh snow, golden hour, 35mm');
  },
};

/** Generate with an empty prompt: the prompt is flagged and the message is an alert. */
export const EmptyPromptError: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await expect(await canvas.findByRole('alert')).toBeInTheDocument();
    await expect(canvas.getByRole('textbox', { name: 'Prompt' })).toHaveAttribute('aria-invalid', 'true');
  },
};

/** Picking another resolution from the Radix select (the price follows it). */
export const ChooseResolution: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    const resolution = canvas.getByRole('combobox', { name: 'Resolution' });
    await userEvent.click(resolution);
    await userEvent.click(await body.findByRole('option', { name: '2K' }));
    await waitFor(() => expect(resolution).toHaveTextContent('2K'));
  },
};

/**
 * Generate pressed while a reference is still uploading (a slow upload): the form waits for it
 * instead of sending, and says so.
 */
export const WaitingForUploads: Story = {
  parameters: {
    generator: { prompt: 'The same chair, in walnut', references: () => [samplePng('chair.png')] },
    msw: {
      handlers: [
        http.post('*/v1/uploads/images', async () => {
          await delay('infinite');
        }),
      ],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(/Waiting for 1 reference image/)).toBeInTheDocument();
    const generate = canvas.getByRole('button', { name: 'Generate' });
    await expect(generate).toHaveAttribute('data-state', 'waiting');
    await expect(generate).toHaveAttribute('aria-disabled', 'true');
  },
};

/** The submit is on the wire (the backend is slow to answer): Generate is busy, a second press does nothing. */
export const Submitting: Story = {
  parameters: {
    generator: { prompt: 'A paper boat on a rain puddle' },
    msw: {
      handlers: [
        http.post('*/v1/images/generations', async () => {
          await delay('infinite');
        }),
      ],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('Sending…')).toBeInTheDocument();
    const generate = canvas.getByRole('button', { name: 'Generate' });
    await expect(generate).toHaveAttribute('data-state', 'submitting');
    await expect(generate).toHaveAttribute('aria-disabled', 'true');
  },
};

/** A model with four images per request and top-level resolutions (`gpt-image-2`). */
export const GptImage2: Story = {
  name: 'gpt-image-2, four images',
  parameters: { generator: { model: 'gpt-image-2', initial: { n: 4 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('combobox', { name: 'Number of images' })).toHaveTextContent('4');
    await expect(canvas.getByRole('combobox', { name: 'Resolution' })).toBeInTheDocument();
  },
};

/**
 * `parametersUi`: "Advanced options" lists the model's documented extras as native controls. Here
 * Nano Banana 2's web and image search; image search waits for web search.
 */
export const AdvancedOptions: Story = {
  args: { parametersUi: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByText('Advanced options'));
    const web = canvas.getByRole('checkbox', { name: 'Google web search' });
    const images = canvas.getByRole('checkbox', { name: 'Google image search' });
    await expect(images).toBeDisabled();
    await userEvent.click(web);
    await expect(web).toBeChecked();
    await expect(images).toBeEnabled();
  },
};

/* ---- prompt history (issue 14) */

const SAMPLE_HISTORY = [
  'A red fox asleep in fresh snow, golden hour, 35mm',
  'A lighthouse on a basalt cliff at dusk, long exposure, waves turned to mist',
  'Isometric cutaway of a tiny ramen shop at night, warm window light, rain on the street outside, neon signs reflected in puddles, people sheltering under umbrellas',
  'A red barn in a wheat field, storm clouds gathering',
];

/** Puts prompts in the story's store as if they had been generated with (newest first). */
function SeedHistory({ prompts }: { prompts: string[] }) {
  const store = useGeneratorStore();
  React.useLayoutEffect(() => {
    store.setState({ promptHistory: prompts });
  }, [store, prompts]);
  return null;
}

/**
 * The prompts Generate sent, newest first (`history`, on by default, kept in `localStorage` per
 * backend): "Prompt history" opens a popup with a search, the list and "Clear history"; choosing a
 * prompt fills the prompt. Alt+ArrowUp / Alt+ArrowDown in the prompt step through the same list.
 */
export const WithPromptHistory: Story = {
  name: 'With prompt history',
  render: (args) => (
    <>
      <SeedHistory prompts={SAMPLE_HISTORY} />
      <PromptForm {...args} />
    </>
  ),
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: 'Prompt history' });
    await userEvent.click(button);
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    const search = canvas.getByRole('searchbox', { name: 'Search prompts' });
    await waitFor(() => expect(search).toHaveFocus());
    await expect(canvas.getAllByRole('option')).toHaveLength(SAMPLE_HISTORY.length);
    await userEvent.type(search, 'red');
    await expect(canvas.getAllByRole('option')).toHaveLength(2);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    const prompt = canvas.getByRole('textbox', { name: 'Prompt' });
    await expect(prompt).toHaveValue(SAMPLE_HISTORY[3]);
    await expect(prompt).toHaveFocus();
    await expect(args.onValueChange).toHaveBeenLastCalledWith(SAMPLE_HISTORY[3]);
    await expect(canvas.queryByRole('dialog')).not.toBeInTheDocument();
  },
};

/** The history popup in the dark theme, opened from the keyboard, after stepping with Alt+ArrowUp. */
export const WithPromptHistoryDark: Story = {
  name: 'With prompt history, dark',
  parameters: { generator: { theme: 'dark' } },
  render: WithPromptHistory.render,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const prompt = canvas.getByRole('textbox', { name: 'Prompt' });
    await userEvent.click(prompt);
    await userEvent.keyboard('my draft{Alt>}{ArrowUp}{/Alt}');
    await expect(prompt).toHaveValue(SAMPLE_HISTORY[0]);
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await expect(prompt).toHaveValue('my draft');
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: 'Prompt history' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(canvas.getByRole('searchbox', { name: 'Search prompts' })).toHaveFocus());
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
  },
};
