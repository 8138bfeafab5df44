import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Library build: ES modules per entry point; dependencies stay external (the host's bundler
// de-duplicates them). `.d.ts` files come from `tsc -p tsconfig.build.json`.
/**
 * Keeps the React Server Components client boundary through bundling. Every component source file
 * starts with `'use client'`, but a bundler drops module-level directives when it merges modules
 * into a chunk. This plugin remembers which modules carried the directive and puts it back at the
 * top of each output chunk that contains one of them (today only `index.js`), so a Next.js server
 * component can import the kit directly. Chunks without client code (`core`, `labels`, `server`,
 * `mock` and their shared chunks) stay directive-free and callable from server code.
 */
export function preserveUseClient(): Plugin {
  const clientModules = new Set<string>();
  return {
    name: 'toapis:preserve-use-client',
    apply: 'build',
    transform(code, id) {
      if (!id.startsWith(SRC) || !startsWithUseClient(code)) return null;
      clientModules.add(id);
      return null;
    },
    banner(chunk) {
      return chunk.moduleIds.some((id) => clientModules.has(id)) ? "'use client';" : '';
    },
  };
}

const SRC = resolve(import.meta.dirname, 'src') + '/';

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
        mock: resolve(import.meta.dirname, 'server/mock.ts'),
        styles: resolve(import.meta.dirname, 'src/styles.css'),
      },
      formats: ['es'],
    },
    cssCodeSplit: true,
    rolldownOptions: {
      output: { assetFileNames: (info) => (info.names?.[0]?.endsWith('.css') ? '[name][extname]' : 'assets/[name]-[hash][extname]') },
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//, /^msw($|\/)/, /^hono($|\/)/, /^rate-limiter-flexible($|\/)/],
    },
  },
});
