/**
 * Shared by `npm run bench` (scripts/bench/report.ts) and `npm run bench:proxy`
 * (scripts/bench/proxy.ts), which write to the same docs/benchmarks.md and docs/benchmarks.json:
 * each replaces only its own part and keeps the other's.
 */

/** The Markdown section that starts with the level-2 `heading` line, up to the next level-2 heading or the end. */
export function findSection(markdown: string, heading: string): { start: number; end: number } | undefined {
  const lines = markdown.split('\n');
  let offset = 0;
  let start = -1;
  for (const line of lines) {
    if (start < 0 && line === heading) start = offset;
    else if (start >= 0 && line.startsWith('## ')) return { start, end: offset };
    offset += line.length + 1;
  }
  return start >= 0 ? { start, end: markdown.length } : undefined;
}

/** `markdown` with its `heading` section replaced by `section` (appended at the end when absent). */
export function replaceSection(markdown: string, heading: string, section: string): string {
  const body = section.endsWith('\n') ? section : `${section}\n`;
  const found = findSection(markdown, heading);
  if (!found) return `${markdown.replace(/\n*$/, '\n\n')}${body}`;
  const after = markdown.slice(found.end);
  return `${markdown.slice(0, found.start)}${body}${after ? `\n${after}` : ''}`;
}

/** The `heading` section of `markdown`, or undefined. */
export function extractSection(markdown: string, heading: string): string | undefined {
  const found = findSection(markdown, heading);
  return found ? markdown.slice(found.start, found.end).replace(/\n+$/, '\n') : undefined;
}

/** The proxy benchmark's section heading in docs/benchmarks.md (its JSON lives under the `proxy` key). */
export const PROXY_HEADING = '## Proxy';
