/** The shapes SelectField and its on-demand Radix half (SelectFieldRadix.tsx) share. */
import type * as React from 'react';

export interface SelectFieldOption {
  value: string;
  /** The option's name (Radix points `aria-labelledby` at it); also what the trigger shows by default. */
  text: React.ReactNode;
  disabled?: boolean;
  /** Extra attributes for the option element (e.g. `data-ratio`). */
  data?: Readonly<Record<`data-${string}`, string>>;
  /** Heading of the group the option is listed under; consecutive options with one heading form a group. */
  group?: string;
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
  /** The class of a group's heading (options with a `group`). */
  groupLabel?: string;
}

/** What the light trigger leaves for the Radix one, per field. */
export interface SelectFieldHandover {
  /** Open the Radix select as it mounts: the user asked the light trigger to. */
  open: boolean;
  /** The light trigger had focus when it was replaced. */
  focus: boolean;
  /** Letters typed at the light trigger (typeahead), for Radix's trigger to take in order. */
  keys: string[];
}

/** What SelectField hands to whichever trigger it renders. */
export interface SelectFieldTriggerProps {
  labelId: string;
  value: string;
  options: readonly SelectFieldOption[];
  onValueChange: (value: string) => void;
  classNames: SelectFieldClassNames;
  shown: React.ReactNode;
  /** What the trigger shows while no option is chosen (`value` is ''). */
  placeholder?: React.ReactNode;
  disabled: boolean | undefined;
  invalid: boolean | undefined;
  describedBy: string | undefined;
  name: string | undefined;
  handover: SelectFieldHandover;
}
