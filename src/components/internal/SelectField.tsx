'use client';
/**
 * The kit's one Radix Select: a visible label, a trigger named by it, and a popover portalled to
 * `<body>` that carries the trigger's theme. Used by AspectRatioPicker and PromptForm's Resolution
 * and Count. Each caller keeps its own stable class names (`gen-AspectRatioPicker-trigger`,
 * `gen-PromptForm-select`, …) next to the shared `gen-SelectField-*` ones styled in SelectField.css.
 *
 * Radix Select (with Floating UI and its focus and scroll locks) is not in a page's first load: it
 * sits in SelectFieldRadix.tsx, an on-demand module (core/util/lazy.ts) that arrives when the
 * browser is idle (GeneratorProvider's prefetch) or when the user first reaches for a select. Until
 * then SelectField renders SelectFieldLight: Radix's closed trigger, the same HTML, names, classes
 * and data attributes, which loads the module on the gestures Radix opens on and hands over to Radix
 * (open, focused, letters typed so far) once it has come. The server always renders the light
 * trigger, so hydration never depends on whether the module has loaded.
 */
import * as React from 'react';
import { lazyModule } from '../../core/util/lazy';
import { cx } from '../../hooks/cx';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import { Chevron } from './SelectFieldIcons';
import type { SelectFieldClassNames, SelectFieldHandover, SelectFieldOption, SelectFieldTriggerProps } from './SelectFieldTypes';

export type { SelectFieldClassNames, SelectFieldHandover, SelectFieldOption, SelectFieldTriggerProps };

export interface SelectFieldProps extends Omit<React.ComponentPropsWithoutRef<'div'>, 'defaultValue' | 'dir' | 'onChange'> {
  label: React.ReactNode;
  value: string;
  options: readonly SelectFieldOption[];
  onValueChange: (value: string) => void;
  classNames: SelectFieldClassNames;
  /** What the trigger shows; defaults to the chosen option's text (rendered here, so server HTML has it). */
  valueText?: React.ReactNode;
  disabled?: boolean | undefined;
  invalid?: boolean | undefined;
  /** Ids of the messages about this field (the trigger's `aria-describedby`). */
  describedBy?: string | undefined;
  /** Name of the hidden native select Radix renders inside a `<form>`. */
  name?: string | undefined;
  /** What the trigger shows while no option is chosen (`value` is ''). */
  placeholder?: React.ReactNode;
}


type RadixPart = typeof import('./SelectFieldRadix');

let loaded: RadixPart | undefined;
const listeners = /* @__PURE__ */ new Set<() => void>();
function arrived(part: RadixPart): RadixPart {
  if (loaded !== part) {
    loaded = part;
    for (const listener of listeners) listener();
  }
  return part;
}
const radixPart = /* @__PURE__ */ lazyModule(() => import('./SelectFieldRadix').then(arrived));

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
const loadedPart = () => loaded;
const serverPart = () => undefined;

let held: Promise<void> | undefined;
let heldRequests = 0;
function loadRadix(): Promise<RadixPart> {
  if (!held) return radixPart.load();
  heldRequests++;
  return held.then(() => radixPart.load()).then(arrived);
}

/**
 * Tests only: from now on SelectField acts as if its Radix module had not loaded — mounted fields
 * switch back to the light trigger and gestures wait — until the returned `release()`, which makes
 * it arrive (as an idle prefetch finishing would). `requests()`: loads asked for meanwhile.
 */
export function holdSelectFieldRadix(): { release: () => void; requests: () => number } {
  let release!: () => void;
  held = new Promise<void>((resolve) => (release = resolve));
  heldRequests = 0;
  const part = loaded ?? radixPart.get();
  loaded = undefined;
  for (const listener of listeners) listener();
  return {
    release: () => {
      held = undefined;
      release();
      const now = radixPart.get() ?? part;
      if (now) arrived(now);
    },
    requests: () => heldRequests,
  };
}

/**
 * @selector [data-invalid] [data-disabled] on the root; Radix's `data-state="open" | "closed"`,
 * `data-highlighted`, `data-disabled` on trigger, content and options.
 */
export const SelectField = React.forwardRef<HTMLDivElement, SelectFieldProps>(function SelectField(
  { label, value, options, onValueChange, classNames, valueText, disabled, invalid, describedBy, name, placeholder, className, ...rest },
  ref,
) {
  const labelId = React.useId();
  const part = React.useSyncExternalStore(subscribe, loadedPart, serverPart);
  const [handover] = React.useState<SelectFieldHandover>(() => ({ open: false, focus: false, keys: [] }));
  const shown = valueText !== undefined ? valueText : (options.find((o) => o.value === value)?.text ?? value);
  const trigger: SelectFieldTriggerProps = {
    labelId,
    value,
    options,
    onValueChange,
    classNames,
    shown,
    placeholder,
    disabled,
    invalid,
    describedBy,
    name,
    handover,
  };
  return (
    <div
      data-disabled={disabled ? '' : undefined}
      data-invalid={invalid ? '' : undefined}
      {...rest}
      className={cx(classNames.root, className)}
      ref={ref}
    >
      <span className={classNames.label} id={labelId}>
        {label}
      </span>
      {part ? <part.SelectFieldRadix {...trigger} /> : <SelectFieldLight {...trigger} />}
    </div>
  );
});

