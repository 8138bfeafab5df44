/**
 * Narrow selectors: each returns a primitive or a stable reference, so a progress tick re-renders
 * only what reads progress. Components compose these with `useGenerator(selector)`.
 */
import { estimatePrice, type GenerationField, type ModelCapabilities } from '../core/models';
import { isProvisional, storeModel } from './models';
import { isExpired } from '../core/expiry';
import { isRunning } from '../core/task';
import { isSafeUrl } from '../core/util/url';
import { isUploading } from './records';
import type { GenerationTask, GeneratorState, ImageSelection, ReferenceItem, TaskPhase } from './types';

const capsCache = new Map<string, ModelCapabilities>();

export const selectPrompt = (s: GeneratorState) => s.prompt;
export const selectModel = (s: GeneratorState) => s.model;
export const selectAspectRatio = (s: GeneratorState) => s.aspectRatio;
export const selectResolution = (s: GeneratorState) => s.resolution;
export const selectN = (s: GeneratorState) => s.n;
export const selectParameters = (s: GeneratorState) => s.parameters;
export const selectSubmitState = (s: GeneratorState) => s.submitState;
export const selectIssues = (s: GeneratorState) => s.issues;
export const selectReferences = (s: GeneratorState) => s.references;
export const selectReferenceCount = (s: GeneratorState) => s.references.length;
export const selectMaxReferences = (s: GeneratorState) => s.maxReferences;
export const selectNotices = (s: GeneratorState) => s.notices;
export const selectTasks = (s: GeneratorState) => s.tasks;

/** Capabilities of the current model; the same object for the same id. */
export function selectCapabilities(s: GeneratorState): ModelCapabilities {
  let caps = capsCache.get(s.model);
  if (!caps) {
    caps = storeModel(s.model);
    if (!isProvisional(caps)) capsCache.set(s.model, caps);
  }
  return caps;
}

/** Number of references still being checked or uploaded. */
export const selectPendingUploads = (s: GeneratorState) => s.references.reduce((n, r) => (isUploading(r) ? n + 1 : n), 0);

/** Ids of tasks, newest last; compare with `useShallow`. */
export const selectTaskIds = (s: GeneratorState) => s.tasks.map((t) => t.id);

export const selectTaskById =
  (id: string) =>
  (s: GeneratorState): GenerationTask | undefined =>
    s.tasks.find((t) => t.id === id);

export const selectLatestTask = (s: GeneratorState): GenerationTask | undefined => s.tasks[s.tasks.length - 1];
/** The newest task's local id (a string: re-renders only when a newer task arrives). */
export const selectLatestTaskId = (s: GeneratorState): string | undefined => s.tasks[s.tasks.length - 1]?.id;

/**
 * The local id of the task that completed last (greatest `completedAt`; later in the list on a tie):
 * the result the user just got, which need not be the newest task when several run at once.
 */
export function selectLatestCompletedTaskId(s: GeneratorState): string | undefined {
  let id: string | undefined;
  let at = -Infinity;
  for (const t of s.tasks) {
    if (t.phase === 'completed' && (t.completedAt ?? -Infinity) >= at) {
      at = t.completedAt ?? -Infinity;
      id = t.id;
    }
  }
  return id;
}

export const selectReferenceById =
  (id: string) =>
  (s: GeneratorState): ReferenceItem | undefined =>
    s.references.find((r) => r.id === id);

/** Whether any task is still running. */
export const selectIsRunning = (s: GeneratorState) => s.tasks.some((t) => isRunning(t.phase));

/** Whether Generate can be pressed (it may then wait for uploads). */
export const selectCanSubmit = (s: GeneratorState) => s.submitState === 'idle' && s.prompt.trim().length > 0;

/* Read by the components (src/components); kept here so no component declares its own copy. */

/** Whether the last Generate press found any problem. */
export const selectHasIssues = (s: GeneratorState) => s.issues.length > 0;

const issueCounters = new Map<GenerationField, (s: GeneratorState) => number>();
/** A stable selector counting the problems the last Generate press found with one field. */
export function selectIssueCount(field: GenerationField): (s: GeneratorState) => number {
  let selector = issueCounters.get(field);
  if (!selector) {
    selector = (s) => s.issues.reduce((n, issue) => (issue.field === field ? n + 1 : n), 0);
    issueCounters.set(field, selector);
  }
  return selector;
}

