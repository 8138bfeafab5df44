import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The standalone custom element, `dist/element.js`: one minified ES module with React, react-dom
// and every dependency bundled (and the on-demand parts inlined), so a page without a bundler needs
// only `<script type="module" src=".../element.js">`. Runs after the library build (`npm run build`),
// into the same dist/ without emptying it.
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
        codeSplitting: false,
        minify: true,
        entryFileNames: '[name].js',
        assetFileNames: 'assets/element-[name]-[hash][extname]',
      },
    },
  },
  worker: { format: 'es' },
});
