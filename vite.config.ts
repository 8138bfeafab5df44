import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Library build: ES modules per entry point; dependencies stay external (the host's bundler
// de-duplicates them). `.d.ts` files come from `tsc -p tsconfig.build.json`.
export default defineConfig({
  plugins: [react()],
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
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//, /^msw($|\/)/, /^hono($|\/)/],
    },
  },
});
