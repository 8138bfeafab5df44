/**
 * Every `--gen-*` theme token, as declared in the `:where(:root)` block of `src/styles.css`.
 * That stylesheet is the source; this list must name the same tokens, in the same order
 * (test/hooks/theme-tokens.test.tsx fails when they differ). `readTheme` copies them onto popovers
 * portalled to `<body>`, so adding a token to the stylesheet means adding it here.
 */
export const THEME_TOKENS = [
  '--gen-font-family',
  '--gen-font-size',
  '--gen-font-size-sm',
  '--gen-line-height',
  '--gen-radius',
  '--gen-radius-sm',
  '--gen-space',
  '--gen-transition',
  '--gen-color-bg',
  '--gen-color-fg',
  '--gen-color-surface',
  '--gen-color-surface-fg',
  '--gen-color-muted',
  '--gen-color-muted-fg',
  '--gen-color-border',
  '--gen-color-border-strong',
  '--gen-color-accent',
  '--gen-color-accent-fg',
  '--gen-color-accent-soft',
  '--gen-color-danger',
  '--gen-color-danger-fg',
  '--gen-color-danger-soft',
  '--gen-color-success',
  '--gen-color-success-soft',
  '--gen-color-warning',
  '--gen-color-warning-soft',
  '--gen-focus-ring',
  '--gen-shadow',
  '--gen-shadow-popover',
] as const;

export type ThemeToken = (typeof THEME_TOKENS)[number];
