import type { StorybookConfig } from '@storybook/react-vite';

/**
 * Storybook for the kit. Stories run against the simulator (`server/mock.ts`) inside the browser
 * through MSW's service worker (`public/mockServiceWorker.js`), so no backend and no network are
 * needed. Storybook keeps only `plugins` from `vite.config.ts` (the library build settings there do
 * not apply).
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/react-vite', options: {} },
  // Serves mockServiceWorker.js at the root, where msw-storybook-addon registers it.
  staticDirs: ['../public'],
  core: {
    // Nothing phones home: no telemetry, no "what's new" feed (the scripts also pass
    // --disable-telemetry and --no-version-updates).
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  // The preview bundles React, Radix and MSW's browser worker in one chunk; that is expected here.
  viteFinal: (viteConfig) => ({ ...viteConfig, build: { ...viteConfig.build, chunkSizeWarningLimit: 2048 } }),
  typescript: {
    // Controls and docs from the props' TypeScript types and JSDoc, without the inherited DOM props.
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      shouldExtractLiteralValuesFromEnum: true,
      shouldRemoveUndefinedFromOptional: true,
      propFilter: (prop) => !prop.parent || !/node_modules/.test(prop.parent.fileName),
    },
  },
};

export default config;
