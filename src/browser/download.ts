/**
 * Saving a result image as a file. `<a download>` is ignored for cross-origin URLs (the browser
 * opens the image instead), so the file is fetched, turned into an object URL and saved from there:
 * first straight from the file host (works when it allows CORS), then through the backend's download
 * route when there is one, and when neither works the image opens in a new tab for the user to
 * save. Never throws. Safe to import on a server (no globals are touched at import time).
 */

/** What happened: a file was saved, the image was opened in a new tab, or nothing worked. */
export type SaveOutcome = 'saved' | 'opened' | 'failed';

export interface SaveImageOptions {
  /** The image's URL on the file host. */
  url: string;
  /** The file name, given the type of what was fetched (for the extension). */
  fileName: (contentType: string | undefined) => string;
  /** The backend's copy (the proxy's download route), or undefined when it has none or it failed. */
  viaBackend?: () => Promise<Blob | undefined>;
  /** @default globalThis.fetch */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** The page to save from. @default globalThis.document */
  document?: Document;
  /** Milliseconds before the object URL is revoked (some browsers read it after the click). @default 10000 */
  revokeAfterMs?: number;
}

export async function saveImage(options: SaveImageOptions): Promise<SaveOutcome> {
  const doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
  if (!doc) return 'failed';
  const blob = await fetchImage(options);
  if (blob && saveFile(doc, blob, options.fileName(blob.type || undefined), options.revokeAfterMs)) return 'saved';
  return openInNewTab(doc, options.url) ? 'opened' : 'failed';
}

/**
 * The image's bytes: straight from its host, else from the backend's copy; undefined when neither
 * worked. Never throws. Also what a zip of several results is made from (src/browser/zip.ts).
 */
export async function fetchImage(options: Pick<SaveImageOptions, 'url' | 'viaBackend' | 'fetch'>): Promise<Blob | undefined> {
  const blob = await fetchDirect(options);
  if (blob || !options.viaBackend) return blob;
  try {
    return await options.viaBackend();
  } catch {
    return undefined;
  }
}

/** The image straight from its host: needs CORS there. A CORS refusal is a network error here. */
async function fetchDirect({ url, fetch: doFetch }: Pick<SaveImageOptions, 'url' | 'fetch'>): Promise<Blob | undefined> {
  const get = doFetch ?? (typeof fetch === 'function' ? (input: string, init?: RequestInit) => fetch(input, init) : undefined);
  if (!get) return undefined;
  try {
    const response = await get(url, { mode: 'cors', credentials: 'omit', cache: 'no-store' });
    if (!response.ok) return undefined;
    const blob = await response.blob();
    // An error page served with 200 is not the image.
    return blob.size > 0 && !/^(text\/|application\/json)/i.test(blob.type) ? blob : undefined;
  } catch {
    return undefined;
  }
}

/** Saves `blob` as a file called `name` (an object URL and a temporary `<a download>`); false when it could not. */
export function saveFile(doc: Document, blob: Blob, name: string, revokeAfterMs = 10_000): boolean {
  const urls = doc.defaultView?.URL ?? (typeof URL === 'undefined' ? undefined : URL);
  if (!urls || typeof urls.createObjectURL !== 'function') return false;
  let objectUrl: string | undefined;
  try {
    objectUrl = urls.createObjectURL(blob);
    clickLink(doc, objectUrl, { download: name });
    const made = objectUrl;
    setTimeout(() => urls.revokeObjectURL(made), revokeAfterMs);
    return true;
  } catch {
    if (objectUrl) urls.revokeObjectURL(objectUrl);
    return false;
  }
}

function openInNewTab(doc: Document, url: string): boolean {
  try {
    clickLink(doc, url, { target: '_blank' });
    return true;
  } catch {
    return false;
  }
}

/** A temporary, hidden link, clicked once and removed. */
function clickLink(doc: Document, href: string, how: { download?: string; target?: string }): void {
  const a = doc.createElement('a');
  a.href = href;
  if (how.download !== undefined) a.download = how.download;
  if (how.target !== undefined) a.target = how.target;
  a.rel = 'noopener noreferrer';
  a.hidden = true;
  (doc.body ?? doc.documentElement).append(a);
  try {
    a.click();
  } finally {
    a.remove();
  }
}

/* ---- presets (issue 14) */
/** Saves what the page made itself (`presets.json`) as a file named `name`; false when the page cannot. */
export function saveBlobAs(blob: Blob, name: string, doc: Document | undefined = typeof document === 'undefined' ? undefined : document): boolean {
  return doc ? saveFile(doc, blob, name, 10_000) : false;
}
