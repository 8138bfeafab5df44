'use client';
/**
 * The kit's one Radix Select: a visible label, a trigger named by it, and a popover portalled to
 * `<body>` that carries the trigger's theme. Used by AspectRatioPicker and PromptForm's Resolution
 * and Count. Each caller keeps its own stable class names (`gen-AspectRatioPicker-trigger`,
 * `gen-PromptForm-select`, …) next to the shared `gen-SelectField-*` ones styled in SelectField.css.
 */
import * as React from 'react';
import * as Select from '@radix-ui/react-select';
import { cx } from '../../hooks/cx';
import { readTheme } from '../../hooks/readTheme';

export interface SelectFieldOption {
  value: string;
  /** The option's name (Radix points `aria-labelledby` at it); also what the trigger shows by default. */
  text: React.ReactNode;
  disabled?: boolean;
  /** Extra attributes for the option element (e.g. `data-ratio`). */
  data?: Readonly<Record<`data-${string}`, string>>;
}

/** The caller's own class for each piece, kept so host CSS written against them still applies. */
export interface SelectFieldClassNames {
  root: string;
  label: string;
  trigger: string;
  icon: string;
  content: string;
  viewport: string;
  item: string;
  /** With it, a checked option shows a check mark in an element of this class. */
  check?: string;
  /** With it, the popover has scroll buttons of this class when its list overflows. */
  scroll?: string;
}

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
}

/**
 * @selector [data-invalid] [data-disabled] on the root; Radix's `data-state="open" | "closed"`,
 * `data-highlighted`, `data-disabled` on trigger, content and options.
 */
export const SelectField = React.forwardRef<HTMLDivElement, SelectFieldProps>(function SelectField(
  { label, value, options, onValueChange, classNames, valueText, disabled, invalid, describedBy, name, className, ...rest },
  ref,
) {
  const labelId = React.useId();
  const triggerRef = React.useRef<HTMLButtonElement | null>(null);
  const [themeStyle, setThemeStyle] = React.useState<React.CSSProperties>({});
  const shown = valueText !== undefined ? valueText : (options.find((o) => o.value === value)?.text ?? value);
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
      <Select.Root
        value={value}
        onValueChange={onValueChange}
        disabled={disabled}
        name={name}
        onOpenChange={(open) => {
          if (open) setThemeStyle(readTheme(triggerRef.current));
        }}
      >
        <Select.Trigger
          className={cx('gen-SelectField-trigger', classNames.trigger)}
          aria-labelledby={labelId}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          ref={triggerRef}
        >
          {/* Rendered here rather than portalled from the chosen option after mount, so the server's
              HTML and the first client render already show the value. */}
          <Select.Value>{shown}</Select.Value>
          <Select.Icon className={cx('gen-SelectField-icon', classNames.icon)}>
            <Chevron direction="down" />
          </Select.Icon>
        </Select.Trigger>
        <Select.Portal>
          <SelectFieldContent options={options} classNames={classNames} style={themeStyle} />
        </Select.Portal>
      </Select.Root>
    </div>
  );
});

interface SelectFieldContentProps {
  options: readonly SelectFieldOption[];
  classNames: SelectFieldClassNames;
  style: React.CSSProperties;
}

function SelectFieldContent({ options, classNames, style }: SelectFieldContentProps) {
  return (
    <Select.Content className={cx('gen-SelectField-content', classNames.content)} position="popper" sideOffset={6} style={style}>
      {classNames.scroll ? (
        <Select.ScrollUpButton className={cx('gen-SelectField-scroll', classNames.scroll)}>
          <Chevron direction="up" />
        </Select.ScrollUpButton>
      ) : null}
      <Select.Viewport className={cx('gen-SelectField-viewport', classNames.viewport)}>
        {options.map((option) => (
          <Select.Item
            key={option.value}
            value={option.value}
            disabled={option.disabled}
            className={cx('gen-SelectField-item', classNames.item)}
            {...option.data}
          >
            <Select.ItemText>{option.text}</Select.ItemText>
            {classNames.check ? (
              <Select.ItemIndicator className={cx('gen-SelectField-check', classNames.check)}>
                <Check />
              </Select.ItemIndicator>
            ) : null}
          </Select.Item>
        ))}
      </Select.Viewport>
      {classNames.scroll ? (
        <Select.ScrollDownButton className={cx('gen-SelectField-scroll', classNames.scroll)}>
          <Chevron direction="down" />
        </Select.ScrollDownButton>
      ) : null}
    </Select.Content>
  );
}

function Chevron({ direction }: { direction: 'up' | 'down' }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path
        d={direction === 'down' ? 'M3 4.5 6 7.5 9 4.5' : 'M3 7.5 6 4.5 9 7.5'}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function Check() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2.5 6.5 5 9l4.5-6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
