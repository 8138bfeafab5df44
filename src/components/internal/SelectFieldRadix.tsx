'use client';
/**
 * SelectField's Radix half, loaded on demand (SelectField.tsx declares it with `lazyModule`): the
 * Radix Select root, trigger and portalled popover. Until this module has loaded, SelectField shows
 * SelectFieldLight, a trigger with the same HTML, names and classes; this one takes over from it —
 * already open if the user asked the light trigger to open, and focused if the light one was.
 */
import * as React from 'react';
import * as Select from '@radix-ui/react-select';
import { cx } from '../../hooks/cx';
import { readTheme } from '../../hooks/readTheme';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import type { SelectFieldClassNames, SelectFieldOption, SelectFieldTriggerProps } from './SelectFieldTypes';
import { Chevron } from './SelectFieldIcons';
import { PortalContainerContext } from './PortalContainer';

export function SelectFieldRadix({
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
}: SelectFieldTriggerProps) {
  const triggerRef = React.useRef<HTMLButtonElement | null>(null);
  const portalContainer = React.useContext(PortalContainerContext);
  const [themeStyle, setThemeStyle] = React.useState<React.CSSProperties>({});
  // What the light trigger left for us. Whether to open is read at once (it is Radix's initial
  // state); focus and typed letters once mounted, as the light trigger records focus on unmount.
  const [open] = React.useState(() => handover.open);
  const typed = React.useRef<string[] | undefined>(undefined);
  useIsomorphicLayoutEffect(() => {
    const trigger = triggerRef.current;
    if (!trigger || typed.current) return;
    typed.current = handover.keys;
    const focus = open || handover.focus || handover.keys.length > 0;
    handover.open = handover.focus = false;
    handover.keys = [];
    if (open) setThemeStyle(readTheme(trigger));
    if (focus) trigger.focus({ preventScroll: true });
  }, [open, handover]);
  React.useEffect(() => {
    // Letters typed at the light trigger: Radix's own typeahead picks the option, as if typed here.
    // After a task: Radix collects its options (for typeahead) in a render that follows this mount.
    const keys = typed.current ?? [];
    if (keys.length === 0) return;
    const timer = setTimeout(() => {
      typed.current = [];
      for (const key of keys) triggerRef.current?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    });
    return () => clearTimeout(timer);
  }, []);
  return (
    <Select.Root
      value={value}
      onValueChange={onValueChange}
      disabled={disabled}
      name={name}
      defaultOpen={open}
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
        <Select.Value placeholder={placeholder}>{shown}</Select.Value>
        <Select.Icon className={cx('gen-SelectField-icon', classNames.icon)}>
          <Chevron direction="down" />
        </Select.Icon>
      </Select.Trigger>
      <Select.Portal container={portalContainer}>
        <SelectFieldContent options={options} classNames={classNames} style={themeStyle} />
      </Select.Portal>
    </Select.Root>
  );
}

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
        {groups(options).map(({ heading, items }, i) =>
          heading === undefined ? (
            items.map((option) => <SelectFieldItem key={option.value} option={option} classNames={classNames} />)
          ) : (
            <Select.Group key={`${i}:${heading}`} className="gen-SelectField-group">
              <Select.Label className={cx('gen-SelectField-groupLabel', classNames.groupLabel)}>{heading}</Select.Label>
              {items.map((option) => (
                <SelectFieldItem key={option.value} option={option} classNames={classNames} />
              ))}
            </Select.Group>
          ),
        )}
      </Select.Viewport>
      {classNames.scroll ? (
        <Select.ScrollDownButton className={cx('gen-SelectField-scroll', classNames.scroll)}>
          <Chevron direction="down" />
        </Select.ScrollDownButton>
      ) : null}
    </Select.Content>
  );
}

function SelectFieldItem({ option, classNames }: { option: SelectFieldOption; classNames: SelectFieldClassNames }) {
  return (
    <Select.Item value={option.value} disabled={option.disabled} className={cx('gen-SelectField-item', classNames.item)} {...option.data}>
      <Select.ItemText>{option.text}</Select.ItemText>
      {classNames.check ? (
        <Select.ItemIndicator className={cx('gen-SelectField-check', classNames.check)}>
          <Check />
        </Select.ItemIndicator>
      ) : null}
    </Select.Item>
  );
}

/** Consecutive options under one heading (`group`), in order; options without one stand alone. */
function groups(options: readonly SelectFieldOption[]): Array<{ heading: string | undefined; items: SelectFieldOption[] }> {
  const out: Array<{ heading: string | undefined; items: SelectFieldOption[] }> = [];
  for (const option of options) {
    const last = out[out.length - 1];
    if (last && last.heading === option.group) last.items.push(option);
    else out.push({ heading: option.group, items: [option] });
  }
  return out;
}

function Check() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2.5 6.5 5 9l4.5-6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
