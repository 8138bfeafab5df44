/**
 * Generate: checks the form at once (before waiting for uploads), waits for the uploads, checks
 * the references, then adds the task and sends it. The request is built once, from the settings
 * as they were when Generate was pressed; the uploaded URLs are put in when the uploads are done.
 */
import { createBusinessId } from '../../core/util/business-id';
import { buildGenerationRequest, type BuildResult, type FieldIssue, type ModelCapabilities } from '../../core/models';
import type { SubmitRequest } from '../../core/protocol';
import { newTask } from '../../core/task';
import type { GeneratorState, ReferenceItem } from '../types';
import type { StoreContext } from './context';
import { isUploading } from '../records';
import { selectMaskStatus } from '../mask-status';

export interface SubmitDeps {
  waitForUploads(signal: AbortSignal): Promise<boolean>;
  send(localId: string): Promise<void>;
}

/** Stands in for a reference still uploading, so the count-dependent rules see every reference. */
const pendingUrl = (r: ReferenceItem) => `https://upload.invalid/${encodeURIComponent(r.id)}`;

export function createSubmit(ctx: StoreContext, deps: SubmitDeps): GeneratorState['submit'] {
  const { set, get } = ctx;

  /** Whether the uploads finished with the store still connected; resets `submitState` when not. */
  const uploadsDone = async (): Promise<boolean> => {
    set({ submitState: 'waiting' });
    const done = (await deps.waitForUploads(new AbortController().signal)) && ctx.runtime.connected;
    if (!done) set({ submitState: 'idle' });
    return done;
  };

  /** The request from the settings as pressed and the references as they are now. */
  const finalRequest = (pressed: GeneratorState, caps: ModelCapabilities, draft: BuildResult): BuildResult => {
    const refs = get().references;
    const urls = refs.map((r) => r.url).filter((u): u is string => !!u);
    const sameTray = refs.length === pressed.references.length && refs.every((r, i) => r.id === pressed.references[i]!.id);
    // Only when references were added or removed while waiting are the rules checked again.
    const built = sameTray ? draft : buildDraft(pressed, refs);
    if (!built.ok) return built;
    const request: SubmitRequest = { ...built.request, client_business_id: createBusinessId(ctx.random) };
    if (urls.length > 0) request[caps.referenceField] = urls;
    // The mask (issue 15) only with a model that takes one, uploaded and drawn on the first reference.
    const mask = get().mask;
    if (caps.mask && mask?.url && selectMaskStatus(get()) === 'ready') request.mask_url = mask.url;
    return { ok: true, request };
  };

  /** The request on its way (settled either way), what it was built from, and a press that waits for it. */
  let inFlight: Promise<unknown> | undefined;
  let sentKey: string | undefined;
  let deferred: ReturnType<GeneratorState['submit']> | undefined;

  const submit: GeneratorState['submit'] = async () => {
    if (!ctx.runtime.connected) return undefined;
    if (get().submitState === 'submitting' && inFlight) {
      // Generate again while the previous request is on its way (Ctrl+Enter right after editing the
      // prompt): it runs once that request is answered, unless it would send the same thing again
      // (a double press). One such press is kept; more presses join it.
      deferred ??= inFlight.then(() => {
        deferred = undefined;
        return draftKey(get()) === sentKey ? undefined : submit();
      });
      return deferred;
    }
    if (get().submitState !== 'idle') return undefined;
    const pressed = get();
    const caps = ctx.capabilities();
    const draft = buildDraft(pressed, pressed.references);
    const first = formIssues(pressed, caps, draft);
    if (first.length) {
      set({ issues: first });
      return undefined;
    }
    // Synchronous unless there are uploads to wait for: a second click sees `submitState` at once.
    const waiting = get().references.some(isUploading) || selectMaskStatus(get()) === 'uploading';
    if (waiting && !(await uploadsDone())) return undefined;
    const referenceIssue = unusableReferences(ctx, get().references) ?? unusableMask(get());
    if (referenceIssue) {
      set({ submitState: 'idle', issues: [referenceIssue] });
      return undefined;
    }
    const built = finalRequest(pressed, caps, draft);
    if (!built.ok) {
      set({ submitState: 'idle', issues: built.issues });
      return undefined;
    }
    const task = newTask({
      id: ctx.nextId('t'),
      phase: 'submitting',
      request: built.request,
      model: pressed.model,
      aspectRatio: pressed.aspectRatio,
      resolution: pressed.resolution,
      n: pressed.n,
      parameters: { ...pressed.parameters },
      at: ctx.now(),
    });
    set((s) => ({ tasks: [...s.tasks, task], issues: [], submitState: 'submitting' }));
    sentKey = draftKey(pressed);
    const sending = deps.send(task.id).finally(() => set({ submitState: 'idle' }));
    inFlight = sending.catch(() => undefined);
    await sending;
    return get().tasks.find((t) => t.id === task.id);
  };
  return submit;
}

