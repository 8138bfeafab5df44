/**
 * Narrow selectors: each returns a primitive or a stable reference, so a progress tick re-renders
 * only what reads progress. Components compose these with `useGenerator(selector)`.
 */
import { resolveModel, type ModelCapabilities } from '../core/models';
import { isRunning } from '../core/task';
import { isUploading } from './records';
import type { GenerationTask, GeneratorState, ReferenceItem } from './types';

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
    caps = resolveModel(s.model);
    capsCache.set(s.model, caps);
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

export const selectReferenceById =
  (id: string) =>
  (s: GeneratorState): ReferenceItem | undefined =>
    s.references.find((r) => r.id === id);

/** Whether any task is still running. */
export const selectIsRunning = (s: GeneratorState) => s.tasks.some((t) => isRunning(t.phase));

/** Whether Generate can be pressed (it may then wait for uploads). */
export const selectCanSubmit = (s: GeneratorState) => s.submitState === 'idle' && s.prompt.trim().length > 0;
