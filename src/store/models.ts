/**
 * The store's view of the model registry. A page starts with the default model only
 * (src/core/models/default-model.ts); the whole registry — every other model, its ratios, prices
 * and extras — loads on demand: when the store meets another model, with the engine (Generate), or
 * when the browser is idle. Until then another model's capabilities are *provisional*: the generic
 * ones, and the store leaves that model's settings as they are instead of fitting them to it.
 */
import { DEFAULT_MODEL, DEFAULT_MODEL_ID, modelKey, unknownModel } from '../core/models/default-model';
import type { ModelCapabilities } from '../core/models/types';
import { lazyModule } from '../core/util/lazy';

export const modelRegistry = /* @__PURE__ */ lazyModule(() => import('../core/models/registry'));

const DEFAULT_KEYS = /* @__PURE__ */ new Set([DEFAULT_MODEL_ID, ...DEFAULT_MODEL.aliases].map(modelKey));

/** Provisional capabilities, one object per id so selectors stay stable. */
const provisional = new Map<string, ModelCapabilities>();

/** Capabilities for the store: the registry's once loaded; the default model's; else provisional. */
export function storeModel(id: string): ModelCapabilities {
  const registry = modelRegistry.get();
  if (registry) return registry.resolveModel(id);
  if (DEFAULT_KEYS.has(modelKey(id))) return DEFAULT_MODEL;
  let caps = provisional.get(id);
  if (!caps) {
    caps = unknownModel(id);
    provisional.set(id, caps);
  }
  return caps;
}

/** Whether these capabilities stand in for a model the registry has not been asked about yet. */
export function isProvisional(caps: ModelCapabilities): boolean {
  return provisional.get(caps.id) === caps && modelRegistry.get() === undefined;
}
