/**
 * The mask editor's keyboard, for the dialog (./MaskEditorDialog.tsx). On the stage, with the
 * Rectangle tool: arrows move the selection, Shift+arrows resize it (announced in a status line),
 * Enter paints it, Alt+Enter erases it. Anywhere in the dialog but a text field: B / E / R tools,
 * `[` / `]` size, Ctrl/⌘+Z undo, Shift+Ctrl/⌘+Z (or Ctrl+Y) redo; then the modal's own keys
 * (../internal/modal.ts), for the "Discard changes?" confirmation while it is open.
 */
import * as React from 'react';
import type { Labels } from '../../labels/en';
import { modalKeyDown } from '../internal/modal';
import type { MaskBitmap, MaskRect } from './maskBitmap';
import { ARROWS, bound, initialSelection, type Tool } from './maskGeometry';
import type { Editor } from './useMaskCanvas';

export interface MaskKeyboardOptions {
  labels: Labels;
  editor: Editor | undefined;
  /** The reference's pixel size (selections are announced in its pixels). */
  size: { width: number; height: number } | undefined;
  tool: Tool;
  selection: MaskRect | undefined;
  setSelection: (rect: MaskRect) => void;
  confirming: boolean;
  dialogRef: React.RefObject<HTMLDivElement | null>;
  confirmRef: React.RefObject<HTMLDivElement | null>;
  edit: (run: (bitmap: MaskBitmap) => void) => void;
  undo: () => void;
  redo: () => void;
  pickTool: (tool: Tool) => void;
  resize: (direction: -1 | 1) => void;
  requestClose: () => void;
  keepEditing: () => void;
}

type KeyHandler = (event: React.KeyboardEvent<HTMLDivElement>) => void;

/** The stage's and the dialog's key handlers, and the status line the selection is announced in. */
export function useMaskKeyboard(options: MaskKeyboardOptions) {
  const { labels, editor, size, tool, selection, setSelection, confirming, dialogRef, confirmRef } = options;
  const { edit, undo, redo, pickTool, resize, requestClose, keepEditing } = options;
  const [status, setStatus] = React.useState('');

  const announceSelection = (rect: MaskRect) => {
    if (!editor || !size) return;
    const f = size.width / editor.bitmap.width;
    setStatus(labels.maskSelection(Math.round(rect.x * f), Math.round(rect.y * f), Math.round(rect.w * f), Math.round(rect.h * f)));
  };

  const onStageKeyDown: KeyHandler = (event) => {
    if (tool !== 'rectangle' || !editor || confirming || event.ctrlKey || event.metaKey) return;
    const { bitmap } = editor;
    const current = selection ?? initialSelection(bitmap);
    const arrow = ARROWS[event.key];
    if (arrow && !event.altKey) {
      event.preventDefault();
      const step = Math.max(1, Math.round(Math.max(bitmap.width, bitmap.height) / 40));
      const [dx, dy] = arrow;
      const next = event.shiftKey
        ? { ...current, w: current.w + dx * step, h: current.h + dy * step }
        : { ...current, x: current.x + dx * step, y: current.y + dy * step };
      const bounded = bound(next, bitmap.width, bitmap.height);
      setSelection(bounded);
      announceSelection(bounded);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      setSelection(current);
      edit((b) => b.fillRect(current, event.altKey ? 0 : 255));
    }
  };

  const onKeyDown: KeyHandler = (event) => {
    // The dialog's keys are its own (the tray item around the opener moves references with Alt+arrows).
    event.stopPropagation();
    if (confirming) {
      modalKeyDown(event, confirmRef.current, keepEditing);
      return;
    }
    const typing = isTextField(event.target);
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (!typing && !event.nativeEvent.isComposing) {
      if (mod && !event.altKey && (key === 'z' || key === 'y')) {
        event.preventDefault();
        if (key === 'y' || event.shiftKey) redo();
        else undo();
        return;
      }
      if (!mod && !event.altKey) {
        const action: Record<string, () => void> = {
          b: () => pickTool('brush'),
          e: () => pickTool('eraser'),
          r: () => pickTool('rectangle'),
          '[': () => resize(-1),
          ']': () => resize(1),
        };
        const run = action[key];
        if (run) {
          event.preventDefault();
          run();
          return;
        }
      }
    }
    modalKeyDown(event, dialogRef.current, requestClose);
  };

  return { status, onStageKeyDown, onKeyDown };
}

/** Whether the keys are a Mac's (⌘ rather than Ctrl in the keyboard hint). */
export function useIsMac(): boolean {
  return React.useSyncExternalStore(subscribeNothing, detectMac, () => false);
}

/** Where typing goes: shortcuts stay off there. The slider is not one (its arrows are its own). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button', 'submit', 'reset'].includes((target as HTMLInputElement).type);
}

const subscribeNothing = () => () => {};
function detectMac(): boolean {
  if (typeof navigator === 'undefined') return false;
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}
