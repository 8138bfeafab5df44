export { createGeneratorStore, isTerminalPhase, type GeneratorStore } from './createGeneratorStore';
export * from './selectors';
export type * from './types';
export { presetId } from './slices/presets';
