/** Presets (issue 14): what a preset holds, and what saving or importing one answers. Re-exported by ./types.ts. */
import type { MessageCode, MessageParams } from '../core/messages';
import type { ModelParameters } from '../core/parameters';

/** A named set of settings: a host's brand style or one the user saved. Every field but `name` is optional. */
export interface GeneratorPreset {
  /** Shown in the Preset list; unique among the host's presets and among the user's. At most 80 characters. */
  name: string;
  description?: string;
  /** Filled into the prompt when the preset is applied; without it the prompt stays as it is. */
  prompt?: string;
  model?: string;
  aspectRatio?: string;
  resolution?: string;
  n?: number;
  /** Replaces the model parameters when applied (those the model does not take are dropped). */
  parameters?: ModelParameters;
}

/**
 * Why a preset action was refused: a message code (`preset.invalid_json`, `preset.wrong_shape`,
 * `preset.invalid_entry`, `preset.name_required`…; see `MESSAGE_CODES`) with its values and the
 * English text. `formatMessage(labels, error)` words it in the provider's language.
 */
export interface PresetMessage {
  code: Extract<MessageCode, `preset.${string}`>;
  message: string;
  params?: MessageParams;
}

export type PresetSaveResult = { preset: GeneratorPreset; replaced: boolean } | { error: PresetMessage };

/** What `importPresets` did: how many presets were added and how many replaced the user's own; or why nothing was. */
export type PresetImportResult = { added: number; replaced: number } | { error: PresetMessage };

