/**
 * Every visible or spoken string of the kit, with English defaults. Hosts pass a partial object to
 * `GeneratorProvider labels={…}` to re-brand or translate; packs for zh, ja and ko ship beside it.
 * Strings that take values are functions. Server text is passed in as plain text, never markup.
 */
import type { ErrorHint, ToapisErrorKind } from '../core/errors';
import type { MessageCode } from '../core/messages';
import type { TaskPhase } from '../store/types';
import { enMessages } from './messages/en';
import type { MessageText } from './messages/shared';

export type { MessageText };

export interface Labels {
  /* ---------------------------------------------------------------- PromptForm */
  /** Accessible name of the prompt textbox. Tests select by it. */
  prompt: string;
  promptPlaceholder: string;
  /** Name of the Generate button. Tests select by it. */
  generate: string;
  /** Shown (and announced) while Generate waits for references to finish uploading. */
  waitingForUploads: (count: number) => string;
  submitting: string;
  /** Accessible name of the resolution select. Tests select by it. */
  resolution: string;
  /** Accessible name of the number-of-images control. */
  imageCount: string;
  /** Character count against the model's limit. */
  characterCount: (count: number, max: number | undefined) => string;
  /** Keyboard hint under the prompt. */
  submitShortcut: (isMac: boolean) => string;
  /** Estimated price for the chosen resolution and count, in USD. */
  estimatedPrice: (usd: number) => string;
  /** Explains an over-long prompt under the textbox (shown before Generate is pressed). */
  promptTooLong: (count: number, max: number) => string;
  /** Summary of the disclosure listing the model's parameters (`<PromptForm parametersUi />`). */
  advancedOptions: string;
  /** Visible names of the model parameters, by the spec's label key (its name, e.g. `google_search`, or a shared key such as `output_format`). */
  parameterLabels: Partial<Record<string, string>>;
  /** Display names of enum parameter values (`landscape`, `high`…); the value itself shows where missing. */
  parameterValues: Partial<Record<string, string>>;
  /** The empty choice of a parameter select (nothing sent): the model's default, named when documented. */
  parameterDefault: (value: string | undefined) => string;
  /** Hint under a number parameter: its allowed range. */
  parameterRange: (min: number, max: number) => string;
  /** Why a parameter is unavailable: it needs another one on (`value` undefined) or set to `value`. */
  parameterRequires: (label: string, value: string | undefined) => string;
  /** Button that unsets every parameter, so the model's defaults apply. */
  resetParameters: string;

  /* ---------------------------------------------------------------- AspectRatioPicker */
  /** Accessible name of the aspect-ratio select. Tests select by it. */
  aspectRatio: string;
  /** Text of one option: the ratio, plus output pixels when known (e.g. `16:9 · 2048×1152`). */
  aspectRatioOption: (ratio: string, size: readonly [number, number] | undefined) => string;
  /** Display name of a `size` value; named values (`auto`, `match_input_image`) get words. */
  aspectRatioName: (ratio: string) => string;
  aspectRatioDescriptions: Partial<Record<string, string>>;

  /* ---------------------------------------------------------------- ReferenceTray */
  /** Accessible name of the file input. Tests select by it. */
  addReferences: string;
  /** Accessible name of the list of references. Tests select by it. */
  referenceList: string;
  /** Visible count, e.g. `3 / 14`. */
  referenceCount: (count: number, max: number) => string;
  dropHint: string;
  chooseFiles: string;
  dropHere: string;
  /** Name of a reference's Remove button; must start with "Remove". */
  removeReference: (name: string) => string;
  moveReferenceEarlier: (name: string) => string;
  moveReferenceLater: (name: string) => string;
  /** Announced after a keyboard move. */
  referenceMoved: (name: string, position: number, total: number) => string;
  referenceAdded: (count: number) => string;
  referenceRemoved: (name: string) => string;
  referenceState: Record<'checking' | 'uploading' | 'ready' | 'error', string>;
  retryUpload: (name: string) => string;
  /** Accessible name of one reference's upload progress bar, e.g. `Uploading a.png`. */
  uploadProgress: (name: string) => string;
  referenceDownscaled: string;
  dismissNotice: string;
  referenceReorderHint: string;

