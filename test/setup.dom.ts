import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// Radix Select needs these in jsdom (TOOLCHAIN.md).
const proto = globalThis.HTMLElement?.prototype as unknown as Record<string, unknown> | undefined;
if (proto) {
  proto.hasPointerCapture ??= () => false;
  proto.setPointerCapture ??= () => {};
  proto.releasePointerCapture ??= () => {};
  proto.scrollIntoView ??= () => {};
}
