/**
 * "Advanced options" (`<PromptForm parametersUi />`): opt-in, lists the current model's parameters as
 * labelled native controls that write the store (or go through the provider's controlled props),
 * and is keyboard and screen-reader friendly.
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GeneratorProvider, PromptForm } from '../../src';
import type { ModelParameters } from '../../src/core/parameters';
import { ja } from '../../src/labels';
import { SIMULATOR_BASE_URL, useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';

const sim = useSimulatorServer({ seed: 5, queuedMs: 200, generatingMs: 600 });

const summary = () => screen.getByText('Advanced options', { selector: 'summary' });
const disclosure = () => summary().closest('details') as HTMLDetailsElement;

describe('PromptForm parameters', () => {
  it('shows nothing by default', () => {
    const { container } = renderKit(<PromptForm />);
    expect(screen.queryByText('Advanced options')).not.toBeInTheDocument();
    expect(container.querySelector('details')).toBeNull();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('with parametersUi, a closed disclosure lists the model’s controls; changing one updates the store', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm parametersUi />);
    expect(disclosure().open).toBe(false);

    // Keyboard: the summary comes after the settings and before Generate in the tab order (a native
    // <summary>: Enter and Space toggle it in browsers; jsdom implements the click those keys fire).
    screen.getByRole('combobox', { name: 'Number of images' }).focus();
    await user.tab();
    expect(summary()).toHaveFocus();
    const generate = screen.getByRole('button', { name: 'Generate' });
    expect(summary().compareDocumentPosition(generate) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.click(summary());
    expect(disclosure().open).toBe(true);

    const list = within(disclosure());
    const web = list.getByRole('checkbox', { name: 'Google web search' });
    const images = list.getByRole('checkbox', { name: 'Google image search' });
    expect(list.getAllByRole('checkbox')).toHaveLength(2);
    expect(web).not.toBeChecked();
    // Image search needs web search: disabled, and the reason is its description.
    expect(images).toBeDisabled();
    expect(images).toHaveAccessibleDescription('Needs Google web search on');

    await user.click(web);
    expect(store.getState().parameters).toEqual({ google_search: true });
    expect(images).toBeEnabled();
    await user.click(images);
    expect(store.getState().parameters).toEqual({ google_search: true, google_image_search: true });

    // Turning web search off unsets image search with it, so Generate is never blocked by it.
    await user.click(web);
    expect(store.getState().parameters).toEqual({ google_search: false });
    expect(images).toBeDisabled();
    expect(images).not.toBeChecked();

    await user.click(list.getByRole('button', { name: 'Reset options' }));
    expect(store.getState().parameters).toEqual({});
    expect(list.queryByRole('button', { name: 'Reset options' })).not.toBeInTheDocument();
  });

  it('follows the model: a select per list, a number input per number, nothing for a model without parameters', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm parametersUi />, { store: { model: 'gpt-image-2-official' } });
    await user.click(summary());
    const quality = screen.getByRole('combobox', { name: 'Quality' });
    expect(within(quality).getAllByRole('option').map((o) => o.textContent)).toEqual(['Default (High)', 'Low', 'Medium', 'High']);
    await user.selectOptions(quality, 'Low');
    expect(store.getState().parameters).toEqual({ quality: 'low' });

    const compression = screen.getByRole('spinbutton', { name: 'JPEG compression' });
    expect(compression).toBeDisabled();
    expect(compression).toHaveAttribute('min', '0');
    expect(compression).toHaveAttribute('max', '100');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Output format' }), 'JPEG');
    expect(compression).toBeEnabled();
    expect(compression).toHaveAccessibleDescription('0–100');
    await user.type(compression, '80');
    expect(store.getState().parameters).toEqual({ quality: 'low', output_format: 'jpeg', output_compression: 80 });
    await user.clear(compression);
    expect(store.getState().parameters).toEqual({ quality: 'low', output_format: 'jpeg' });
    await user.selectOptions(quality, 'Default (High)');
    expect(store.getState().parameters).toEqual({ output_format: 'jpeg' });

    act(() => store.getState().setModel('gemini-3-pro-image-preview'));
    expect(screen.getByRole('combobox', { name: 'Orientation' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Quality' })).not.toBeInTheDocument();

    act(() => store.getState().setModel('flux-2-pro'));
    expect(screen.queryByText('Advanced options')).not.toBeInTheDocument();
  });

  it('an invalid value found by Generate opens the list and marks its control with the message', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm parametersUi />, { store: { model: 'flux-kontext-pro' } });
    act(() => {
      store.getState().setPrompt('a kontext edit');
      store.getState().setParameter('safety_tolerance', 9);
    });
    expect(disclosure().open).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(disclosure().open).toBe(true));
    const message = '"safety_tolerance" must be between 0 and 6; it is 9.';
    expect(screen.getByRole('alert')).toHaveTextContent(message);
    const input = screen.getByRole('spinbutton', { name: 'Safety tolerance' });
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(`${message} 0–6`);
    expect(input).toHaveValue(9);
    expect(sim.simulator.stats.submits).toBe(0);

    await user.clear(input);
    await user.type(input, '4');
    expect(store.getState().parameters).toEqual({ safety_tolerance: 4 });
    expect(store.getState().issues).toEqual([]);
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('has no serious axe violations, closed, open, and with a problem', async () => {
    const user = userEvent.setup();
    const { container, store } = renderKit(<PromptForm parametersUi />, { store: { model: 'gpt-image-2-official' } });
    await expectNoSeriousA11yViolations(container);
    await user.click(summary());
    await expectNoSeriousA11yViolations(container);
    act(() => {
      store.getState().setPrompt('x');
      store.getState().setParameter('output_compression', 50);
    });
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('alert');
    await expectNoSeriousA11yViolations(container);
  });

  it('uses the provider’s labels', async () => {
    const user = userEvent.setup();
    renderKit(<PromptForm parametersUi />, { provider: { labels: ja } });
    await user.click(screen.getByText(ja.advancedOptions, { selector: 'summary' }));
    expect(screen.getByRole('checkbox', { name: ja.parameterLabels.google_search! })).toBeInTheDocument();
  });

  it('merges a partial parameterLabels over the English names', async () => {
    const user = userEvent.setup();
    renderKit(<PromptForm parametersUi />, { provider: { labels: { parameterLabels: { google_search: 'Search the web' } } } });
    await user.click(summary());
    expect(screen.getByRole('checkbox', { name: 'Search the web' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Google image search' })).toHaveAccessibleDescription('Needs Search the web on');
  });
});

describe('GeneratorProvider parameters / defaultParameters / onParametersChange', () => {
  it('defaultParameters start the store (uncontrolled); changes call onParametersChange', async () => {
    const user = userEvent.setup();
    const onParametersChange = vi.fn();
    render(
      <GeneratorProvider backendUrl={SIMULATOR_BASE_URL} persistKey={false} defaultParameters={{ google_search: true, quality: 'high' }} onParametersChange={onParametersChange}>
        <PromptForm parametersUi />
      </GeneratorProvider>,
    );
    await user.click(summary());
    const web = screen.getByRole('checkbox', { name: 'Google web search' });
    expect(web).toBeChecked();
    await user.click(screen.getByRole('checkbox', { name: 'Google image search' }));
    expect(onParametersChange).toHaveBeenLastCalledWith({ google_search: true, google_image_search: true });
    expect(screen.getByRole('checkbox', { name: 'Google image search' })).toBeChecked();
  });

  it('defaultParameters are written once into a host’s own store', () => {
    const { store } = renderKit(<PromptForm />, { provider: { defaultParameters: { google_search: true } } });
    expect(store.getState().parameters).toEqual({ google_search: true });
  });

  it('controlled: the store mirrors the prop (the current model’s part); a change only reports intent', async () => {
    const user = userEvent.setup();
    const onParametersChange = vi.fn();
    const held: ModelParameters = { google_search: true, quality: 'low' };
    const { store, rerender } = renderKit(<PromptForm parametersUi />, { provider: { parameters: held, onParametersChange } });
    expect(store.getState().parameters).toEqual({ google_search: true });
    await user.click(summary());
    await user.click(screen.getByRole('checkbox', { name: 'Google web search' }));
    expect(onParametersChange).toHaveBeenLastCalledWith({ google_search: false });
    // The host did not take the change: the control and the store stay with the prop.
    expect(store.getState().parameters).toEqual({ google_search: true });
    expect(screen.getByRole('checkbox', { name: 'Google web search' })).toBeChecked();

    // The host's value for another model applies once that model is chosen.
    act(() => store.getState().setModel('gpt-image-2-vip'));
    await waitFor(() => expect(store.getState().parameters).toEqual({ quality: 'low' }));

    rerender(
      <GeneratorProvider backendUrl={SIMULATOR_BASE_URL} store={store} parameters={{ quality: 'high' }} onParametersChange={onParametersChange}>
        <PromptForm parametersUi />
      </GeneratorProvider>,
    );
    await waitFor(() => expect(store.getState().parameters).toEqual({ quality: 'high' }));
    expect(screen.getByRole('combobox', { name: 'Quality' })).toHaveValue('high');
  });
});
