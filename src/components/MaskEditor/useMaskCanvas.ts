/**
 * The mask editor's working bitmap and its picture, for the dialog (./MaskEditorDialog.tsx): the
 * bitmap made for the reference's size (./maskBitmap.ts), resumed from the last applied one; the
 * overlay canvas redrawn once per frame only where the bitmap changed; the edits recorded for undo
 * (`version` re-renders what depends on the mask); and the stage's size, to fit the image in it.
 */
import * as React from 'react';
import type { GeneratorStore } from '../../store/createGeneratorStore';
import type { ReferenceItem } from '../../store/types';
import { MaskBitmap, MaskHistory, unionRect, workingSize, type MaskRect } from './maskBitmap';
import { referenceSize } from './maskGeometry';

/** RGBA of painted pixels on the overlay canvas (the canvas itself is drawn half transparent). */
const PAINT = [255, 48, 48, 255] as const;

export interface Editor {
  bitmap: MaskBitmap;
  history: MaskHistory;
}

type Size = { width: number; height: number };

/**
 * The last applied working bitmap, so reopening the editor on the same mask goes on from it (the
 * uploaded PNG is never read back). Forgotten when that mask is no longer the store's.
 */
let kept: { referenceId: string; maskId: string | undefined; bitmap: MaskBitmap } | undefined;

/** Keeps `bitmap` as the one applied to `referenceId`, tied to the mask the store takes next. */
export function keepApplied(store: GeneratorStore, referenceId: string, bitmap: MaskBitmap): void {
  const entry = (kept = { referenceId, maskId: undefined as string | undefined, bitmap });
  const before = store.getState().mask;
  const unsubscribe = store.subscribe((s) => {
    if (s.mask === before) return;
    if (s.mask?.referenceId === entry.referenceId) entry.maskId = s.mask.id;
    unsubscribe();
  });
}

/** The reference's size (`natural` once the full image decodes, when the store has none) and its bitmap. */
export function useMaskBitmap(reference: ReferenceItem | undefined, store: GeneratorStore) {
  const [natural, setNatural] = React.useState<Size | undefined>(undefined);
  const size = referenceSize(reference, natural);
  const referenceId = reference?.id;
  const editor = React.useMemo<Editor | undefined>(() => {
    if (!size || referenceId === undefined) return undefined;
    const work = workingSize(size.width, size.height);
    const mask = store.getState().mask;
    const resume =
      kept && kept.referenceId === referenceId && mask?.id === kept.maskId && mask?.referenceId === referenceId
        ? kept.bitmap
        : undefined;
    const bitmap =
      resume && resume.width === work.width && resume.height === work.height
        ? new MaskBitmap(work.width, work.height, resume.data.slice())
        : new MaskBitmap(work.width, work.height);
    return { bitmap, history: new MaskHistory(30) };
  }, [size?.width, size?.height, referenceId, store]); // eslint-disable-line react-hooks/exhaustive-deps
  return { size, editor, setNatural };
}

/**
 * The overlay canvas of `editor`'s bitmap and the edits on it. `stroke` is the pointer's stroke in
 * progress (./useMaskPointer.ts): what changes while it lasts grows its area, for undo.
 */
export function useMaskCanvas(
  editor: Editor | undefined,
  canvasRef: React.RefObject<HTMLCanvasElement | null>,
  stroke: React.RefObject<{ rect: MaskRect | undefined } | undefined>,
) {
  const [version, setVersion] = React.useState(0);
  const overlay = React.useRef<{ image: ImageData; ctx: CanvasRenderingContext2D } | undefined>(undefined);
  const pending = React.useRef<MaskRect | undefined>(undefined);
  const frame = React.useRef<number | undefined>(undefined);

  const draw = React.useCallback(() => {
    frame.current = undefined;
    const rect = pending.current;
    pending.current = undefined;
    if (!editor || !rect) return;
    const { bitmap } = editor;
    let target = overlay.current;
    if (!target || target.image.width !== bitmap.width || target.image.height !== bitmap.height) {
      const ctx = canvasRef.current?.getContext('2d');
      if (!ctx) return; // no canvas here (jsdom): the bytes are the mask, the picture is optional
      target = overlay.current = { ctx, image: ctx.createImageData(bitmap.width, bitmap.height) };
    }
    const { data } = target.image;
    const mask = bitmap.data;
    for (let y = rect.y; y < rect.y + rect.h; y += 1) {
      for (let x = rect.x, i = y * bitmap.width + x, o = i * 4; x < rect.x + rect.w; x += 1, i += 1, o += 4) {
        const on = mask[i] !== 0;
        data[o] = PAINT[0];
        data[o + 1] = PAINT[1];
        data[o + 2] = PAINT[2];
        data[o + 3] = on ? PAINT[3] : 0;
      }
    }
    target.ctx.putImageData(target.image, 0, 0, rect.x, rect.y, rect.w, rect.h);
  }, [editor, canvasRef]);

  /** Takes what the bitmap changed: into the stroke's area (for undo) and onto the canvas next frame. */
  const changed = React.useCallback(() => {
    const rect = editor?.bitmap.takeDirty();
    if (!rect) return;
    if (stroke.current) stroke.current.rect = stroke.current.rect ? unionRect(stroke.current.rect, rect) : rect;
    pending.current = pending.current ? unionRect(pending.current, rect) : rect;
    if (frame.current !== undefined) return;
    if (typeof requestAnimationFrame === 'function') frame.current = requestAnimationFrame(draw);
    else draw();
  }, [editor, draw, stroke]);

  // A new bitmap (or a resumed one) is drawn whole.
  React.useEffect(() => {
    if (!editor) return;
    overlay.current = undefined;
    editor.bitmap.markDirty(editor.bitmap.full);
    changed();
    return () => {
      if (frame.current !== undefined && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame.current);
      frame.current = undefined;
    };
  }, [editor, changed]);

  /** One finished step: recorded for undo, and the controls that depend on the mask re-render. */
  const commit = (snapshot: Uint8Array, rect: MaskRect | undefined) => {
    if (editor?.history.record(editor.bitmap, snapshot, rect)) setVersion((v) => v + 1);
  };
  const edit = (run: (bitmap: MaskBitmap) => void) => {
    if (!editor) return;
    const snapshot = editor.bitmap.data.slice();
    run(editor.bitmap);
    const rect = editor.bitmap.takeDirty();
    if (rect) editor.bitmap.markDirty(rect);
    changed();
    commit(snapshot, rect);
  };
  const undo = () => {
    if (editor?.history.undo(editor.bitmap)) {
      changed();
      setVersion((v) => v + 1);
    }
  };
  const redo = () => {
    if (editor?.history.redo(editor.bitmap)) {
      changed();
      setVersion((v) => v + 1);
    }
  };
  const invert = () => {
    if (!editor) return;
    editor.bitmap.invert();
    editor.history.recordInvert();
    changed();
    setVersion((v) => v + 1);
  };

  const painted = React.useMemo(() => (editor ? !editor.bitmap.isEmpty() : false), [editor, version]); // eslint-disable-line react-hooks/exhaustive-deps
  return { painted, changed, commit, edit, undo, redo, invert };
}

/** The stage's size (as laid out), to fit the image in it. */
export function useStageSize(stageRef: React.RefObject<HTMLElement | null>): Size | undefined {
  const [stageSize, setStageSize] = React.useState<Size | undefined>(undefined);
  React.useEffect(() => {
    const stage = stageRef.current;
    if (!stage || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setStageSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(stage);
    return () => observer.disconnect();
  }, [stageRef]);
  return stageSize;
}
