'use client';
/**
 * "Advanced options" (`parametersUi`) loads on demand: most forms never show it, and those that do
 * get it when the browser is idle or the moment it is first rendered. `PromptForm.Parameters` is
 * this on-demand version; the named export `PromptFormParameters` is the part itself.
 */
import { lazyModule } from '../../core/util/lazy';
import { lazyPart } from '../internal/lazyPart';

const parametersModule = /* @__PURE__ */ lazyModule(() => import('./PromptFormParameters'));

export const LazyPromptFormParameters = /* @__PURE__ */ lazyPart(parametersModule, (m) => m.PromptFormParameters);

/* ---- prompt history (issue 14) */
/** The prompt history popup: loaded when the "Prompt history" button is hovered, focused or pressed (or when idle). */
export const historyPopupModule = /* @__PURE__ */ lazyModule(() => import('./PromptFormHistoryPopup'));

export const LazyPromptFormHistoryPopup = /* @__PURE__ */ lazyPart(historyPopupModule, (m) => m.PromptFormHistoryPopup);
