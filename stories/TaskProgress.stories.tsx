import * as React from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { http, HttpResponse } from 'msw';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import type { ToapisErrorKind } from '../src/core/errors';
import { TaskProgress } from '../src/components/TaskProgress';
import { TASK_TIMEOUT } from './decorators';
import { useGeneratorStore } from '../src/hooks/useGenerator';

/**
 * Every generation of the provider's store: phase text, progress bar, errors, Cancel / Retry and
 * the result gallery. Each story submits a prompt on mount (`parameters.generator.prompt`) and the
 * simulator drives the task; `[sim:<fault>]` in a prompt injects a failure.
 */
const meta = {
  title: 'TaskProgress',
  component: TaskProgress,
  tags: ['autodocs'],
  args: {
    onUseAsReference: fn(),
  },
  argTypes: {
    limit: { control: { type: 'number', min: 1 } },
  },
} satisfies Meta<typeof TaskProgress>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No generation yet. */
export const Idle: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('Your images will appear here.')).toBeInTheDocument();
    await expect(canvas.queryByRole('progressbar')).not.toBeInTheDocument();
  },
};

/** Waiting in the upstream queue: indeterminate bar ("Waiting in queue") and Cancel. */
export const Queued: Story = {
  parameters: {
    generator: { prompt: 'A lighthouse on a cliff at dusk, oil painting', simulator: { queuedMs: 600_000 } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const bar = await canvas.findByRole('progressbar', { name: 'Generation progress' });
    await waitFor(() => expect(bar).toHaveAttribute('data-state', 'queued'), { timeout: TASK_TIMEOUT });
    await expect(bar).not.toHaveAttribute('aria-valuenow');
    await expect(bar).toHaveAttribute('aria-valuetext', 'Waiting in queue');
    await expect(canvas.getByText('Queued')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  },
};

/** Generating with known progress (a long task): `aria-valuenow` and the bar's width follow it. */
export const Generating: Story = {
  parameters: {
    generator: { prompt: 'Isometric city block made of paper', simulator: { queuedMs: 0, generatingMs: 120_000 } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const bar = await canvas.findByRole('progressbar', { name: 'Generation progress' });
    await waitFor(() => expect(bar).toHaveAttribute('data-state', 'generating'), { timeout: TASK_TIMEOUT });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow'), { timeout: TASK_TIMEOUT });
    await expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(1);
    await expect(canvas.getByText('Generating')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  },
};

/**
 * Generating with an ETA: the store has learned how long this model and resolution take (seeded
 * here through its `keep` storage: three earlier tasks of 45–55 s), so the row says about how long is
 * left, counts it down, and the progress bar's `aria-valuetext` carries it.
 */
export const GeneratingWithEta: Story = {
  parameters: {
    generator: {
      prompt: 'A paper boat on a rainy street at night',
      simulator: { queuedMs: 0, generatingMs: 120_000 },
      kept: { durations: { v: 1, durations: { 'gemini-3.1-flash-image-preview|1K': [45_000, 50_000, 55_000] } } },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const bar = await canvas.findByRole('progressbar', { name: 'Generation progress' });
    await waitFor(() => expect(bar).toHaveAttribute('data-state', 'generating'), { timeout: TASK_TIMEOUT });
    const eta = await canvas.findByText(/^About \d+ s left$/, {}, { timeout: TASK_TIMEOUT });
    const first = Number(/\d+/.exec(eta.textContent ?? '')?.[0]);
    await expect(first).toBeLessThanOrEqual(50);
    await expect(bar.getAttribute('aria-valuetext')).toMatch(/About \d+ s left$/);
    // It counts down about once a second.
    await waitFor(() => expect(Number(/\d+/.exec(eta.textContent ?? '')?.[0])).toBeLessThan(first), { timeout: 3000 });
  },
};

/** Done: one image, with alt text from the prompt, and Open / Download / Use as reference. */
export const Completed: Story = {
  parameters: { generator: { prompt: 'A red fox asleep in fresh snow' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const image = await canvas.findByRole('img', { name: 'Generated image 1 of 1: A red fox asleep in fresh snow' }, { timeout: TASK_TIMEOUT });
    await expect(image).toHaveAttribute('src', expect.stringMatching(/^(https?|blob):/));
    await expect(canvas.getByText('Done')).toBeInTheDocument();
    await expect(image.closest('.gen-TaskProgress-item')).toHaveAttribute('data-state', 'completed');
    await expect(canvas.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  },
};

/** Four images at 16:9 from one request (`n = 4`). */
export const CompletedFourImages: Story = {
  parameters: { generator: { prompt: 'Four moods of the same mountain lake', initial: { n: 4, aspectRatio: '16:9' } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole('img', { name: /^Generated image \d of 4:/ })).toHaveLength(4), {
      timeout: TASK_TIMEOUT,
    });
    await expect(canvas.getByRole('img', { name: /^Generated image 4 of 4: Four moods/ })).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Download image 4' })).toBeInTheDocument();
  },
};

/**
 * Several images per task (`n = 4`) still generating: one placeholder per image, the size of the
 * image to come, each replaced by its image as it arrives.
 */
export const SeveralImages: Story = {
  name: 'Several images',
  parameters: {
    generator: { prompt: 'Four moods of the same mountain lake', initial: { n: 4, aspectRatio: '16:9' }, simulator: { queuedMs: 0, generatingMs: 120_000 } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Image 1 of 4, generating', undefined, { timeout: TASK_TIMEOUT });
    for (const n of [2, 3, 4]) await expect(canvas.getByText(`Image ${n} of 4, generating`)).toBeInTheDocument();
    await expect(canvasElement.querySelectorAll('.gen-TaskProgress-placeholder')).toHaveLength(4);
    await expect(canvas.queryByRole('button', { name: 'Download all' })).not.toBeInTheDocument();
  },
};

/**
 * Compare: tick two results ("Select image N", Space), press Compare; the "Compare images" dialog
 * shows one image over the other with the slider "Comparison position", or side by side.
 */
export const Compare: Story = {
  parameters: { generator: { prompt: 'A lighthouse at dusk, two takes', initial: { n: 2 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // The images arrive one by one; Download all appears once both are there.
    await canvas.findByRole('button', { name: 'Download all' }, { timeout: TASK_TIMEOUT });
    canvas.getByRole('checkbox', { name: 'Select image 1' }).focus();
    await userEvent.keyboard(' ');
    canvas.getByRole('checkbox', { name: 'Select image 2' }).focus();
    await userEvent.keyboard(' ');
    const bar = await canvas.findByRole('group', { name: '2 selected' });
    const compare = within(bar).getByRole('button', { name: 'Compare' });
    await userEvent.click(compare);
    const dialog = await canvas.findByRole('dialog', { name: 'Compare images' });
    const slider = within(dialog).getByRole('slider', { name: 'Comparison position' });
    await waitFor(() => expect(slider).toHaveFocus());
    await userEvent.keyboard('{ArrowRight}');
    await expect(slider).toHaveValue('51');
    const sideBySide = within(dialog).getByRole('switch', { name: 'Side by side' });
    await userEvent.click(sideBySide);
    await expect(sideBySide).toHaveAttribute('aria-checked', 'true');
    await userEvent.click(sideBySide);
    await expect(within(dialog).getByRole('img', { name: 'Image 1 of task: A lighthouse at dusk, two takes' })).toBeInTheDocument();
  },
};

/** Cancel while queued: the task stops and can be retried. */
export const Cancelled: Story = {
  parameters: { generator: { prompt: 'A very slow watercolour', simulator: { queuedMs: 600_000 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel' }, { timeout: TASK_TIMEOUT }));
    await expect(await canvas.findByText('Cancelled')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    await expect(canvas.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  },
};

/**
 * Rate limited (429 with a long `Retry-After`): the kit waits as told and shows a countdown instead
 * of an error; the request goes out again when the time is up.
 */
export const RateLimitedRetrying: Story = {
  parameters: {
    generator: { prompt: 'Neon koi pond [sim:rate_limit]', simulator: { retryAfterSeconds: 60, rateLimitCount: 100 } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(/Rate limited by the server — waiting \d+ s/, {}, { timeout: TASK_TIMEOUT })).toBeInTheDocument();
    await expect(canvas.queryByRole('alert')).not.toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  },
};

/**
 * A failure that Retry fixes: the first submit is refused for lack of credit (402); after a top-up
 * Retry sends the same settings again and the task completes. The prompt is never lost.
 */
export const RetryAfterFailure: Story = {
  parameters: {
    generator: { prompt: 'A tiny robot watering a bonsai' },
    msw: {
      handlers: [
        http.post(
          '*/v1/images/generations',
          () =>
            HttpResponse.json(
              { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'Insufficient balance; top up your account and try again.' } },
              { status: 402 },
            ),
          { once: true },
        ),
      ],
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const alert = await canvas.findByRole('alert', {}, { timeout: TASK_TIMEOUT });
    await expect(alert).toHaveAttribute('data-kind', 'quota');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await expect(
      await canvas.findByRole('img', { name: /^Generated image 1 of 1: A tiny robot/ }, { timeout: TASK_TIMEOUT }),
    ).toBeInTheDocument();
    await expect(canvas.queryByRole('alert')).not.toBeInTheDocument();
  },
};

/* -------------------------------------------------------------------------------------------------
 * One story per error kind
 * -----------------------------------------------------------------------------------------------*/

/** A story whose task ends in `role="alert"` with the given kind's sentence, and a Retry button. */
function errorStory(kind: ToapisErrorKind, sentence: RegExp, parameters: Story['parameters']): Story {
  return {
    parameters,
    play: async ({ canvasElement }) => {
      const canvas = within(canvasElement);
      const alert = await canvas.findByRole('alert', {}, { timeout: TASK_TIMEOUT });
      await expect(alert).toHaveAttribute('data-kind', kind);
      await expect(alert).toHaveTextContent(sentence);
      await expect(canvas.getByText('Failed')).toBeInTheDocument();
      await expect(canvas.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    },
  };
}

/** 401 from the backend: the key configured on the server is wrong. */
export const AuthenticationError = errorStory('authentication', /rejected the credentials/, {
  generator: { prompt: 'A castle [sim:auth]' },
});

/** 400: the request was refused (the server's own words follow the kit's sentence). */
export const BadRequestError = errorStory('invalid_request', /not accepted/, {
  generator: { prompt: 'A castle [sim:bad_request]' },
});

/** 402: out of credit. */
export const QuotaError = errorStory('quota', /run out of credit/, {
  generator: { prompt: 'A castle [sim:quota]' },
});

/** Refused by the content policy. */
export const ContentPolicyError = errorStory('content_policy', /content policy/, {
  generator: { prompt: 'A castle [sim:content_policy]' },
});

/** Accepted, ran, then failed upstream. */
export const TaskFailedError = errorStory('task_failed', /could not be generated/, {
  generator: { prompt: 'A castle [sim:task_failed]' },
});

/** The task id is unknown to the backend (404 on the status read). */
export const NotFoundError = errorStory('not_found', /could not be found/, {
  generator: { prompt: 'A castle [sim:not_found]' },
});

/** The backend is unreachable: every submit fails at the network level. */
export const NetworkError = errorStory('network', /Could not reach/, {
  generator: { prompt: 'A castle' },
  msw: { handlers: [http.all('*/v1/images/generations*', () => HttpResponse.error())] },
});

/** The task outlived the store's deadline (here 1.5 s against a 2-minute task). */
export const TimeoutError = errorStory('timeout', /taking too long/, {
  generator: { prompt: 'A castle, very detailed', deadlineMs: 1_500, simulator: { queuedMs: 0, generatingMs: 120_000 } },
});

/* -------------------------------------------------------------------------------------------------
 * Many jobs (issue 14)
 * -----------------------------------------------------------------------------------------------*/

/** Sends `prompts` one after the other once the story's store is connected (its effect runs after ours). */
function SubmitOnMount({ prompts }: { prompts: readonly string[] }) {
  const store = useGeneratorStore();
  const started = React.useRef(false);
  React.useEffect(() => {
    if (started.current) return;
    started.current = true;
    setTimeout(() => {
      void (async () => {
        for (const prompt of prompts) {
          store.getState().setPrompt(prompt);
          await store.getState().submit();
        }
      })();
    }, 0);
  }, [store, prompts]);
  return null;
}

const MANY_PROMPTS = [
  'A paper boat on a puddle',
  'A kite over dunes [sim:task_failed]',
  'A slow, detailed city map [sim:slow]',
  'A slow harbour at dawn [sim:slow]',
] as const;

/**
 * Several tasks at once: one done, one failed, two still running. Above the list, the "Tasks" group
 * offers "Cancel all" (two or more running) and "Clear finished"; clearing says how many went and offers "Undo" for 10 s,
 * which puts them back in their places. Every row has "Reuse settings"; the completed one also "More
 * like this".
 */
export const ManyJobs: Story = {
  parameters: { generator: { simulator: { slowFactor: 1000 } } },
  render: (args) => (
    <>
      <SubmitOnMount prompts={MANY_PROMPTS} />
      <TaskProgress {...args} />
    </>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const rows = () => canvasElement.querySelectorAll('.gen-TaskProgress-item');
    const group = await canvas.findByRole('group', { name: 'Tasks' }, { timeout: TASK_TIMEOUT });
    await waitFor(() => expect(rows()).toHaveLength(4), { timeout: TASK_TIMEOUT });
    await waitFor(() => expect(canvas.getByText('Done')).toBeInTheDocument(), { timeout: TASK_TIMEOUT });
    await waitFor(() => expect(canvas.getByText('Failed')).toBeInTheDocument(), { timeout: TASK_TIMEOUT });
    await expect(within(group).getByRole('button', { name: 'Cancel all' })).toBeInTheDocument();
    await expect(canvas.getAllByRole('button', { name: 'Reuse settings' })).toHaveLength(4);
    await expect(canvas.getAllByRole('button', { name: 'More like this' })).toHaveLength(1);

    await userEvent.click(within(group).getByRole('button', { name: 'Clear finished' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    await expect(within(group).getByRole('status')).toHaveTextContent('2 finished tasks cleared');
    const undo = within(group).getByRole('button', { name: 'Undo' });
    await waitFor(() => expect(undo).toHaveFocus());

    await userEvent.click(undo);
    await waitFor(() => expect(rows()).toHaveLength(4));
    await expect(within(group).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    await waitFor(() => expect(within(group).getByRole('button', { name: 'Clear finished' })).toHaveFocus());
  },
};
