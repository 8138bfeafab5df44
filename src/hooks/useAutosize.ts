'use client';
import type * as React from 'react';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';

/** Grows a textarea with its content where CSS `field-sizing: content` is not supported. */
export function useAutosize(ref: React.RefObject<HTMLTextAreaElement | null>, value: string) {
  useIsomorphicLayoutEffect(() => {
    const el = ref.current;
    if (!el || (typeof CSS !== 'undefined' && CSS.supports?.('field-sizing', 'content'))) return;
    el.style.height = 'auto';
    if (el.scrollHeight > 0) el.style.height = `${el.scrollHeight}px`;
  }, [ref, value]);
}
