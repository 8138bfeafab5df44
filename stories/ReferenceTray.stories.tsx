import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, http } from 'msw';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { ReferenceTray } from '../src/components/ReferenceTray';
import { samplePng, TASK_TIMEOUT } from './decorators';

/**
 * Reference images: pick, drop or paste them; each is checked (real image bytes, size, count,
 * duplicates) and uploaded at once, with its own progress, error and Retry. Items are in a list
 * named "Reference images", in the order they are sent.
 */
const meta = {
  title: 'ReferenceTray',
  component: ReferenceTray,
  tags: ['autodocs'],
  args: {
    max: 14,
    disabled: false,
    onReferencesChange: fn(),
  },
  argTypes: {
    max: { control: { type: 'number', min: 0, max: 14 } },
  },
} satisfies Meta<typeof ReferenceTray>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A slow upload endpoint: requests never finish, so references stay mid-upload. */
const slowUploads = http.post('*/v1/uploads/images', async () => {
  await delay('infinite');
});

/** Nothing added yet: the drop zone with its file input, the count and an empty list. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = canvas.getByLabelText('Add reference images');
    await expect(input).toHaveAttribute('type', 'file');
    await expect(input).toHaveAttribute('multiple');
    await expect(canvas.getByRole('list', { name: 'Reference images' })).toBeEmptyDOMElement();
    await expect(canvas.getByText('0 / 14')).toBeInTheDocument();
  },
};

/** Picking two images: both appear, upload and become ready. */
export const AddImages: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.upload(canvas.getByLabelText('Add reference images'), [samplePng('front.png', 48, 32, 1), samplePng('side.png', 32, 48, 2)]);
    const list = canvas.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    await waitFor(() => expect(within(list).getAllByText('Ready')).toHaveLength(2), { timeout: TASK_TIMEOUT });
    await expect(canvas.getByText('2 / 14')).toBeInTheDocument();
    await expect(args.onReferencesChange).toHaveBeenCalled();
  },
};

/** References mid-upload (the upload endpoint is slow): indeterminate progress per item. */
export const Uploading: Story = {
  parameters: {
    generator: { references: () => [samplePng('moodboard.png', 48, 32, 3), samplePng('palette.png', 40, 40, 4)] },
    msw: { handlers: [slowUploads] },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('progressbar', { name: 'Uploading moodboard.png' })).toBeInTheDocument();
    // Each file is checked (magic bytes, hash) before it uploads: wait for the second one too.
    await expect(await canvas.findByRole('progressbar', { name: 'Uploading palette.png' })).toBeInTheDocument();
    await expect(canvas.getAllByText('Uploading…')).toHaveLength(2);
    const items = within(canvas.getByRole('list', { name: 'Reference images' })).getAllByRole('listitem');
    for (const item of items) await expect(item).toHaveAttribute('data-state', 'uploading');
  },
};

/** Three uploaded references, ready to be sent. */
export const Ready: Story = {
  parameters: {
    generator: {
      references: () => [samplePng('a.png', 48, 32, 5), samplePng('b.png', 32, 48, 6), samplePng('c.png', 40, 40, 7)],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const list = canvas.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByText('Ready')).toHaveLength(3), { timeout: TASK_TIMEOUT });
    await expect(canvas.getByText('3 / 14')).toBeInTheDocument();
    await expect(within(list).getAllByRole('button', { name: /^Remove / })).toHaveLength(3);
  },
};

/** Remove takes a reference out of the tray (and out of the next request). */
export const Remove: Story = {
  parameters: {
    generator: { references: () => [samplePng('keep.png', 48, 32, 8), samplePng('drop.png', 32, 48, 9)] },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove drop.png' }));
    const list = canvas.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    await expect(within(list).getByText('keep.png')).toBeInTheDocument();
    await expect(canvas.getByText('1 / 14')).toBeInTheDocument();
  },
};

/** The backend refused the upload: the item shows the error and a Retry for that file only. */
export const UploadFailed: Story = {
  parameters: {
    generator: { references: () => [samplePng('scan.png', 48, 32, 10)], simulator: { faults: ['upload_rejected'] } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('button', { name: 'Retry upload of scan.png' }, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
    await expect(canvas.getByText('Upload failed')).toBeInTheDocument();
    await expect(canvas.getByRole('listitem')).toHaveAttribute('data-state', 'error');
  },
};

/** Files the tray refuses — a PDF renamed to `.png`, an empty file, a duplicate — are explained, not added. */
export const RefusedFiles: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const pdf = new File([new TextEncoder().encode('%PDF-1.7\n%%EOF')], 'invoice.png', { type: 'image/png' });
    const empty = new File([], 'empty.png', { type: 'image/png' });
    await userEvent.upload(canvas.getByLabelText('Add reference images'), [samplePng('photo.png', 48, 32, 11), pdf, empty]);
    await userEvent.upload(canvas.getByLabelText('Add reference images'), [samplePng('photo-copy.png', 48, 32, 11)]);
    const notices = canvas.getAllByRole('alert').find((el) => el.classList.contains('gen-ReferenceTray-notices'));
    await waitFor(() => expect(notices?.querySelectorAll('[data-code]')).toHaveLength(3), { timeout: TASK_TIMEOUT });
    await expect(notices).toHaveTextContent('invoice.png');
    await expect(notices).toHaveTextContent('empty.png');
    const list = canvas.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
  },
};

/** `max={3}`: the fourth file is refused with a notice and the tray reads full. */
export const Full: Story = {
  args: { max: 3 },
  parameters: {
    generator: {
      references: () => [1, 2, 3, 4].map((i) => samplePng(`frame-${i}.png`, 32 + i, 32, 20 + i)),
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('3 / 3')).toHaveAttribute('data-state', 'full');
    await expect(within(canvas.getByRole('list', { name: 'Reference images' })).getAllByRole('listitem')).toHaveLength(3);
    await expect(await canvas.findByText(/frame-4\.png/)).toBeInTheDocument();
  },
};

/** Disabled: no picking, dropping, removing or reordering. */
export const Disabled: Story = {
  args: { disabled: true },
  parameters: { generator: { references: () => [samplePng('locked.png', 48, 32, 30)] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByLabelText('Add reference images')).toBeDisabled();
    await expect(await canvas.findByRole('button', { name: 'Remove locked.png' })).toBeDisabled();
  },
};
