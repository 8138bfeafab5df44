'use client';
/**
 * The mask editor's dialog, loaded on demand (./lazy.ts); `<MaskEditor>` (./MaskEditor.tsx) is its
 * public shell. The mask lives in a working bitmap of at most ~2 MP (./maskBitmap.ts), painted by
 * pointer events straight into bytes and drawn on a canvas of that size only where it changed, once
 * per frame; the image under it is the reference's preview. Nothing here ever holds the reference
 * at full size: "Apply mask" hands the working bitmap to the exporter (./defaultExporter.ts), which
 * scales and encodes it in the image worker.
 *
 * Keyboard (the modal one of ../internal/modal.ts: Escape, Tab wrapping, plus): B / E / R tools,
 * `[` / `]` size, Ctrl/⌘+Z undo, Shift+Ctrl/⌘+Z (or Ctrl+Y) redo — anywhere in the dialog but a text
 * field; with the Rectangle tool, on the canvas: arrows move the selection, Shift+arrows resize it,
 * Enter paints it, Alt+Enter erases it. Pointer: the Rectangle tool paints the dragged rectangle on
 * release (erases with Alt held).
 */
import * as React from 'react';
import { isSafeUrl } from '../../core/util/url';
import type { GeneratorState, ReferenceItem } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { modalKeyDown } from '../internal/modal';
import { exportMaskFiles } from './defaultExporter';
import { MaskBitmap, MaskHistory, clip, unionRect, workingSize, type MaskRect } from './maskBitmap';
import type { MaskEditorProps } from './types';

export type Tool = 'brush' | 'eraser' | 'rectangle';

/** Brush diameter in screen pixels. */
export const MIN_SIZE = 2;
export const MAX_SIZE = 200;
const DEFAULT_SIZE = 32;
const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 8;
/** RGBA of painted pixels on the overlay canvas (the canvas itself is drawn half transparent). */
const PAINT = [255, 48, 48, 255] as const;

const ARROWS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

interface Point {
  x: number;
  y: number;
}

interface Stroke {
  pointerId: number;
  tool: Tool;
  value: number;
  /** Radius in working-bitmap pixels. */
  radius: number;
  start: Point;
  last: Point;
  /** The whole bitmap before the stroke (undo keeps only the changed rectangle of it). */
  snapshot: Uint8Array;
  rect: MaskRect | undefined;
}

interface View {
  zoom: number;
  x: number;
  y: number;
}

interface Editor {
  bitmap: MaskBitmap;
  history: MaskHistory;
}

/**
 * The last applied working bitmap, so reopening the editor on the same mask goes on from it (the
 * uploaded PNG is never read back). Forgotten when that mask is no longer the store's.
 */
let kept: { referenceId: string; maskId: string | undefined; bitmap: MaskBitmap } | undefined;

const FIT: View = { zoom: 1, x: 0, y: 0 };

