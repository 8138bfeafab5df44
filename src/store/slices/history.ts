/**
 * Prompt history (issue 14), the part in the first load: the state and the actions, which hand
 * over to ./historyOps.ts. That code loads on demand: at creation when there is a `keep` storage to
 * read, else with the first Generate, Alt+ArrowUp or the idle prefetch. Until it has arrived
 * `promptHistory` is empty and `stepHistory` does nothing; once it has, every action is synchronous.
 * `history: false` loads, reads, writes and records nothing.
 */
import { lazyModule, withModule } from '../../core/util/lazy';
import type { GeneratorState } from '../types';
import type { StoreContext } from './context';
import type { HistoryOps } from './historyOps';

const historyModule = /* @__PURE__ */ lazyModule(() => import('./historyOps'));

export interface HistorySlice {
  state: Pick<GeneratorState, 'promptHistory' | 'historyEnabled'>;
  actions: Pick<GeneratorState, 'clearHistory' | 'stepHistory'>;
  /** Reads the kept history (when there is a storage to read). Called once the store exists. */
  start(): void;
  /** Puts a prompt Generate sent at the front. */
  record(prompt: string): void;
}

export function createHistory(ctx: StoreContext): HistorySlice {
  const enabled = ctx.options.history !== false;
  let ops: HistoryOps | undefined;
  /** Runs `run` with this store's history code: at once when loaded, else once it has (in call order). */
  const withOps = (run: (o: HistoryOps) => unknown) => {
    if (enabled) withModule(historyModule, (m) => run((ops ??= m.createHistoryOps(ctx)))).catch(() => {}); // not loaded (offline): nothing recorded
  };
  return {
    state: { promptHistory: [], historyEnabled: enabled },
    start: () => {
      if (ctx.options.keep) withOps((o) => o.load());
    },
    record: (prompt) => withOps((o) => o.record(prompt)),
    actions: {
      clearHistory: () => withOps((o) => o.clear()),
      stepHistory: (direction) => {
        const m = historyModule.get();
        if (enabled && m) return (ops ??= m.createHistoryOps(ctx)).step(direction);
        withOps(() => {}); // loads it: nothing to step through before it has arrived
        return false;
      },
    },
  };
}
