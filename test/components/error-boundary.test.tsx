/**
 * A crash in one component shows a recoverable message; the other three keep working, and nothing
 * typed or added is lost (the state lives in the store, so "Try again" remounts and reads it back).
 * The crash is real: a host label function that throws during that component's render only.
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { renderKit } from './render';
import { PromptForm, PromptFormRoot, PromptFormSubmit } from '../../src/components/PromptForm';
import { AspectRatioPicker, AspectRatioPickerShape } from '../../src/components/AspectRatioPicker';
import { ReferenceTray, ReferenceTrayList } from '../../src/components/ReferenceTray';
import { TaskProgress, TaskProgressRoot } from '../../src/components/TaskProgress';
import { GeneratorErrorBoundary } from '../../src/components/ErrorBoundary/ErrorBoundary';
import * as kit from '../../src';
import { en, type Labels } from '../../src/labels/en';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

const DONE = { timeout: 5000 };
const CRASHED = en.componentCrashed;

function Kit() {
  return (
    <>
      <PromptForm />
      <AspectRatioPicker />
      <ReferenceTray />
      <TaskProgress />
    </>
  );
}

/** A label override that throws while `switch.broken` is true, so a test can remove the cause. */
function breakable<K extends keyof Labels>(key: K, switchboard: { broken: boolean }): Partial<Labels> {
  const original = en[key] as unknown as (...args: unknown[]) => string;
  const broken = (...args: unknown[]) => {
    if (switchboard.broken) throw new Error(`boom in ${String(key)}`);
    return original(...args);
  };
  return { [key]: broken } as Partial<Labels>;
}

function crashBoxes() {
  return screen.queryAllByRole('alert').filter((el) => el.classList.contains('gen-ErrorBoundary'));
}

const promptBox = () => screen.getByRole('textbox', { name: 'Prompt' });
const generate = () => screen.getByRole('button', { name: 'Generate' });
const ratioPicker = () => screen.queryByRole('combobox', { name: 'Aspect ratio' });
const trayInput = () => screen.queryByLabelText('Add reference images') as HTMLInputElement | null;
const refList = () => screen.queryByRole('list', { name: 'Reference images' });
const progressRoot = (container: HTMLElement) => container.querySelector('.gen-TaskProgress');

function silenceConsoleError() {
  return vi.spyOn(console, 'error').mockImplementation(() => {});
}

function crashLogs(spy: ReturnType<typeof silenceConsoleError>, name: string) {
  return spy.mock.calls.filter((args) => args[0] === `[gen] ${name} crashed:`);
}

