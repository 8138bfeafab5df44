// Bundle budgets, checked by `npm test` after the build (size-limit with @size-limit/preset-small-lib:
// esbuild bundles the import, minifies it, and the figure is min+gzip; 1 kB = 1000 B).
//
// Issue 13's targets for the first load: ≤ 45 kB with dependencies (met), ≤ 20 kB of the kit's own
// code (not met: the English labels alone are ~4 kB of it). Issue 14 (history, presets, reuse, ETA,
// compare, downloads, many jobs) added ~2.5 kB to the first load: its English labels, the light
// "Prompt history" button and the store's state for presets, selection and history; everything
// else it added loads on demand (popups, dialogs, the zip maker, the presets book, the jobs slice).
// Issue 15 (the mask editor) added ~0.9 kB more: its English labels and the mask slice's thin part;
// the editor (~7.7 kB) and the mask's store work load on demand.
// The limits below hold today's sizes with a little room.
//
// "first load" is what a page downloads before it can paint the kit: the statically imported graph.
// The code the kit loads on demand (dynamic `import()`: select popups, network client, task rows,
// reference items, advanced options) is left out by marking dynamic imports external. "total" adds
// it back (esbuild inlines dynamic imports when it does not split).
const TYPICAL = '{ GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress }';
const REACT = ['react', 'react-dom'];
const DEPENDENCIES = ['zustand', 'zod', '@radix-ui/react-select', '@radix-ui/react-slot'];

/** Leaves every dynamic `import()` out of the bundle: what remains is the first load. */
const firstLoadOnly = (config) => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'first-load-only',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
      },
    },
  ],
});

export default [
  {
    name: 'typical import, first load, with dependencies (React excluded)',
    path: 'dist/index.js',
    import: TYPICAL,
    ignore: REACT,
    modifyEsbuildConfig: firstLoadOnly,
    limit: '29 kB',
    gzip: true,
  },
  {
    name: "typical import, first load, the kit's own code",
    path: 'dist/index.js',
    import: TYPICAL,
    ignore: [...REACT, ...DEPENDENCIES],
    modifyEsbuildConfig: firstLoadOnly,
    limit: '27.5 kB',
    gzip: true,
  },
  {
    name: 'typical import, total (first load + on demand), with dependencies',
    path: 'dist/index.js',
    import: TYPICAL,
    ignore: REACT,
    limit: '118 kB',
    gzip: true,
  },
  {
    name: '@toapis/image-kit (everything), total',
    path: 'dist/index.js',
    ignore: REACT,
    limit: '121 kB',
    gzip: true,
  },
  {
    name: '@toapis/image-kit/core',
    path: 'dist/core.js',
    limit: '23.5 kB',
    gzip: true,
  },
  {
    name: '@toapis/image-kit/labels',
    path: 'dist/labels.js',
    limit: '21.5 kB',
    gzip: true,
  },
  {
    // The standalone custom element (issue 16): React, react-dom and the kit in dist/element.js and
    // the chunks it imports from dist/element-chunks/ — what a page without a bundler loads with one
    // script tag. First load: element.js and its static imports (issue 16's budget: ≤ 120 kB).
    name: '@toapis/image-kit/element (dist/element.js, React included), first load',
    path: 'dist/element.js',
    modifyEsbuildConfig: firstLoadOnly,
    limit: '115 kB',
    gzip: true,
  },
  {
    name: '@toapis/image-kit/element, total (first load + on demand)',
    path: 'dist/element.js',
    limit: '230 kB',
    gzip: true,
  },
];
