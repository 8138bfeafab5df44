import type { ToapisClient, HeadersOption, FetchLike } from '../core/client';
import type { ToapisError } from '../core/errors';
import type { FieldIssue, ModelCapabilities } from '../core/models';
import type { ModelParameters, ParameterValue } from '../core/parameters';
import type { PollCadence, PollerEnvironment } from '../core/poller';
import type { TaskSnapshot } from '../core/protocol';
import type { ImageCodec, ReferenceInput } from '../core/references';
import type { GenerationTask } from '../core/task';
import type { TabCoordinator } from './coordination';
import type { GeneratorPreset, PresetImportResult, PresetSaveResult } from './presetTypes';

// The task record and its phases live with the task's state machine (src/core/task.ts).
export type { GenerationTask, RetryInfo, TaskPhase } from '../core/task';

/** Where one reference image is: being checked, being uploaded, usable, or refused. */
export type ReferenceState = 'checking' | 'uploading' | 'ready' | 'error';

export interface ReferenceItem {
  /** Local id, stable for the item's life in the tray. */
  id: string;
  /** The file's name, for display as plain text only. */
  name: string;
  size: number;
  mimeType: string | undefined;
  state: ReferenceState;
  /** 0–100 while uploading when known, otherwise null (indeterminate). */
  progress: number | null;
  /** The uploaded URL sent in `image_urls` once `state` is `ready`. */
  url: string | undefined;
  /** A `blob:` (or `http(s)`) URL for the thumbnail. */
  previewUrl: string | undefined;
  /** SHA-256 of the content, for de-duplication. */
  hash: string | undefined;
  width: number | undefined;
  height: number | undefined;
  /** Why the upload failed, when `state` is `error`. */
  error: ToapisError | undefined;
  /** True when the file was shrunk to fit the model's size limit. */
  downscaled: boolean;
}

/**
 * An inpainting mask drawn on a reference (issue 15): sent as `mask_url` with the models that take one
 * (`ModelCapabilities.mask`). A PNG with alpha, transparent where the model repaints, exactly the
 * reference's pixel size.
 */
export interface ReferenceMask {
  /** Local id of this mask (a new one each time a mask is applied). */
  id: string;
  /** The reference it was drawn on (`ReferenceItem.id`); the first reference when it was drawn. */
  referenceId: string;
  /** That reference's uploaded URL when the mask was drawn (to tell, after a reload, whether it is still first). */
  referenceUrl: string | undefined;
  /** Being uploaded, usable (`url` set), or the upload failed (`error`). */
  state: 'uploading' | 'ready' | 'error';
  /** The uploaded mask's URL, sent as `mask_url`. */
  url: string | undefined;
  /** A `blob:` URL of a small picture of the masked area, for the tray's overlay. */
  previewUrl: string | undefined;
  /** The mask file's pixel size (the reference's). */
  width: number;
  height: number;
  error: ToapisError | undefined;
  /**
   * Why the mask is kept aside and not sent: the current model takes no mask (`model`), or the first
   * reference is no longer the one it was drawn on (`reference`). Undefined when it is sent.
   */
  aside: 'model' | 'reference' | undefined;
}

