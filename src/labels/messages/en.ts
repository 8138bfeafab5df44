/** English texts of the messages core reports as codes (src/core/messages.ts): the words core and the store use as fallbacks. */
import type { MessageCode } from '../../core/messages';
import { bytes, param, type MessageText } from './shared';

const v = (value: string | number | undefined) => param(value, 'en-US');
const file = (name: string | number | undefined) => (name ? `"${name}"` : 'The file');

/** `'1K, 2K, 4K'` → `1K, 2K or 4K`. */
function join(list: string | number | undefined, word: 'or' | 'and'): string {
  const items = v(list).split(', ').filter(Boolean);
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]!}`;
}

const LOOKS_LIKE: Partial<Record<string, string>> = {
  pdf: 'a PDF',
  archive: 'a ZIP archive or Office document',
  video: 'a video',
  web_page: 'a web page',
  text: 'a text file',
};

const TYPES: Partial<Record<string, string>> = { boolean: 'true or false', integer: 'a whole number', number: 'a number' };

/** An empty text: the English `message` sent with the code is shown. */
const fromStore = () => '';

export const enMessages: Record<MessageCode, MessageText> = {
  'model.required': () => 'Choose a model.',
  'prompt.required': () => 'Enter a prompt.',
  'prompt.too_long': (p) => `The prompt is ${v(p.length)} characters; this model accepts at most ${v(p.max)}.`,
  'aspectRatio.unsupported': (p) =>
    p.minReferences ? `The ${v(p.ratio)} aspect ratio needs at least one reference image.` : `${v(p.model)} does not support the ${v(p.ratio)} aspect ratio.`,
  'resolution.unsupported': (p) => {
    if (p.ratios) return `${v(p.model)} supports ${v(p.resolution)} only for the ${join(p.ratios, 'and')} aspect ratios.`;
    if (p.allowed) return `${v(p.model)} does not support the ${v(p.resolution)} resolution; choose ${join(p.allowed, 'or')}.`;
    return `${v(p.model)} has no resolution setting.`;
  },
  'n.out_of_range': (p) => {
    if (p.max === 1) return `${v(p.model)} makes one image per request.`;
    if (p.allowed) return `${v(p.model)} can make ${join(p.allowed, 'or')} images per request.`;
    return `${v(p.model)} can make ${v(p.min)} to ${v(p.max)} images per request.`;
  },
  'references.too_many': (p) => {
    if (p.count === undefined) return ''; // the store's own sentence
    if (p.n !== undefined) {
      return `${v(p.model)} allows at most ${v(p.max)} reference and output images together; ${v(p.count)} references and ${v(p.n)} images make ${v(p.total)}.`;
    }
    if (p.model === undefined) return `At most ${v(p.max)} reference images are allowed; there are ${v(p.count)}.`;
    if (p.max === 0) return `${v(p.model)} does not accept reference images.`;
    return `${v(p.model)} accepts at most ${v(p.max)} reference images; there are ${v(p.count)}.`;
  },
  // Without an index the store's own sentence (an upload that failed, a result that expired) is shown.
  'references.invalid_url': (p) => (p.index === undefined ? '' : `Reference image ${v(p.index)} is not an http(s) URL; upload it first.`),
  'parameters.unsupported': (p) =>
    p.values
      ? `"${v(p.parameter)}" must be ${join(p.values, 'or')}; "${v(p.value)}" is not one of them.`
      : `${v(p.model)} does not take the parameter "${v(p.parameter)}".`,
  'parameters.invalid_type': (p) => `"${v(p.parameter)}" must be ${p.values ? join(p.values, 'or') : (TYPES[v(p.type)] ?? 'a number')}.`,
  'parameters.out_of_range': (p) => `"${v(p.parameter)}" must be between ${v(p.min)} and ${v(p.max)}; it is ${v(p.value)}.`,
  'parameters.requires': (p) => `"${v(p.parameter)}" needs "${v(p.requires)}" set to ${v(p.value)}.`,
  'reference.empty': (p) => `${file(p.name)} is empty.`,
  'reference.not_image': (p) => {
    const like = LOOKS_LIKE[v(p.kind)];
    return like ? `${file(p.name)} is not an image (it looks like ${like}).` : `${file(p.name)} is not an image.`;
  },
  'reference.unsupported_format': (p) => {
    const use = `use ${join(p.formats, 'or')}`;
    if (!p.format) return `${file(p.name)} is not a supported image; ${use}.`;
    const article = p.format === 'AVIF' || p.format === 'SVG' ? 'an' : 'a';
    return `${file(p.name)} is ${article} ${v(p.format)} image; ${use}.`;
  },
  'reference.too_large': (p) =>
    p.max === undefined ? '' : `${file(p.name)}${p.size !== undefined ? ` is ${bytes(p.size)};` : ' is too large;'} the limit is ${bytes(p.max)}.`,
  // The tray's words (the store refuses these files itself).
  'reference.too_many': (p) => (p.max === undefined ? '' : `${file(p.name)} was not added: the tray holds at most ${v(p.max)} reference images.`),
  'reference.duplicate': (p) => `${file(p.name)} is already in the tray.`,
  'reference.corrupt': (p) => `${file(p.name)} is damaged or incomplete and cannot be used.`,
  'reference.unreadable': (p) => `${file(p.name)} could not be read.`,
  'reference.expired': () => 'This image has expired (results are kept 24 hours); generate it again to use it as a reference.',
  'reference.unrestorable': (p) => `A saved generation${p.prompt ? ` ("${v(p.prompt).slice(0, 60)}")` : ''} could not be restored; it was not sent again.`,
  /* ---- presets (issue 14) */
  // The store's own English sentences (src/store/slices/presetBook.ts), kept out of the first load.
  'preset.name_required': fromStore,
  'preset.name_too_long': fromStore,
  'preset.name_reserved': fromStore,
  'preset.too_many': fromStore,
  'preset.invalid_json': fromStore,
  'preset.wrong_shape': fromStore,
  'preset.invalid_entry': fromStore,
  'preset.file_too_large': fromStore,
  /* ---- mask (issue 15) */
  // The store's own English sentences (src/store/slices/maskOps.ts, submit.ts), kept out of the first load.
  'mask.upload_failed': fromStore,
  'mask.size_mismatch': fromStore,
  'reference.mask_too_large': fromStore,
  'reference.mask_aside_model': fromStore,
  'reference.mask_aside_reference': fromStore,
  'generator.load_failed': fromStore,
};
