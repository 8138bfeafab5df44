/**
 * SelectField before its Radix half has loaded (test/setup.dom.ts preloads it for the rest of the
 * suite; `holdSelectFieldRadix` puts it back to "not loaded yet" here): the light trigger must be
 * Radix's closed trigger to users, assistive tech, CSS and forms, and reaching for it must end where
 * opening the Radix select directly ends — open, on the chosen option, Escape back to the trigger.
 */
import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AspectRatioPicker } from '../../src/components/AspectRatioPicker';
import { SelectField, holdSelectFieldRadix, type SelectFieldProps } from '../../src/components/internal/SelectField';
import { renderKit } from './render';

const CLASSES = {
  root: 'fruit',
  label: 'fruit-label',
  trigger: 'fruit-trigger',
  icon: 'fruit-icon',
  content: 'fruit-content',
  viewport: 'fruit-viewport',
  item: 'fruit-item',
  check: 'fruit-check',
};
const FRUITS = [
  { value: 'apple', text: 'Apple' },
  { value: 'banana', text: 'Banana' },
  { value: 'cherry', text: 'Cherry' },
  { value: 'durian', text: 'Durian', disabled: true },
];

function Fruit({ initial = 'banana', ...props }: { initial?: string } & Partial<SelectFieldProps>) {
  const [value, setValue] = React.useState(initial);
  return <SelectField label="Fruit" value={value} options={FRUITS} onValueChange={setValue} classNames={CLASSES} {...props} />;
}

let hold: ReturnType<typeof holdSelectFieldRadix> | undefined;
/** The Radix module "arrives" (as the idle prefetch finishing would). */
async function arrive() {
  await act(async () => hold?.release());
  hold = undefined;
}
beforeEach(() => {
  hold = holdSelectFieldRadix();
});
afterEach(async () => {
  await arrive();
});

// `hidden`: while Radix's popover is open it hides everything else from assistive tech.
const combobox = () => screen.getByRole('combobox', { name: 'Fruit', hidden: true });
/**
 * The markup, minus one attribute: Radix's hidden native select keeps its value in the property,
 * the light one (a controlled React select) also marks the option `selected`. Same value, same form data.
 */
