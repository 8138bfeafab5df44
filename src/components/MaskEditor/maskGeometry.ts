/**
 * The mask editor's pure pieces, shared by the dialog (./MaskEditorDialog.tsx) and its hooks: the
 * tools, the brush size and zoom limits, the view, and the rectangle arithmetic in working-bitmap
 * pixels (./maskBitmap.ts). Nothing here touches React or the DOM.
 */
import type { ReferenceItem } from '../../store/types';
import type { MaskBitmap, MaskRect } from './maskBitmap';

export type Tool = 'brush' | 'eraser' | 'rectangle';

/** Brush diameter in screen pixels. */
export const MIN_SIZE = 2;
export const MAX_SIZE = 200;
export const DEFAULT_SIZE = 32;
export const ZOOM_STEP = 1.25;
export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 8;

export const ARROWS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export interface Point {
  x: number;
  y: number;
}

export interface View {
  zoom: number;
  x: number;
  y: number;
}

export const FIT: View = { zoom: 1, x: 0, y: 0 };

/** The reference's pixel size: from the store, else (a hosted image) as the full image decodes. */
export function referenceSize(reference: ReferenceItem | undefined, natural: { width: number; height: number } | undefined) {
  if (!reference) return undefined;
  if (reference.width && reference.height) return { width: reference.width, height: reference.height };
  // Only the full image tells the size: a hosted reference shows its own URL.
  if (natural && (reference.previewUrl === undefined || reference.previewUrl === reference.url)) return natural;
  return undefined;
}

/** The Rectangle tool's starting selection: the middle third of the image. */
export function initialSelection(bitmap: MaskBitmap): MaskRect {
  const w = Math.max(1, Math.round(bitmap.width / 3));
  const h = Math.max(1, Math.round(bitmap.height / 3));
  return { x: Math.round((bitmap.width - w) / 2), y: Math.round((bitmap.height - h) / 2), w, h };
}

/** A selection kept inside the image, at least one pixel. */
export function bound(rect: MaskRect, width: number, height: number): MaskRect {
  const w = Math.min(width, Math.max(1, rect.w));
  const h = Math.min(height, Math.max(1, rect.h));
  return { x: Math.min(width - w, Math.max(0, rect.x)), y: Math.min(height - h, Math.max(0, rect.y)), w, h };
}

export function rectBetween(a: Point, b: Point): MaskRect {
  const x = Math.floor(Math.min(a.x, b.x));
  const y = Math.floor(Math.min(a.y, b.y));
  return { x, y, w: Math.ceil(Math.max(a.x, b.x)) - x, h: Math.ceil(Math.max(a.y, b.y)) - y };
}

export function clampSize(value: number): number {
  return Number.isFinite(value) ? Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(value))) : DEFAULT_SIZE;
}

export function clampZoom(value: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value));
}
