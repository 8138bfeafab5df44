'use client';
import * as React from 'react';
import type { GeneratorStore } from '../store';
import type { Labels } from '../labels/en';

export interface GeneratorContextValue {
  store: GeneratorStore;
  labels: Labels;
}

export const GeneratorContext = React.createContext<GeneratorContextValue | null>(null);

/** The provider's value; throws a message naming the caller when there is no provider. */
export function useGeneratorContext(caller: string): GeneratorContextValue {
  const value = React.useContext(GeneratorContext);
  if (!value) {
    throw new Error(`[gen] \`${caller}\` must be rendered inside <GeneratorProvider>.`);
  }
  return value;
}