/** A message about files that were not added (15th file, renamed PDF, duplicate…). */
export interface TrayNotice {
  id: string;
  /** `unrestorable`: a task saved in session storage was garbled and was dropped, not sent again. */
  code:
    | 'too_many'
    | 'empty'
    | 'not_image'
    | 'unsupported_format'
    | 'too_large'
    | 'duplicate'
    | 'corrupt'
    | 'unreadable'
    | 'expired'
    | 'unrestorable'
    /* ---- mask (issue 15): a mask file over the model's limit (not applied); the mask kept aside
       because the model takes none, or because the first reference is not the one it was drawn on. */
    | 'mask_too_large'
    | 'mask_aside_model'
    | 'mask_aside_reference';
  fileName: string;
  /** English text; a label pack words it from `reference.<code>` and `params` (`formatMessage`). */
  message: string;
  /** The values the message names (`name`, `max`, `size`, `formats`…), when core reported them. */
  params?: Record<string, string | number>;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PersistOptions {
  storage: StorageLike;
  /** Storage key; give two generators on one page different keys. */
  key: string;
  /** Finished tasks kept across reloads (newest). @default 12 */
  keepFinished?: number;
  /**
   * Do not read the saved state when the store is created; it is applied by the store's
   * `rehydrate()` action instead, and nothing is written before that. A server-rendered page needs
   * this: its first client render must match the server's HTML, which knows nothing of the
   * browser's storage, so the provider restores only after React has hydrated. @default false
   */
  skipHydration?: boolean;
}

/** Long-lived storage (`localStorage` in the browser) for what outlives a session; see src/store/keep.ts. */
export interface KeepOptions {
  storage: StorageLike;
  /** Part of every key: two backends keep separate histories. The provider passes the backend URL. */
  scope: string;
}

export interface GeneratorSettings {
  prompt: string;
  model: string;
  aspectRatio: string;
  resolution: string | undefined;
  n: number;
  /**
   * The current model's documented extras (`{ google_search: true }`); unset ones use the model's
   * default. Switching models keeps the values the new model takes and drops the rest.
   */
  parameters: ModelParameters;
}

/**
 * Learned generation times in milliseconds, per `${model}|${resolution ?? ''}` (see `durationKey`),
 * oldest first, the last 20 per key.
 */
export type Durations = Readonly<Record<string, readonly number[]>>;
/** What `reuseSettings` did with the task's references. */
export interface ReuseResult {
  /** References now in the tray (the task's, in its order, each once). */
  references: number;
  /** Results whose files expired: left out, each with an `expired` notice. */
  expired: number;
  /** Left out for another reason (over the tray's maximum, an unusable URL), each with a notice. */
  refused: number;
}

/** The undo "Clear finished" offers: how many tasks it removed, and until when (epoch ms, the store's `now`). */
export interface ClearedTasks {
  count: number;
  until: number;
}

export interface GeneratorState extends GeneratorSettings {
  references: ReferenceItem[];
  tasks: GenerationTask[];
  notices: TrayNotice[];
  /** Field problems from the last Generate press (cleared as the user fixes them). */
  issues: FieldIssue[];
  /** `idle`, `waiting` for uploads before sending, or `submitting`. */
  submitState: 'idle' | 'waiting' | 'submitting';
  /** Largest number of references the tray accepts (tray `max` capped by the model). */
  maxReferences: number;
  /**
   * Generation times this store has seen, per model and resolution (queue time never counted), kept
   * with `keep`; `estimateRemaining` turns them into an ETA. Read from `keep` when the engine loads.
   */
  durations: Durations;

  setPrompt(prompt: string): void;
  setModel(model: string): void;
  setAspectRatio(ratio: string): void;
  setResolution(resolution: string): void;
  setN(n: number): void;
  /** Sets one model parameter; `undefined` unsets it. Checked when Generate is pressed. */
  setParameter(name: string, value: ParameterValue | undefined): void;
  /** Replaces all model parameters. */
  setParameters(parameters: Readonly<Record<string, ParameterValue | undefined>>): void;
  /** Unsets every model parameter (the model's defaults apply). */
  resetParameters(): void;
  setMaxReferences(max: number): void;
  addReferences(files: Iterable<ReferenceInput & Blob> | ArrayLike<ReferenceInput & Blob>): Promise<void>;
  /**
   * Adds an already-hosted image (e.g. a result) as a ready reference, with no upload. Refuses (with
   * an `expired` notice) a result URL whose task's results have expired.
   */
  addReferenceUrl(url: string, name?: string): boolean;
  removeReference(id: string): void;
  moveReference(id: string, toIndex: number): void;
  retryReference(id: string): void;
  dismissNotice(id: string): void;
  clearNotices(): void;
  /**
   * Validates, waits for uploads, sends one task. Called again while a request is on its way, it
   * waits for that one to be answered, then sends the form as it is then, unless that is the same
   * request (a double press: resolves `undefined`). A no-op while waiting for uploads.
   */
  submit(): Promise<GenerationTask | undefined>;
  /** After a failure: resumes polling when the task exists upstream, otherwise submits again. */
  retry(taskLocalId: string): Promise<void>;
  cancel(taskLocalId: string): void;
  dismissTask(taskLocalId: string): void;
  /**
   * Result image `index` (1-based) of a task, fetched through the backend's download route when its
   * `/v1/capabilities` announce `downloads`; undefined when there is no such route or it failed,
   * or the results have expired. Never rejects.
   */
  fetchResultImage(taskLocalId: string, index: number, options?: { signal?: AbortSignal; filename?: string }): Promise<Blob | undefined>;
  /** Re-attaches to tasks that are still running upstream (after a reload). */
  resumeTask(record: { taskId: string; clientBusinessId?: string; prompt?: string; model?: string; createdAt?: number; aspectRatio?: string; resolution?: string; n?: number }): void;
  /**
   * Applies the saved state (`persist` with `skipHydration`) once, then starts saving changes;
   * saved tasks that are still running resume. A no-op when the saved state was read at creation.
   * Anything set meanwhile stays: a prompt typed before it runs wins over the saved one, and saved
   * references and tasks come before those added meanwhile. Saved model parameters are merged over
   * the current ones (the initial values fill in what was not saved).
   */
  rehydrate(): void;
  /** Resumes network activity after `disconnect` (re-attaches running tasks and uploads). */
  connect(): void;
  /** Stops all network activity and timers; state is kept, `connect` resumes. */
  disconnect(): void;
  /** Revokes the thumbnails' object URLs (a provider unmounted); `connect` makes them again. */
  releasePreviews(): void;
  /** `disconnect` for good, and revokes thumbnails. The store stays readable. */
  dispose(): void;

