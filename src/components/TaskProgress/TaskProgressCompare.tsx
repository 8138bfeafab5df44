'use client';
/**
 * The "Compare images" dialog (loads on demand, the first time Compare is pressed). Two images,
 * by default one over the other, the first clipped at a position the slider "Comparison position"
 * sets (arrow keys, Page Up/Down, Home/End, or a drag on the images); the switch "Side by side"
 * shows them next to each other instead. Modal: focus moves in and stays in (Tab wraps), Escape
 * and "Close" close it, and the opener gets focus back (the caller's `onClose` does that).
 * Its keyboard (Escape, Tab wrapping) is the kit's modal one: ../internal/modal.ts.
 */
import * as React from 'react';
import type { ImageFile } from '../../store/selectors';
import { useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { modalKeyDown } from '../internal/modal';

export interface TaskProgressCompareProps {
  /** The two images: the first is drawn over the second. */
  images: readonly [ImageFile, ImageFile];
  /** Called on Close and Escape; give focus back to the opener there. */
  onClose: () => void;
  className?: string;
}

const STEP = 1;
const PAGE = 10;

export function TaskProgressCompare({ images, onClose, className }: TaskProgressCompareProps) {
  const labels = useLabels();
  const [position, setPosition] = React.useState(50);
  const [sideBySide, setSideBySide] = React.useState(false);
  const titleId = React.useId();
  const dialogRef = React.useRef<HTMLDivElement>(null);
  const sliderRef = React.useRef<HTMLInputElement>(null);
  const dragging = React.useRef(false);
  const [first, second] = images;

  React.useEffect(() => {
    (sliderRef.current ?? dialogRef.current)?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => modalKeyDown(event, dialogRef.current, onClose);

  const onSliderKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    // Handled here so every browser (and jsdom) moves by the same steps.
    const moves: Record<string, (p: number) => number> = {
      ArrowRight: (p) => p + STEP,
      ArrowUp: (p) => p + STEP,
      ArrowLeft: (p) => p - STEP,
      ArrowDown: (p) => p - STEP,
      PageUp: (p) => p + PAGE,
      PageDown: (p) => p - PAGE,
      Home: () => 0,
      End: () => 100,
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    setPosition((p) => clamp(move(p)));
  };

  const positionAt = (event: React.PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    if (rect.width > 0) setPosition(clamp(Math.round(((event.clientX - rect.left) / rect.width) * 100)));
  };

  return (
    <div className="gen-TaskProgress-compareBackdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={cx('gen-TaskProgress-compareDialog', className)}
        data-mode={sideBySide ? 'side-by-side' : 'overlay'}
        onKeyDown={onKeyDown}
        ref={dialogRef}
      >
        <div className="gen-TaskProgress-compareHeader">
          <h2 id={titleId} className="gen-TaskProgress-compareTitle">
            {labels.compareTitle}
          </h2>
          <button
            type="button"
            role="switch"
            aria-checked={sideBySide}
            className="gen-button gen-TaskProgress-compareMode"
            onClick={() => setSideBySide((on) => !on)}
          >
            {labels.sideBySide}
          </button>
          <button type="button" className="gen-button gen-TaskProgress-compareClose" onClick={onClose}>
            {labels.close}
          </button>
        </div>
        {sideBySide ? (
          <div className="gen-TaskProgress-compareSide">
            <img className="gen-TaskProgress-compareImage" src={first.url} alt={labels.compareImageAlt(first.index, first.prompt)} />
            <img className="gen-TaskProgress-compareImage" src={second.url} alt={labels.compareImageAlt(second.index, second.prompt)} />
          </div>
        ) : (
          <>
            <div
              className="gen-TaskProgress-compareStage"
              style={{ '--gen-compare': `${position}%` } as React.CSSProperties}
              onPointerDown={(event) => {
                dragging.current = true;
                event.currentTarget.setPointerCapture?.(event.pointerId);
                positionAt(event);
              }}
              onPointerMove={(event) => {
                if (dragging.current) positionAt(event);
              }}
              onPointerUp={() => (dragging.current = false)}
              onPointerCancel={() => (dragging.current = false)}
            >
              <img
                className="gen-TaskProgress-compareImage gen-TaskProgress-compareUnder"
                src={second.url}
                alt={labels.compareImageAlt(second.index, second.prompt)}
                draggable={false}
              />
              <img
                className="gen-TaskProgress-compareImage gen-TaskProgress-compareOver"
                src={first.url}
                alt={labels.compareImageAlt(first.index, first.prompt)}
                draggable={false}
              />
              <span className="gen-TaskProgress-compareHandle" aria-hidden="true" />
            </div>
            <input
              type="range"
              min={0}
              max={100}
              step={STEP}
              value={position}
              aria-label={labels.comparePosition}
              aria-valuetext={`${position}%`}
              className="gen-TaskProgress-compareSlider"
              onChange={(event) => setPosition(clamp(Number(event.currentTarget.value)))}
              onKeyDown={onSliderKeyDown}
              ref={sliderRef}
            />
          </>
        )}
      </div>
    </div>
  );
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 50;
}
