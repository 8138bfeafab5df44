import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { AspectRatioPicker } from '../src/components/AspectRatioPicker';
import { PresetPicker } from '../src/components/PresetPicker';
import { PromptForm } from '../src/components/PromptForm';
import { ReferenceTray } from '../src/components/ReferenceTray';
import { TaskProgress } from '../src/components/TaskProgress';
import type { Labels } from '../src/labels/en';
import { ja } from '../src/labels/ja';
import { samplePng, TASK_TIMEOUT } from './decorators';

/** All five components on one provider: the form (with the preset and ratio pickers inside), the tray and the results. */
function Generator() {
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fit, minmax(20rem, 1fr))',
        gap: 'calc(var(--gen-space) * 4)',
        alignItems: 'start',
        maxWidth: '72rem',
      }}
    >
      <div style={{ display: 'grid', gap: 'calc(var(--gen-space) * 3)' }}>
        <PromptForm>
          <PresetPicker />
          <AspectRatioPicker />
        </PromptForm>
        <ReferenceTray />
      </div>
      <TaskProgress />
    </div>
  );
}

/**
 * The whole kit as a host would embed it: one `GeneratorProvider`, the four components, the
 * simulator behind MSW. Theme and strings change through `--gen-*` variables and `labels` only.
 */
const meta = {
  title: 'Kit',
  component: Generator,
  tags: ['autodocs'],
  parameters: {
    layout: 'fullscreen',
    generator: {
      style: { minHeight: '100vh', boxSizing: 'border-box', borderRadius: 0 },
      presets: [
        { name: 'Brand poster', description: 'Tall, 2K', aspectRatio: '2:3', resolution: '2K' },
        { name: 'Brand banner', description: 'Wide web banner', aspectRatio: '21:9' },
      ],
    },
  },
} satisfies Meta<typeof Generator>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Type a prompt, add a reference, pick 16:9, Generate — and watch queued → generating → done. */
export const FullGenerator: Story = {
  name: 'Full generator',
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await userEvent.type(canvas.getByRole('textbox', { name: 'Prompt' }), 'A cosy reading nook in a treehouse');
    await userEvent.upload(canvas.getByLabelText('Add reference images'), samplePng('nook.png', 48, 32, 40));
    const references = canvas.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(references).getByText('Ready')).toBeInTheDocument(), { timeout: TASK_TIMEOUT });
    // A brand preset sets the ratio; the ratio picker can still change it afterwards.
    await userEvent.click(canvas.getByRole('combobox', { name: 'Preset' }));
    await userEvent.click(await body.findByRole('option', { name: /^Brand banner/ }));
    await waitFor(() => expect(canvas.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('21:9'));
    await userEvent.click(canvas.getByRole('combobox', { name: 'Aspect ratio' }));
    await userEvent.click(await body.findByRole('option', { name: /^16:9/ }));
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await expect(await canvas.findByRole('progressbar', { name: 'Generation progress' }, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
    const image = await canvas.findByRole('img', { name: /^Generated image 1 of 1: A cosy reading nook/ }, { timeout: TASK_TIMEOUT });
    await expect(image.closest('.gen-TaskProgress-item')).toHaveAttribute('data-state', 'completed');
    // Nothing is lost after a generation: prompt and references stay for the next one.
    await expect(canvas.getByRole('textbox', { name: 'Prompt' })).toHaveValue('A cosy reading nook in a treehouse');
    await expect(within(references).getAllByRole('listitem')).toHaveLength(1);
  },
};

/** Pixelforge: a white-label brand. Only `--gen-*` values (inline, on a wrapper) and `labels` change. */
const pixelforgeLabels: Partial<Labels> = {
  promptPlaceholder: 'What should Pixelforge paint today?',
  submitting: 'Heating the forge…',
  dropHint: 'Drop sketches, mood boards or photos',
  chooseFiles: 'Browse',
  noTasks: 'Your Pixelforge pieces will land here.',
  phase: {
    idle: 'Ready',
    submitting: 'Sending to the forge…',
    queued: 'In the kiln queue',
    generating: 'Forging',
    completed: 'Forged',
    failed: 'Cracked',
    cancelled: 'Stopped',
  },
};

export const WhiteLabel: Story = {
  name: 'White label (Pixelforge)',
  parameters: {
    generator: {
      labels: pixelforgeLabels,
      style: {
        '--gen-font-family': 'Georgia, "Times New Roman", serif',
        '--gen-radius': '2px',
        '--gen-radius-sm': '2px',
        '--gen-color-bg': '#fffaf2',
        '--gen-color-fg': '#2b1d12',
        '--gen-color-surface': '#f6eadb',
        '--gen-color-surface-fg': '#2b1d12',
        '--gen-color-muted': '#efe0cc',
        '--gen-color-muted-fg': '#6b4f36',
        '--gen-color-border': '#dcc4a6',
        '--gen-color-border-strong': '#9c7a55',
        '--gen-color-accent': '#c2410c',
        '--gen-color-accent-fg': '#ffffff',
        '--gen-color-accent-soft': '#fde3d3',
      },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const prompt = canvas.getByRole('textbox', { name: 'Prompt' });
    await expect(prompt).toHaveAttribute('placeholder', 'What should Pixelforge paint today?');
    await expect(canvas.getByText('Your Pixelforge pieces will land here.')).toBeInTheDocument();
    const surface = canvasElement.querySelector<HTMLElement>('.gen-story-surface');
    await expect(surface?.style.getPropertyValue('--gen-color-accent')).toBe('#c2410c');
    await userEvent.type(prompt, 'A copper teapot, product shot');
    await userEvent.click(canvas.getByRole('button', { name: 'Generate' }));
    await expect(await canvas.findByText('Forged', {}, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
  },
};

/** The shipped Japanese pack (`ja` from the labels module): the accessible names follow the language. */
export const Japanese: Story = {
  name: 'Japanese labels',
  parameters: { generator: { labels: ja } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('textbox', { name: 'プロンプト' }), '桜並木の小道、水彩画');
    await expect(canvas.getByRole('combobox', { name: 'アスペクト比' })).toBeInTheDocument();
    await expect(canvas.getByRole('list', { name: '参照画像' })).toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: '生成' }));
    await expect(await canvas.findByRole('img', { name: /桜並木の小道、水彩画$/ }, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
    await expect(canvas.getByText('完了')).toBeInTheDocument();
  },
};

/** `data-gen-theme="dark"` on an ancestor switches every `--gen-*` colour. */
export const Dark: Story = {
  parameters: {
    generator: { theme: 'dark', prompt: 'Bioluminescent jellyfish in a dark ocean', initial: { aspectRatio: '9:16' } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvasElement.querySelector('[data-gen-theme]')).toHaveAttribute('data-gen-theme', 'dark');
    await expect(
      await canvas.findByRole('img', { name: /^Generated image 1 of 1: Bioluminescent jellyfish/ }, { timeout: TASK_TIMEOUT }),
    ).toBeInTheDocument();
    await expect(canvas.getByRole('textbox', { name: 'Prompt' })).toHaveValue('Bioluminescent jellyfish in a dark ocean');
  },
};
