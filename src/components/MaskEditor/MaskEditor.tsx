'use client';
import * as React from 'react';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { LazyMaskEditorDialog } from './lazy';
import type { MaskEditorProps } from './types';

export type { MaskEditorProps };

/**
 * The mask editor (issue 15): a modal dialog "Mask editor" over a reference image, in which the user
 * paints the area the model is to repaint — tools "Brush", "Eraser" and "Rectangle", slider "Brush
 * size", "Undo", "Redo", "Clear mask", "Invert mask", "Zoom in", "Zoom out", "Fit", "Apply mask" and
 * "Cancel". Mouse, touch (two fingers pan and pinch-zoom) and pen; and the keyboard alone: B / E / R
 * pick the tools, `[` / `]` change the size, Ctrl/⌘+Z and Shift+Ctrl/⌘+Z undo and redo, and with
 * the Rectangle tool, on the canvas, the arrow keys move a selection, Shift+arrows resize it, Enter
 * paints it and Alt+Enter erases it. "Apply mask" makes the PNG off the main thread (exactly the
 * reference's pixel size, painted area transparent) and calls the store's `setMask`. Closing with
 * unsaved changes asks "Discard changes?" first.
 *
 * Its code loads on demand (./lazy.ts): this shell renders nothing while closed. The ReferenceTray
 * opens it from "Edit mask" on the first reference when the model takes a mask.
 * @selector .gen-MaskEditor[data-tool="brush" | "eraser" | "rectangle"][data-state="empty" | "painted"]
 */
export function MaskEditor(props: MaskEditorProps) {
  useGeneratorContext('MaskEditor');
  if (!props.open) return null;
  return (
    <GeneratorErrorBoundary name="MaskEditor">
      <LazyMaskEditorDialog {...props} />
    </GeneratorErrorBoundary>
  );
}
