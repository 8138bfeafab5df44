/**
 * File names for saved results: `<prompt slug>-<task id>-<index>.<ext>`, e.g.
 * `lighthouse-at-dusk-task_01abc-1.png`. Shared by the kit (the name of a saved file) and the proxy
 * (its `Content-Disposition`). Framework-free; no Node APIs.
 */
import { IMAGE_EXTENSIONS } from './image';

/** Longest prompt slug, in characters. */
export const MAX_SLUG_CHARS = 40;

/** Extensions a result image may keep from its URL when the type says nothing. */
const URL_EXTENSIONS: Readonly<Record<string, string>> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp', gif: 'gif', avif: 'avif' };

/**
 * The prompt as lower-case ASCII letters, digits and `-` (accents dropped, everything else a
 * dash), at most {@link MAX_SLUG_CHARS} characters, cut at a word break where there is one;
 * `image` when nothing is left (a prompt in Chinese, emoji only, empty).
 */
export function promptSlug(prompt: string, max = MAX_SLUG_CHARS): string {
  const ascii = String(prompt ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= max) return ascii || 'image';
  const cut = ascii.slice(0, max + 1);
  const lastDash = cut.lastIndexOf('-');
  const slug = (lastDash >= max / 2 ? cut.slice(0, lastDash) : cut.slice(0, max)).replace(/-+$/, '');
  return slug || 'image';
}

/**
 * The extension for a saved image: from its `Content-Type` (`image/jpeg` → `jpg`), else from the
 * URL's path (`….webp`), else `png`.
 */
export function imageExtension(contentType?: string | null, url?: string): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'image/avif') return 'avif';
  const fromType = IMAGE_EXTENSIONS[type];
  if (fromType) return fromType;
  if (url) {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = '';
    }
    const match = /\.([A-Za-z0-9]{1,5})$/.exec(path);
    const fromUrl = match ? URL_EXTENSIONS[match[1]!.toLowerCase()] : undefined;
    if (fromUrl) return fromUrl;
  }
  return 'png';
}

/** A task id as it may appear in a file name: letters, digits, `_` and `-` only (at most 64). */
export function fileNameTaskId(taskId: string | undefined): string {
  return (taskId ?? '').replace(/[^A-Za-z0-9_-]+/g, '').slice(0, 64);
}

export interface DownloadNameParts {
  prompt: string;
  /** The backend's task id; left out of the name when unknown. */
  taskId?: string | undefined;
  /** 1-based position of the image in the task's results. */
  index: number;
  contentType?: string | null | undefined;
  url?: string | undefined;
}

/** `lighthouse-at-dusk-<taskid>-1.png`. */
export function downloadFileName({ prompt, taskId, index, contentType, url }: DownloadNameParts): string {
  const id = fileNameTaskId(taskId);
  const n = Number.isSafeInteger(index) && index > 0 ? index : 1;
  return `${[promptSlug(prompt), id, String(n)].filter(Boolean).join('-')}.${imageExtension(contentType, url)}`;
}

/* ---- several files at once: Download all, Download selected (issue 14) */

/**
 * Names for files saved together (one zip): each as {@link downloadFileName} makes it (so two images
 * of one task end `-1`, `-2`), then made unique: a name already taken, compared case-insensitively
 * as zip tools on Windows and macOS do, gets `-2`, `-3`… before its extension. Same order as `parts`.
 */
export function uniqueFileNames(parts: readonly DownloadNameParts[]): string[] {
  const taken = new Set<string>();
  return parts.map((part) => {
    const name = downloadFileName(part);
    const dot = name.lastIndexOf('.');
    const stem = name.slice(0, dot);
    const ext = name.slice(dot);
    let unique = name;
    for (let k = 2; taken.has(unique.toLowerCase()); k++) unique = `${stem}-${k}${ext}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

/** The zip of one task's images (Download all): `<prompt slug>-<task id>.zip`. */
export function taskZipName(prompt: string, taskId: string | undefined): string {
  return `${[promptSlug(prompt), fileNameTaskId(taskId)].filter(Boolean).join('-')}.zip`;
}

/** The zip of a selection (Download selected): `images-<yyyy-mm-dd>.zip`, the local date of `at` (epoch ms). */
export function selectionZipName(at: number): string {
  const d = new Date(Number.isFinite(at) ? at : 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `images-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.zip`;
}