/** The current model's prompt limit in characters, if it has one. */
export const selectMaxPromptLength = (s: GeneratorState) => selectCapabilities(s).maxPromptLength;

/** Estimated price for the chosen resolution and count; `undefined` when unknown. */
export const selectEstimatedPrice = (s: GeneratorState) => estimatePrice(selectCapabilities(s), s.resolution, s.n);

/** The newest task's phase, or `idle` when there is none. */
export const selectLatestPhase = (s: GeneratorState): TaskPhase => s.tasks[s.tasks.length - 1]?.phase ?? 'idle';

/** Ids of tasks, newest first; compare with `useShallow`. */
export function selectTaskIdsNewestFirst(s: GeneratorState): string[] {
  const ids: string[] = [];
  for (let i = s.tasks.length - 1; i >= 0; i--) ids.push(s.tasks[i]!.id);
  return ids;
}

/** Ids of references in the order they are sent; compare with `useShallow`. */
export const selectReferenceIds = (s: GeneratorState) => s.references.map((r) => r.id);

/** Whether a reference with this URL is in the tray. */
export const selectHasReferenceUrl =
  (url: string) =>
  (s: GeneratorState): boolean =>
    s.references.some((r) => r.url === url);

/* ---- image selection: Compare, Download selected (issue 14) */

/** One result image to save or compare: where it is and what its file name is made from. */
export interface ImageFile {
  /** Local id of its task (`GenerationTask.id`). */
  task: string;
  /** 1-based position among the task's results. */
  index: number;
  url: string;
  prompt: string;
  /** The backend's task id, when known. */
  taskId: string | undefined;
}

/** A task's result images with a usable URL, as files; none once its results have expired at `now`. */
export function taskImageFiles(task: GenerationTask, now: number = Date.now()): ImageFile[] {
  if (isExpired(task.expiresAt, now)) return [];
  return task.images
    .filter((image) => isSafeUrl(image?.url))
    .map((image, i) => ({ task: task.id, index: i + 1, url: image.url, prompt: task.prompt, taskId: task.taskId }));
}

function imageFileOf(s: GeneratorState, entry: ImageSelection, now: number): ImageFile | undefined {
  const task = s.tasks.find((t) => t.id === entry.task);
  return task ? taskImageFiles(task, now)[entry.index - 1] : undefined;
}

/**
 * The ticked images that are still there, in the order ticked: a tick whose task was dismissed or
 * cleared, whose image is gone, or whose results have expired at `now` is left out. Returns
 * `s.selectedImages` itself when nothing is left out; compare with `useShallow` otherwise.
 */
export function selectSelectedImages(s: GeneratorState, now: number = Date.now()): ReadonlyArray<ImageSelection> {
  const kept = s.selectedImages.filter((entry) => imageFileOf(s, entry, now) !== undefined);
  return kept.length === s.selectedImages.length ? s.selectedImages : kept;
}

/** How many ticked images are still there (see `selectSelectedImages`). */
export const selectSelectedImageCount = (s: GeneratorState): number => selectSelectedImages(s).length;

/** The ticked images that are still there, as files to save or compare, in the order ticked. */
export function selectSelectedImageFiles(s: GeneratorState, now: number = Date.now()): ImageFile[] {
  return s.selectedImages.flatMap((entry) => imageFileOf(s, entry, now) ?? []);
}

/** Whether result image `index` (1-based) of a task is ticked. */
export const selectIsImageSelected =
  (taskLocalId: string, index: number) =>
  (s: GeneratorState): boolean =>
    s.selectedImages.some((e) => e.task === taskLocalId && e.index === index);
/* ---- prompt history (issue 14) */
export const selectPromptHistory = (s: GeneratorState) => s.promptHistory;
export const selectHistoryEnabled = (s: GeneratorState) => s.historyEnabled;
/**
 * The prompts of `history` that contain `query` (case-insensitive, surrounding spaces ignored),
 * newest first; all of them for an empty query.
 */
export function searchPromptHistory(history: readonly string[], query: string): string[] {
  const q = query.trim().toLowerCase();
  return history.filter((p) => p.toLowerCase().includes(q));
}

/* ---- mask (issue 15) */
export { maskAside, selectMaskStatus, type MaskStatus } from './mask-status';
/** The inpainting mask (or undefined); see `selectMaskStatus` for whether Generate sends it. */
export const selectMask = (s: GeneratorState) => s.mask;
