'use client';
import * as React from 'react';
import type { GenerationField } from '../../core/models';

/** Ids shared between PromptForm's parts; optional, so parts also work on their own. */
export interface PromptFormContextValue {
  /** Base for every id the parts link with `aria-describedby`. */
  baseId: string;
  /** The prompt textarea, focused when Generate finds a problem with the prompt. */
  promptRef: React.RefObject<HTMLTextAreaElement | null>;
  /**
   * How another part puts text in the prompt as if typed (`onValueChange` runs, a controlled prompt
   * follows): set by `PromptFormPrompt`, used by the prompt history. Null without a prompt part.
   */
  writePromptRef?: React.RefObject<((value: string) => void) | null>;
}

export const PromptFormContext = React.createContext<PromptFormContextValue | null>(null);

/** Ids from the nearest `PromptFormRoot`, or local ones when a part is used without it. */
export function usePromptFormIds(): PromptFormContextValue {
  const context = React.useContext(PromptFormContext);
  const localId = React.useId();
  const localRef = React.useRef<HTMLTextAreaElement | null>(null);
  return context ?? { baseId: localId, promptRef: localRef };
}

/** The `id` of the message for the `index`-th issue about `field`. */
export function issueId(baseId: string, field: GenerationField, index: number) {
  return `${baseId}-issue-${field}-${index}`;
}

/** The ids of the first `count` issues about `field`, space-separated; `undefined` for none. */
export function issueIds(baseId: string, field: GenerationField, count: number): string | undefined {
  if (count === 0) return undefined;
  return Array.from({ length: count }, (_, i) => issueId(baseId, field, i)).join(' ');
}

/** Fields whose issues go to the shared error area (the prompt's sit under the textbox). */
export const FORM_LEVEL_FIELDS: readonly GenerationField[] = ['model', 'aspectRatio', 'resolution', 'n', 'references', 'parameters', 'mask', 'generator'];