  /* ---------------------------------------------------------------- TaskProgress */
  taskList: string;
  /** Status text per phase. */
  phase: Record<TaskPhase, string>;
  progressLabel: string;
  progressValueText: (percent: number | null, phase: TaskPhase) => string;
  cancel: string;
  retry: string;
  dismissTask: string;
  resultAlt: (prompt: string, index: number, total: number) => string;
  openImage: string;
  downloadImage: string;
  useAsReference: string;
  usedAsReference: string;
  /** While riding out a rate limit or a transient failure. */
  retrying: (kind: ToapisErrorKind, seconds: number) => string;
  noTasks: string;
  revisedPrompt: string;
  /** Accessible name of a result's Open link; the index is added when there are several images. */
  openImageAt: (index: number, total: number) => string;
  /** Accessible name of a result's Download button, e.g. `Download image 2` when there are several. */
  downloadImageAt: (index: number, total: number) => string;
  /** Accessible name of a result's "Use as reference" button (contains the visible text). */
  useAsReferenceAt: (index: number, total: number) => string;
  /** Name of a result added to the references with "Use as reference" (`Result 2`). */
  resultName: (index: number) => string;
  /** Polite status while a Download fetches the file. */
  downloading: string;
  /** Status when the file could not be saved and the image was opened in a new tab instead. */
  downloadOpened: string;
  /** Status when the image could neither be saved nor opened. */
  downloadFailed: string;
  /**
   * Quiet text under a task's results: time left before the result URLs stop working, in
   * milliseconds (whole hours from one hour up, else minutes rounded up; see `expiryParts`).
   */
  expiresIn: (ms: number) => string;
  /** Shown instead of results whose URLs have expired (no image, no actions). */
  expired: string;
  /** Small meta line under a task's prompt: ratio, resolution, image count. */
  taskMeta: (aspectRatio: string | undefined, resolution: string | undefined, n: number) => string;
  /**
   * Spoken once (polite live region) when a task changes phase; empty string = stay silent.
   * Worded apart from `phase` so text queries find only the visible status.
   */
  phaseAnnouncement: (phase: TaskPhase, imageCount: number) => string;

  /* ---------------------------------------------------------------- Messages (by code) */
  /**
   * Validation messages, refused files and tray notices, by code (`prompt.too_long`,
   * `reference.duplicate`; the list is `MESSAGE_CODES`): each turns the message's `params` into
   * text. An empty string shows the English text core sent along. See `formatMessage`.
   */
  messages: Record<MessageCode, MessageText>;

  /* ---------------------------------------------------------------- Errors (by kind) */
  errors: Record<ToapisErrorKind, string>;
  /** Prefix for the server's own words, shown after the kind's sentence. */
  serverSaid: (message: string) => string;
  /** The visible task id of a failed task, something to quote to support. */
  taskIdText: (id: string) => string;
  copyDetails: string;
  detailsCopied: string;
  /** Shown when the browser refused the clipboard. */
  copyFailed: string;
  /** Hints under some errors: a wrong base URL, and what to send support about a charged task. */
  errorHints: Record<ErrorHint, string>;
  componentCrashed: string;
  tryAgain: string;

