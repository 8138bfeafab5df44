import * as React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http } from 'msw';
import { PromptForm } from '../../src/components/PromptForm';
import { SIMULATOR_BASE_URL, useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

function form(container: HTMLElement) {
  const el = container.querySelector('form.gen-PromptForm');
  if (!el) throw new Error('no form');
  return el as HTMLFormElement;
}

describe('PromptForm', () => {
  it('binds the "Prompt" textbox to the store and keeps plain Enter as a newline', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(form(container)).toHaveAttribute('data-state', 'idle');

    await user.type(prompt, 'a red fox{Enter}in snow');
    expect(store.getState().prompt).toBe('a red fox\nin snow');
    expect(prompt).toHaveValue('a red fox\nin snow');
    expect(store.getState().tasks).toHaveLength(0);
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('submits with Ctrl+Enter', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'a lighthouse');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(store.getState().tasks).toHaveLength(1));
    await waitFor(() => expect(store.getState().tasks[0]?.taskId).toBeDefined());
    expect(sim.simulator.stats.submits).toBe(1);
    expect(store.getState().prompt).toBe('a lighthouse');
  });

  it('submits with Meta+Enter', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'a lighthouse');
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    await waitFor(() => expect(store.getState().tasks[0]?.taskId).toBeDefined());
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('sends exactly one task for a fast double click, keeping the name "Generate"', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'two clicks');
    const button = screen.getByRole('button', { name: 'Generate' });
    expect(button).toHaveAttribute('type', 'submit');

    await user.dblClick(button);
    expect(screen.getByRole('button', { name: 'Generate' })).toBe(button);
    await waitFor(() => expect(store.getState().tasks[0]?.taskId).toBeDefined());
    await waitFor(() => expect(form(container)).toHaveAttribute('data-state', 'idle'));
    expect(store.getState().tasks).toHaveLength(1);
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('ignores a second submit while the first is in flight (aria-disabled, focus kept)', async () => {
    sim.server.use(
      http.post(`${SIMULATOR_BASE_URL}/v1/images/generations`, async () => {
        await delay(300); // then fall through to the simulator
      }),
    );
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'slow submit');
    const button = screen.getByRole('button', { name: 'Generate' });
    await user.click(button);
    expect(form(container)).toHaveAttribute('data-state', 'submitting');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).not.toBeDisabled();
    expect(button).toHaveFocus();
    expect(screen.getByText('Sending…')).toBeInTheDocument();
    await user.click(button);
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(form(container)).toHaveAttribute('data-state', 'idle'));
    expect(store.getState().tasks).toHaveLength(1);
    expect(sim.simulator.stats.submits).toBe(1);
    expect(button).not.toHaveAttribute('aria-disabled');
  });

  it('Ctrl+Enter with a changed prompt while the previous request is on its way sends it once that one is answered', async () => {
    sim.server.use(
      http.post(`${SIMULATOR_BASE_URL}/v1/images/generations`, async () => {
        await delay(300); // then fall through to the simulator
      }),
    );
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    await user.type(prompt, 'first fox');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(form(container)).toHaveAttribute('data-state', 'submitting');
    await user.clear(prompt);
    await user.type(prompt, 'second fox');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.keyboard('{Control>}{Enter}{/Control}'); // pressed twice: still one more task
    await waitFor(() => expect(store.getState().tasks).toHaveLength(2));
    await waitFor(() => expect(form(container)).toHaveAttribute('data-state', 'idle'));
    expect(store.getState().tasks.map((t) => t.request.prompt)).toEqual(['first fox', 'second fox']);
    expect(sim.simulator.stats.submits).toBe(2);
  });

  it('explains an empty prompt next to the textbox and sends nothing', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt).not.toHaveAttribute('aria-invalid');

    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const message = await screen.findByText('Enter a prompt.');
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(prompt.getAttribute('aria-describedby')?.split(' ')).toContain(message.id);
    expect(prompt).toHaveAccessibleDescription(expect.stringContaining('Enter a prompt.'));
    expect(prompt).toHaveFocus();
    expect(form(container)).toHaveAttribute('data-invalid');
    expect(store.getState().tasks).toHaveLength(0);
    expect(sim.simulator.stats.submits).toBe(0);

    await user.type(prompt, 'x'); // fixing the field clears its message
    expect(screen.queryByText('Enter a prompt.')).not.toBeInTheDocument();
    expect(prompt).not.toHaveAttribute('aria-invalid');
  });

  it('counts characters against gpt-4o-image’s 1000 and flags an over-long prompt', async () => {
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />, { store: { model: 'gpt-4o-image' } });
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    const count = container.querySelector('.gen-PromptForm-count')!;
    expect(count).toHaveTextContent('0 / 1,000');
    expect(count).not.toHaveAttribute('aria-live');

    await user.click(prompt);
    await user.paste('a'.repeat(950));
    expect(count).toHaveTextContent('950 / 1,000');
    expect(count).toHaveAttribute('data-state', 'near');
    expect(count).toHaveAttribute('aria-live', 'polite');

    await user.paste('b'.repeat(60));
    expect(count).toHaveTextContent('1,010 / 1,000');
    expect(count).toHaveAttribute('data-state', 'over');
    expect(count).toHaveAttribute('data-invalid');
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(prompt).toHaveAccessibleDescription(expect.stringContaining('10 characters over'));
    expect(container.querySelector('.gen-PromptForm-prompt')).toHaveAttribute('data-invalid');

    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText(/at most 1,000/)).toBeInTheDocument();
    expect(store.getState().prompt).toHaveLength(1010); // nothing typed is cleared
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('waits for uploads in flight, says so politely, then sends the task once', async () => {
    sim.server.use(
      http.post(`${SIMULATOR_BASE_URL}/v1/uploads/images`, async () => {
        await delay(400); // then fall through to the simulator
      }),
    );
    const user = userEvent.setup();
    const { store, container } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'with a reference');
    act(() => {
      void store.getState().addReferences([pngFile()]);
    });
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    const status = await screen.findByText('Waiting for 1 reference image to finish uploading…');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(form(container)).toHaveAttribute('data-state', 'waiting');
    expect(screen.getByRole('button', { name: 'Generate' })).toHaveAttribute('aria-disabled', 'true');
    expect(sim.simulator.stats.submits).toBe(0);

    await waitFor(() => expect(store.getState().tasks[0]?.taskId).toBeDefined(), { timeout: 5000 });
    await waitFor(() => expect(form(container)).toHaveAttribute('data-state', 'idle'));
    expect(sim.simulator.stats.uploads).toBe(1);
    expect(sim.simulator.stats.submits).toBe(1);
    expect(store.getState().tasks[0]?.request.image_urls).toHaveLength(1);
    expect(screen.queryByText(/Waiting for/)).not.toBeInTheDocument();
  });

  it('lists 0.5K/1K/2K/4K under "Resolution" for the default model and writes the choice', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    const trigger = screen.getByRole('combobox', { name: 'Resolution' });
    expect(trigger).toHaveTextContent('1K');
    expect(trigger).toHaveAttribute('data-state', 'closed');

    await user.click(trigger);
    expect(trigger).toHaveAttribute('data-state', 'open');
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['0.5K', '1K', '2K', '4K']);
    await user.click(screen.getByRole('option', { name: '2K' }));
    expect(store.getState().resolution).toBe('2K');
    expect(trigger).toHaveTextContent('2K');
    expect(trigger).toHaveAttribute('data-state', 'closed');
    // Price follows the resolution.
    expect(screen.getByText('≈ $0.030')).toBeInTheDocument();
  });

  it('hides "Resolution" for gpt-4o-image and offers 1, 2 or 4 images', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />, { store: { model: 'gpt-4o-image' } });
    expect(screen.queryByRole('combobox', { name: 'Resolution' })).not.toBeInTheDocument();
    const count = screen.getByRole('combobox', { name: 'Number of images' });
    await user.click(count);
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['1', '2', '4']);
    await user.click(screen.getByRole('option', { name: '4' }));
    expect(store.getState().n).toBe(4);
  });

  it('has no image-count control where the model makes one image', () => {
    renderKit(<PromptForm />, { store: { model: 'flux-2-pro' } });
    expect(screen.queryByRole('combobox', { name: 'Number of images' })).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Resolution' })).toBeInTheDocument();
  });

  it('shows settings problems in role="alert" after Generate, and keeps the prompt', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'odd ratio');
    act(() => store.getState().setAspectRatio('7:3'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('does not support the 7:3 aspect ratio');
    expect(sim.simulator.stats.submits).toBe(0);
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue('odd ratio');
  });

  it('keeps the prompt when the server rejects the request', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    await user.click(prompt);
    await user.paste('a cat [sim:bad_request]');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('failed'));
    expect(store.getState().tasks[0]?.error?.kind).toBe('invalid_request');
    expect(prompt).toHaveValue('a cat [sim:bad_request]');
    expect(store.getState().prompt).toBe('a cat [sim:bad_request]');
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('supports a controlled prompt and mirrors it into the store', async () => {
    const user = userEvent.setup();
    const changes: string[] = [];
    function Host() {
      const [value, setValue] = React.useState('from the host');
      return (
        <PromptForm
          value={value}
          onValueChange={(next) => {
            changes.push(next);
            setValue(next.toUpperCase());
          }}
        />
      );
    }
    const { store } = renderKit(<Host />);
    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    expect(prompt).toHaveValue('from the host');
    expect(store.getState().prompt).toBe('from the host');
    await user.type(prompt, '!x');
    expect(changes).toEqual(['from the host!', 'FROM THE HOST!x']);
    expect(prompt).toHaveValue('FROM THE HOST!X');
    expect(store.getState().prompt).toBe('FROM THE HOST!X');
  });

  it('takes a defaultValue into the store and runs a host onSubmit first', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((event: React.FormEvent) => event.preventDefault());
    const { store } = renderKit(<PromptForm defaultValue="a default" onSubmit={onSubmit} />);
    expect(store.getState().prompt).toBe('a default');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(store.getState().tasks).toHaveLength(0); // the host prevented it
  });

  it('lets hosts re-arrange the parts', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <PromptForm.Root className="host-form" style={{ '--gen-space': '4px' }}>
        <PromptForm.Submit>Go</PromptForm.Submit>
        <PromptForm.Prompt placeholder="Say it" />
      </PromptForm.Root>,
    );
    const prompt = screen.getByPlaceholderText('Say it');
    expect(prompt).toHaveAccessibleName('Prompt');
    expect(prompt.closest('form')).toHaveClass('gen-PromptForm', 'host-form');
    await user.type(prompt, 'parts');
    fireEvent.click(screen.getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(store.getState().tasks).toHaveLength(1));
  });

  it('has no serious accessibility violations (idle, invalid, and with the select open)', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<PromptForm />);
    await expectNoSeriousA11yViolations(container);
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByText('Enter a prompt.');
    await expectNoSeriousA11yViolations(container);
    await user.click(screen.getByRole('combobox', { name: 'Resolution' }));
    await screen.findByRole('listbox');
    await expectNoSeriousA11yViolations(document.body);
  });
});
