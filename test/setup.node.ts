// Node-side test setup. MSW servers are started per file (see test/msw/server.ts).
import { beforeAll } from 'vitest';
import { preloadAll } from '../src/core/util/lazy';

// The store loads its engine, client and poller on demand (src/core/util/lazy.ts); loading takes
// real I/O, which tests on fake timers cannot wait for. Tests drive the loaded store, as a page does
// after its idle prefetch; test/store/on-demand.test.ts covers the store before (it sets
// `kitOnDemand`, so nothing is preloaded there).
beforeAll(async () => {
  if (!(globalThis as { kitOnDemand?: boolean }).kitOnDemand) await preloadAll();
});
