'use client';
/**
 * Shared by the components that offer the Radix `value`/`defaultValue`/`onValueChange` trio over
 * the store (PromptForm's prompt, AspectRatioPicker's ratio), and by the Radix Select popovers that
 * are portalled to `<body>` and must keep their trigger's theme.
 */
import * as React from 'react';

export const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? React.useLayoutEffect : React.useEffect;

/** Grows a textarea with its content where CSS `field-sizing: content` is not supported. */
export function useAutosize(ref: React.RefObject<HTMLTextAreaElement | null>, value: string) {
  useIsomorphicLayoutEffect(() => {
    const el = ref.current;
    if (!el || (typeof CSS !== 'undefined' && CSS.supports?.('field-sizing', 'content'))) return;
    el.style.height = 'auto';
    if (el.scrollHeight > 0) el.style.height = `${el.scrollHeight}px`;
  }, [ref, value]);
}

const VALUE_PROPS = ['value', 'defaultValue'] as const;

export interface StoreControllableOptions<T> {
  /** Controlled when defined. */
  prop: T | undefined;
  /** Written to the store once on mount when uncontrolled. */
  defaultProp: T | undefined;
  /** Called on every user change, in both modes. */
  onChange: ((value: T) => void) | undefined;
  /** The store's current value (uncontrolled source of truth). */
  stored: T;
  /** The store action that writes the value. */
  write: (value: T) => void;
  /** Named in the development warning. */
  caller: string;
  /** The controlled and default props' names, for the warning. @default ['value', 'defaultValue'] */
  propNames?: readonly [string, string];
}

/**
 * The Radix `value`/`defaultValue`/`onValueChange` trio over the store: uncontrolled, it reads and
 * writes the store; controlled, it renders the prop, reports intent through `onChange` and mirrors
 * the prop into the store so Generate sends what the user sees.
 */
export function useStoreControllable<T>({ prop, defaultProp, onChange, stored, write, caller, propNames = VALUE_PROPS }: StoreControllableOptions<T>) {
  const isControlled = prop !== undefined;
  const writeRef = React.useRef(write);
  writeRef.current = write;

  const wasControlled = React.useRef(isControlled);
  React.useEffect(() => {
    if (wasControlled.current !== isControlled) {
      console.warn(
        `[gen] ${caller} is changing from ${wasControlled.current ? 'controlled' : 'uncontrolled'} to ${
          isControlled ? 'controlled' : 'uncontrolled'
        }. Decide between \`${propNames[0]}\` and \`${propNames[1]}\` for the component's lifetime.`,
      );
      wasControlled.current = isControlled;
    }
  }, [isControlled, caller, propNames]);

  const initialDefault = React.useRef(defaultProp);
  useIsomorphicLayoutEffect(() => {
    if (!isControlled && initialDefault.current !== undefined) writeRef.current(initialDefault.current);
  }, []); // only on mount: `defaultValue` is an initial value


  useIsomorphicLayoutEffect(() => {
    if (isControlled && !Object.is(stored, prop)) writeRef.current(prop);
  }, [isControlled, prop, stored]);

  const value = isControlled ? prop : stored;
  const setValue = React.useCallback(
    (next: T) => {
      onChange?.(next);
      if (!isControlled) writeRef.current(next);
    },
    [onChange, isControlled],
  );
  return [value, setValue] as const;
}

/** `--gen-*` tokens the popover needs; copied from the trigger because the popover is portalled to `<body>`. */
const PORTAL_TOKENS = [
  '--gen-font-family',
  '--gen-font-size',
  '--gen-font-size-sm',
  '--gen-line-height',
  '--gen-radius',
  '--gen-radius-sm',
  '--gen-space',
  '--gen-transition',
  '--gen-color-bg',
  '--gen-color-fg',
  '--gen-color-surface',
  '--gen-color-surface-fg',
  '--gen-color-muted',
  '--gen-color-muted-fg',
  '--gen-color-border',
  '--gen-color-border-strong',
  '--gen-color-accent',
  '--gen-color-accent-fg',
  '--gen-color-accent-soft',
  '--gen-focus-ring',
  '--gen-shadow-popover',
] as const;

/**
 * The trigger's resolved theme as inline custom properties, so a popover portalled outside a
 * `data-gen-theme="dark"` (or re-branded) container still looks like its trigger.
 */
export function readTheme(el: HTMLElement | null): React.CSSProperties {
  if (!el || typeof getComputedStyle !== 'function') return {};
  const computed = getComputedStyle(el);
  const style: React.CSSProperties = {};
  for (const token of PORTAL_TOKENS) {
    const value = computed.getPropertyValue(token).trim();
    if (value) style[token] = value;
  }
  const scheme = computed.getPropertyValue('color-scheme').trim();
  if (scheme && scheme !== 'normal') style.colorScheme = scheme;
  return style;
}
