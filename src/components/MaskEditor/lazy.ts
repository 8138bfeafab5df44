'use client';
/**
 * The mask editor's dialog loads on demand: when the browser is idle, when "Edit mask" is hovered
 * or focused, or the moment the editor opens. The first load pays only for `<MaskEditor>`'s shell.
 */
import { lazyModule } from '../../core/util/lazy';
import { lazyPart } from '../internal/lazyPart';

export const maskEditorModule = /* @__PURE__ */ lazyModule(() => import('./MaskEditorDialog'));

export const LazyMaskEditorDialog = /* @__PURE__ */ lazyPart(maskEditorModule, (m) => m.MaskEditorDialog);

/** Starts loading the editor (hover or focus on its opener). */
export const preloadMaskEditor = (): void => void maskEditorModule.load().catch(() => {});