  /* ---- Many jobs (issue 14) */
  /**
   * What the last `clearFinished()` removed, while it can be undone: `until` is 10 s after the clear
   * (the store's `now`). A view hides its Undo at `until`; the store holds no timer. Never persisted.
   */
  clearedTasks: ClearedTasks | undefined;
  /**
   * "Reuse settings": puts a task's prompt, model, aspect ratio, resolution, n and model parameters
   * in the form (fitted to the model, as `setModel` does), and replaces the tray with the task's
   * references (`image_urls` / `reference_images`). A reference already in the tray stays as it is;
   * one whose result expired, or one over the tray's maximum, is left out with a notice (`expired`,
   * `too_many`). Resolves undefined for an unknown task.
   */
  reuseSettings(taskLocalId: string): Promise<ReuseResult | undefined>;
  /**
   * "More like this": sends a completed task's exact request again as a new task (a fresh
   * `client_business_id`); the form is not touched. Resolves the new task, or undefined when the task
   * is not completed, the store is disconnected, or one of its references expired (an `expired`
   * notice says so; nothing is sent).
   */
  moreLikeThis(taskLocalId: string): Promise<GenerationTask | undefined>;
  /** "Cancel all": `cancel` on every running task (submitting, queued, generating). */
  cancelAll(): void;
  /**
   * "Clear finished": removes every completed, failed and cancelled task (running ones stay) and
   * offers `undoClearFinished` for 10 s (`clearedTasks`). Resolves how many were removed.
   */
  clearFinished(): Promise<number>;
  /**
   * Puts the tasks the last `clearFinished` removed back where they were among the tasks there now.
   * After 10 s it does nothing (and forgets them). Resolves how many came back.
   */
  undoClearFinished(): Promise<number>;
  /** Drops what `clearFinished` kept for undo (the view calls it when its Undo times out). */
  forgetClearedTasks(): void;
  /* ---- image selection: Compare, Download selected (issue 14) */
  /**
   * Result images the user ticked, in the order ticked. Entries may outlive their task (dismissed,
   * cleared, expired): read them through `selectSelectedImages`, which leaves those out.
   */
  selectedImages: ReadonlyArray<ImageSelection>;
  /**
   * Ticks or unticks result image `index` (1-based) of a task. Ticking an image that does not exist
   * (no such task, no such index, an unsafe URL) or whose results have expired does nothing.
   */
  toggleImageSelection(taskLocalId: string, index: number): void;
  /** Unticks every image. */
  clearImageSelection(): void;
  /* ---- prompt history (issue 14) */
  /**
   * The prompts Generate sent, newest first: at most 100, each once (compared trimmed; sending one
   * again moves it to the front), empty ones and ones over 4,000 characters left out. Kept in the
   * `keep` storage (the provider's `localStorage`, per backend); empty when `historyEnabled` is false.
   * Its code loads on demand (src/store/slices/history.ts): with `keep`, the kept prompts arrive
   * just after the store is created, once that code has loaded (at once when it already has).
   */
  promptHistory: string[];
  /** The store option `history` (default true). When false nothing is recorded, read or written, and the kit shows no history button. */
  historyEnabled: boolean;
  /** Empties the prompt history, in the storage too. */
  clearHistory(): void;
  /**
   * Alt+ArrowUp / Alt+ArrowDown in the prompt: `-1` shows the next older entry, `1` the next newer
   * one. The first step older keeps the current prompt aside as the draft, and stepping newer past
   * the newest entry puts the draft back, so nothing typed is lost. Editing the prompt starts again
   * from the draft. Returns whether the prompt changed (false at either end, or with no history).
   */
  stepHistory(direction: -1 | 1): boolean;
  /* ---- presets (issue 14) */
  /**
   * The host's presets (store option / provider prop `presets`, e.g. a portal's brand styles):
   * read-only for the user, replaced with `setHostPresets`. Entries without a name are left out; of
   * two with the same name the first is kept.
   */
  hostPresets: readonly GeneratorPreset[];
  /**
   * The user's own presets, kept in long-lived storage (`keep`) and validated when read back. They
   * fill in once the presets code has loaded (on demand: the browser's idle prefetch, a mounted
   * `PresetPicker`, or the first preset action); until then the list is empty.
   */
  userPresets: readonly GeneratorPreset[];
  /** The id (`presetId`: `host:<name>` or `user:<name>`) of the preset applied last; cleared when it is deleted or withdrawn. */
  activePreset: string | undefined;
  /** Replaces the host's presets (the provider calls it when its `presets` prop changes). */
  setHostPresets(presets: readonly GeneratorPreset[] | undefined): void;
  /**
   * Applies a preset by id (`host:<name>`, `user:<name>`) or by name (the host's first, then the
   * user's): the model first, then its aspect ratio, resolution, number of images and parameters,
   * all fitted to the model as the settings actions do (a ratio the model does not offer becomes
   * its default); the prompt only when the preset has one. Settings the preset does not hold stay.
   * Resolves false when there is no such preset.
   */
  applyPreset(nameOrId: string): Promise<boolean>;
  /**
   * Saves the current model, aspect ratio, resolution, number of images and parameters (and the
   * prompt with `includePrompt`) as one of the user's presets, and makes it the active one. A
   * preset of the user's with the same name is replaced. Refused with a message: an empty name
   * (`preset.name_required`), a name too long (`preset.name_too_long`), a name of one of the host's
   * presets (`preset.name_reserved`: they cannot be overwritten), a 101st preset (`preset.too_many`).
   */
  savePreset(name: string, options?: { includePrompt?: boolean; description?: string }): Promise<PresetSaveResult>;
  /** Deletes one of the user's own presets (by id or name); the host's cannot be deleted. Resolves whether one was. */
  deletePreset(nameOrId: string): Promise<boolean>;
  /** The user's presets as pretty JSON, `{ "v": 1, "presets": [...] }` (what `importPresets` reads). */
  exportPresets(): Promise<string>;
  /**
   * Reads presets exported by `exportPresets`: each is validated field by field, then added, or
   * replaces the user's preset with the same name. All or nothing: bad JSON, another shape, one
   * invalid entry, a host preset's name or more than 100 presets in all give `{ error }` (a message
   * code with English text) and change nothing.
   */
  importPresets(json: string): Promise<PresetImportResult>;
  /* ---- mask (issue 15) */
  /** The inpainting mask, when one was applied in the MaskEditor; see `ReferenceMask`. */
  mask: ReferenceMask | undefined;
  /**
   * Uploads a mask the MaskEditor made for a reference and makes it the mask (replacing any other):
   * `file` is the PNG to send, `width`/`height` its pixel size, `preview` a small picture of the masked
   * area for the tray. Never rejects: a failed upload leaves `mask.state` `error`. A file over the
   * model's `mask.maxBytes` is refused with a tray notice (`mask_too_large`) and nothing is uploaded.
   *
   * Generate sends the mask as `mask_url` only while `selectMaskStatus(state)` is `ready` (the model
   * takes a mask, it is uploaded, and it was drawn on the first reference); it waits for a mask still
   * uploading, and a failed upload (`mask.upload_failed`) or a mask whose size is not the first
   * reference's (`mask.size_mismatch`) is a field issue. `mask.aside` follows the model and the tray
   * (a tray notice says when the mask is put aside); the mask survives a reload with its reference.
   */
  setMask(input: { referenceId: string; file: Blob; width: number; height: number; preview?: Blob }): Promise<void>;
  /** Forgets the mask (its upload is aborted). */
  removeMask(): void;
}

/** One ticked result image: the task's local id (`GenerationTask.id`) and the image's 1-based index. */
export interface ImageSelection {
  task: string;
  index: number;
}

// Presets' records live in ./presetTypes.ts (kept beside the state they describe).
export type { GeneratorPreset, PresetMessage, PresetSaveResult, PresetImportResult } from './presetTypes';

export interface GeneratorStoreOptions {
  /** URL of a ToAPIs-compatible backend (the kit's proxy or simulator). Required unless `client` is given. */
  backendUrl?: string;
  /** A ready client (tests, or a host that wraps its own). */
  client?: ToapisClient;
  /** @default 'gemini-3.1-flash-image-preview' */
  model?: string;
  headers?: HeadersOption;
  fetch?: FetchLike;
  /** Fixed milliseconds between status reads, overriding the default cadence. */
  pollInterval?: number;
  /**
   * Follow tasks over the backend's Server-Sent Events when it offers them (the kit's proxy does;
   * plain ToAPIs-compatible backends do not, and then the kit polls). @default true
   */
  stream?: boolean;
  cadence?: Partial<PollCadence>;
  /** Give up waiting for a task after this long. @default 600000 */
  deadlineMs?: number;
  environment?: PollerEnvironment;
  /** Shrinks over-size photos in the browser; without it, over-size files are refused. */
  imageCodec?: ImageCodec;
  /** Makes a thumbnail URL for a file. @default URL.createObjectURL when available */
  createPreviewUrl?: (blob: Blob) => string | undefined | Promise<string | undefined>;
  revokePreviewUrl?: (url: string) => void;
  /**
   * Keep the prompt, settings, uploaded references and tasks across reloads in this storage
   * (the provider passes `sessionStorage`). @default undefined (nothing persisted)
   */
  persist?: PersistOptions | false;
  /**
   * Long-lived storage for prompt history, the user's presets and learned generation times (the
   * provider passes `localStorage`, scoped by backend URL). @default undefined (kept in memory)
   */
  keep?: KeepOptions | false;
  /** Start with network activity allowed; `false` waits for `connect()` (what the provider does). @default true */
  connected?: boolean;
  /** Cross-tab coordination (the provider passes Web Locks + BroadcastChannel). @default single tab */
  coordinator?: TabCoordinator;
  /** Tray maximum before the model's cap. @default 14 */
  maxReferences?: number;
  /** Uploads running at once. @default 3 */
  uploadConcurrency?: number;
  /** Initial settings (e.g. restored from session storage). */
  initial?: Partial<GeneratorSettings>;
  /**
   * Called once per task when it completes. The image URLs in `task.images` are the service's and
   * expire 24 hours after completion (`task.expiresAt`): copy the images you want to keep to your
   * own storage.
   */
  onTaskComplete?: (task: GenerationTask) => void;
  onError?: (error: ToapisError, task?: GenerationTask) => void;
  random?: () => number;
  now?: () => number;

  /* ---- prompt history (issue 14) */
  /**
   * Record the prompts Generate sends (`promptHistory`, kept in `keep`). `false` turns the history
   * off: nothing is recorded, read or written. @default true
   */
  history?: boolean;
  /* ---- presets (issue 14) */
  /** The host's presets (e.g. a portal's brand styles), listed before the user's own and read-only for the user. */
  presets?: readonly GeneratorPreset[];
}

export type { ModelCapabilities, TaskSnapshot };
