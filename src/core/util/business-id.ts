/** Business ids for submits; its own module so the store can make one without loading the client. */

let businessIdCounter = 0;

/**
 * A business id that cannot be mistaken for a task id (docs/toapis-api.md §8.15) and never repeats: crypto random
 * where available (also in insecure contexts, unlike `randomUUID`), plus a counter and the time.
 */
export function createBusinessId(random: () => number = Math.random): string {
  let s = '';
  const bytes = new Uint8Array(12);
  if (typeof globalThis.crypto?.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) s += (b % 36).toString(36);
  } else {
    for (let i = 0; i < 12; i += 1) s += Math.floor(random() * 36).toString(36);
  }
  businessIdCounter = (businessIdCounter + 1) % 1_679_616;
  return `kit-${Date.now().toString(36)}-${businessIdCounter.toString(36)}-${s}`;
}
