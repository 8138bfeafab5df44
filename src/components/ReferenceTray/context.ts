'use client';
import * as React from 'react';

const ROOT_NAME = 'ReferenceTrayRoot';

export interface ReferenceTrayContextValue {
  disabled: boolean;
  /** The `max` prop: shown from the first render (the server's too), before the store applies it. */
  max: number;
  /** Id of the visually hidden reorder hint each item is described by. */
  hintId: string;
  /** Adds files through the store and announces how many made it in. */
  addFiles: (files: File[]) => void;
  announce: (message: string) => void;
  /** The file input, registered by the dropzone (focus lands there when the list empties). */
  inputRef: React.RefObject<HTMLInputElement | null>;
  rootRef: React.RefObject<HTMLElement | null>;
}

export const ReferenceTrayContext = React.createContext<ReferenceTrayContextValue | null>(null);
/** Kept apart so a drag over the tray re-renders the dropzone only, never the list. */
export const DropTargetContext = React.createContext(false);
/** The reference an item shows, for the parts inside it (`ReferenceTrayRemove`). */
export const ItemContext = React.createContext<string | null>(null);

export function useReferenceTrayContext(caller: string): ReferenceTrayContextValue {
  const value = React.useContext(ReferenceTrayContext);
  if (!value) throw new Error(`[gen] \`${caller}\` must be rendered inside <${ROOT_NAME}>.`);
  return value;
}

/** The reference a part acts on: its own `referenceId` prop, else the enclosing item's. */
export function useItemReference(caller: string, explicit: string | undefined): string {
  const item = React.useContext(ItemContext);
  const referenceId = explicit ?? item;
  if (referenceId === null) {
    throw new Error(`[gen] \`${caller}\` must be rendered inside <ReferenceTrayItem>, or be given a \`referenceId\`.`);
  }
  return referenceId;
}
