/**
 * DOM look-ups that also work inside a shadow root (the `<toapis-image-generator>` element renders
 * the kit into one): ids, the focused element and event targets are resolved in the node's own
 * root (its document, or its shadow root) rather than in `document`, where they are hidden or
 * retargeted to the host. For a node in the light DOM these are the same as the plain calls.
 */

/** The document or shadow root `node` lives in (its `ownerDocument`, or `document`, when detached). */
export function rootOf(node: Node | null | undefined): Document | ShadowRoot {
  const root = node?.getRootNode?.();
  if (root && (root.nodeType === 9 || root.nodeType === 11) && 'getElementById' in root) return root as Document | ShadowRoot;
  return node?.ownerDocument ?? document;
}

/** `getElementById` in `node`'s root. */
export function byIdNear(node: Node | null | undefined, id: string): HTMLElement | null {
  return rootOf(node).getElementById(id) as HTMLElement | null;
}

/** The focused element as seen from `node`'s root (inside a shadow root, the element in it). */
export function activeElementNear(node: Node | null | undefined): Element | null {
  return rootOf(node).activeElement;
}

/** An event's original target, through shadow boundaries (`composedPath()[0]`). */
export function originalTarget(event: Event): EventTarget | null {
  const path = typeof event.composedPath === 'function' ? event.composedPath() : [];
  return path[0] ?? event.target;
}
