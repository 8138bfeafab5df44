import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import { preloadAll } from '../src/core/util/lazy';

// The kit loads some code on demand (src/core/util/lazy.ts). Tests drive the loaded kit, as a
// user meets it after the idle prefetch; test/components/on-demand.test.tsx covers the path before
// (it sets `kitOnDemand` so this does not preload), test/components/select-on-demand.test.tsx the
// select's light trigger shown before Radix Select has loaded.
beforeAll(async () => {
  if (!(globalThis as { kitOnDemand?: boolean }).kitOnDemand) await preloadAll();
});

afterEach(() => {
  cleanup();
  // The provider's saved state is keyed by backend URL, so tests would otherwise restore each other's.
  globalThis.sessionStorage?.clear();
  globalThis.localStorage?.clear();
});

// Radix Select needs these in jsdom (it calls them; jsdom lacks them).
const proto = globalThis.HTMLElement?.prototype as unknown as Record<string, unknown> | undefined;
if (proto) {
  proto.hasPointerCapture ??= () => false;
  proto.setPointerCapture ??= () => {};
  proto.releasePointerCapture ??= () => {};
  proto.scrollIntoView ??= () => {};
}

// jsdom's Blob/File/FormData are not the ones Node's fetch (undici) understands: an upload would be
// sent as "[object FormData]". Real browsers have one implementation; give the tests Node's.
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
const NodeFormData = (await new Response(new URLSearchParams('a=1')).formData()).constructor as typeof FormData;
Object.assign(globalThis, { Blob: NodeBlob, File: NodeFile, FormData: NodeFormData });

// axe-core probes <canvas> for icon ligatures; jsdom has no canvas and logs "Not implemented" for
// every probe. A null context is what axe handles as "cannot tell" — keep the test output readable.
if (globalThis.HTMLCanvasElement) {
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { configurable: true, value: () => null });
}
