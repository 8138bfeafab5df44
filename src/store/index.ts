export { createGeneratorStore, isTerminalPhase, type GeneratorStore } from './createGeneratorStore';
export * from './selectors';
export { durationKey, estimateRemaining, expectedDuration, medianDuration } from './eta';
export type * from './types';
export { presetId } from './slices/presets';
