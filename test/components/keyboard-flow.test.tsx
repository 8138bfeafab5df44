/** The whole flow with the keyboard only: Tab, type, arrow keys, Enter, Ctrl+Enter. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AspectRatioPicker, PromptForm, ReferenceTray, TaskProgress } from '../../src';
import { useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const sim = useSimulatorServer({ seed: 5, queuedMs: 100, generatingMs: 400 });

describe('keyboard-only flow', () => {
  it('prompt → resolution → ratio → references → generate → use result as reference → generate again', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(
      <>
        <PromptForm />
        <AspectRatioPicker />
        <ReferenceTray />
        <TaskProgress />
      </>,
    );

    await user.tab();
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt).toHaveFocus();
    await user.keyboard('A lighthouse at dawn');

    // Resolution: Tab until the combobox has focus, open with Enter, pick with arrows.
    const resolution = screen.getByRole('combobox', { name: 'Resolution' });
    for (let i = 0; i < 6 && document.activeElement !== resolution; i += 1) await user.tab();
    expect(resolution).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByRole('option', { name: /2K/ });
    await waitFor(() => expect(screen.getByRole('option', { name: /^1K/ })).toHaveFocus());
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(store.getState().resolution).toBe('2K'));

    const ratio = screen.getByRole('combobox', { name: 'Aspect ratio' });
    for (let i = 0; i < 8 && document.activeElement !== ratio; i += 1) await user.tab();
    expect(ratio).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByRole('option', { name: /^16:9/ });
    // Radix typeahead: typing "16" jumps to the 16:9 option.
    await user.keyboard('16');
    await waitFor(() => expect(screen.getByRole('option', { name: /^16:9/ })).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(store.getState().aspectRatio).toBe('16:9'));

    // The file input is reachable by Tab (the OS file dialog itself is outside the page).
    const input = screen.getByLabelText('Add reference images');
    for (let i = 0; i < 8 && document.activeElement !== input; i += 1) await user.tab();
    expect(input).toHaveFocus();
    await user.upload(input, [pngFile('one.png', 12, 12, 1), pngFile('two.png', 13, 12, 2)]);
    const list = screen.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    await waitFor(() => expect(store.getState().references.every((r) => r.state === 'ready')).toBe(true), { timeout: 5000 });

    // Reorder with Alt+ArrowDown on the first item.
    const first = within(list).getAllByRole('listitem')[0]!;
    first.focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await waitFor(() => expect(store.getState().references.map((r) => r.name)).toEqual(['two.png', 'one.png']));

    // Generate with Ctrl+Enter from the prompt.
    prompt.focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    await screen.findByText('Done', {}, { timeout: 5000 });
    expect(sim.simulator.stats.submits).toBe(1);
    expect(store.getState().tasks[0]!.request).toMatchObject({ size: '16:9', metadata: { resolution: '2K' } });

    // Use the result as a reference, by keyboard.
    const use = screen.getByRole('button', { name: /Use as reference/ });
    use.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(store.getState().references).toHaveLength(3));

    // And generate again with the Generate button, by keyboard.
    const generate = screen.getByRole('button', { name: 'Generate' });
    generate.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(store.getState().tasks).toHaveLength(2));
    await waitFor(() => expect(store.getState().tasks[1]!.phase).toBe('completed'), { timeout: 5000 });
    expect(store.getState().tasks[1]!.request.image_urls).toHaveLength(3);
    expect(store.getState().prompt).toBe('A lighthouse at dawn');
    await expectNoSeriousA11yViolations(container);
  });
});
