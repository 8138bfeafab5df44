/**
 * The theme tokens have one source, src/styles.css; src/hooks/themeTokens.ts lists them for
 * `readTheme`, which copies them onto popovers portalled to <body>. This fails when the two differ.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { THEME_TOKENS } from '../../src/hooks/themeTokens';
import { readTheme } from '../../src/hooks/readTheme';

// jsdom's import.meta.url is not a file URL; vitest runs from the repository root.
const css = readFileSync(resolve(process.cwd(), 'src/styles.css'), 'utf8');

/** The custom properties the light (default) theme block declares, in order. */
function declaredTokens(sheet: string): string[] {
  const start = sheet.indexOf(':where(:root)');
  const open = sheet.indexOf('{', start);
  const close = sheet.indexOf('}', open);
  if (start < 0 || open < 0 || close < 0) throw new Error('src/styles.css has no :where(:root) block');
  const block = sheet.slice(open + 1, close);
  return Array.from(block.matchAll(/(--gen-[a-z0-9-]+)\s*:/g), (m) => m[1]!);
}

describe('theme tokens', () => {
  it('THEME_TOKENS names exactly the tokens src/styles.css declares, in its order', () => {
    expect(declaredTokens(css).length).toBeGreaterThan(0);
    expect([...THEME_TOKENS]).toEqual(declaredTokens(css));
  });

  it('every token a theme overrides is one the default theme declares', () => {
    const overridden = new Set(Array.from(css.matchAll(/^\s*(--gen-[a-z0-9-]+)\s*:/gm), (m) => m[1]!));
    const known = new Set<string>(THEME_TOKENS);
    expect([...overridden].filter((token) => !known.has(token))).toEqual([]);
  });

  it('readTheme copies every token the element resolves', () => {
    const el = document.createElement('div');
    for (const token of THEME_TOKENS) el.style.setProperty(token, `value-of${token}`);
    document.body.append(el);
    const style = readTheme(el) as Record<string, unknown>;
    el.remove();
    for (const token of THEME_TOKENS) expect(style[token]).toBe(`value-of${token}`);
  });

  it("the dark theme and the 'auto' theme in a dark OS set the same tokens to the same values (CSS cannot share the block)", () => {
    const block = (selector: string): Record<string, string> => {
      const start = css.indexOf(selector);
      const open = css.indexOf('{', start);
      const close = css.indexOf('}', open);
      if (start < 0) throw new Error(`no ${selector} block`);
      return Object.fromEntries(Array.from(css.slice(open + 1, close).matchAll(/(--gen-[a-z0-9-]+)\s*:\s*([^;]+);/g), (m) => [m[1]!, m[2]!.trim()]));
    };
    const dark = block(":where([data-gen-theme='dark'])");
    const auto = block(":where([data-gen-theme='auto'])");
    expect(Object.keys(dark).length).toBeGreaterThan(10);
    expect(auto).toEqual(dark);
  });
});
