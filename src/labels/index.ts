import type { Labels } from './en';
import { zh } from './zh';
import { ja } from './ja';
import { ko } from './ko';

export { en, expiryParts, mergeLabels, type Labels, type MessageText } from './en';
export { formatMessage, type MessageInput } from './format';
export { zh, ja, ko };

/** Shipped label packs, keyed by language tag. Pass one to `GeneratorProvider labels={…}`. */
export const labelPacks: Record<string, Partial<Labels> | undefined> = {
  en: undefined,
  zh,
  ja,
  ko,
};
