/**
 * The mask editor's pointer, for the dialog (./MaskEditorDialog.tsx): painting and erasing strokes
 * straight into the working bitmap (./maskBitmap.ts), the Rectangle tool's drag (painted on
 * release), and the view: two fingers pan and pinch, Ctrl/⌘+wheel zooms, the wheel pans once zoomed.
 */
import * as React from 'react';
import { clip, type MaskRect } from './maskBitmap';
import { FIT, clampZoom, rectBetween, type Point, type Tool, type View } from './maskGeometry';
import type { Editor } from './useMaskCanvas';

export interface Stroke {
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

export interface MaskPointerOptions {
  editor: Editor | undefined;
  tool: Tool;
  /** Brush diameter in screen pixels. */
  size: number;
  confirming: boolean;
  applying: boolean;
  stageRef: React.RefObject<HTMLDivElement | null>;
  /** The image's layer: where the bitmap is on the screen. */
  layerRef: React.RefObject<HTMLDivElement | null>;
  /** The stroke in progress (shared with ./useMaskCanvas.ts, which grows its area). */
  stroke: React.RefObject<Stroke | undefined>;
  changed: () => void;
  commit: (snapshot: Uint8Array, rect: MaskRect | undefined) => void;
  setSelection: (rect: MaskRect) => void;
}

type PointerHandler = (event: React.PointerEvent<HTMLDivElement>) => void;

export function useMaskPointer(options: MaskPointerOptions) {
  const { editor, tool, size, confirming, applying, stageRef, layerRef, stroke, changed, commit, setSelection } = options;
  const [view, setView] = React.useState<View>(FIT);
  const [drag, setDrag] = React.useState<MaskRect | undefined>(undefined);
  const pointers = React.useRef(new Map<number, { x: number; y: number; touch: boolean }>());
  const gesture = React.useRef<{ distance: number; mid: Point; view: View } | undefined>(undefined);

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
  }, [stageRef]);

  const zoomBy = (factor: number) => setView((v) => ({ ...v, zoom: clampZoom(v.zoom * factor) }));
  const fitView = () => setView(FIT);

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

  const onPointerDown: PointerHandler = (event) => {
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

  const onPointerMove: PointerHandler = (event) => {
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

  const onPointerEnd: PointerHandler = (event) => {
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

  const onLostPointerCapture: PointerHandler = (event) => {
    if (pointers.current.has(event.pointerId)) onPointerEnd(event);
  };

  return { view, zoomBy, fitView, drag, onPointerDown, onPointerMove, onPointerEnd, onLostPointerCapture };
}
