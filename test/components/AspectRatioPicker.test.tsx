import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AspectRatioPicker, AspectRatioPickerShape } from '../../src/components/AspectRatioPicker';
import { PromptForm } from '../../src/components/PromptForm';
import { MODELS } from '../../src/core/models';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

async function openPicker(user: ReturnType<typeof userEvent.setup>) {
  const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
  await user.click(trigger);
  const listbox = await screen.findByRole('listbox');
  return { trigger, listbox, options: within(listbox).getAllByRole('option') };
}

describe('AspectRatioPicker', () => {
  it('is a combobox named "Aspect ratio" showing the current ratio with its shape', () => {
    const { container } = renderKit(<AspectRatioPicker />);
    const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
    expect(trigger).toHaveAttribute('data-state', 'closed');
    expect(trigger).toHaveTextContent('1:1');
    const label = screen.getByText('Aspect ratio');
    expect(trigger).toHaveAttribute('aria-labelledby', label.id);
    expect(trigger.querySelector('.gen-AspectRatioPicker-shape')).toHaveAttribute('aria-hidden', 'true');
    expect(container.firstElementChild).toHaveClass('gen-AspectRatioPicker');
  });

  it('lists exactly the default model’s 14 ratios, each with a shape preview', async () => {
    const user = userEvent.setup();
    renderKit(<AspectRatioPicker />);
    const { trigger, options } = await openPicker(user);
    expect(trigger).toHaveAttribute('data-state', 'open');
    expect(options).toHaveLength(14);
    const ratios = MODELS['gemini-3.1-flash-image-preview']!.aspectRatios;
    options.forEach((option, i) => {
      expect(option.textContent).toContain(ratios[i]!);
      const shape = option.querySelector<HTMLElement>('.gen-AspectRatioPicker-shape');
      expect(shape).toHaveAttribute('aria-hidden', 'true');
    });
    for (const r of ['1:4', '4:1', '1:8', '8:1']) {
      expect(screen.getByRole('option', { name: new RegExp(`^${r} `) })).toBeInTheDocument();
    }
    const wide = screen.getByRole('option', { name: /^16:9/ }).querySelector<HTMLElement>('.gen-AspectRatioPicker-shape')!;
    expect(wide.style.getPropertyValue('--gen-ratio')).toBe('16 / 9');
    expect(wide).toHaveAttribute('data-orientation', 'landscape');
  });

  it('shows output pixels for gpt-image-2 at the chosen resolution', async () => {
    const user = userEvent.setup();
    renderKit(<AspectRatioPicker />, { store: { model: 'gpt-image-2', initial: { resolution: '2K' } } });
    const { options } = await openPicker(user);
    expect(options).toHaveLength(MODELS['gpt-image-2']!.aspectRatios.length);
    expect(screen.getByRole('option', { name: /16:9/ })).toHaveTextContent('16:9 · 2048×1152');
    expect(screen.getByRole('option', { name: /^9:16/ })).toHaveTextContent('9:16 · 1152×2048');
  });

  it('follows a resolution change made in the PromptForm', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<AspectRatioPicker />, { store: { model: 'gpt-image-2' } });
    act(() => store.getState().setResolution('4K'));
    await openPicker(user);
    expect(screen.getByRole('option', { name: /16:9/ })).toHaveTextContent('16:9 · 3840×2160');
  });

  it('chooses by pointer and updates the store and the trigger', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<AspectRatioPicker />);
    const { trigger } = await openPicker(user);
    await user.click(screen.getByRole('option', { name: /16:9/ }));
    expect(store.getState().aspectRatio).toBe('16:9');
    expect(trigger).toHaveAttribute('data-state', 'closed');
    expect(trigger).toHaveTextContent('16:9');
    expect(trigger.querySelector('.gen-AspectRatioPicker-shape')).toHaveAttribute('data-orientation', 'landscape');
  });

  it('chooses by keyboard alone', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<AspectRatioPicker />);
    const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
    await user.tab();
    expect(trigger).toHaveFocus();
    await user.keyboard('{Enter}');
    await screen.findByRole('listbox');
    expect(trigger).toHaveAttribute('aria-expanded', 'true');
    // 1:1 is selected and focused; two steps down is 2:3.
    await user.keyboard('{ArrowDown}{ArrowDown}');
    await waitFor(() => expect(screen.getByRole('option', { name: /^2:3/ })).toHaveAttribute('data-highlighted'));
    await user.keyboard('{Enter}');
    expect(store.getState().aspectRatio).toBe('2:3');
    await waitFor(() => expect(trigger).toHaveFocus());
    expect(trigger).toHaveAttribute('data-state', 'closed');

    await user.keyboard('{ArrowDown}'); // opens again from the trigger
    await screen.findByRole('listbox');
    await user.keyboard('{Escape}');
    expect(store.getState().aspectRatio).toBe('2:3');
    expect(trigger).toHaveAttribute('data-state', 'closed');
  });

  it('supports a controlled value mirrored into the store', async () => {
    const user = userEvent.setup();
    const seen: string[] = [];
    function Host() {
      const [ratio, setRatio] = React.useState('4:3');
      return (
        <>
          <AspectRatioPicker value={ratio} onValueChange={(r) => (seen.push(r), setRatio(r))} />
          <output data-testid="host">{ratio}</output>
        </>
      );
    }
    const { store } = renderKit(<Host />);
    const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
    expect(trigger).toHaveTextContent('4:3');
    expect(store.getState().aspectRatio).toBe('4:3');

    await user.click(trigger);
    await user.click(await screen.findByRole('option', { name: /^21:9/ }));
    expect(seen).toEqual(['21:9']);
    expect(screen.getByTestId('host')).toHaveTextContent('21:9');
    expect(store.getState().aspectRatio).toBe('21:9');
    // Another writer cannot pull a controlled picker away from its prop.
    act(() => store.getState().setAspectRatio('1:1'));
    expect(store.getState().aspectRatio).toBe('21:9');
  });

  it('ignores a choice the controlling host refuses', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    const { store } = renderKit(<AspectRatioPicker value="3:2" onValueChange={onValueChange} />);
    await user.click(screen.getByRole('combobox', { name: 'Aspect ratio' }));
    await user.click(await screen.findByRole('option', { name: /^9:16/ }));
    expect(onValueChange).toHaveBeenCalledWith('9:16');
    expect(store.getState().aspectRatio).toBe('3:2');
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toHaveTextContent('3:2');
  });

  it('writes defaultValue to the store once, then stays uncontrolled', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<AspectRatioPicker defaultValue="9:16" />);
    expect(store.getState().aspectRatio).toBe('9:16');
    await user.click(screen.getByRole('combobox', { name: 'Aspect ratio' }));
    await user.click(await screen.findByRole('option', { name: /^1:1/ }));
    expect(store.getState().aspectRatio).toBe('1:1');
  });

  it('sends the chosen ratio with Generate', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <PromptForm>
        <AspectRatioPicker />
      </PromptForm>,
    );
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'a wide beach');
    await user.click(screen.getByRole('combobox', { name: 'Aspect ratio' }));
    await user.click(await screen.findByRole('option', { name: /^21:9/ }));
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(store.getState().tasks[0]?.taskId).toBeDefined());
    expect(store.getState().tasks[0]?.request.size).toBe('21:9');
    expect(sim.simulator.stats.submits).toBe(1);
  });

  it('offers reference-only ratios only when a reference is present', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<AspectRatioPicker />, { store: { model: 'doubao-seedream-4-0' } });
    let { options } = await openPicker(user);
    expect(options.map((o) => o.textContent)).not.toContainEqual(expect.stringContaining('Auto'));
    await user.keyboard('{Escape}');
    act(() => {
      store.getState().addReferenceUrl('https://example.com/ref.png', 'ref.png');
    });
    ({ options } = await openPicker(user));
    expect(screen.getByRole('option', { name: /^Auto\b/ })).toBeInTheDocument();
    expect(options).toHaveLength(MODELS['doubao-seedream-4-0']!.aspectRatios.length);
  });

  it('still shows a ratio the model does not offer, as a disabled option, and flags it after Generate', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(
      <PromptForm>
        <AspectRatioPicker />
      </PromptForm>,
      { store: { model: 'gpt-4o-image', initial: { prompt: 'square-ish' } } },
    );
    act(() => store.getState().setAspectRatio('7:3'));
    const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
    expect(trigger).toHaveTextContent('7:3');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('7:3');
    expect(trigger).toHaveAttribute('aria-invalid', 'true');
    await user.click(trigger);
    expect(await screen.findByRole('option', { name: '7:3' })).toHaveAttribute('aria-disabled', 'true');
    await user.click(screen.getByRole('option', { name: /^3:2/ }));
    expect(store.getState().aspectRatio).toBe('3:2');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(trigger).not.toHaveAttribute('aria-invalid');
  });

  it('can be disabled, and merges className and style', () => {
    const { container } = renderKit(<AspectRatioPicker disabled className="host" style={{ marginTop: 3 }} />);
    const root = container.querySelector('.gen-AspectRatioPicker')!;
    expect(root).toHaveClass('host');
    expect(root).toHaveStyle({ marginTop: '3px' });
    expect(root).toHaveAttribute('data-disabled');
    expect(screen.getByRole('combobox', { name: 'Aspect ratio' })).toBeDisabled();
  });

  it('draws shapes for hosts, named ratios as a free square', () => {
    renderKit(
      <div>
        <AspectRatioPickerShape ratio="1:8" data-testid="tall" />
        <AspectRatioPickerShape ratio="auto" data-testid="auto" />
      </div>,
    );
    const tall = screen.getByTestId('tall');
    expect(tall).toHaveAttribute('data-orientation', 'portrait');
    expect(tall.style.getPropertyValue('--gen-ratio')).toBe('1 / 8');
    expect(screen.getByTestId('auto')).toHaveAttribute('data-orientation', 'free');
  });

  it('has no serious accessibility violations, closed and open', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<AspectRatioPicker />);
    await expectNoSeriousA11yViolations(container);
    await openPicker(user);
    await expectNoSeriousA11yViolations(document.body);
  });
});