  /* ---- ETA and queue position (issue 14) */
  /** Time left for a generating task, under a minute, in whole seconds: `About 20 s left`. */
  etaSeconds: (seconds: number) => string;
  /** Time left from a minute up, in whole minutes: `About 2 min left`. */
  etaMinutes: (minutes: number) => string;
  /** The learned generation time has run out and the task is still generating. */
  etaAlmostDone: string;
  /** The progress bar's `aria-valuetext` with an ETA: `40% · About 20 s left`. */
  progressWithEta: (progress: string, eta: string) => string;
  /** A queued task's place in the backend's queue, as the backend reports it (`Position 3 in queue`; 0 = next). */
  queuePosition: (position: number) => string;
  /* ---- Many jobs: reuse settings, more like this, cancel all, clear finished (issue 14) */
  /** Name of a task row's button that puts its settings back in the form. Tests select by it. */
  reuseSettings: string;
  /** Name of a completed row's button that sends the same settings again as a new task. Tests select by it. */
  moreLikeThis: string;
  /** Announced after "Reuse settings"; `expired` references were left out (each also has a tray notice). */
  settingsRestored: (expired: number) => string;
  /** Accessible name of the group of list-wide buttons above the tasks. */
  taskToolbar: string;
  /** Button that cancels every running task. Tests select by it. */
  cancelAll: string;
  /** Button that removes every finished task (completed, failed, cancelled). Tests select by it. */
  clearFinished: string;
  /** Status after "Clear finished", shown beside Undo for 10 s. */
  tasksCleared: (count: number) => string;
  /** Button that puts the cleared tasks back. Tests select by it. */
  undo: string;
  /* ---- several images, compare, downloads (issue 14) */
  /** Accessible name of a result's checkbox; `index` is the image's 1-based position in its task (`Select image 2`). */
  selectImage: (index: number) => string;
  /** Spoken text of the placeholder for an image still being generated (`Image 2 of 4, generating`). */
  imagePending: (index: number, total: number) => string;
  /** The selection bar's count (`2 selected`); it also names the bar. */
  selectedCount: (count: number) => string;
  /** The selection bar's button that opens the comparison (two images selected). */
  compare: string;
  /** Why Compare is unavailable when not exactly two images are selected. */
  compareHint: string;
  /** Title (and name) of the comparison dialog. */
  compareTitle: string;
  /** Name of the comparison slider (how much of the first image shows). */
  comparePosition: string;
  /** Name of the switch that shows the two images next to each other instead of over each other. */
  sideBySide: string;
  /** Closes a dialog. */
  close: string;
  /** Alt text of an image in the comparison: its position in its task and its prompt. */
  compareImageAlt: (index: number, prompt: string) => string;
  /** Saves every image of a task as one zip. */
  downloadAll: string;
  /** Saves the selected images (one file, or one zip for several). */
  downloadSelected: string;
  /** Unticks every selected image. */
  clearSelection: string;
  /** Shown on a download button while the files are fetched and zipped. */
  preparing: string;
  /** Alert when a zip could not be made: `count` images could not be fetched (0: the zip itself failed). */
  zipFailed: (count: number) => string;
  /** Alert when the images to download have expired. */
  zipExpired: string;
  /* ---- prompt history (issue 14) */
  /** Name of the button beside the prompt that opens the history, of its popup and of the listbox in it. Tests select by it. */
  promptHistory: string;
  /** Name of the searchbox in the history popup. Tests select by it. */
  searchPrompts: string;
  /** Name of the button that empties the history. Tests select by it. */
  clearHistory: string;
  /** Shown in the popup when nothing has been generated yet. */
  historyEmpty: string;
  /** Shown when no prompt contains the search text. */
  historyNoMatch: (query: string) => string;
  /** Announced after "Clear history". */
  historyCleared: string;
  /* ---- presets (issue 14) */
  /** Accessible name of the PresetPicker's combobox. Tests select by it. */
  preset: string;
  /** Shown in the Preset combobox before a preset is chosen. */
  presetPlaceholder: string;
  /** Heading of the host's presets in the Preset list. */
  hostPresetsGroup: string;
  /** Heading of the user's own presets in the Preset list. */
  userPresetsGroup: string;
  /** Name of the button that opens the save dialog, and the dialog's title. Tests select by it. */
  savePreset: string;
  /** Name of the button that deletes the chosen preset of the user's own. Tests select by it. */
  deletePreset: string;
  /** Accessible name of the save dialog's name textbox. Tests select by it. */
  presetName: string;
  /** The save dialog's checkbox that keeps the current prompt in the preset. */
  presetIncludePrompt: string;
  /** The save dialog's buttons. */
  presetSave: string;
  presetCancel: string;
  /** Name of the button that downloads the user's presets as `presets.json`. */
  exportPresets: string;
  /** Name of the button that reads presets from a JSON file. */
  importPresets: string;
  /** Spoken (polite) after a preset is applied, saved or deleted. */
  presetApplied: (name: string) => string;
  presetSaved: (name: string) => string;
  presetDeleted: (name: string) => string;
  /** Spoken (polite) after an import: how many presets were added or replaced. */
  presetsImported: (count: number) => string;
  /* ---- mask editor (issue 15) */
  /** Title and accessible name of the mask editor dialog. Tests select by it. */
  maskEditor: string;
  /** The editor's tools (toggle buttons, one pressed). Tests select by them. */
  maskBrush: string;
  maskEraser: string;
  maskRectangle: string;
  /** Name of the brush size slider; `maskBrushSizeValue` is its spoken value (diameter in screen pixels). */
  maskBrushSize: string;
  maskBrushSizeValue: (pixels: number) => string;
  /** The editor's undo and redo buttons. */
  maskUndo: string;
  maskRedo: string;
  clearMask: string;
  invertMask: string;
  zoomIn: string;
  zoomOut: string;
  /** Zooms back so the whole image fits. */
  zoomFit: string;
  /** Makes the mask file, hands it to the store (uploaded and sent as `mask_url`) and closes. */
  applyMask: string;
  /** Shown on "Apply mask" while the file is made. */
  applyingMask: string;
  /** Alert when the mask file could not be made. */
  maskExportFailed: string;
  /** Accessible name of the painting area (`name`: the reference's). */
  maskCanvas: (name: string) => string;
  /** The editor's keyboard help, under the canvas (it also describes the canvas). */
  maskKeyboardHint: (isMac: boolean) => string;
  /** Spoken (polite) when the rectangle selection moves or changes size, in the reference's pixels. */
  maskSelection: (x: number, y: number, width: number, height: number) => string;
  /** The confirmation before closing with unsaved changes (an alert dialog inside the editor). */
  maskDiscardTitle: string;
  maskDiscardText: string;
  maskDiscard: string;
  maskKeepEditing: string;
  /** The tray's button that opens the editor on the first reference. Tests select by it. */
  editMask: string;
  /** The tray's button that forgets the mask. Tests select by it. */
  removeMask: string;
  /** The badge of a reference with a mask, by the mask's state. */
  maskBadge: string;
  maskUploading: string;
  maskFailed: string;
  /** The muted badge of a mask kept aside (not sent): the model takes none, or the first reference changed. */
  maskAside: (reason: 'model' | 'reference') => string;
}

