/**
 * The contract between the bench page (`bench/main.tsx`, running in Chromium) and the runner
 * (`scripts/bench/run.ts`, in Node). Types only: both sides import it with `import type`.
 * Every timestamp is `performance.timeOrigin + performance.now()` of the side that took it, in
 * milliseconds since the epoch (the runner maps page times onto its own clock).
 */

/** Ids of the `<React.Profiler>`s on the bench page. `Root` wraps the whole provider. */
export type ProfilerId = 'PromptForm' | 'AspectRatioPicker' | 'ReferenceTray' | 'TaskProgress' | 'Root';

export const COMPONENT_IDS = ['TaskProgress', 'PromptForm', 'AspectRatioPicker', 'ReferenceTray'] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

export interface MountOptions {
  backendUrl: string;
  /** Passed to `createGeneratorStore` (`stream`, default true). */
  stream?: boolean;
  /** Passed to `createGeneratorStore` (`pollInterval`); omitted = the kit's default cadence. */
  pollInterval?: number;
  /** Passed to `createGeneratorStore` (`model`); omitted = the kit's default model. */
  model?: string;
}

/** How one progress update is written to the store. */
export type TickVariant =
  /** `{ ...t, progress }` only — the brief's definition. */
  | 'progress'
  /** What the poller's `applySnapshot` writes for an `in_progress` read: progress, status, updatedAt, retry. */
  | 'poller-patch';

export interface TickResult {
  variant: TickVariant;
  ticks: number;
  /** Profiler `onRender` calls (= commits that rendered inside that profiler) per tick, one entry per tick. */
  commits: Record<ProfilerId, number[]>;
  /** Sum of `actualDuration` over all ticks, milliseconds. */
  actualDurationMs: Record<ProfilerId, number>;
}

export interface SubmittedTask {
  localId: string;
  taskId: string | undefined;
  /** Page clock, when `submit()` was called. */
  submittedAt: number;
  /** Page clock, when `submit()` resolved (the backend accepted the task). */
  acceptedAt: number;
}

/** One task of the store, as the page saw it end. */
export interface TaskTimes {
  taskId: string | undefined;
  phase: string;
  /** The store's `completedAt` (its `Date.now()`), or null. */
  completedAt: number | null;
  /** Page clock: the first store update in which the task was `completed` (a store subscription), or null. */
  seenCompletedAt: number | null;
}

/** A result `<img>` of TaskProgress, seen by the page's MutationObserver. */
export interface ResultImageRecord {
  /** Task id parsed from the image URL (`…/sim/images/<taskId>/<i>.png`). */
  taskId: string;
  url: string;
  /** Page clock: the `<img>` entered the DOM. */
  insertedAt: number;
  /** Page clock: its `load` event (or insertion, when it was already complete). */
  loadedAt: number;
  /** Page clock: the first animation frame after `load` (≈ the frame that shows it). */
  frameAfterLoadAt: number;
  /**
   * Page clock, from the image's Resource Timing entry (the first download of the URL, whoever
   * started it): fetch start, first response byte, last byte. NaN when there is no entry.
   */
  fetchStartAt: number;
  responseStartAt: number;
  responseEndAt: number;
  /** Resource Timing entries for the URL when it loaded: 1 = one download (a prefetch the img reused). */
  downloads: number;
}

export interface FrameStats {
  /** Animation frames seen. */
  frames: number;
  /** Intervals between consecutive frames longer than 1.5 × 16.7 ms. */
  dropped: number;
  /** Longest interval between consecutive frames, milliseconds. */
  longestGapMs: number;
  /** Median interval, milliseconds (≈ 16.7 at 60 Hz). */
  medianIntervalMs: number;
  /** The longest gaps over 100 ms as [start relative to the monitor's start, duration], longest first. */
  longGaps: Array<[number, number]>;
}

export interface LongTaskStats {
  count: number;
  longestMs: number;
  totalMs: number;
}

export interface PhotoInfo {
  name: string;
  bytes: number;
  width: number;
  height: number;
}

export interface ReferencesResult {
  /** From the `change` event to the first thumbnail displayed (img complete && naturalWidth > 0). */
  firstThumbnailMs: number;
  /** From the `change` event to all thumbnails displayed. */
  allThumbnailsMs: number;
  /** From the `change` event to every reference `ready` (uploaded). */
  allUploadedMs: number;
  longTasks: LongTaskStats;
  /** Long tasks over the whole window, as [startMs relative to change, durationMs]. */
  longTaskList: Array<[number, number]>;
  frames: FrameStats;
  heap: { baselineBytes: number; peakBytes: number; samples: number };
  thumbnails: number;
  downscaled: number;
  /** Sizes after the kit's preprocessing (what was uploaded), bytes. */
  uploadedSizes: number[];
  notices: string[];
  states: Record<string, number>;
}

