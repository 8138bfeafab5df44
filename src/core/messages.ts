/**
 * Every message the kit can show about a user's input, as data: a code and its parameters. Core
 * (models/request.ts, parameters.ts, references.ts) reports them; the label packs in src/labels/
 * turn each code into text in their language (`labels.messages`), with the English `message` as
 * the fallback.
 *
 * A field issue's code is `<field>.<code>` (`prompt.too_long`); a refused reference's or a tray
 * notice's is `reference.<code>` (`reference.duplicate`).
 */

/** Values a message is built from (`{ length: 1234, max: 1000 }`); lists are joined with ", ". */
export type MessageParams = Record<string, string | number>;

/** Every message code; each label pack has a text for each one. */
export const MESSAGE_CODES = [
  'model.required',
  'prompt.required',
  'prompt.too_long',
  'aspectRatio.unsupported',
  'resolution.unsupported',
  'n.out_of_range',
  'references.too_many',
  'references.invalid_url',
  'parameters.unsupported',
  'parameters.invalid_type',
  'parameters.out_of_range',
  'parameters.requires',
  'reference.empty',
  'reference.not_image',
  'reference.unsupported_format',
  'reference.too_large',
  'reference.too_many',
  'reference.duplicate',
  'reference.corrupt',
  'reference.unreadable',
  'reference.expired',
  'reference.unrestorable',
  /* ---- presets (issue 14) */
  'preset.name_required',
  'preset.name_too_long',
  'preset.name_reserved',
  'preset.too_many',
  'preset.invalid_json',
  'preset.wrong_shape',
  'preset.invalid_entry',
  'preset.file_too_large',
  /* ---- mask (issue 15) */
  'mask.upload_failed',
  'mask.size_mismatch',
  'reference.mask_too_large',
  'reference.mask_aside_model',
  'reference.mask_aside_reference',
  /* ---- the kit's own code could not load */
  'generator.load_failed',
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];
