'use client';
/**
 * The "Save preset" dialog loads on demand: when the browser is idle, when "Save preset" is hovered
 * or focused, or the moment it is pressed.
 */
import { lazyModule } from '../../core/util/lazy';
import { lazyPart } from '../internal/lazyPart';

export const saveDialogModule = /* @__PURE__ */ lazyModule(() => import('./PresetSaveDialog'));

export const LazyPresetSaveDialog = /* @__PURE__ */ lazyPart(saveDialogModule, (m) => m.PresetSaveDialog);
