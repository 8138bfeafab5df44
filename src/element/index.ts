/**
 * `@toapis/image-kit/element`: the generator as a custom element, `<toapis-image-generator>`, for
 * pages without React. Importing this module defines the default tag; `defineImageGenerator(name)`
 * defines another. The standalone build (`dist/element.js`) bundles React, so one script tag is all
 * a page needs.
 */
import { ImageGeneratorElement } from './ImageGeneratorElement';

export {
  ImageGeneratorElement,
  type ImageGeneratorErrorDetail,
  type ImageGeneratorEventMap,
  type ImageGeneratorLang,
  type ImageGeneratorTheme,
} from './ImageGeneratorElement';

export const DEFAULT_TAG_NAME = 'toapis-image-generator';

/** The class defined under each tag name by `defineImageGenerator`. */
const definedClasses = new Map<string, typeof ImageGeneratorElement>();

/**
 * Defines the element under `tagName` (default `toapis-image-generator`) and returns its class. A no-op
 * when this kit already defined that name; an error when another element owns it. A registry takes
 * one class per name, so every name after the first gets its own subclass.
 */
export function defineImageGenerator(tagName: string = DEFAULT_TAG_NAME): typeof ImageGeneratorElement {
  const registry = typeof customElements === 'undefined' ? undefined : customElements;
  if (!registry) return ImageGeneratorElement;
  const existing = registry.get(tagName);
  const ours = definedClasses.get(tagName);
  if (existing && existing === ours) return ours;
  if (existing) {
    throw new Error(`defineImageGenerator: <${tagName}> is already defined by another element; pass a different tag name.`);
  }
  const cls = definedClasses.size === 0 ? ImageGeneratorElement : class extends ImageGeneratorElement {};
  registry.define(tagName, cls);
  definedClasses.set(tagName, cls);
  return cls;
}

declare global {
  interface HTMLElementTagNameMap {
    'toapis-image-generator': ImageGeneratorElement;
  }
}

// Importing the entry defines the default tag, unless something (another copy of the kit) already did.
if (typeof customElements !== 'undefined' && !customElements.get(DEFAULT_TAG_NAME)) defineImageGenerator();
