import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
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
    ],
  },
});