const markup = (el: HTMLElement) => el.innerHTML.replaceAll(' selected=""', '');
describe('SelectField before Radix Select has loaded', () => {
  it.each([
    ['a value', {}],
    ['no value (placeholder)', { initial: '' }],
    ['disabled, invalid, described', { disabled: true, invalid: true, describedBy: 'fruit-help' }],
    ['a name inside a form', { name: 'fruit' }],
  ])('renders the same HTML as the Radix trigger: %s', async (_, props) => {
    const { container } = render(
      <form aria-label="order">
        <Fruit {...props} />
      </form>,
    );
    const light = markup(container);
    const lightTrigger = combobox();
    await arrive();
    expect(combobox()).not.toBe(lightTrigger); // Radix's trigger has replaced it…
    expect(markup(container)).toBe(light); // …and the markup is the same, hidden native select included.
    expect(combobox()).toHaveAccessibleName('Fruit');
  });

  it('outside a form: the same HTML, no native select', async () => {
    const { container } = render(<Fruit />);
    const light = container.innerHTML;
    expect(container.querySelector('select')).toBeNull();
    await arrive();
    expect(container.innerHTML).toBe(light);
  });

  it('submits its value with a form, as Radix’s hidden select does', async () => {
    render(
      <form aria-label="order">
        <Fruit name="fruit" initial="cherry" />
      </form>,
    );
    // (test/setup.dom.ts swaps jsdom's FormData for Node's, which cannot read a form element.)
    const form = screen.getByRole('form', { name: 'order' }) as HTMLFormElement;
    const submitted = () => {
      const field = form.elements.namedItem('fruit') as HTMLSelectElement | null;
      return field && !field.disabled ? field.value : null;
    };
    expect(submitted()).toBe('cherry');
    await arrive();
    expect(submitted()).toBe('cherry');
  });

  it('a click opens the listbox once the code has come, on the chosen option, focused', async () => {
    const user = userEvent.setup();
    render(<Fruit />);
    await user.click(combobox());
    expect(screen.queryByRole('listbox')).toBeNull(); // still loading
    await arrive();
    const listbox = await screen.findByRole('listbox');
    expect(combobox()).toHaveAttribute('aria-expanded', 'true');
    expect(combobox()).toHaveAttribute('aria-controls', listbox.id);
    const banana = within(listbox).getByRole('option', { name: 'Banana' });
    expect(banana).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(banana).toHaveFocus());
    // From here it is Radix's select: choose with the keyboard, Escape back to the trigger.
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(within(listbox).getByRole('option', { name: 'Cherry' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    await waitFor(() => expect(combobox()).toHaveFocus());
    expect(combobox()).toHaveAttribute('aria-expanded', 'false');
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('option', { name: 'Apple' }));
    expect(combobox()).toHaveTextContent('Apple');
  });

  it.each([['{Enter}'], ['{ArrowDown}'], ['{ArrowUp}'], [' ']])('the key %s opens it, as on Radix’s trigger', async (key) => {
    const user = userEvent.setup();
    render(<Fruit initial="cherry" />);
    await user.tab();
    expect(combobox()).toHaveFocus();
    await user.keyboard(key);
    await arrive();
    const cherry = await screen.findByRole('option', { name: 'Cherry' });
    expect(cherry).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(cherry).toHaveFocus());
    await user.keyboard('{Escape}');
    await waitFor(() => expect(combobox()).toHaveFocus());
  });

  it('keeps focus on the trigger when Radix’s replaces it, without opening', async () => {
    const user = userEvent.setup();
    render(<Fruit />);
    await user.tab();
    const light = combobox();
    expect(light).toHaveFocus();
    await arrive();
    expect(combobox()).not.toBe(light);
    expect(combobox()).toHaveFocus();
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.keyboard('{ArrowDown}'); // and it is Radix's trigger now
    expect(await screen.findByRole('listbox')).toBeInTheDocument();
  });

  it('does not open behind the user’s back once they have moved on', async () => {
    const user = userEvent.setup();
    render(
      <>
        <Fruit />
        <button type="button">elsewhere</button>
      </>,
    );
    await user.click(combobox());
    await user.click(screen.getByRole('button', { name: 'elsewhere' }));
    await arrive();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'elsewhere' })).toHaveFocus();
  });

  it('letters typed at it pick an option by Radix’s typeahead once the code has come', async () => {
    const user = userEvent.setup();
    render(<Fruit />);
    await user.tab();
    await user.keyboard('c');
    expect(combobox()).toHaveTextContent('Banana'); // nothing to pick with yet
    await arrive();
    await waitFor(() => expect(combobox()).toHaveTextContent('Cherry'));
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(combobox()).toHaveFocus();
  });

  it('under StrictMode too: a click opens it, typed letters pick', async () => {
    const user = userEvent.setup();
    render(
      <React.StrictMode>
        <Fruit />
      </React.StrictMode>,
    );
    await user.tab();
    await user.keyboard('a');
    await arrive();
    await waitFor(() => expect(combobox()).toHaveTextContent('Apple'));
    expect(combobox()).toHaveFocus();
    hold = holdSelectFieldRadix();
    await act(async () => {}); // back to the light trigger
    await user.click(combobox());
    await arrive();
    const apple = await screen.findByRole('option', { name: 'Apple' });
    await waitFor(() => expect(apple).toHaveFocus());
  });

  it('starts loading when reached for (hover, focus), not before', async () => {
    const user = userEvent.setup();
    render(<Fruit />);
    expect(hold!.requests()).toBe(0);
    await user.hover(combobox());
    expect(hold!.requests()).toBe(1);
    await user.tab();
    expect(hold!.requests()).toBe(2); // the same load: lazyModule makes one
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('does nothing when disabled', async () => {
    const user = userEvent.setup();
    render(<Fruit disabled />);
    expect(combobox()).toBeDisabled();
    await user.click(combobox());
    await arrive();
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('AspectRatioPicker: a click before load opens the ratios on the current one', async () => {
    const user = userEvent.setup();
    renderKit(<AspectRatioPicker />);
    const trigger = screen.getByRole('combobox', { name: 'Aspect ratio' });
    expect(trigger).toHaveTextContent('1:1');
    expect(trigger).toHaveClass('gen-SelectField-trigger', 'gen-AspectRatioPicker-trigger');
    await user.click(trigger);
    await arrive();
    const listbox = await screen.findByRole('listbox');
    const current = within(listbox).getByRole('option', { name: /^1:1/ });
    expect(current).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(current).toHaveFocus());
  });
});
