// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** DOM and browser globals that the framework-free layers must not touch. */
const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage',
  'HTMLElement', 'HTMLCanvasElement', 'HTMLImageElement', 'Image', 'OffscreenCanvas',
  'createImageBitmap', 'requestAnimationFrame', 'cancelAnimationFrame', 'XMLHttpRequest',
  'FileReader', 'BroadcastChannel', 'EventSource', 'matchMedia', 'getComputedStyle', 'alert',
].map((name) => ({ name, message: 'src/core and src/store are framework-free: inject browser APIs instead.' }));

export default tseslint.config(
  { ignores: ['dist', 'dist-playground', 'storybook-static', 'coverage', 'public/mockServiceWorker.js', 'node_modules', 'examples/nextjs/.next', 'examples/nextjs/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}', 'stories/**/*.tsx', 'playground/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-undef': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'react', message: 'src/core and src/store must stay free of React.' },
          { name: 'react-dom', message: 'src/core and src/store must stay free of React.' },
          { name: 'zustand', message: 'Use zustand/vanilla in the store.' },
          { name: 'zod', message: 'Browser code uses zod/mini.' },
        ],
        patterns: [
          { group: ['react/*', 'react-dom/*', '@radix-ui/*', '**/hooks/*', '**/components/*'], message: 'Layers import only from the layers above them.' },
        ],
      }],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'react', message: 'src/core must stay free of React.' },
          { name: 'zustand', message: 'src/core has no state library.' },
          { name: 'zustand/vanilla', message: 'src/core has no state library.' },
          { name: 'zod', message: 'Browser code uses zod/mini.' },
        ],
        patterns: [{ group: ['react/*', 'react-dom', '@radix-ui/*', '**/store/*', '**/hooks/*', '**/components/*'], message: 'src/core imports nothing above it.' }],
      }],
    },
  },
);
