/**
 * The mask slice (issue 15): one inpainting mask, drawn on a reference in the MaskEditor, uploaded
 * through the same upload route as the references and sent as `mask_url` with the models that take
 * one (`ModelCapabilities.mask`). The editor makes the file (a PNG, transparent where to repaint, the
 * reference's pixel size); the store uploads it, keeps its state, and forgets it on `removeMask`.
 *
 * Only this thin part is in the first load: the work (./maskOps.ts) loads with the first `setMask`,
 * or once a mask restored from a reload is there.
 */
import { lazyModule, withModule } from '../../core/util/lazy';
import { withoutMaskMessages } from '../mask-status';
import type { StoreContext } from './context';
import type { MaskOps } from './maskOps';

const maskOpsModule = /* @__PURE__ */ lazyModule(() => import('./maskOps'));

/** The mask slice is the on-demand ops' interface, answered before their code has loaded. */
export type MaskSlice = MaskOps;

export function createMask(ctx: StoreContext): MaskSlice {
  let ops: MaskOps | undefined;
  const withOps = <R>(run: (o: MaskOps) => R | Promise<R>) => withModule(maskOpsModule, (m) => run((ops ??= m.createMaskOps(ctx))));
  return {
    actions: {
      // Never rejects: when even the code cannot load, nothing was applied and the tray shows no mask.
      setMask: (input) => withOps((o) => o.actions.setMask(input)).catch(() => undefined),
      // Without the module loaded there is no upload to stop: the state is enough.
      removeMask: () => (ops ? ops.actions.removeMask() : ctx.get().mask && ctx.set(withoutMaskMessages(ctx.get(), { mask: undefined }))),
    },
    waitForUpload: (signal) => (ops || ctx.get().mask?.state === 'uploading' ? withOps((o) => o.waitForUpload(signal)) : Promise.resolve(!signal.aborted)),
    sync: (quiet) => {
      // Called on every store change: nothing to do without a mask, no promise once the code is here.
      if (!ctx.get().mask) return;
      if (ops) ops.sync(quiet);
      else void withOps((o) => o.sync(quiet));
    },
    resume: () => ops?.resume(),
    halt: () => ops?.halt(),
    revoke: () => ops?.revoke(),
    restore: (saved) => {
      if (saved !== undefined) void withOps((o) => o.restore(saved));
    },
  };
}
