/**
 * Prompt history in PromptForm (issue 14): the "Prompt history" button and its popup (searchbox
 * "Search prompts", listbox "Prompt history", "Clear history"), Alt+ArrowUp / Alt+ArrowDown in the
 * prompt, and `history={false}`. Keyboard only, except where a click is the point.
 */
import * as React from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromptForm } from '../../src/components/PromptForm';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const sim = useSimulatorServer({ seed: 14, queuedMs: 200, generatingMs: 600 });

const HISTORY = ['a red fox asleep in fresh snow', 'a lighthouse at dusk', 'a red barn in a wheat field'];

function renderWithHistory(ui: React.ReactElement = <PromptForm />, history: string[] = HISTORY) {
  const result = renderKit(ui);
  act(() => result.store.setState({ promptHistory: history }));
  return result;
}

function options() {
  return screen.queryAllByRole('option').map((o) => o.textContent);
}

/** Tabs from the prompt to the "Prompt history" button (the next stop) and opens it with Enter. */
async function openByKeyboard(user: ReturnType<typeof userEvent.setup>) {
  const button = screen.getByRole('button', { name: 'Prompt history' });
  await user.click(screen.getByRole('textbox', { name: 'Prompt' }));
  await user.tab();
  expect(button).toHaveFocus();
  expect(button).toHaveAttribute('aria-haspopup', 'dialog');
  expect(button).toHaveAttribute('aria-expanded', 'false');
  await user.keyboard('{Enter}');
  expect(button).toHaveAttribute('aria-expanded', 'true');
  const dialog = screen.getByRole('dialog', { name: 'Prompt history' });
  expect(button).toHaveAttribute('aria-controls', dialog.id);
  return { button, dialog };
}

