import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The standalone custom element, `dist/element.js`: a minified ES module with React, react-dom and
// every dependency bundled, so a page without a bundler needs only
// `<script type="module" src=".../element.js">`. What a first paint does not need (the select popups,
// the network client, task rows, dialogs, the zip maker…) stays on demand as in the library: chunks in
// dist/element-chunks/ that element.js imports by relative URL when they are first needed, so the
// first load stays within its budget (.size-limit.js). Runs after the library build (`npm run
// build`), into the same dist/ without emptying it.
export default defineConfig({
  plugins: [react()],
  base: './',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    sourcemap: false,
    minify: true,
    lib: {
      entry: { element: resolve(import.meta.dirname, 'src/element/index.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      output: {
        minify: true,
        entryFileNames: '[name].js',
        chunkFileNames: 'element-chunks/[name]-[hash].js',
        assetFileNames: 'assets/element-[name]-[hash][extname]',
      },
    },
  },
  worker: { format: 'es' },
});
