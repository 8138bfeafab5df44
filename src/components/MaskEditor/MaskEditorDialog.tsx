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
 *
 * This file wires the state and renders; the parts are ./useMaskCanvas.ts (the bitmap and its
 * canvas, undo), ./useMaskPointer.ts (painting, dragging, pan and zoom), ./useMaskKeyboard.ts (the
 * keys), ./MaskEditorToolbar.tsx (the toolbar) and ./maskGeometry.ts (limits and rectangles).
 */
import * as React from 'react';
import { isSafeUrl } from '../../core/util/url';
import type { GeneratorState } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { exportMaskFiles } from './defaultExporter';
import type { MaskRect } from './maskBitmap';
import { DEFAULT_SIZE, clampSize, initialSelection, type Tool } from './maskGeometry';
import { MaskEditorToolbar } from './MaskEditorToolbar';
import type { MaskEditorProps } from './types';
import { keepApplied, useMaskBitmap, useMaskCanvas, useStageSize } from './useMaskCanvas';
import { useIsMac, useMaskKeyboard } from './useMaskKeyboard';
import { useMaskPointer, type Stroke } from './useMaskPointer';

export { MAX_SIZE, MIN_SIZE, type Tool } from './maskGeometry';

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
  const stroke = React.useRef<Stroke | undefined>(undefined);

  const [tool, setTool] = React.useState<Tool>('brush');
  const [size, setSize] = React.useState(DEFAULT_SIZE);
  const [selection, setSelection] = React.useState<MaskRect | undefined>(undefined);
  const [confirming, setConfirming] = React.useState(false);
  const [applying, setApplying] = React.useState(false);
  const [error, setError] = React.useState<string | undefined>(undefined);
  const isMac = useIsMac();

  const { size: imageSize, editor, setNatural } = useMaskBitmap(reference, store);
  const { painted, changed, commit, edit, undo, redo, invert } = useMaskCanvas(editor, canvasRef, stroke);

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
  const stageSize = useStageSize(stageRef);

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
  const clear = () => edit((b) => b.clear());

  const apply = async () => {
    if (!editor || !reference || !imageSize || applying) return;
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
      const files = await exportMaskFiles({ mask: bitmap.data.slice(), maskWidth: bitmap.width, maskHeight: bitmap.height, width: imageSize.width, height: imageSize.height });
      keepApplied(store, reference.id, bitmap);
      void store.getState().setMask({ referenceId: reference.id, file: files.file, width: imageSize.width, height: imageSize.height, preview: files.preview });
      close();
    } catch {
      setError(labels.maskExportFailed);
      setApplying(false);
    }
  };

  const pointer = useMaskPointer({ editor, tool, size, confirming, applying, stageRef, layerRef, stroke, changed, commit, setSelection });
  const { view, drag } = pointer;
  const keys = { edit, undo, redo, pickTool, resize, requestClose, keepEditing };
  const { status, onStageKeyDown, onKeyDown } = useMaskKeyboard({ labels, editor, size: imageSize, tool, selection, setSelection, confirming, dialogRef, confirmRef, ...keys });

  /* ---------------------------------------------------------------- render */
  const canUndo = editor?.history.canUndo ?? false;
  const canRedo = editor?.history.canRedo ?? false;
  const src = reference ? (reference.previewUrl ?? reference.url) : undefined;
  const fit = imageSize && stageSize && stageSize.width > 0 && stageSize.height > 0 ? Math.min(stageSize.width / imageSize.width, stageSize.height / imageSize.height) : undefined;
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
        <MaskEditorToolbar
          tool={tool}
          onTool={pickTool}
          size={size}
          onSize={setSize}
          canUndo={canUndo}
          canRedo={canRedo}
          onUndo={undo}
          onRedo={redo}
          onClear={clear}
          onInvert={invert}
          zoom={view.zoom}
          onZoom={pointer.zoomBy}
          onFit={pointer.fitView}
        />
        <div
          role="application"
          tabIndex={0}
          aria-label={labels.maskCanvas(name)}
          aria-describedby={hintId}
          aria-busy={editor ? undefined : true}
          className="gen-MaskEditor-stage"
          ref={stageRef}
          onKeyDown={onStageKeyDown}
          onPointerDown={pointer.onPointerDown}
          onPointerMove={pointer.onPointerMove}
          onPointerUp={pointer.onPointerEnd}
          onPointerCancel={pointer.onPointerEnd}
          onLostPointerCapture={pointer.onLostPointerCapture}
        >
          <div
            className="gen-MaskEditor-layer"
            ref={layerRef}
            style={{
              ...(fit !== undefined && imageSize && { width: `${imageSize.width * fit}px`, height: `${imageSize.height * fit}px` }),
              ...(imageSize && { aspectRatio: `${imageSize.width} / ${imageSize.height}` }),
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