/** What a press of Generate would send, as a string to compare two presses by. */
function draftKey(s: GeneratorState): string {
  return JSON.stringify([s.prompt, s.model, s.aspectRatio, s.resolution, s.n, s.parameters, s.references.map((r) => r.id), s.mask?.url]);
}

/** The one pass of the prompt and settings through the model's rules. */
function buildDraft(state: GeneratorState, references: readonly ReferenceItem[]): BuildResult {
  return buildGenerationRequest({
    model: state.model,
    prompt: state.prompt,
    aspectRatio: state.aspectRatio,
    ...(state.resolution !== undefined && { resolution: state.resolution }),
    n: state.n,
    referenceUrls: references.map((r) => r.url ?? pendingUrl(r)),
    parameters: state.parameters,
  });
}

/** What is wrong with the form itself, shown at once; the references' own rules wait for the uploads. */
function formIssues(state: GeneratorState, caps: ModelCapabilities, draft: BuildResult): FieldIssue[] {
  const issues = draft.ok ? [] : draft.issues.filter((i) => i.field !== 'references');
  if (state.references.length > caps.maxReferences) {
    const remove = state.references.length - caps.maxReferences;
    issues.push({
      field: 'references',
      code: 'too_many',
      message: `${caps.label} accepts at most ${caps.maxReferences} reference images; remove ${remove}.`,
      limit: caps.maxReferences,
      params: { model: caps.label, max: caps.maxReferences, remove },
    });
  }
  return issues;
}

/**
 * A mask that cannot be sent (issue 15): its upload failed, or its size is not the first
 * reference's (when that is known). A mask kept aside is not sent and is no issue.
 */
function unusableMask(state: GeneratorState): FieldIssue | undefined {
  const status = selectMaskStatus(state);
  const mask = state.mask;
  if (!mask) return undefined;
  if (status === 'error') {
    return { field: 'mask', code: 'upload_failed', message: 'The mask did not upload. Apply it again in the mask editor, or remove it.', params: {} };
  }
  const first = state.references[0];
  if (status !== 'ready' || !first?.width || !first.height || (first.width === mask.width && first.height === mask.height)) return undefined;
  return {
    field: 'mask',
    code: 'size_mismatch',
    message: `The mask is ${mask.width}×${mask.height} pixels but the first reference is ${first.width}×${first.height}; edit the mask again.`,
    params: { width: mask.width, height: mask.height, referenceWidth: first.width, referenceHeight: first.height },
  };
}

/** References that cannot be sent: failed uploads, or results whose files expired meanwhile. */
function unusableReferences(ctx: StoreContext, references: readonly ReferenceItem[]): FieldIssue | undefined {
  const failed = references.filter((r) => r.state === 'error');
  if (failed.length) {
    return {
      field: 'references',
      code: 'invalid_url',
      message:
        failed.length === 1
          ? `"${failed[0]!.name}" did not upload. Retry or remove it.`
          : `${failed.length} references did not upload. Retry or remove them.`,
      params: { reason: 'upload_failed', count: failed.length, fileName: failed[0]!.name },
    };
  }
  // A result used as a reference whose results expired meanwhile: the service could not fetch it.
  const expired = references.filter((r) => ctx.isExpiredResult(r.url));
  if (expired.length) {
    return {
      field: 'references',
      code: 'invalid_url',
      message:
        expired.length === 1
          ? `"${expired[0]!.name}" has expired (results are kept 24 hours). Remove it to generate.`
          : `${expired.length} references have expired (results are kept 24 hours). Remove them to generate.`,
      params: { reason: 'expired', count: expired.length, fileName: expired[0]!.name },
    };
  }
  return undefined;
}