/** What the frame and long-task monitors saw between `startMonitors()` and `stopMonitors()`. */
export interface MonitorStats {
  durationMs: number;
  frames: FrameStats;
  longTasks: LongTaskStats;
  /** Long tasks as [start relative to `startMonitors()`, duration], in order. */
  longTaskList: Array<[number, number]>;
}

/** The MaskEditor's canvas: the working bitmap's size and the canvas's box on screen (CSS pixels). */
export interface MaskCanvasInfo {
  width: number;
  height: number;
  boxWidth: number;
  boxHeight: number;
}

/** "Apply mask", timed in the page (page clock). */
export interface MaskExportTiming {
  /** The click's input event (`event.timeStamp` of the `click` on "Apply mask"). */
  clickAt: number;
  /** The first store update with `mask.state === 'uploading'`: the PNG is made and its upload starts. */
  uploadingAt: number;
  /** The first store update with `mask.state` `ready` or `error`, or null (not waited for). */
  settledAt: number | null;
  /** `uploadingAt - clickAt`: the export time. */
  exportMs: number;
  /** The mask as the store has it once settled. */
  state: string;
  url: string | undefined;
  width: number;
  height: number;
}

export interface TimerEntryInfo {
  kind: 'timeout' | 'interval';
  /** Function names of the creating stack, innermost first, e.g. `schedule<track<send`. */
  label: string;
  delay: number;
}

export interface TimerSnapshot {
  at: number;
  live: TimerEntryInfo[];
  /** setTimeout/setInterval calls since the counter was installed. */
  created: number;
}

export interface ConcurrentRunStats {
  durationMs: number;
  frames: FrameStats;
  longTasks: LongTaskStats;
  /** Live timers sampled every 50 ms (with the un-wrapped timer). */
  timerSamples: Array<{ at: number; total: number; poller: number }>;
  /** The sample with the most live timers, with labels. */
  busiest: TimerSnapshot | undefined;
  phases: Record<string, number>;
}

/** Installed by `bench/timer-counter.ts` through `page.addInitScript` before any page script runs. */
export interface TimerCounter {
  raw: {
    setTimeout: (fn: () => void, ms?: number) => number;
    clearTimeout: (id: number | undefined) => void;
  };
  snapshot(): TimerSnapshot;
}

/** `window.bench`: what the runner calls with `page.evaluate`. */
export interface BenchApi {
  ready: true;
  mount(options: MountOptions): void;
  /** Loads every on-demand module (`preloadImageKit`), so a scenario measures the steady state. */
  preload(): Promise<void>;
  unmount(): void;
  /** Sets the prompt and submits `count` tasks one after another, `spacingMs` apart. */
  submitTasks(count: number, spacingMs: number, prompt: string): Promise<SubmittedTask[]>;
  /** Resolves when every task is completed/failed/cancelled; rejects after `timeoutMs`. */
  waitForTasksDone(timeoutMs: number): Promise<Record<string, number>>;
  /** Every task of the store with its phase and completion time. */
  taskTimes(): TaskTimes[];
  /** Resolves with the result images once `count` of them have loaded; rejects after `timeoutMs`. */
  waitForResultImages(count: number, timeoutMs: number): Promise<ResultImageRecord[]>;
  /** Moves the single task to generating, then writes `ticks` progress updates, counting commits per tick. */
  progressTicks(ticks: number, variant: TickVariant): Promise<TickResult>;
  /** Draws and encodes the reference photos and keeps them in the page. */
  makePhotos(count: number, width: number, height: number): Promise<{ photos: PhotoInfo[]; generateMs: number }>;
  /** Adds the photos through the tray's file input and measures until every thumbnail shows and every upload ends. */
  addPhotos(timeoutMs: number): Promise<ReferencesResult>;
  /** Starts a frame monitor and a long-task monitor (the same as `addPhotos` and `startRun` use). */
  startMonitors(): void;
  stopMonitors(): MonitorStats;
  /** Resolves once the MaskEditor's canvas is in the DOM and laid out, with its sizes; rejects after `timeoutMs`. */
  waitForMaskCanvas(timeoutMs: number): Promise<MaskCanvasInfo>;
  /** Share (0–1) of the MaskEditor canvas's pixels that show paint (alpha > 0): proof the strokes reached the editor. */
  maskCoverage(): number;
  /** Arms the "Apply mask" timing: a capture-phase click listener and a store subscription. */
  watchMaskExport(): void;
  /** Resolves once the armed "Apply mask" reached `uploading` (and, with `settle`, `ready`/`error`); rejects after `timeoutMs`. */
  waitForMaskExport(timeoutMs: number, settle: boolean): Promise<MaskExportTiming>;
  /** Starts the frame/long-task/timer monitors of a concurrency run. */
  startRun(): void;
  stopRun(): ConcurrentRunStats;
  now(): number;
}

declare global {
  interface Window {
    bench: BenchApi;
    __benchTimers: TimerCounter;
  }
}