export const en: Labels = {
  prompt: 'Prompt',
  promptPlaceholder: 'Describe the image you want…',
  generate: 'Generate',
  waitingForUploads: (n) => `Waiting for ${n} reference ${n === 1 ? 'image' : 'images'} to finish uploading…`,
  submitting: 'Sending…',
  resolution: 'Resolution',
  imageCount: 'Number of images',
  characterCount: (n, max) => (max ? `${n.toLocaleString('en')} / ${max.toLocaleString('en')}` : `${n.toLocaleString('en')} characters`),
  submitShortcut: (isMac) => (isMac ? '⌘ Enter to generate' : 'Ctrl+Enter to generate'),
  estimatedPrice: (usd) => `≈ $${usd.toFixed(3)}`,
  promptTooLong: (n, max) =>
    `${(n - max).toLocaleString('en')} ${n - max === 1 ? 'character' : 'characters'} over this model's limit of ${max.toLocaleString('en')}. Shorten the prompt to generate.`,
  advancedOptions: 'Advanced options',
  parameterLabels: {
    google_search: 'Google web search',
    google_image_search: 'Google image search',
    orientation: 'Orientation',
    quality: 'Quality',
    output_format: 'Output format',
    output_compression: 'JPEG compression',
    safety_tolerance: 'Safety tolerance',
    prompt_upsampling: 'Prompt upsampling',
    watermark: 'Watermark',
    layer_decomposition: 'Split into layers',
    seed: 'Seed',
    temperature: 'Temperature',
    topP: 'Top-p',
    maxOutputTokens: 'Max output tokens',
    personGeneration: 'People in images',
    sequential_image_generation: 'Image series',
  },
  parameterValues: {
    landscape: 'Landscape',
    portrait: 'Portrait',
    low: 'Low',
    medium: 'Medium',
    high: 'High',
    png: 'PNG',
    jpeg: 'JPEG',
    jpg: 'JPG',
    ALLOW_ALL: 'Anyone',
    ALLOW_ADULT: 'Adults only',
    ALLOW_NONE: 'No people',
    disabled: 'Off',
    auto: 'Automatic',
  },
  parameterDefault: (value) => (value ? `Default (${value})` : 'Default'),
  parameterRange: (min, max) => `${min.toLocaleString('en')}–${max.toLocaleString('en')}`,
  parameterRequires: (label, value) => (value ? `Needs ${label}: ${value}` : `Needs ${label} on`),
  resetParameters: 'Reset options',

  aspectRatio: 'Aspect ratio',
  aspectRatioOption: (ratio, size) => (size ? `${ratio} · ${size[0]}×${size[1]}` : ratio),
  aspectRatioName: (ratio) => (ratio === 'auto' ? 'Auto' : ratio === 'match_input_image' ? 'Match input' : ratio),
  aspectRatioDescriptions: {
    '1:1': 'Square',
    '16:9': 'Widescreen',
    '9:16': 'Vertical video',
    '4:3': 'Classic',
    '3:4': 'Portrait',
    '3:2': 'Photo',
    '2:3': 'Portrait photo',
    '21:9': 'Cinema',
    '4:1': 'Banner',
    '8:1': 'Wide banner',
    '1:4': 'Tall',
    '1:8': 'Very tall',
    '5:4': 'Print',
    '4:5': 'Social portrait',
    '2:1': 'Panorama',
    '1:2': 'Tall panorama',
    '9:21': 'Tall cinema',
    auto: 'Chosen by the model',
    match_input_image: 'Same as the reference',
  },

  addReferences: 'Add reference images',
  referenceList: 'Reference images',
  referenceCount: (n, max) => `${n} / ${max}`,
  dropHint: 'Drop images here or paste them',
  chooseFiles: 'Choose files',
  dropHere: 'Drop to add',
  removeReference: (name) => `Remove ${name}`,
  moveReferenceEarlier: (name) => `Move ${name} earlier`,
  moveReferenceLater: (name) => `Move ${name} later`,
  referenceMoved: (name, pos, total) => `${name} moved to position ${pos} of ${total}`,
  referenceAdded: (n) => `${n} reference ${n === 1 ? 'image' : 'images'} added`,
  referenceRemoved: (name) => `${name} removed`,
  referenceState: { checking: 'Checking…', uploading: 'Uploading…', ready: 'Ready', error: 'Upload failed' },
  retryUpload: (name) => `Retry upload of ${name}`,
  uploadProgress: (name) => `Uploading ${name}`,
  referenceDownscaled: 'Resized to fit the size limit',
  dismissNotice: 'Dismiss',
  referenceReorderHint: 'Use Alt+Arrow keys to reorder',

  taskList: 'Generations',
  phase: {
    idle: 'Ready',
    submitting: 'Sending request…',
    queued: 'Queued',
    generating: 'Generating',
    completed: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
  },
  progressLabel: 'Generation progress',
  progressValueText: (p, phase) => (p === null ? (phase === 'queued' ? 'Waiting in queue' : 'Working') : `${p}%`),
  cancel: 'Cancel',
  retry: 'Retry',
  dismissTask: 'Dismiss generation',
  resultAlt: (prompt, i, total) => `Generated image ${i} of ${total}: ${prompt}`,
  openImage: 'Open',
  downloadImage: 'Download',
  useAsReference: 'Use as reference',
  usedAsReference: 'Added to references',
  retrying: (kind, s) =>
    kind === 'rate_limit'
      ? `Rate limited by the server — waiting ${s} s before trying again.`
      : `Connection problem — trying again in ${s} s.`,
  noTasks: 'Your images will appear here.',
  revisedPrompt: 'Revised prompt',
  openImageAt: (i, total) => (total > 1 ? `Open image ${i}` : 'Open'),
  downloadImageAt: (i, total) => (total > 1 ? `Download image ${i}` : 'Download'),
  useAsReferenceAt: (i, total) => (total > 1 ? `Use as reference: image ${i}` : 'Use as reference'),
  resultName: (i) => `Result ${i}`,
  downloading: 'Downloading…',
  downloadOpened: 'Could not download; the image opened in a new tab — save it from there.',
  downloadFailed: 'Could not download the image. Use Open and save it from there.',
  expiresIn: (ms) => {
    const { hours, minutes } = expiryParts(ms);
    return hours > 0 ? `Result expires in ${hours} h` : `Result expires in ${minutes} min`;
  },
  expired: 'This image has expired (results are kept 24 hours). Generate again to get a new one.',
  taskMeta: (ratio, resolution, n) =>
    [ratio, resolution, n > 1 ? `${n} images` : undefined].filter(Boolean).join(' · '),
  phaseAnnouncement: (phase, count) => {
    switch (phase) {
      case 'queued':
        return 'Waiting in the queue.';
      case 'generating':
        return 'Image generation has started.';
      case 'completed':
        return count > 1 ? `${count} images are ready.` : 'Your image is ready.';
      case 'cancelled':
        return 'Generation stopped.';
      case 'idle':
      case 'submitting':
      case 'failed': // the error itself is announced by its role="alert"
        return '';
      default:
        return phase satisfies never;
    }
  },

  messages: enMessages,

  errors: {
    invalid_request: 'The request was not accepted. Check the settings and try again.',
    authentication: 'The backend rejected the credentials. Check the API key configured on the server.',
    quota: 'The account has run out of credit. Top up the balance and try again.',
    not_found: 'The task could not be found on the server.',
    content_policy: 'The request was blocked by the content policy. Change the prompt or the reference images and try again.',
    rate_limit: 'Too many requests right now. Wait a moment and try again.',
    server: 'The image service had a problem. Try again in a moment.',
    network: 'Could not reach the image service. Check your connection and try again.',
    protocol: 'The server sent a reply the kit could not understand.',
    task_failed: 'The image could not be generated.',
    timeout: 'The image is taking too long. You can keep waiting with Retry.',
    aborted: 'The request was cancelled.',
  },
  serverSaid: (m) => `Server said: ${m}`,
  taskIdText: (id) => `Task ${id}`,
  copyDetails: 'Copy details',
  detailsCopied: 'Details copied',
  copyFailed: 'Could not copy; select the task id instead',
  errorHints: {
    wrong_endpoint: 'The service did not recognise the request type: the backend is probably calling the wrong endpoint or base URL (check TOAPIS_BASE_URL, e.g. https://toapis.com without /v1).',
    billed_failure: 'The service created this task, so it may have been charged. If you contact support, send the task id and the copied details.',
  },
  componentCrashed: 'This part of the generator stopped working. Your prompt and images are safe.',
  tryAgain: 'Try again',

  /* ---- ETA and queue position (issue 14) */
  etaSeconds: (s) => `About ${s.toLocaleString('en')} s left`,
  etaMinutes: (m) => `About ${m.toLocaleString('en')} min left`,
  etaAlmostDone: 'Almost done',
  progressWithEta: (progress, eta) => `${progress} · ${eta}`,
  queuePosition: (n) => (n === 0 ? 'Next in queue' : `Position ${n.toLocaleString('en')} in queue`),
  /* ---- Many jobs: reuse settings, more like this, cancel all, clear finished (issue 14) */
  reuseSettings: 'Reuse settings',
  moreLikeThis: 'More like this',
  settingsRestored: (n) => (n ? `Settings restored; ${n} expired reference${n === 1 ? '' : 's'} left out` : 'Settings restored'),
  taskToolbar: 'Tasks',
  cancelAll: 'Cancel all',
  clearFinished: 'Clear finished',
  tasksCleared: (n) => (n === 1 ? '1 finished task cleared' : `${n} finished tasks cleared`),
  undo: 'Undo',
  /* ---- several images, compare, downloads (issue 14) */
  selectImage: (i) => `Select image ${i}`,
  imagePending: (i, total) => `Image ${i} of ${total}, generating`,
  selectedCount: (n) => `${n} selected`,
  compare: 'Compare',
  compareHint: 'Select exactly two images to compare.',
  compareTitle: 'Compare images',
  comparePosition: 'Comparison position',
  sideBySide: 'Side by side',
  close: 'Close',
  compareImageAlt: (i, prompt) => `Image ${i} of task: ${prompt}`,
  downloadAll: 'Download all',
  downloadSelected: 'Download selected',
  clearSelection: 'Clear selection',
  preparing: 'Preparing…',
  zipFailed: (n) =>
    n === 0
      ? 'Could not make the zip. Nothing was saved; try again.'
      : `${n === 1 ? '1 image' : `${n} images`} could not be downloaded, so nothing was saved. Try again, or save them one by one.`,
  zipExpired: 'These images have expired and can no longer be downloaded.',
  /* ---- prompt history (issue 14) */
  promptHistory: 'Prompt history',
  searchPrompts: 'Search prompts',
  clearHistory: 'Clear history',
  historyEmpty: 'No prompts yet. The prompts you generate with appear here.',
  historyNoMatch: (query) => `No prompts contain “${query}”.`,
  historyCleared: 'Prompt history cleared.',
  /* ---- presets (issue 14) */
  preset: 'Preset',
  presetPlaceholder: 'Choose a preset',
  hostPresetsGroup: 'Presets',
  userPresetsGroup: 'My presets',
  savePreset: 'Save preset',
  deletePreset: 'Delete preset',
  presetName: 'Preset name',
  presetIncludePrompt: 'Include the prompt',
  presetSave: 'Save',
  presetCancel: 'Cancel',
  exportPresets: 'Export presets',
  importPresets: 'Import presets',
  presetApplied: (name) => `Preset “${name}” applied`,
  presetSaved: (name) => `Preset “${name}” saved`,
  presetDeleted: (name) => `Preset “${name}” deleted`,
  presetsImported: (n) => `${n.toLocaleString('en')} ${n === 1 ? 'preset' : 'presets'} imported`,
  /* ---- mask editor (issue 15) */
  maskEditor: 'Mask editor',
  maskBrush: 'Brush',
  maskEraser: 'Eraser',
  maskRectangle: 'Rectangle',
  maskBrushSize: 'Brush size',
  maskBrushSizeValue: (px) => `${px} px`,
  maskUndo: 'Undo',
  maskRedo: 'Redo',
  clearMask: 'Clear mask',
  invertMask: 'Invert mask',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoomFit: 'Fit',
  applyMask: 'Apply mask',
  applyingMask: 'Applying…',
  maskExportFailed: 'The mask file could not be made. Try again.',
  maskCanvas: (name) => `Mask over ${name}`,
  maskKeyboardHint: (mac) =>
    `B brush, E eraser, R rectangle, [ and ] size, ${mac ? '⌘Z' : 'Ctrl+Z'} undo, ${mac ? '⇧⌘Z' : 'Shift+Ctrl+Z'} redo. Rectangle, on the canvas: arrow keys move it, Shift+arrow keys resize it, Enter paints it, Alt+Enter erases it.`,
  maskSelection: (x, y, w, h) => `Selection ${w} × ${h} at ${x}, ${y}`,
  maskDiscardTitle: 'Discard changes?',
  maskDiscardText: 'Your mask has not been applied.',
  maskDiscard: 'Discard',
  maskKeepEditing: 'Keep editing',
  editMask: 'Edit mask',
  removeMask: 'Remove mask',
  maskBadge: 'Mask',
  maskUploading: 'Mask uploading…',
  maskFailed: 'Mask upload failed',
  maskAside: (reason) => (reason === 'model' ? 'Mask not sent: this model takes no mask' : 'Mask not sent: the first reference changed'),
};

/**
 * Time left before results expire, for `expiresIn`: whole hours (rounded down) from one hour up,
 * else minutes rounded up (never 0 while anything is left).
 */
export function expiryParts(ms: number): { hours: number; minutes: number } {
  const left = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (left >= 3_600_000) return { hours: Math.floor(left / 3_600_000), minutes: 0 };
  return { hours: 0, minutes: Math.max(1, Math.ceil(left / 60_000)) };
}

/** Merges a host's partial labels over a base pack (nested records merged one level deep). */
export function mergeLabels(base: Labels, overrides: Partial<Labels> | undefined): Labels {
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    phase: { ...base.phase, ...overrides.phase },
    errors: { ...base.errors, ...overrides.errors },
    messages: { ...base.messages, ...overrides.messages },
    errorHints: { ...base.errorHints, ...overrides.errorHints },
    referenceState: { ...base.referenceState, ...overrides.referenceState },
    aspectRatioDescriptions: { ...base.aspectRatioDescriptions, ...overrides.aspectRatioDescriptions },
    parameterLabels: { ...base.parameterLabels, ...overrides.parameterLabels },
    parameterValues: { ...base.parameterValues, ...overrides.parameterValues },
  };
}
