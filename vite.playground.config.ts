import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/** Builds the playground page (served by `npm start` beside the backend). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'playground'),
  plugins: [react()],
  publicDir: false,
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, 'dist-playground'),
    emptyOutDir: true,
    sourcemap: true,
  },
});
