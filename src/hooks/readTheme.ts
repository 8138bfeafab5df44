import type * as React from 'react';
import { THEME_TOKENS } from './themeTokens';

/**
 * The element's resolved theme as inline custom properties, so a popover portalled outside a
 * `data-gen-theme="dark"` (or re-branded) container still looks like the trigger it belongs to.
 */
export function readTheme(el: HTMLElement | null): React.CSSProperties {
  if (!el || typeof getComputedStyle !== 'function') return {};
  const computed = getComputedStyle(el);
  const style: React.CSSProperties = {};
  for (const token of THEME_TOKENS) {
    const value = computed.getPropertyValue(token).trim();
    if (value) style[token] = value;
  }
  const scheme = computed.getPropertyValue('color-scheme').trim();
  if (scheme && scheme !== 'normal') style.colorScheme = scheme;
  return style;
}
