/**
 * Parts as the README promises them: every part of every component exported long
 * (`TaskProgressRetry`) and as a static member (`TaskProgress.Retry`), the same component both ways;
 * and the row actions (Retry, Cancel, Remove) rendering the host's own element with `asChild`
 * while keeping their accessible name and behaviour.
 */
import * as React from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as kit from '../../src';
import { TaskProgress } from '../../src/components/TaskProgress';
import { resolvePart } from '../../src/components/internal/lazyPart';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import type { GeneratorStore } from '../../src/store';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { renderKit } from './render';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

const DONE = { timeout: 5000 };
const COMPONENTS = ['PromptForm', 'AspectRatioPicker', 'ReferenceTray', 'TaskProgress'] as const;
const exported = kit as unknown as Record<string, unknown>;

async function submit(store: GeneratorStore, prompt: string) {
  await act(async () => {
    store.getState().setPrompt(prompt);
    await store.getState().submit();
  });
}

/** A host's own row: Cancel and Retry as links styled by the host. */
function HostRow({ taskId }: { taskId: string }) {
  return (
    <TaskProgress.Item taskId={taskId}>
      <TaskProgress.Prompt />
      <TaskProgress.Cancel asChild>
        <a href="#cancel" className="host-cancel">
          Stop
        </a>
      </TaskProgress.Cancel>
      <TaskProgress.Retry asChild>
        <a href="#retry" className="host-retry">
          Again
        </a>
      </TaskProgress.Retry>
    </TaskProgress.Item>
  );
}

describe('exported parts', () => {
  // A static part is the long export itself, or its on-demand version (the rows' code loads with the
  // first row) that renders exactly that component.
  it.each(COMPONENTS)('%s: each static part is exported long as the same component, and each long part is a static one', async (name) => {
    const component = exported[name] as Record<string, unknown>;
    expect(component).toBeDefined();
    const statics = Object.keys(component).filter((key) => /^[A-Z]/.test(key));
    expect(statics.length).toBeGreaterThan(0);
    for (const part of statics) expect([part, exported[`${name}${part}`]]).toEqual([part, await resolvePart(component[part])]);
    const long = Object.keys(exported).filter((key) => key.startsWith(name) && key !== name && typeof exported[key] !== 'undefined');
    for (const key of long) expect([key, await resolvePart(component[key.slice(name.length)])]).toEqual([key, exported[key]]);
  });

  it('has the new row actions both ways', async () => {
    expect(await resolvePart(kit.TaskProgress.Retry)).toBe(kit.TaskProgressRetry);
    expect(await resolvePart(kit.TaskProgress.Cancel)).toBe(kit.TaskProgressCancel);
    expect(await resolvePart(kit.ReferenceTray.Remove)).toBe(kit.ReferenceTrayRemove);
  });
});

describe('asChild row actions', () => {
  it('TaskProgress.Cancel renders the host element, named and describedby like the button, and cancels', async () => {
    const { store } = renderKit(<TaskProgress.Root><TaskProgress.List renderItem={(id) => <HostRow taskId={id} />} /></TaskProgress.Root>);
    await submit(store, 'a slow lighthouse');
    const cancel = screen.getByRole('link', { name: 'Stop' });
    expect(cancel.tagName).toBe('A');
    expect(cancel).toHaveClass('host-cancel', 'gen-button', 'gen-TaskProgress-cancel');
    expect(cancel).toHaveAttribute('data-variant', 'danger');
    expect(cancel).not.toHaveAttribute('type');
    expect(cancel).toHaveAccessibleDescription('a slow lighthouse');
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    await userEvent.setup().click(cancel);
    expect(store.getState().tasks[0]!.phase).toBe('cancelled');
    expect(screen.queryByRole('link', { name: 'Stop' })).not.toBeInTheDocument();
  });

  it('TaskProgress.Retry renders the host element and retries; a host preventDefault skips it', async () => {
    const skip = { current: true };
    const { store } = renderKit(
      <TaskProgress.Root>
        <TaskProgress.List
          renderItem={(id) => (
            <TaskProgress.Item taskId={id}>
              <TaskProgress.Retry asChild onClick={(event) => skip.current && event.preventDefault()}>
                <a href="#retry" className="host-retry">
                  Again
                </a>
              </TaskProgress.Retry>
            </TaskProgress.Item>
          )}
        />
      </TaskProgress.Root>,
    );
    await submit(store, '[sim:quota] a castle');
    const retry = await screen.findByRole('link', { name: 'Again' }, DONE);
    expect(retry).toHaveClass('host-retry', 'gen-TaskProgress-retry');
    expect(retry).toHaveAttribute('data-variant', 'primary');
    const user = userEvent.setup();
    await user.click(retry);
    expect(store.getState().tasks[0]!.phase).toBe('failed');
    expect(sim.simulator.stats.submits).toBe(1);
    skip.current = false;
    await user.click(retry);
    await waitFor(() => expect(sim.simulator.stats.submits).toBe(2), DONE);
  });

  it('ReferenceTray.Remove renders the host element with the Remove name and removes the reference', async () => {
    const { store } = renderKit(
      <ReferenceTray.Root>
        <ReferenceTray.Dropzone />
        <ReferenceTray.List>
          <HostItems />
        </ReferenceTray.List>
      </ReferenceTray.Root>,
    );
    const user = userEvent.setup();
    await user.upload(screen.getByLabelText('Add reference images'), [pngFile('a.png'), pngFile('b.png', 32, 24, 2)]);
    await waitFor(() => expect(screen.getAllByRole('link', { name: /^Remove / })).toHaveLength(2), DONE);
    const remove = screen.getByRole('link', { name: 'Remove a.png' });
    expect(remove).toHaveClass('host-remove', 'gen-ReferenceTray-remove');
    expect(remove).toHaveTextContent('Drop it');
    await user.click(remove);
    expect(store.getState().references.map((r) => r.name)).toEqual(['b.png']);
    // Focus moves to the next item's Remove, as with the kit's own button.
    expect(screen.getByRole('link', { name: 'Remove b.png' })).toHaveFocus();
  });
});

function HostItems() {
  const ids = kit.useGeneratorShallow((s) => s.references.map((r) => r.id));
  return (
    <>
      {ids.map((id) => (
        <ReferenceTray.Item key={id} referenceId={id}>
          <ReferenceTray.Remove asChild>
            <a href={`#remove-${id}`} className="host-remove">
              Drop it
            </a>
          </ReferenceTray.Remove>
        </ReferenceTray.Item>
      ))}
    </>
  );
}
