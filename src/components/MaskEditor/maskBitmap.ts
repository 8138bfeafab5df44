/**
 * The mask while it is being painted (framework-free, no DOM): one byte per pixel of a *working*
 * bitmap of at most ~2 megapixels (the reference scaled down, never up), 255 where the model is to
 * repaint and 0 elsewhere. Brush strokes fill spans of rows (`TypedArray.fill`), so a stroke at
 * pointer rate costs microseconds even on a 12 MP reference; the full-size PNG is made from it off
 * the main thread (./exporter.ts). Undo keeps, per step, only the rectangle a step changed.
 */

/** A rectangle in working-bitmap pixels (`x`, `y` its top-left corner). */
export interface MaskRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The most pixels a working bitmap has: ~2 MP, whatever the reference's size. */
export const MAX_WORKING_PIXELS = 2_000_000;

/** The working bitmap's size for a reference of `width` × `height`: the same ratio, at most `max` pixels. */
export function workingSize(width: number, height: number, max = MAX_WORKING_PIXELS): { width: number; height: number } {
  const scale = Math.min(1, Math.sqrt(max / Math.max(1, width * height)));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

export class MaskBitmap {
  readonly data: Uint8Array;
  /** What changed since the last `takeDirty()` (to redraw only that). */
  private dirty: MaskRect | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    this.data = data && data.length === width * height ? data : new Uint8Array(width * height);
  }

  get full(): MaskRect {
    return { x: 0, y: 0, w: this.width, h: this.height };
  }

  /** The area changed since the last call, and forgets it. */
  takeDirty(): MaskRect | undefined {
    const dirty = this.dirty;
    this.dirty = undefined;
    return dirty;
  }

  markDirty(rect: MaskRect): void {
    this.dirty = this.dirty ? unionRect(this.dirty, rect) : rect;
  }

  /** A filled disc of radius `r` around (`cx`, `cy`): 255 paints, 0 erases. */
  disc(cx: number, cy: number, r: number, value: number): void {
    const { width, height, data } = this;
    const radius = Math.max(0.71, r); // at least the pixel under the pointer
    const top = Math.max(0, Math.floor(cy - radius));
    const bottom = Math.min(height - 1, Math.ceil(cy + radius));
    let left = width;
    let right = -1;
    for (let y = top; y <= bottom; y += 1) {
      const dy = y + 0.5 - cy;
      const span = radius * radius - dy * dy;
      if (span < 0) continue;
      const half = Math.sqrt(span);
      const a = Math.max(0, Math.ceil(cx - half - 0.5));
      const b = Math.min(width - 1, Math.floor(cx + half - 0.5));
      if (a > b) continue;
      data.fill(value, y * width + a, y * width + b + 1);
      if (a < left) left = a;
      if (b > right) right = b;
    }
    if (right >= left) this.markDirty({ x: left, y: top, w: right - left + 1, h: bottom - top + 1 });
  }

  /** A stroke from (`x0`, `y0`) to (`x1`, `y1`): discs close enough to leave no gaps (the first point is the previous segment's end). */
  line(x0: number, y0: number, x1: number, y1: number, r: number, value: number): void {
    const distance = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(distance / Math.max(0.5, r / 3)));
    for (let i = 1; i <= steps; i += 1) this.disc(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, r, value);
  }

  /** Fills a rectangle (clipped to the bitmap). */
  fillRect(rect: MaskRect, value: number): void {
    const r = clip(rect, this.width, this.height);
    if (!r) return;
    for (let y = r.y; y < r.y + r.h; y += 1) this.data.fill(value, y * this.width + r.x, y * this.width + r.x + r.w);
    this.markDirty(r);
  }

  invert(): void {
    const { data } = this;
    for (let i = 0; i < data.length; i += 1) data[i] = 255 - data[i]!;
    this.markDirty(this.full);
  }

  clear(): void {
    this.data.fill(0);
    this.markDirty(this.full);
  }

  isEmpty(): boolean {
    return this.data.indexOf(255) === -1;
  }

  /** A copy of the bytes inside `rect` (row by row). */
  read(rect: MaskRect, from: Uint8Array = this.data): Uint8Array {
    const out = new Uint8Array(rect.w * rect.h);
    for (let y = 0; y < rect.h; y += 1) {
      const start = (rect.y + y) * this.width + rect.x;
      out.set(from.subarray(start, start + rect.w), y * rect.w);
    }
    return out;
  }

  /** Puts back bytes `read` took. */
  write(rect: MaskRect, bytes: Uint8Array): void {
    for (let y = 0; y < rect.h; y += 1) this.data.set(bytes.subarray(y * rect.w, (y + 1) * rect.w), (rect.y + y) * this.width + rect.x);
    this.markDirty(rect);
  }
}

/** One undoable step: the bytes of the rectangle it changed, before and after; or an inversion. */
type Step = { rect: MaskRect; before: Uint8Array; after: Uint8Array } | { invert: true };

/** Undo and redo, at most `limit` steps back (30 by default). */
export class MaskHistory {
  private done: Step[] = [];
  private undone: Step[] = [];
  /** Steps fell off the bottom: even undoing everything does not bring back the start. */
  private dropped = false;

  constructor(private readonly limit = 30) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  /** Whether the mask differs from the one the editor opened with. */
  get changed(): boolean {
    return this.done.length > 0 || this.dropped;
  }

  /**
   * Records what happened to `bitmap` inside `rect` since `snapshot` (a copy of the whole bitmap
   * taken before); nothing when nothing changed.
   */
  record(bitmap: MaskBitmap, snapshot: Uint8Array, rect: MaskRect | undefined): boolean {
    if (!rect) return false;
    const before = bitmap.read(rect, snapshot);
    const after = bitmap.read(rect);
    if (equal(before, after)) return false;
    this.push({ rect, before, after });
    return true;
  }

  recordInvert(): void {
    this.push({ invert: true });
  }

  undo(bitmap: MaskBitmap): boolean {
    const step = this.done.pop();
    if (!step) return false;
    if ('invert' in step) bitmap.invert();
    else bitmap.write(step.rect, step.before);
    this.undone.push(step);
    return true;
  }

  redo(bitmap: MaskBitmap): boolean {
    const step = this.undone.pop();
    if (!step) return false;
    if ('invert' in step) bitmap.invert();
    else bitmap.write(step.rect, step.after);
    this.done.push(step);
    return true;
  }

  private push(step: Step): void {
    this.done.push(step);
    if (this.done.length > this.limit) {
      this.done.shift();
      this.dropped = true;
    }
    this.undone = [];
  }
}

export function clip(rect: MaskRect, width: number, height: number): MaskRect | undefined {
  const x = Math.max(0, Math.round(rect.x));
  const y = Math.max(0, Math.round(rect.y));
  const right = Math.min(width, Math.round(rect.x + rect.w));
  const bottom = Math.min(height, Math.round(rect.y + rect.h));
  return right > x && bottom > y ? { x, y, w: right - x, h: bottom - y } : undefined;
}

export function unionRect(a: MaskRect, b: MaskRect): MaskRect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
