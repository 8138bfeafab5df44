/**
 * @toapis/image-kit — embeddable React components for AI image generation over the ToAPIs
 * asynchronous task API. The core (`./core`) and the store are framework-free; the components
 * are thin views over the store.
 */
export * from './core';
export * from './store';

export { GeneratorProvider, type GeneratorProviderProps } from './components/GeneratorProvider/GeneratorProvider';
export * from './components/PromptForm';
export * from './components/AspectRatioPicker';
export * from './components/ReferenceTray';
export * from './components/TaskProgress';
export * from './components/PresetPicker';
export * from './components/MaskEditor';

export { GeneratorErrorBoundary, type GeneratorErrorBoundaryProps, type GeneratorErrorBoundaryFallbackProps } from './components/ErrorBoundary/ErrorBoundary';
export { useGenerator, useGeneratorShallow, useGeneratorStore, useLabels } from './hooks/useGenerator';
export { GeneratorContext, useGeneratorContext, type GeneratorContextValue } from './hooks/GeneratorContext';
// Translations (zh, ja, ko) live in the `./labels` entry point so hosts pay only for what they use.
export { en, mergeLabels, type Labels, type MessageText } from './labels/en';
export { formatMessage, type MessageInput } from './labels/format';
export { createBrowserEnvironment, createBrowserImageCodec, createBrowserThumbnailer } from './browser/environment';
/** Loads every part of the kit that otherwise loads on demand (README: What a page loads first). */
export { preloadAll as preloadImageKit } from './core/util/lazy';
export { createBrowserCoordinator } from './browser/coordinator';
export { createMemoryBus, createMemoryCoordinator, soloCoordinator, type TabCoordinator, type TabMessage } from './store/coordination';
export type { PersistOptions, StorageLike } from './store/persistence';