describe('error boundary around each ready-made composition', () => {
  it('a crash in ReferenceTray mid-session: alert, the others keep working, nothing lost, Try again recovers', async () => {
    const errors = silenceConsoleError();
    const user = userEvent.setup();
    const sw = { broken: false };
    const onError = vi.fn();
    const { store, container } = renderKit(<Kit />, { provider: { labels: breakable('referenceCount', sw) } });

    // The user types and adds a reference while everything works.
    await user.type(promptBox(), 'A lighthouse');
    await user.upload(trayInput()!, pngFile('first.png', 16, 16, 1));
    await waitFor(() => expect(store.getState().references[0]?.state).toBe('ready'), DONE);
    expect(crashBoxes()).toHaveLength(0);

    // The tray's count now throws on its next render: adding a second reference triggers it.
    sw.broken = true;
    await act(async () => {
      await store.getState().addReferences([pngFile('second.png', 17, 16, 2)]);
    });
    await waitFor(() => expect(crashBoxes()).toHaveLength(1));
    const crash = crashBoxes()[0]!;
    expect(crash).toHaveAttribute('data-state', 'error');
    expect(crash).toHaveAttribute('data-component', 'ReferenceTray');
    expect(crash).toHaveTextContent(CRASHED);
    expect(within(crash).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    expect(crashLogs(errors, 'ReferenceTray')).toHaveLength(1);
    expect(crashLogs(errors, 'ReferenceTray')[0]![1]).toEqual(expect.objectContaining({ message: 'boom in referenceCount' }));
    expect(refList()).not.toBeInTheDocument(); // the tray itself is gone…
    expect(trayInput()).not.toBeInTheDocument();

    // …the three others are still there and still work.
    expect(promptBox()).toHaveValue('A lighthouse');
    expect(ratioPicker()).toBeInTheDocument();
    expect(progressRoot(container)).toBeInTheDocument();
    await user.type(promptBox(), ' at dawn');
    expect(store.getState().prompt).toBe('A lighthouse at dawn');
    await waitFor(() => expect(store.getState().references.map((r) => r.state)).toEqual(['ready', 'ready']), DONE);
    await user.click(generate());
    await waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('completed'), DONE);
    expect(sim.simulator.stats.tasksCreated).toBe(1);
    const urls = store.getState().references.map((r) => r.url);
    expect(store.getState().tasks[0]!.request.image_urls).toEqual(urls); // both references went out
    await waitFor(() => expect(screen.getByRole('img', { name: /A lighthouse at dawn/ })).toBeInTheDocument(), DONE);
    expect(onError).not.toHaveBeenCalled();

    // Nothing typed or added was lost.
    expect(store.getState().prompt).toBe('A lighthouse at dawn');
    expect(store.getState().references.map((r) => r.name)).toEqual(['first.png', 'second.png']);

    // While the cause is still there, Try again crashes again and shows the message again.
    await user.click(within(crash).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(crashBoxes()).toHaveLength(1));
    expect(crashLogs(errors, 'ReferenceTray')).toHaveLength(2);

    // Once the cause is gone, Try again brings the tray back with both references.
    sw.broken = false;
    await user.click(within(crashBoxes()[0]!).getByRole('button', { name: 'Try again' }));
    expect(crashBoxes()).toHaveLength(0);
    const list = refList()!;
    expect(list).toBeInTheDocument();
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('2 / 14')).toBeInTheDocument();
    expect(trayInput()).toBeInTheDocument();
    expect(promptBox()).toHaveValue('A lighthouse at dawn');
  });

  it('a crash in TaskProgress while a task runs leaves the form, picker and tray working; Try again shows the results', async () => {
    const errors = silenceConsoleError();
    const user = userEvent.setup();
    const sw = { broken: true };
    const { store } = renderKit(<Kit />, { provider: { labels: breakable('taskMeta', sw) } });
    expect(crashBoxes()).toHaveLength(0); // taskMeta is read only once a task exists

    await user.type(promptBox(), 'first');
    await user.click(generate());
    await waitFor(() => expect(crashBoxes()).toHaveLength(1));
    expect(crashBoxes()[0]).toHaveAttribute('data-component', 'TaskProgress');
    expect(crashLogs(errors, 'TaskProgress').length).toBeGreaterThanOrEqual(1);
    expect(screen.queryByRole('list', { name: 'Generations' })).not.toBeInTheDocument();

    // The task itself goes on in the store; the form sends a second one.
    await user.upload(trayInput()!, pngFile('ref.png', 16, 16, 3));
    await waitFor(() => expect(store.getState().references[0]?.state).toBe('ready'), DONE);
    expect(within(refList()!).getAllByRole('listitem')).toHaveLength(1);
    await user.clear(promptBox());
    await user.type(promptBox(), 'second');
    await user.click(generate());
    await waitFor(() => expect(store.getState().tasks.map((t) => t.phase)).toEqual(['completed', 'completed']), DONE);
    expect(sim.simulator.stats.tasksCreated).toBe(2);
    expect(store.getState().tasks[1]!.request.image_urls).toHaveLength(1);

    sw.broken = false;
    await user.click(within(crashBoxes()[0]!).getByRole('button', { name: 'Try again' }));
    expect(crashBoxes()).toHaveLength(0);
    const rows = within(screen.getByRole('list', { name: 'Generations' })).getAllByRole('listitem').filter((li) => li.classList.contains('gen-TaskProgress-item'));
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['completed', 'completed']);
    expect(screen.getByRole('img', { name: /first/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /second/ })).toBeInTheDocument();
  });

  it.each([
    { name: 'PromptForm', key: 'estimatedPrice' as const },
    { name: 'AspectRatioPicker', key: 'aspectRatioOption' as const },
    { name: 'ReferenceTray', key: 'referenceCount' as const },
  ])('$name crashing on its first render leaves the other three usable', async ({ name, key }) => {
    const errors = silenceConsoleError();
    const user = userEvent.setup();
    const sw = { broken: true };
    const { store, container } = renderKit(<Kit />, { provider: { labels: breakable(key, sw) } });
    const boxes = crashBoxes();
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toHaveAttribute('data-component', name);
    expect(crashLogs(errors, name).length).toBeGreaterThanOrEqual(1);

    const present = {
      PromptForm: screen.queryByRole('textbox', { name: 'Prompt' }) !== null,
      AspectRatioPicker: ratioPicker() !== null,
      ReferenceTray: refList() !== null && trayInput() !== null,
      TaskProgress: progressRoot(container) !== null,
    };
    expect(present).toEqual({ PromptForm: true, AspectRatioPicker: true, ReferenceTray: true, TaskProgress: true, [name]: false });

    // Whatever is left still drives the store.
    if (name !== 'ReferenceTray') {
      await user.upload(trayInput()!, pngFile('kept.png', 16, 16, 4));
      await waitFor(() => expect(store.getState().references[0]?.state).toBe('ready'), DONE);
    }
    if (name !== 'PromptForm') {
      await user.type(promptBox(), 'still works');
      await user.click(generate());
      await waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('completed'), DONE);
      expect(sim.simulator.stats.tasksCreated).toBe(1);
    } else {
      act(() => store.getState().setPrompt('typed before the crash'));
    }
    const before = { prompt: store.getState().prompt, refs: store.getState().references.map((r) => r.id), ratio: store.getState().aspectRatio };

    sw.broken = false;
    await user.click(within(crashBoxes()[0]!).getByRole('button', { name: 'Try again' }));
    expect(crashBoxes()).toHaveLength(0);
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue(before.prompt);
    expect(ratioPicker()).toBeInTheDocument();
    expect(within(refList()!).queryAllByRole('listitem')).toHaveLength(before.refs.length);
    expect(store.getState().references.map((r) => r.id)).toEqual(before.refs);
    expect(store.getState().aspectRatio).toBe(before.ratio);
  });
});

