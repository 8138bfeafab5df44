'use client';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { GeneratorState } from '../store/types';
import type { GeneratorStore } from '../store';
import { useGeneratorContext } from './GeneratorContext';

/**
 * Reads the nearest generator store through a selector. Keep selectors narrow (one primitive or a
 * stable reference) so a progress tick re-renders only what reads progress.
 *
 * @example const prompt = useGenerator((s) => s.prompt);
 */
export function useGenerator<T>(selector: (state: GeneratorState) => T): T {
  const { store } = useGeneratorContext('useGenerator');
  return useStore(store, selector);
}

/** Like `useGenerator`, for selectors that build arrays or objects (compared shallowly). */
export function useGeneratorShallow<T>(selector: (state: GeneratorState) => T): T {
  const { store } = useGeneratorContext('useGeneratorShallow');
  return useStore(store, useShallow(selector));
}

/** The store itself, for actions: `useGeneratorStore().getState().submit()`. */
export function useGeneratorStore(): GeneratorStore {
  return useGeneratorContext('useGeneratorStore').store;
}

/** The merged labels of the nearest provider. */
export function useLabels() {
  return useGeneratorContext('useLabels').labels;
}
