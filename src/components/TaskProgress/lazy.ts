'use client';
/**
 * The task rows load on demand: a first paint shows the empty state, and the row, its status,
 * error, actions and gallery arrive with the first task (or earlier, when the browser is idle).
 * `TaskProgress.Item`, `.Status`, … are these on-demand versions; the named exports
 * (`TaskProgressItem`, `TaskProgressStatus`, …) are the parts themselves, for hosts that compose
 * their own rows and want them in their first load.
 */
import { lazyModule } from '../../core/util/lazy';
import { lazyPart } from '../internal/lazyPart';

export const taskRows = /* @__PURE__ */ lazyModule(() => import('./rows'));

export const LazyTaskProgressItem = /* @__PURE__ */ lazyPart(taskRows, (m) => m.TaskProgressItem);
