import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The package's own entry points, for the examples/ (they import what a user would), mirrored
    // by `paths` in tsconfig.json. Exact matches only, so `@toapis/image-kit` never eats a subpath.
    alias: [
      { find: /^@toapis\/image-kit$/, replacement: here('./src/index.ts') },
      { find: /^@toapis\/image-kit\/core$/, replacement: here('./src/core/index.ts') },
      { find: /^@toapis\/image-kit\/labels$/, replacement: here('./src/labels/index.ts') },
      { find: /^@toapis\/image-kit\/server$/, replacement: here('./server/index.ts') },
      { find: /^@toapis\/image-kit\/server\/redis$/, replacement: here('./server/redis.ts') },
      { find: /^@toapis\/image-kit\/mock$/, replacement: here('./server/mock.ts') },
    ],
  },
  test: {
    globals: true,
    restoreMocks: true,
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      include: ['src/core/**', 'src/store/**', 'server/**'],
      exclude: ['server/dev.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/core/**/*.test.ts', 'test/store/**/*.test.ts', 'test/server/**/*.test.ts'],
          setupFiles: ['test/setup.node.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/components/**/*.test.tsx', 'test/hooks/**/*.test.tsx', 'test/stories/**/*.test.tsx'],
          setupFiles: ['test/setup.dom.ts'],
        },
      },
      {
        // The public API's types (test/types): `tsc` checks these files and never runs them; a type
        // that drifts, or a `@ts-expect-error` that no longer finds an error, fails the project.
        extends: true,
        test: {
          name: 'types',
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/**/*.test-d.{ts,tsx}'],
            tsconfig: 'test/types/tsconfig.json',
          },
        },
      },
    ],
  },
});
