'use client';
/**
 * The reference items load on demand: a first paint shows the drop zone and an empty list, and the
 * item (thumbnail, upload progress, Remove, reordering) arrives with the first reference or earlier,
 * when the browser is idle. `ReferenceTray.Item` and `.Remove` are these on-demand versions; the
 * named exports (`ReferenceTrayItem`, `ReferenceTrayRemove`) are the parts themselves.
 */
import { lazyModule } from '../../core/util/lazy';
import { lazyPart } from '../internal/lazyPart';

export const referenceItems = /* @__PURE__ */ lazyModule(() => import('./items'));

export const LazyReferenceTrayItem = /* @__PURE__ */ lazyPart(referenceItems, (m) => m.ReferenceTrayItem);
export const LazyReferenceTrayRemove = /* @__PURE__ */ lazyPart(referenceItems, (m) => m.ReferenceTrayRemove);
