import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Library build: ES modules per entry point; dependencies stay external (the host's bundler
// de-duplicates them). `.d.ts` files come from `tsc -p tsconfig.build.json`.
/**
 * Keeps the React Server Components client boundary through bundling. Every component source file
 * starts with `'use client'`, but a bundler drops module-level directives when it merges modules
 * into a chunk. This plugin remembers which modules carried the directive and puts it back at the
 * top of each output chunk that contains one of them (`index.js` and the per-module chunks of
 * React code under `chunks/`), so a Next.js server component can import the kit directly. Chunks without client code (`core`, `labels`, `server`,
 * `mock` and their shared chunks) stay directive-free and callable from server code.
 */
export function preserveUseClient(): Plugin {
  const clientModules = new Set<string>();
  return {
    name: 'toapis:preserve-use-client',
    apply: 'build',
    transform(code, id) {
      if (!id.startsWith(SRC)) return null;
      // A module marked 'use client', the React entry, any .tsx file, or any module that imports
      // React, its JSX runtime, Radix or zustand's React binding (hooks, contexts): code that only
      // runs in the browser's component tree.
      if (startsWithUseClient(code) || id === resolve(SRC, 'index.ts') || id.endsWith('.tsx') || CLIENT_IMPORT.test(code)) clientModules.add(id);
      return null;
    },
    banner(chunk) {
      return chunk.moduleIds.some((id) => clientModules.has(id)) ? "'use client';" : '';
    },
  };
}

const CLIENT_IMPORT = /from ['"](?:react(?:-dom)?(?:\/[\w-]+)?|@radix-ui\/[\w-]+|zustand)['"]/;
const ROOT = import.meta.dirname + '/';
const SRC = resolve(import.meta.dirname, 'src') + '/';

/** `src/core/protocol.ts` → `chunks/core-protocol` (server code: `chunks/server-…`). */
function chunkName(id: string): string {
  const rel = id.slice(ROOT.length).replace(/\.[cm]?[jt]sx?$/, '').replace(/^src\//, '');
  return `chunks/${rel.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** Whether the first statement, after comments and blank space, is the `'use client'` directive. */
function startsWithUseClient(code: string): boolean {
  let i = 0;
  for (;;) {
    while (i < code.length && /\s/.test(code[i]!)) i += 1;
    if (code.startsWith('//', i)) i = code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
    else if (code.startsWith('/*', i)) i = code.indexOf('*/', i) === -1 ? code.length : code.indexOf('*/', i) + 2;
    else break;
  }
  return code.startsWith("'use client'", i) || code.startsWith('"use client"', i);
}

export default defineConfig({
  plugins: [react(), preserveUseClient()],
  // Relative asset URLs: the image worker resolves next to dist/index.js via import.meta.url.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: false,
    sourcemap: true,
    minify: false,
    lib: {
      entry: {
        index: resolve(import.meta.dirname, 'src/index.ts'),
        core: resolve(import.meta.dirname, 'src/core/index.ts'),
        labels: resolve(import.meta.dirname, 'src/labels/index.ts'),
        server: resolve(import.meta.dirname, 'server/index.ts'),
        'server-redis': resolve(import.meta.dirname, 'server/redis.ts'),
        mock: resolve(import.meta.dirname, 'server/mock.ts'),
        styles: resolve(import.meta.dirname, 'src/styles.css'),
      },
      formats: ['es'],
    },
    cssCodeSplit: true,
    rolldownOptions: {
      // Needed with one chunk per module; the entries are re-export modules, so nothing is added.
      preserveEntrySignatures: 'allow-extension',
      output: {
        assetFileNames: (info) => (info.names?.[0]?.endsWith('.css') ? '[name][extname]' : 'assets/[name]-[hash][extname]'),
        // One chunk per source module (dist/chunks/…): a host's bundler then drops every module its
        // page does not import, and code loaded on demand never shares a file with the first load
        // (a merged chunk would pull an on-demand module's top-level code, zod schemas say, into
        // every page that imports a neighbour).
        codeSplitting: { includeDependenciesRecursively: false, groups: [{ debugName: 'one chunk per module', name: (id: string) => (id.startsWith(ROOT) && !id.includes('/node_modules/') ? chunkName(id) : null) }] },
      },
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//, /^msw($|\/)/, /^hono($|\/)/, /^ioredis($|\/)/, /^rate-limiter-flexible($|\/)/, /^ipaddr\.js$/, /^@remix-run\//],
    },
  },
});
