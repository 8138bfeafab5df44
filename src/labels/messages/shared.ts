/** Helpers the packs' message texts share: reading a parameter, sizes in bytes. */
import type { MessageParams } from '../../core/messages';
import { formatBytes } from '../../core/util/bytes';

/** Turns one message code's parameters into text; an empty string shows the English fallback. */
export type MessageText = (params: Readonly<MessageParams>) => string;

/** A parameter as text in a locale (numbers with its separators); `''` when absent. */
export function param(value: string | number | undefined, locale: string): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? value.toLocaleString(locale) : value;
}

/** A size in bytes (`10 MB`); `''` when absent. */
export function bytes(value: string | number | undefined): string {
  return typeof value === 'number' ? formatBytes(value) : '';
}
