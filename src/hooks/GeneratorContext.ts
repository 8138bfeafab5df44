'use client';
import * as React from 'react';
import type { GeneratorStore } from '../store';
import type { Labels } from '../labels/en';
import type { ModelParameters } from '../core/parameters';

export interface GeneratorContextValue {
  store: GeneratorStore;
  labels: Labels;
  /**
   * How the kit's controls change the model parameters: through the provider's
   * `parameters`/`onParametersChange` when controlled. Without it they write the store.
   */
  setParameters?: (parameters: ModelParameters) => void;
  /** The provider's `history` prop: `false` hides the prompt history button even over a host's own store. */
  history?: boolean;
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
