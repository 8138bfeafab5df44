/**
 * Runs once before the real-browser tests: builds the playground exactly as `npm start` does (a
 * production build), so every test file can start its server with NO_BUILD=1 in about a second.
 */
import { resolve } from 'node:path';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: resolve(root, 'vite.playground.config.ts'), mode: 'production', logLevel: 'error' });
    // The custom element's standalone file, as /element.js beside the playground (as server/dev.ts builds it).
    await build({ configFile: resolve(root, 'vite.element.config.ts'), mode: 'production', logLevel: 'error', build: { outDir: resolve(root, 'dist-playground') } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
