/**
 * Builds the bench page (`bench/`) into a temporary folder: production mode, `react-dom/client`
 * aliased to `react-dom/profiling` (production React with a working `<Profiler onRender>`), not
 * minified (so timer stacks keep function names). The timer counter is built separately as a
 * classic script for `page.addInitScript`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface BuiltPage {
  /** Folder with `index.html` and its assets. */
  dir: string;
  /** The timer counter, a classic script. */
  initScript: string;
}

export async function buildBenchPage(): Promise<BuiltPage> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const dir = mkdtempSync(join(tmpdir(), 'kit-bench-page-'));
  await build({
    configFile: false,
    root: resolve(ROOT, 'bench'),
    mode: 'production',
    logLevel: 'warn',
    publicDir: false,
    base: './',
    plugins: [react()],
    resolve: { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] },
    build: { outDir: join(dir, 'page'), emptyOutDir: true, minify: false, sourcemap: false, reportCompressedSize: false },
  });
  await build({
    configFile: false,
    root: ROOT,
    mode: 'production',
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: join(dir, 'init'),
      emptyOutDir: true,
      minify: false,
      reportCompressedSize: false,
      lib: { entry: resolve(ROOT, 'bench/timer-counter.ts'), formats: ['iife'], name: 'benchTimerCounter', fileName: () => 'timer-counter.js' },
    },
  });
  return { dir: join(dir, 'page'), initScript: join(dir, 'init', 'timer-counter.js') };
}
