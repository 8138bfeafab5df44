'use client';
/**
 * The mask editor's toolbar, rendered by the dialog (./MaskEditorDialog.tsx): the tools, the brush
 * size slider, undo / redo / clear / invert, and zoom in / out / fit. It holds no state: what it
 * shows and what its buttons do are the dialog's.
 */
import * as React from 'react';
import { useLabels } from '../../hooks/useGenerator';
import { MAX_SIZE, MAX_ZOOM, MIN_SIZE, MIN_ZOOM, ZOOM_STEP, clampSize, type Tool } from './maskGeometry';

export interface MaskEditorToolbarProps {
  tool: Tool;
  onTool: (tool: Tool) => void;
  /** Brush diameter in screen pixels. */
  size: number;
  onSize: (size: number) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onClear: () => void;
  onInvert: () => void;
  zoom: number;
  onZoom: (factor: number) => void;
  onFit: () => void;
}

export function MaskEditorToolbar(props: MaskEditorToolbarProps) {
  const { tool, onTool, size, onSize, canUndo, canRedo, onUndo, onRedo, onClear, onInvert, zoom, onZoom, onFit } = props;
  const labels = useLabels();
  return (
    <div className="gen-MaskEditor-toolbar">
      <div className="gen-MaskEditor-tools">
        {(['brush', 'eraser', 'rectangle'] as const).map((t) => (
          <button
            key={t}
            type="button"
            className="gen-button gen-MaskEditor-tool"
            data-tool={t}
            aria-pressed={tool === t}
            onClick={() => onTool(t)}
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
          onChange={(event) => onSize(clampSize(Number(event.currentTarget.value)))}
        />
      </label>
      <div className="gen-MaskEditor-edits">
        <button type="button" className="gen-button" disabled={!canUndo} onClick={onUndo}>
          {labels.maskUndo}
        </button>
        <button type="button" className="gen-button" disabled={!canRedo} onClick={onRedo}>
          {labels.maskRedo}
        </button>
        <button type="button" className="gen-button" onClick={onClear}>
          {labels.clearMask}
        </button>
        <button type="button" className="gen-button" onClick={onInvert}>
          {labels.invertMask}
        </button>
      </div>
      <div className="gen-MaskEditor-zoom">
        <button type="button" className="gen-button" disabled={zoom >= MAX_ZOOM} onClick={() => onZoom(ZOOM_STEP)}>
          {labels.zoomIn}
        </button>
        <button type="button" className="gen-button" disabled={zoom <= MIN_ZOOM} onClick={() => onZoom(1 / ZOOM_STEP)}>
          {labels.zoomOut}
        </button>
        <button type="button" className="gen-button" onClick={onFit}>
          {labels.zoomFit}
        </button>
      </div>
    </div>
  );
}
