import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';
import type { GeneratorStore } from '../../src/store';
import type { GenerationTask } from '../../src/store/types';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600, rateLimitCount: 1 });

const DONE = { timeout: 5000 };

/** Sets the prompt and presses Generate through the store; resolves when the submit answered. */
async function submit(store: GeneratorStore, prompt: string) {
  await act(async () => {
    store.getState().setPrompt(prompt);
    await store.getState().submit();
  });
}

/** Starts a submit without waiting for it (for submits that ride out a 429). */
function startSubmit(store: GeneratorStore, prompt: string) {
  act(() => {
    store.getState().setPrompt(prompt);
    void store.getState().submit();
  });
}

function rows() {
  return within(screen.getByRole('list', { name: 'Generations' })).getAllByRole('listitem').filter((li) => li.classList.contains('gen-TaskProgress-item'));
}

function onlyRow() {
  const all = rows();
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('TaskProgress', () => {
  it('shows a muted empty state while idle', async () => {
    const { container } = renderKit(<TaskProgress />);
    expect(screen.getByText('Your images will appear here.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Generations' })).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    const root = container.querySelector('.gen-TaskProgress')!;
    expect(root).toHaveAttribute('data-state', 'idle');
    await expectNoSeriousA11yViolations(container);
  });

  it('renders a custom empty state', () => {
    renderKit(<TaskProgress renderEmpty={() => <p>Nothing yet</p>} />);
    expect(screen.getByText('Nothing yet')).toBeInTheDocument();
  });

  it('runs a task from queued through generating to done, with a rising progress bar and a gallery', async () => {
    const onUse = vi.fn();
    const { store, container } = renderKit(<TaskProgress onUseAsReference={onUse} />);
    await submit(store, 'a red fox in snow');

    const row = onlyRow();
    expect(within(row).getByText('a red fox in snow')).toBeInTheDocument();
    expect(within(row).getByText(/1:1/)).toBeInTheDocument(); // meta: ratio (· resolution)
    await waitFor(() => expect(within(row).getByText(/^(Queued|Generating)$/)).toBeInTheDocument());
    const bar = within(row).getByRole('progressbar', { name: 'Generation progress' });
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    await expectNoSeriousA11yViolations(container);

    // While queued the progress is unknown: no aria-valuenow, an indeterminate flag, a value text.
    if (row.getAttribute('data-state') === 'queued') {
      expect(bar).not.toHaveAttribute('aria-valuenow');
      expect(bar).toHaveAttribute('data-indeterminate');
      expect(bar).toHaveAttribute('aria-valuetext', 'Waiting in queue');
    }

    let first = 0;
    await waitFor(() => {
      expect(row).toHaveAttribute('data-state', 'generating');
      first = Number(bar.getAttribute('aria-valuenow'));
      expect(first).toBeGreaterThan(0);
    }, DONE);
    expect(bar).not.toHaveAttribute('data-indeterminate');
    expect(bar).toHaveAttribute('aria-valuetext', `${first}%`);
    expect(bar.style.getPropertyValue('--gen-progress')).toBe(`${first}%`);
    await waitFor(() => {
      if (row.getAttribute('data-state') === 'generating') {
        expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(first);
      } else {
        expect(row).toHaveAttribute('data-state', 'completed');
      }
    }, DONE);

    await waitFor(() => expect(within(row).getByText('Done')).toBeInTheDocument(), DONE);
    expect(row).toHaveAttribute('data-state', 'completed');
    expect(container.querySelector('.gen-TaskProgress')).toHaveAttribute('data-state', 'completed');
    expect(within(row).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();

    const img = within(row).getByRole('img');
    expect(img.getAttribute('alt')).toContain('a red fox in snow');
    expect(img).toHaveAttribute('loading', 'eager'); // the newest results show at once (benchmark: lazy cost 19–52 ms)
    expect(img).toHaveAttribute('fetchpriority', 'high');
    expect(img).toHaveAttribute('decoding', 'async');
    const src = img.getAttribute('src')!;
    expect(src).toMatch(/^https?:\/\//);

    const open = within(row).getByRole('link', { name: 'Open' });
    expect(open).toHaveAttribute('href', src);
    expect(open).toHaveAttribute('target', '_blank');
    expect(open).toHaveAttribute('rel', 'noopener noreferrer');
    // Download is a button (a cross-origin <a download> would only open the image); see TaskProgress.download.test.tsx.
    expect(within(row).getByRole('button', { name: 'Download' })).not.toHaveAttribute('aria-busy');
    expect(within(row).queryByRole('link', { name: 'Download' })).not.toBeInTheDocument();
    // The results say when they expire (24 h after completion).
    expect(within(row).getByText(/^Result expires in 2[34] h$/)).toBeInTheDocument();

    // The one polite live region said the image is ready.
    const announcer = container.querySelector('.gen-TaskProgress-announcer')!;
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    expect(announcer).toHaveTextContent('Your image is ready.');
    expect(container.querySelectorAll('[aria-live="polite"]:not([role="status"].gen-TaskProgress-retrying)')).toHaveLength(1);

    await expectNoSeriousA11yViolations(container);

    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: 'Use as reference' }));
    const refs = store.getState().references;
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ url: src, state: 'ready', name: 'Result 1' });
    expect(onUse).toHaveBeenCalledWith(src);
    const used = within(row).getByRole('button', { name: 'Added to references' });
    expect(used).toHaveAttribute('aria-disabled', 'true');
    await user.click(used);
    expect(store.getState().references).toHaveLength(1);
    expect(onUse).toHaveBeenCalledTimes(1);

    // Dismiss removes the finished row.
    await user.click(within(row).getByRole('button', { name: 'Dismiss generation' }));
    expect(store.getState().tasks).toHaveLength(0);
    expect(screen.getByText('Your images will appear here.')).toBeInTheDocument();
  });

  it('names each image action with its index when there are several images', async () => {
    const { store } = renderKit(<TaskProgress />, { store: { model: 'gpt-image-2' } });
    act(() => store.getState().setN(2));
    expect(store.getState().n).toBe(2);
    await submit(store, 'two cats');
    const row = onlyRow();
    await waitFor(() => expect(within(row).getAllByRole('img')).toHaveLength(2), DONE);
    const imgs = within(row).getAllByRole('img');
    expect(imgs[1]!.getAttribute('alt')).toBe('Generated image 2 of 2: two cats');
    expect(within(row).getByRole('button', { name: 'Download image 2' })).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'Open image 1' })).toHaveAttribute('target', '_blank');
    expect(within(row).getByRole('button', { name: 'Use as reference: image 2' })).toBeInTheDocument();
  });

  it('only the newest task\'s results load eagerly and first; an older task\'s wait until scrolled to', async () => {
    const { store } = renderKit(<TaskProgress />);
    await submit(store, 'the older one');
    await waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('completed'), DONE);
    await submit(store, 'the newer one');
    await waitFor(() => expect(store.getState().tasks[1]?.phase).toBe('completed'), DONE);
    const older = screen.getByRole('img', { name: /the older one/ });
    const newer = screen.getByRole('img', { name: /the newer one/ });
    expect(newer).toHaveAttribute('loading', 'eager');
    expect(newer).toHaveAttribute('fetchpriority', 'high');
    expect(older).toHaveAttribute('loading', 'lazy');
    expect(older).toHaveAttribute('fetchpriority', 'auto');
  });

  it('cancels a running task, then offers Retry', async () => {
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, 'a slow lighthouse');
    const row = onlyRow();
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(within(row).getByText('Cancelled')).toBeInTheDocument();
    expect(row).toHaveAttribute('data-state', 'cancelled');
    expect(store.getState().tasks[0]!.phase).toBe('cancelled');
    expect(within(row).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    const retry = within(row).getByRole('button', { name: 'Retry' });
    await expectNoSeriousA11yViolations(container);

    await user.click(retry);
    await waitFor(() => expect(sim.simulator.stats.submits).toBe(2));
    await waitFor(() => expect(within(row).getByText('Done')).toBeInTheDocument(), DONE);
  });

  it.each([
    ['auth', 'authentication', 'rejected the credentials'],
    ['content_policy', 'content_policy', 'Change the prompt'],
    ['quota', 'quota', 'run out of credit'],
    ['bad_request', 'invalid_request', 'The request was not accepted'],
  ])('shows the %s error in an alert with the server message as text', async (fault, kind, sentence) => {
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, `[sim:${fault}] a castle`);
    const row = onlyRow();
    const alert = await within(row).findByRole('alert');
    expect(alert).toHaveTextContent(sentence);
    expect(alert).toHaveAttribute('data-kind', kind);
    expect(alert).toHaveTextContent(/Server said: .+/);
    expect(alert).not.toHaveTextContent(/may have been charged/); // refused at submit: no task, no charge
    expect(row).toHaveAttribute('data-state', 'failed');
    expect(within(row).getByText('Failed')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(within(row).queryByRole('progressbar')).not.toBeInTheDocument();
    // The prompt is never lost on an error.
    expect(store.getState().prompt).toBe(`[sim:${fault}] a castle`);
    await expectNoSeriousA11yViolations(container);
  });

  it('a failed task shows its task id and "Copy details" copies id, model, time and error (never a key)', async () => {
    const user = userEvent.setup(); // first: user-event installs a clipboard stub of its own
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, '[sim:task_failed] a quoted failure');
    const row = onlyRow();
    const alert = await within(row).findByRole('alert', {}, DONE);
    const remoteId = store.getState().tasks[0]!.taskId!;
    expect(alert).toHaveTextContent(`Task ${remoteId}`);
    await user.click(within(alert).getByRole('button', { name: 'Copy details' }));
    await waitFor(() => expect(within(alert).getByRole('status')).toHaveTextContent('Details copied'));
    const text = writeText.mock.calls[0]![0];
    expect(text).toContain(`Task: ${remoteId}`);
    expect(text).toContain('Model: gemini-3.1-flash-image-preview');
    expect(text).toMatch(/Time: \d{4}-\d{2}-\d{2}T/);
    expect(text).toMatch(/Error: \S+: upstream provider rejected the request/);
    expect(text.toLowerCase()).not.toMatch(/sk-|bearer|authorization/);
    await expectNoSeriousA11yViolations(container);
  });

  it('"Copy details" says so when the browser refuses the clipboard', async () => {
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new Error('denied')) } });
    const { store } = renderKit(<TaskProgress />);
    await submit(store, '[sim:task_failed] no clipboard');
    const alert = await within(onlyRow()).findByRole('alert', {}, DONE);
    await user.click(within(alert).getByRole('button', { name: 'Copy details' }));
    await waitFor(() => expect(within(alert).getByRole('status')).toHaveTextContent('Could not copy'));
  });

  it('shows a failed task with the server message, and Retry submits again', async () => {
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, '[sim:task_failed] a bridge');
    const row = onlyRow();
    const alert = await within(row).findByRole('alert', {}, DONE);
    expect(alert).toHaveTextContent('The image could not be generated.');
    expect(alert).toHaveTextContent('Server said: upstream provider rejected the request (status 422)');
    // The service created (and charged) the task: say what to send support.
    expect(alert).toHaveTextContent('it may have been charged. If you contact support, send the task id');
    await expectNoSeriousA11yViolations(container);
    expect(sim.simulator.stats.submits).toBe(1);

    await userEvent.setup().click(within(row).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(sim.simulator.stats.submits).toBe(2));
    await waitFor(() => expect(within(row).queryByRole('alert')).not.toBeInTheDocument());
    // The same fault token fails it again, in the same row.
    await within(row).findByRole('alert', {}, DONE);
    expect(rows()).toHaveLength(1);
  });

  it('says it is rate limited and for how long, then completes', async () => {
    const { store } = renderKit(<TaskProgress />);
    startSubmit(store, '[sim:rate_limit] a harbour');
    const row = onlyRow();
    const countdown = await within(row).findByText(/Rate limited by the server — waiting \d+ s/);
    expect(countdown.closest('[role="status"]')).not.toBeNull();
    expect(within(row).getByText('Sending request…')).toBeInTheDocument();
    await waitFor(() => expect(within(row).getByText('Done')).toBeInTheDocument(), DONE);
    expect(within(row).queryByText(/Rate limited/)).not.toBeInTheDocument();
  });

  it.each(['drop_poll', 'server_error'])('rides out a %s and ends Done', async (fault) => {
    const { store } = renderKit(<TaskProgress />);
    await submit(store, `[sim:${fault}] a meadow`);
    const row = onlyRow();
    await waitFor(() => expect(within(row).getByText('Done')).toBeInTheDocument(), DONE);
    expect(within(row).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(row).getByRole('img')).toBeInTheDocument();
  });

  it('shows two running tasks as two rows, newest first, each with its own progress bar', async () => {
    const { store } = renderKit(<TaskProgress />);
    await submit(store, 'first task [sim:slow]'); // slow, so it is surely still running when checked
    await submit(store, 'second task');
    const [newest, oldest] = rows();
    expect(within(newest!).getByText('second task')).toBeInTheDocument();
    expect(within(oldest!).getByText(/^first task/)).toBeInTheDocument();
    expect(within(newest!).getByRole('progressbar')).toBeInTheDocument();
    expect(within(oldest!).getByRole('progressbar')).toBeInTheDocument();
    expect(within(newest!).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    expect(within(oldest!).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();

    // Cancelling one leaves the other running.
    await userEvent.setup().click(within(oldest!).getByRole('button', { name: 'Cancel' }));
    expect(oldest).toHaveAttribute('data-state', 'cancelled');
    await waitFor(() => expect(within(newest!).getByText('Done')).toBeInTheDocument(), DONE);
    expect(oldest).toHaveAttribute('data-state', 'cancelled');
  });

  it('respects limit', async () => {
    const { store } = renderKit(<TaskProgress limit={1} />);
    await submit(store, 'first task');
    await submit(store, 'second task');
    expect(rows()).toHaveLength(1);
    expect(screen.getByText('second task')).toBeInTheDocument();
    expect(screen.queryByText('first task')).not.toBeInTheDocument();
  });

  it('renders a hostile server message as text, never as markup', async () => {
    const hostile = '<b>bold</b><img src=x onerror=alert(1)>';
    sim.server.use(
      http.get('*/v1/images/generations/:id', ({ params }) =>
        HttpResponse.json({ id: params.id, status: 'failed', error: { code: 'generation_failed', message: hostile } }),
      ),
    );
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, 'a tower');
    const alert = await within(onlyRow()).findByRole('alert', {}, DONE);
    expect(alert.textContent).toContain(`Server said: ${hostile}`);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });

  it('never renders a javascript: result URL', async () => {
    sim.server.use(
      http.get('*/v1/images/generations/:id', ({ params }) =>
        HttpResponse.json({
          id: params.id,
          status: 'completed',
          progress: 100,
          revised_prompt: 'A <i>tall</i> tower at dusk',
          result: { data: [{ url: 'javascript:alert(1)' }, { url: 'https://cdn.example.com/ok.png' }] },
        }),
      ),
    );
    const { store, container } = renderKit(<TaskProgress />);
    await submit(store, 'a tower');
    const row = onlyRow();
    await waitFor(() => expect(within(row).getByText('Done')).toBeInTheDocument(), DONE);
    const imgs = within(row).getAllByRole('img');
    expect(imgs).toHaveLength(1);
    expect(imgs[0]).toHaveAttribute('src', 'https://cdn.example.com/ok.png');
    expect(container.innerHTML).not.toContain('javascript:');
    // The revised prompt is shown as text.
    expect(within(row).getByText('Revised prompt')).toBeInTheDocument();
    expect(within(row).getByText('A <i>tall</i> tower at dusk')).toBeInTheDocument();
    expect(container.querySelector('i')).toBeNull();
  });

  it('filters unsafe URLs even when they reach the store directly', () => {
    const { store, container } = renderKit(<TaskProgress />);
    const t = Date.now();
    const task: GenerationTask = {
      id: 'tx',
      taskId: 'task_x',
      clientBusinessId: 'b',
      phase: 'completed',
      progress: 100,
      status: 'completed',
      request: { model: 'm', prompt: 'p' },
      prompt: 'p',
      model: 'm',
      aspectRatio: '16:9',
      resolution: undefined,
      n: 2,
      images: [{ url: 'javascript:alert(1)' }, { url: 'data:image/png;base64,AAAA' }],
      revisedPrompt: undefined,
      error: undefined,
      retry: undefined,
      createdAt: t,
      updatedAt: t,
      completedAt: t,
    };
    act(() => store.setState({ tasks: [task] }));
    expect(screen.getByText('Done')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a')).toBeNull();
    act(() => store.setState({ tasks: [{ ...task, images: [{ url: 'blob:http://localhost/abc' }] }] }));
    const img = screen.getByRole('img');
    expect(img).toHaveAttribute('src', 'blob:http://localhost/abc');
    expect(img.closest('.gen-TaskProgress-gallery')).toHaveStyle({ '--gen-ratio': '16 / 9' });
  });

  it('re-renders only the row on progress ticks, not the list', async () => {
    const renderItem = vi.fn((id: string) => <TaskProgress.Item key={id} taskId={id} />);
    const { store } = renderKit(
      <TaskProgress.Root>
        <TaskProgress.List renderItem={renderItem} />
      </TaskProgress.Root>,
    );
    await submit(store, 'ticks');
    const bar = screen.getByRole('progressbar');
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0), DONE);
    const callsAtFirstTick = renderItem.mock.calls.length;
    expect(callsAtFirstTick).toBeGreaterThan(0);
    const seen = Number(bar.getAttribute('aria-valuenow'));
    await waitFor(() => {
      const now = bar.getAttribute('aria-valuenow');
      expect(now === null || Number(now) > seen).toBe(true);
    }, DONE);
    expect(renderItem.mock.calls.length).toBe(callsAtFirstTick);
  });

  it('throws a helpful error when a part is used outside an item', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderKit(<TaskProgress.Bar />)).toThrow(/TaskProgressBar.*TaskProgressItem/);
    spy.mockRestore();
  });

  it('clears the per-row countdown interval on unmount', async () => {
    const setSpy = vi.spyOn(globalThis, 'setInterval');
    const clearSpy = vi.spyOn(globalThis, 'clearInterval');
    const { store, unmount } = renderKit(<TaskProgress />);
    startSubmit(store, '[sim:rate_limit] a dock');
    await screen.findByText(/Rate limited by the server — waiting \d+ s/);
    const ids = setSpy.mock.results.filter((r) => r.type === 'return').map((r) => r.value as unknown);
    expect(ids.length).toBeGreaterThan(0);
    unmount();
    const cleared = clearSpy.mock.calls.map((c) => c[0] as unknown);
    for (const id of ids) expect(cleared).toContain(id);
  });
});
