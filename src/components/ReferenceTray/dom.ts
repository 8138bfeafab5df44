'use client';
import * as React from 'react';

/** What the file picker offers; the store still checks the bytes (a renamed PDF is refused there). */
export const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';
/** Drag payload of a tray item being reordered, so it is never mistaken for a file drop. */
export const REFERENCE_DRAG_TYPE = 'application/x-gen-reference';

export const KEY_DELTA: Partial<Record<string, number>> = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1 };

export type TrayState = 'empty' | 'filled' | 'full';

export function trayState(count: number, max: number): TrayState {
  return count === 0 ? 'empty' : count >= max ? 'full' : 'filled';
}

export function hasType(dt: DataTransfer | null | undefined, type: string): boolean {
  return !!dt && Array.from(dt.types ?? []).includes(type);
}

export function hasFiles(dt: DataTransfer | null | undefined): boolean {
  return hasType(dt, 'Files');
}

export function filesFromDataTransfer(dt: DataTransfer | null | undefined): File[] {
  if (!dt) return [];
  const files = Array.from(dt.files ?? []);
  if (files.length) return files;
  return Array.from(dt.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((f): f is File => f !== null);
}

export function isImageFile(file: File): boolean {
  return /^image\//i.test(file.type);
}

export function isTextField(target: Node | null): boolean {
  if (!target || target.nodeType !== 1) return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit'].includes(type);
}

export function findItem(root: HTMLElement | null, id: string): HTMLElement | undefined {
  if (!root) return undefined;
  return Array.from(root.querySelectorAll<HTMLElement>('.gen-ReferenceTray-item')).find(
    (el) => el.dataset.referenceId === id,
  );
}

export function useComposedRef<T>(
  own: React.RefObject<T | null>,
  forwarded: React.ForwardedRef<T> | null,
): React.RefCallback<T> {
  return React.useCallback(
    (node: T | null) => {
      own.current = node;
      if (typeof forwarded === 'function') forwarded(node);
      else if (forwarded) forwarded.current = node;
    },
    [own, forwarded],
  );
}