describe('GeneratorErrorBoundary', () => {
  function Thrower({ when }: { when: { broken: boolean } }): React.ReactElement {
    if (when.broken) throw new Error('kaput');
    return <p>fine</p>;
  }

  it('is exported from the package root and catches outside a provider, with English labels', async () => {
    const errors = silenceConsoleError();
    expect(kit.GeneratorErrorBoundary).toBe(GeneratorErrorBoundary);
    const when = { broken: true };
    const onError = vi.fn();
    render(
      <GeneratorErrorBoundary name="Custom" onError={onError}>
        <Thrower when={when} />
      </GeneratorErrorBoundary>,
    );
    const box = screen.getByRole('alert');
    expect(box).toHaveClass('gen-ErrorBoundary');
    expect(box).toHaveTextContent(CRASHED);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toEqual(expect.objectContaining({ message: 'kaput' }));
    expect(crashLogs(errors, 'Custom')).toHaveLength(1);
    when.broken = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('fine')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('uses the provider labels, a custom fallback, and survives a throwing onError', async () => {
    silenceConsoleError();
    const when = { broken: true };
    const { unmount } = renderKit(
      <GeneratorErrorBoundary name="X">
        <Thrower when={when} />
      </GeneratorErrorBoundary>,
      { provider: { labels: { componentCrashed: 'Kaputt.', tryAgain: 'Nochmal' } } },
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Kaputt.');
    expect(screen.getByRole('button', { name: 'Nochmal' })).toBeInTheDocument();
    unmount();

    render(
      <GeneratorErrorBoundary
        name="Y"
        onError={() => {
          throw new Error('reporter down');
        }}
        fallback={({ error, reset }) => (
          <button type="button" onClick={reset}>
            {`reset after ${(error as Error).message}`}
          </button>
        )}
      >
        <Thrower when={when} />
      </GeneratorErrorBoundary>,
    );
    const button = screen.getByRole('button', { name: 'reset after kaput' });
    when.broken = false;
    await userEvent.setup().click(button);
    expect(screen.getByText('fine')).toBeInTheDocument();
  });

  it('keeps forwardRef and the static parts of each wrapped composition', () => {
    const form = React.createRef<HTMLFormElement>();
    const picker = React.createRef<HTMLDivElement>();
    const tray = React.createRef<HTMLElement>();
    const progress = React.createRef<HTMLDivElement>();
    renderKit(
      <>
        <PromptForm ref={form} />
        <AspectRatioPicker ref={picker} />
        <ReferenceTray ref={tray} />
        <TaskProgress ref={progress} />
      </>,
    );
    expect(form.current).toBeInstanceOf(HTMLFormElement);
    expect(form.current).toHaveClass('gen-PromptForm');
    expect(picker.current).toHaveClass('gen-AspectRatioPicker');
    expect(tray.current).toHaveClass('gen-ReferenceTray');
    expect(progress.current).toHaveClass('gen-TaskProgress');
    expect(PromptForm.Root).toBe(PromptFormRoot);
    expect(PromptForm.Submit).toBe(PromptFormSubmit);
    expect(AspectRatioPicker.Shape).toBe(AspectRatioPickerShape);
    expect(ReferenceTray.List).toBe(ReferenceTrayList);
    expect(TaskProgress.Root).toBe(TaskProgressRoot);
  });
});