describe('PromptForm: prompt history', () => {
  it('opens by keyboard with the searchbox focused and every prompt listed, newest first', async () => {
    const user = userEvent.setup();
    renderWithHistory();
    await openByKeyboard(user);
    expect(screen.getByRole('searchbox', { name: 'Search prompts' })).toHaveFocus();
    expect(screen.getByRole('listbox', { name: 'Prompt history' })).toBeInTheDocument();
    expect(options()).toEqual(HISTORY);
    // Long prompts are cut on screen only: the whole text is the option's name and title.
    expect(screen.getByRole('option', { name: HISTORY[0] })).toHaveAttribute('title', HISTORY[0]);
  });

  it('filters as the user types, case-insensitively, and says when nothing matches', async () => {
    const user = userEvent.setup();
    renderWithHistory();
    await openByKeyboard(user);
    await user.keyboard('RED');
    expect(options()).toEqual(['a red fox asleep in fresh snow', 'a red barn in a wheat field']);
    await user.keyboard('{Backspace}{Backspace}{Backspace}zebra');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('No prompts contain “zebra”.');
  });

  it('ArrowDown and Enter choose a prompt: it fills the prompt, the popup closes and the prompt has the focus', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    const { store } = renderWithHistory(<PromptForm onValueChange={onValueChange} />);
    await openByKeyboard(user);
    const search = screen.getByRole('searchbox', { name: 'Search prompts' });
    await user.keyboard('{ArrowDown}{ArrowDown}');
    const second = screen.getByRole('option', { name: 'a lighthouse at dusk' });
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(search).toHaveAttribute('aria-activedescendant', second.id);
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('option', { name: HISTORY[0] })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{Enter}');

    expect(store.getState().prompt).toBe('a lighthouse at dusk');
    expect(onValueChange).toHaveBeenLastCalledWith('a lighthouse at dusk');
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt).toHaveValue('a lighthouse at dusk');
    expect(prompt).toHaveFocus();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Prompt history' })).toHaveAttribute('aria-expanded', 'false');
    // Enter chose; it did not submit the form.
    expect(store.getState().tasks).toHaveLength(0);
  });

  it('a click on an option chooses it', async () => {
    const user = userEvent.setup();
    const { store } = renderWithHistory();
    await user.click(screen.getByRole('button', { name: 'Prompt history' }));
    await user.click(screen.getByRole('option', { name: 'a red barn in a wheat field' }));
    expect(store.getState().prompt).toBe('a red barn in a wheat field');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('Escape closes and returns the focus to the button; a press outside closes it too', async () => {
    const user = userEvent.setup();
    const { store } = renderWithHistory();
    const { button } = await openByKeyboard(user);
    await user.keyboard('red{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(store.getState().prompt).toBe('');

    // Escape on the button closes it too.
    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog', { name: 'Prompt history' })).toBeInTheDocument();
    button.focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog', { name: 'Prompt history' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Generate' }).parentElement!);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('"Clear history" empties the list, the store and says so', async () => {
    const user = userEvent.setup();
    const { store } = renderWithHistory();
    await openByKeyboard(user);
    await user.click(screen.getByRole('button', { name: 'Clear history' }));
    expect(store.getState().promptHistory).toEqual([]);
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Prompt history cleared.');
    expect(screen.getByRole('searchbox', { name: 'Search prompts' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Clear history' })).toBeDisabled();
  });

  it('says there is nothing yet before the first Generate, and lists the prompt once it is sent', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    await user.click(screen.getByRole('button', { name: 'Prompt history' }));
    expect(screen.getByRole('status')).toHaveTextContent('No prompts yet.');
    await user.keyboard('{Escape}');

    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'a koi pond');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(store.getState().promptHistory).toEqual(['a koi pond']));
    expect(sim.simulator.stats.submits).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Prompt history' }));
    expect(options()).toEqual(['a koi pond']);
  });

  it('Alt+ArrowUp / Alt+ArrowDown in the prompt step through the history and give the draft back', async () => {
    const user = userEvent.setup();
    const { store } = renderWithHistory();
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt.getAttribute('aria-keyshortcuts')).toContain('Alt+ArrowUp');
    await user.type(prompt, 'my draft');
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(prompt).toHaveValue(HISTORY[0]);
    await user.keyboard('{Alt>}{ArrowUp}{ArrowUp}{/Alt}');
    expect(prompt).toHaveValue(HISTORY[2]);
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(prompt).toHaveValue(HISTORY[1]);
    await user.keyboard('{Alt>}{ArrowDown}{ArrowDown}{/Alt}');
    expect(prompt).toHaveValue('my draft');
    expect(store.getState().prompt).toBe('my draft');
    // Plain arrows still move the caret, not the history.
    await user.keyboard('{ArrowUp}');
    expect(prompt).toHaveValue('my draft');
  });

  it('with a controlled prompt, stepping and choosing reach the host through onValueChange', async () => {
    const user = userEvent.setup();
    function Host() {
      const [value, setValue] = React.useState('typed by host');
      return <PromptForm value={value} onValueChange={setValue} />;
    }
    const { store } = renderWithHistory(<Host />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    await user.click(prompt);
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(prompt).toHaveValue(HISTORY[0]);
    expect(store.getState().prompt).toBe(HISTORY[0]);
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(prompt).toHaveValue('typed by host');

    await user.click(screen.getByRole('button', { name: 'Prompt history' }));
    await user.click(screen.getByRole('option', { name: HISTORY[2] }));
    expect(prompt).toHaveValue(HISTORY[2]);
    expect(store.getState().prompt).toBe(HISTORY[2]);
  });

  it('history={false} on the provider renders no button', () => {
    renderKit(<PromptForm />, { provider: { history: false } });
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Prompt history' })).not.toBeInTheDocument();
  });

  it('a store made with history: false renders no button, and Alt+ArrowUp leaves the prompt alone', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />, { store: { history: false } });
    expect(screen.queryByRole('button', { name: 'Prompt history' })).not.toBeInTheDocument();
    act(() => store.setState({ promptHistory: ['should not be reached'] }));
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt.getAttribute('aria-keyshortcuts')).not.toContain('Alt');
    await user.type(prompt, 'draft');
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(prompt).toHaveValue('draft');
  });

  it('has no serious axe violations with the popup open and an option active', async () => {
    const user = userEvent.setup();
    const { container } = renderWithHistory();
    await openByKeyboard(user);
    await user.keyboard('{ArrowDown}');
    await expectNoSeriousA11yViolations(container);
    await user.keyboard('zebra');
    await expectNoSeriousA11yViolations(container);
  });
});
