'use client';
/**
 * The Radix `value`/`defaultValue`/`onValueChange` trio over the store, shared by PromptForm's
 * prompt, AspectRatioPicker's ratio and the provider's parameters.
 */
import * as React from 'react';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';

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
