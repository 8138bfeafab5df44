import { defineConfig } from 'vitest/config';

/**
 * Real-browser tests (`test/e2e`): Debian Chromium driven by playwright-core against `npm start`'s
 * server (playground + backend in front of the simulator) and the static Storybook. Run by
 * `npm test` (scripts/test.mjs) only when /usr/bin/chromium exists; alone: `npx vitest run -c vitest.e2e.config.ts`.
 * Files run one after another (each starts its own server and browser); tests inside a file too.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    globals: true,
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 20_000,
    maxConcurrency: 6,
  },
});