export function MaskEditorDialog({ onOpenChange, referenceId: explicit, className }: MaskEditorProps) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const reference = useGenerator(
    React.useCallback((s: GeneratorState) => (explicit !== undefined ? s.references.find((r) => r.id === explicit) : s.references[0]), [explicit]),
  );
  const titleId = React.useId();
  const hintId = React.useId();
  const discardTitleId = React.useId();
  const discardTextId = React.useId();
  const dialogRef = React.useRef<HTMLDivElement>(null);
  const stageRef = React.useRef<HTMLDivElement>(null);
  const layerRef = React.useRef<HTMLDivElement>(null);
  const canvasRef = React.useRef<HTMLCanvasElement>(null);
  const keepEditingRef = React.useRef<HTMLButtonElement>(null);
  const confirmRef = React.useRef<HTMLDivElement>(null);

  const [tool, setTool] = React.useState<Tool>('brush');
  const [size, setSize] = React.useState(DEFAULT_SIZE);
  const [view, setView] = React.useState<View>(FIT);
  const [selection, setSelection] = React.useState<MaskRect | undefined>(undefined);
  const [drag, setDrag] = React.useState<MaskRect | undefined>(undefined);
  const [version, setVersion] = React.useState(0);
  const [confirming, setConfirming] = React.useState(false);
  const [applying, setApplying] = React.useState(false);
  const [error, setError] = React.useState<string | undefined>(undefined);
  const [status, setStatus] = React.useState('');
  const [natural, setNatural] = React.useState<{ width: number; height: number } | undefined>(undefined);
  const [stageSize, setStageSize] = React.useState<{ width: number; height: number } | undefined>(undefined);
  const isMac = React.useSyncExternalStore(subscribeNothing, detectMac, () => false);

  const size2 = referenceSize(reference, natural);
  const referenceId = reference?.id;
  const editor = React.useMemo<Editor | undefined>(() => {
    if (!size2 || referenceId === undefined) return undefined;
    const work = workingSize(size2.width, size2.height);
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
  }, [size2?.width, size2?.height, referenceId, store]); // eslint-disable-line react-hooks/exhaustive-deps

  /* ---------------------------------------------------------------- drawing the overlay */
  const overlay = React.useRef<{ image: ImageData; ctx: CanvasRenderingContext2D } | undefined>(undefined);
  const pending = React.useRef<MaskRect | undefined>(undefined);
  const frame = React.useRef<number | undefined>(undefined);
  const stroke = React.useRef<Stroke | undefined>(undefined);

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
  }, [editor]);

  /** Takes what the bitmap changed: into the stroke's area (for undo) and onto the canvas next frame. */
  const changed = React.useCallback(() => {
    const rect = editor?.bitmap.takeDirty();
    if (!rect) return;
    if (stroke.current) stroke.current.rect = stroke.current.rect ? unionRect(stroke.current.rect, rect) : rect;
    pending.current = pending.current ? unionRect(pending.current, rect) : rect;
    if (frame.current !== undefined) return;
    if (typeof requestAnimationFrame === 'function') frame.current = requestAnimationFrame(draw);
    else draw();
  }, [editor, draw]);

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

  /* ---------------------------------------------------------------- focus in, focus back */
  React.useEffect(() => {
    const opener = dialogRef.current?.ownerDocument.activeElement;
    (stageRef.current ?? dialogRef.current)?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  // The reference went away (removed from the tray): nothing left to edit.
  React.useEffect(() => {
    if (!reference) onOpenChange(false);
  }, [reference, onOpenChange]);

  React.useEffect(() => {
    if (confirming) keepEditingRef.current?.focus();
  }, [confirming]);

  // The stage's size, to fit the image in it.
  React.useEffect(() => {
    const stage = stageRef.current;
    if (!stage || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setStageSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);

  // Ctrl/⌘+wheel (and a trackpad's pinch) zooms; the wheel alone pans once zoomed in. A listener of
  // its own: React's wheel handlers are passive and cannot keep the page from scrolling.
  React.useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        setView((v) => ({ ...v, zoom: clampZoom(v.zoom * Math.exp(-event.deltaY * 0.01)) }));
      } else {
        event.preventDefault();
        setView((v) => (v.zoom > 1 ? { ...v, x: v.x - event.deltaX, y: v.y - event.deltaY } : v));
      }
    };
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => stage.removeEventListener('wheel', onWheel);
  }, []);

  /* ---------------------------------------------------------------- actions */
  const close = () => onOpenChange(false);
  const requestClose = () => {
    if (applying) return;
    if (editor?.history.changed) setConfirming(true);
    else close();
  };
  const keepEditing = () => {
    setConfirming(false);
    stageRef.current?.focus();
  };

  const pickTool = (next: Tool) => {
    setTool(next);
    if (next === 'rectangle' && editor && !selection) setSelection(initialSelection(editor.bitmap));
  };
  const resize = (direction: -1 | 1) =>
    setSize((s) => clampSize(direction > 0 ? Math.max(s + 1, Math.round(s * 1.25)) : Math.min(s - 1, Math.round(s / 1.25))));

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
  const clear = () => edit((b) => b.clear());
  const invert = () => {
    if (!editor) return;
    editor.bitmap.invert();
    editor.history.recordInvert();
    changed();
    setVersion((v) => v + 1);
  };
  const zoomBy = (factor: number) => setView((v) => ({ ...v, zoom: clampZoom(v.zoom * factor) }));

  const apply = async () => {
    if (!editor || !reference || !size2 || applying) return;
    const { bitmap } = editor;
    if (bitmap.isEmpty()) {
      // Nothing to repaint: an applied empty mask is no mask.
      if (store.getState().mask?.referenceId === reference.id) store.getState().removeMask();
      close();
      return;
    }
    setApplying(true);
    setError(undefined);
    try {
      const files = await exportMaskFiles({ mask: bitmap.data.slice(), maskWidth: bitmap.width, maskHeight: bitmap.height, width: size2.width, height: size2.height });
      const entry = (kept = { referenceId: reference.id, maskId: undefined as string | undefined, bitmap });
      const before = store.getState().mask;
      const unsubscribe = store.subscribe((s) => {
        if (s.mask === before) return;
        if (s.mask?.referenceId === entry.referenceId) entry.maskId = s.mask.id;
        unsubscribe();
      });
      void store.getState().setMask({ referenceId: reference.id, file: files.file, width: size2.width, height: size2.height, preview: files.preview });
      close();
    } catch {
      setError(labels.maskExportFailed);
      setApplying(false);
    }
  };

  /* ---------------------------------------------------------------- pointer */
  const pointers = React.useRef(new Map<number, { x: number; y: number; touch: boolean }>());
  const gesture = React.useRef<{ distance: number; mid: Point; view: View } | undefined>(undefined);

  /** A point on the screen in working-bitmap pixels, and how many of those one screen pixel is. */
  const toMask = (clientX: number, clientY: number) => {
    const layer = layerRef.current;
    if (!editor || !layer) return undefined;
    const box = layer.getBoundingClientRect();
    if (!(box.width > 0) || !(box.height > 0)) return undefined;
    const { width, height } = editor.bitmap;
    return { x: ((clientX - box.left) / box.width) * width, y: ((clientY - box.top) / box.height) * height, scale: width / box.width };
  };

  const touches = () => [...pointers.current.values()].filter((p) => p.touch);

  const cancelStroke = () => {
    const current = stroke.current;
    if (!current || !editor) return;
    stroke.current = undefined;
    editor.bitmap.data.set(current.snapshot);
    editor.bitmap.markDirty(current.rect ?? editor.bitmap.full);
    changed();
    setDrag(undefined);
  };

  const startGesture = () => {
    const [a, b] = touches();
    if (!a || !b) return;
    gesture.current = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, view };
  };

  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>) => {
    if (!editor || confirming || applying) return;
    const touch = event.pointerType === 'touch';
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY, touch });
    event.currentTarget.setPointerCapture?.(event.pointerId);
    if (touch && touches().length >= 2) {
      // A second finger: no painting, pan and pinch instead.
      cancelStroke();
      startGesture();
      return;
    }
    if ((event.pointerType === 'mouse' && event.button !== 0) || stroke.current || gesture.current) return;
    const p = toMask(event.clientX, event.clientY);
    if (!p) return;
    event.preventDefault();
    stageRef.current?.focus({ preventScroll: true });
    const value = tool === 'eraser' || (tool === 'rectangle' && event.altKey) ? 0 : 255;
    editor.bitmap.takeDirty();
    stroke.current = { pointerId: event.pointerId, tool, value, radius: (size / 2) * p.scale, start: p, last: p, snapshot: editor.bitmap.data.slice(), rect: undefined };
    if (tool === 'rectangle') setDrag(rectBetween(p, p));
    else {
      editor.bitmap.disc(p.x, p.y, stroke.current.radius, value);
      changed();
    }
  };

  const onPointerMove = (event: React.PointerEvent<HTMLDivElement>) => {
    const known = pointers.current.get(event.pointerId);
    if (known) {
      known.x = event.clientX;
      known.y = event.clientY;
    }
    const g = gesture.current;
    if (g) {
      const [a, b] = touches();
      if (!a || !b) return;
      const distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      setView({ zoom: clampZoom((g.view.zoom * distance) / g.distance), x: g.view.x + mid.x - g.mid.x, y: g.view.y + mid.y - g.mid.y });
      return;
    }
    const current = stroke.current;
    if (!current || current.pointerId !== event.pointerId || !editor) return;
    // Every position the pointer reported since the last event (a pen at 240 Hz), not just the last.
    const native = event.nativeEvent as PointerEvent;
    const coalesced = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    for (const e of coalesced.length > 0 ? coalesced : [native]) {
      const p = toMask(e.clientX, e.clientY);
      if (!p) continue;
      if (current.tool !== 'rectangle') editor.bitmap.line(current.last.x, current.last.y, p.x, p.y, current.radius, current.value);
      current.last = p;
    }
    if (current.tool === 'rectangle') setDrag(rectBetween(current.start, current.last));
    else changed();
  };

  const onPointerEnd = (event: React.PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(event.pointerId);
    if (gesture.current) {
      if (touches().length < 2) gesture.current = undefined;
      return;
    }
    const current = stroke.current;
    if (!current || current.pointerId !== event.pointerId || !editor) return;
    if (event.type === 'pointercancel') {
      cancelStroke();
      return;
    }
    if (current.tool === 'rectangle') {
      const rect = clip(rectBetween(current.start, current.last), editor.bitmap.width, editor.bitmap.height);
      setDrag(undefined);
      if (rect) {
        editor.bitmap.fillRect(rect, current.value);
        changed();
        setSelection(rect);
      }
    }
    stroke.current = undefined;
    commit(current.snapshot, current.rect);
  };

  /* ---------------------------------------------------------------- keyboard */
  const announceSelection = (rect: MaskRect) => {
    if (!editor || !size2) return;
    const f = size2.width / editor.bitmap.width;
    setStatus(labels.maskSelection(Math.round(rect.x * f), Math.round(rect.y * f), Math.round(rect.w * f), Math.round(rect.h * f)));
  };

  const onStageKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
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

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
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

  /* ---------------------------------------------------------------- render */
  const painted = React.useMemo(() => (editor ? !editor.bitmap.isEmpty() : false), [editor, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const canUndo = editor?.history.canUndo ?? false;
  const canRedo = editor?.history.canRedo ?? false;
  const src = reference ? (reference.previewUrl ?? reference.url) : undefined;
  const fit = size2 && stageSize && stageSize.width > 0 && stageSize.height > 0 ? Math.min(stageSize.width / size2.width, stageSize.height / size2.height) : undefined;
  const shownRect = tool === 'rectangle' ? (drag ?? selection) : undefined;
  const bw = editor?.bitmap.width ?? 1;
  const bh = editor?.bitmap.height ?? 1;
  const name = reference?.name ?? '';

  return (
    <div className="gen-MaskEditor-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={cx('gen-MaskEditor', className)}
        data-tool={tool}
        data-state={painted ? 'painted' : 'empty'}
        onKeyDown={onKeyDown}
        ref={dialogRef}
      >
        <h2 id={titleId} className="gen-MaskEditor-title">
          {labels.maskEditor}
        </h2>
        <div className="gen-MaskEditor-toolbar">
          <div className="gen-MaskEditor-tools">
            {(['brush', 'eraser', 'rectangle'] as const).map((t) => (
              <button
                key={t}
                type="button"
                className="gen-button gen-MaskEditor-tool"
                data-tool={t}
                aria-pressed={tool === t}
                onClick={() => pickTool(t)}
              >
                {t === 'brush' ? labels.maskBrush : t === 'eraser' ? labels.maskEraser : labels.maskRectangle}
              </button>
            ))}
          </div>
          <label className="gen-MaskEditor-size">
            <span>{labels.maskBrushSize}</span>
            <input
              type="range"
              min={MIN_SIZE}
              max={MAX_SIZE}
              step={1}
              value={size}
              aria-valuetext={labels.maskBrushSizeValue(size)}
              onChange={(event) => setSize(clampSize(Number(event.currentTarget.value)))}
            />
          </label>
          <div className="gen-MaskEditor-edits">
            <button type="button" className="gen-button" disabled={!canUndo} onClick={undo}>
              {labels.maskUndo}
            </button>
            <button type="button" className="gen-button" disabled={!canRedo} onClick={redo}>
              {labels.maskRedo}
            </button>
            <button type="button" className="gen-button" onClick={clear}>
              {labels.clearMask}
            </button>
            <button type="button" className="gen-button" onClick={invert}>
              {labels.invertMask}
            </button>
          </div>
          <div className="gen-MaskEditor-zoom">
            <button type="button" className="gen-button" disabled={view.zoom >= MAX_ZOOM} onClick={() => zoomBy(ZOOM_STEP)}>
              {labels.zoomIn}
            </button>
            <button type="button" className="gen-button" disabled={view.zoom <= MIN_ZOOM} onClick={() => zoomBy(1 / ZOOM_STEP)}>
              {labels.zoomOut}
            </button>
            <button type="button" className="gen-button" onClick={() => setView(FIT)}>
              {labels.zoomFit}
            </button>
          </div>
        </div>
        <div
          role="application"
          tabIndex={0}
          aria-label={labels.maskCanvas(name)}
          aria-describedby={hintId}
          aria-busy={editor ? undefined : true}
          className="gen-MaskEditor-stage"
          ref={stageRef}
          onKeyDown={onStageKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          onLostPointerCapture={(event) => {
            if (pointers.current.has(event.pointerId)) onPointerEnd(event);
          }}
        >
          <div
            className="gen-MaskEditor-layer"
            ref={layerRef}
            style={{
              ...(fit !== undefined && size2 && { width: `${size2.width * fit}px`, height: `${size2.height * fit}px` }),
              ...(size2 && { aspectRatio: `${size2.width} / ${size2.height}` }),
              transform: `translate(-50%, -50%) translate(${view.x}px, ${view.y}px) scale(${view.zoom})`,
            }}
          >
            {src && isSafeUrl(src) ? (
              <img
                className="gen-MaskEditor-image"
                src={src}
                alt=""
                draggable={false}
                onLoad={(event) => {
                  const img = event.currentTarget;
                  if (img.naturalWidth > 0 && img.naturalHeight > 0) setNatural({ width: img.naturalWidth, height: img.naturalHeight });
                }}
              />
            ) : null}
            {editor ? <canvas className="gen-MaskEditor-canvas" width={bw} height={bh} ref={canvasRef} aria-hidden="true" /> : null}
            {shownRect ? (
              <div
                className="gen-MaskEditor-selection"
                data-state={drag ? 'dragging' : 'idle'}
                aria-hidden="true"
                style={{
                  left: `${(shownRect.x / bw) * 100}%`,
                  top: `${(shownRect.y / bh) * 100}%`,
                  width: `${(shownRect.w / bw) * 100}%`,
                  height: `${(shownRect.h / bh) * 100}%`,
                }}
              />
            ) : null}
          </div>
        </div>
        <p id={hintId} className="gen-MaskEditor-hint">
          {labels.maskKeyboardHint(isMac)}
        </p>
        <div role="status" aria-live="polite" aria-atomic="true" className="gen-visually-hidden">
          {status}
        </div>
        {error ? (
          <p role="alert" className="gen-MaskEditor-error">
            {error}
          </p>
        ) : null}
        <div className="gen-MaskEditor-actions">
          <button type="button" className="gen-button gen-MaskEditor-apply" data-variant="primary" disabled={!editor} aria-busy={applying || undefined} onClick={() => void apply()}>
            {applying ? labels.applyingMask : labels.applyMask}
          </button>
          <button type="button" className="gen-button gen-MaskEditor-cancel" onClick={requestClose}>
            {labels.cancel}
          </button>
        </div>
        {confirming ? (
          <div
            role="alertdialog"
            aria-labelledby={discardTitleId}
            aria-describedby={discardTextId}
            className="gen-MaskEditor-confirm"
            ref={confirmRef}
          >
            <p id={discardTitleId} className="gen-MaskEditor-confirmTitle">
              {labels.maskDiscardTitle}
            </p>
            <p id={discardTextId} className="gen-MaskEditor-confirmText">
              {labels.maskDiscardText}
            </p>
            <div className="gen-MaskEditor-confirmActions">
              <button type="button" className="gen-button" data-variant="danger" onClick={close}>
                {labels.maskDiscard}
              </button>
              <button type="button" className="gen-button" ref={keepEditingRef} onClick={keepEditing}>
                {labels.maskKeepEditing}
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The reference's pixel size: from the store, else (a hosted image) as the full image decodes. */
function referenceSize(reference: ReferenceItem | undefined, natural: { width: number; height: number } | undefined) {
  if (!reference) return undefined;
  if (reference.width && reference.height) return { width: reference.width, height: reference.height };
  // Only the full image tells the size: a hosted reference shows its own URL.
  if (natural && (reference.previewUrl === undefined || reference.previewUrl === reference.url)) return natural;
  return undefined;
}

/** The Rectangle tool's starting selection: the middle third of the image. */
function initialSelection(bitmap: MaskBitmap): MaskRect {
  const w = Math.max(1, Math.round(bitmap.width / 3));
  const h = Math.max(1, Math.round(bitmap.height / 3));
  return { x: Math.round((bitmap.width - w) / 2), y: Math.round((bitmap.height - h) / 2), w, h };
}

/** A selection kept inside the image, at least one pixel. */
function bound(rect: MaskRect, width: number, height: number): MaskRect {
  const w = Math.min(width, Math.max(1, rect.w));
  const h = Math.min(height, Math.max(1, rect.h));
  return { x: Math.min(width - w, Math.max(0, rect.x)), y: Math.min(height - h, Math.max(0, rect.y)), w, h };
}

function rectBetween(a: Point, b: Point): MaskRect {
  const x = Math.floor(Math.min(a.x, b.x));
  const y = Math.floor(Math.min(a.y, b.y));
  return { x, y, w: Math.ceil(Math.max(a.x, b.x)) - x, h: Math.ceil(Math.max(a.y, b.y)) - y };
}

function clampSize(value: number): number {
  return Number.isFinite(value) ? Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(value))) : DEFAULT_SIZE;
}

function clampZoom(value: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value));
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