/** The keys that open Radix's trigger. */
const OPEN_KEYS = [' ', 'Enter', 'ArrowUp', 'ArrowDown'];

/** Radix's visually hidden style, for the native select it renders for forms. */
const VISUALLY_HIDDEN: React.CSSProperties = {
  position: 'absolute',
  border: 0,
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  wordWrap: 'normal',
};

/**
 * Radix Select's closed trigger without Radix, shown until SelectFieldRadix has loaded: the same
 * element, attributes (server HTML included) and hidden native select for forms. Hover and focus
 * start loading the module; the gestures Radix opens on also leave `handover.open` set, so Radix
 * mounts open; letters typed are kept for Radix's typeahead; focus moves to Radix's trigger when it
 * replaces this one.
 */
function SelectFieldLight({
  labelId,
  value,
  options,
  onValueChange,
  classNames,
  shown,
  placeholder: placeholderText,
  disabled,
  invalid,
  describedBy,
  name,
  handover,
}: SelectFieldTriggerProps) {
  const ref = React.useRef<HTMLButtonElement | null>(null);
  const pointerType = React.useRef('touch');
  // Like Radix: the native select is rendered until the trigger is known (server, first render),
  // then only inside a form. undefined: not known yet.
  const [form, setForm] = React.useState<HTMLFormElement | null | undefined>(undefined);
  const latest = React.useRef({ value, onValueChange });
  latest.current = { value, onValueChange };
  const initialValue = React.useRef(value);

  useIsomorphicLayoutEffect(() => {
    const el = ref.current;
    setForm(el?.closest('form') ?? null);
    // Runs before React removes the button (when Radix's trigger replaces it): was it focused?
    return () => void (handover.focus = !!el && el.ownerDocument.activeElement === el);
  }, [handover]);
  React.useEffect(() => {
    if (!form) return;
    // Radix puts the field back to its first value when its form is reset.
    const reset = () => {
      if (latest.current.value !== initialValue.current) latest.current.onValueChange(initialValue.current);
    };
    form.addEventListener('reset', reset);
    return () => form.removeEventListener('reset', reset);
  }, [form]);

  const request = (open: boolean, key?: string) => {
    if (disabled) return;
    if (open) {
      handover.open = true;
      handover.keys = [];
    } else if (key !== undefined && !handover.open) {
      handover.keys.push(key);
    }
    loadRadix().catch(() => {
      // A failed load (offline): forget the gesture; the next one tries again.
      handover.open = false;
      handover.keys = [];
    });
  };

  const warm = () => void loadRadix().catch(() => {});

  const placeholder = value === '';
  return (
    <>
      <button
        type="button"
        role="combobox"
        aria-expanded={false}
        aria-autocomplete="none"
        dir="ltr"
        data-state="closed"
        disabled={disabled || false}
        data-disabled={disabled ? '' : undefined}
        data-placeholder={placeholder ? '' : undefined}
        className={cx('gen-SelectField-trigger', classNames.trigger)}
        aria-labelledby={labelId}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        ref={ref}
        onClick={(event) => {
          event.currentTarget.focus();
          if (pointerType.current !== 'mouse') request(true);
        }}
        onPointerDown={(event) => {
          pointerType.current = event.pointerType;
          if (event.button === 0 && !event.ctrlKey && event.pointerType === 'mouse') {
            request(true);
            event.preventDefault();
            // Radix's popover takes focus as it opens; until it has come, the trigger holds it.
            event.currentTarget.focus();
          }
        }}
        onKeyDown={(event) => {
          const typingAhead = handover.keys.length > 0;
          if (!event.ctrlKey && !event.altKey && !event.metaKey && event.key.length === 1 && (event.key !== ' ' || typingAhead)) {
            request(false, event.key);
            if (event.key === ' ') event.preventDefault();
            return;
          }
          if (OPEN_KEYS.includes(event.key)) {
            request(true);
            event.preventDefault();
          }
        }}
        // Reaching for it (hover, focus) fetches the code, so that a press usually finds it there.
        onPointerEnter={warm}
        onFocus={warm}
        onBlur={() => {
          // Focus went elsewhere before Radix came: it must not open (or pick) behind the user's back.
          handover.open = false;
          handover.keys = [];
        }}
      >
        <span style={{ pointerEvents: 'none' }}>{placeholder ? placeholderText : shown}</span>
        <span aria-hidden className={cx('gen-SelectField-icon', classNames.icon)}>
          <Chevron direction="down" />
        </span>
      </button>
      {form !== null ? (
        <select
          aria-hidden
          tabIndex={-1}
          name={name}
          disabled={disabled}
          style={VISUALLY_HIDDEN}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
        >
          {placeholder && !options.some((o) => o.value === '') ? <option value="" /> : null}
          {form
            ? options.map((o) => (
                <option key={o.value} value={o.value} disabled={o.disabled}>
                  {typeof o.text === 'string' || typeof o.text === 'number' ? o.text : null}
                </option>
              ))
            : null}
        </select>
      ) : null}
    </>
  );
}
