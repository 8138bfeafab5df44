/**
 * Nothing injected. Server text (error messages, revised prompts) and file names render only as
 * text; only http(s) and blob: URLs are ever used as image sources or links; the source holds no
 * HTML sinks or eval (so a strict Content-Security-Policy works); and no API key, key read or
 * bearer header exists in any browser code path — the source, the stories, the playground, and
 * the built bundle.
 */
import * as React from 'react';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { useSimulatorServer } from '../msw/server';
import { emptyFile, pngFile } from '../fixtures/files';
import { renderKit } from './render';
import { PromptForm } from '../../src/components/PromptForm';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import { TaskProgress } from '../../src/components/TaskProgress';
import { AspectRatioPicker } from '../../src/components/AspectRatioPicker';
import type { GeneratorStore } from '../../src/store';

const sim = useSimulatorServer({ seed: 1, queuedMs: 100, generatingMs: 300 });

const ROOT = resolve(import.meta.dirname, '../..');
const DONE = { timeout: 5000 };

/** Markup a hostile server or file name might carry; none of it may become an element. */
const HOSTILE =
  '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><a href="javascript:window.__pwned=3">click</a><svg onload="window.__pwned=4"></svg>';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

function Kit() {
  return (
    <>
      <PromptForm />
      <AspectRatioPicker />
      <ReferenceTray />
      <TaskProgress />
    </>
  );
}

/** Serves one task: the submit answers `queued`, every read answers `final`. */
function serveTask(final: Record<string, unknown>) {
  sim.server.use(
    http.post('*/v1/images/generations', () => HttpResponse.json({ id: 'task_evil', object: 'generation.task', status: 'queued', progress: 0 })),
    http.get('*/v1/images/generations/:id', () => HttpResponse.json({ id: 'task_evil', object: 'generation.task', ...final })),
  );
}

async function generate(store: GeneratorStore, prompt: string) {
  await act(async () => {
    store.getState().setPrompt(prompt);
    await store.getState().submit();
  });
}

/** Fails if any element, attribute or script came out of text. */
function expectNothingInjected() {
  expect(document.querySelectorAll('script, iframe, object, embed, svg[onload]')).toHaveLength(0);
  const handlers: string[] = [];
  for (const el of document.body.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) handlers.push(`${el.tagName}[${attr}]`);
  }
  expect(handlers).toEqual([]);
  expect(document.querySelectorAll('img[src="x"], a[href^="javascript" i]')).toHaveLength(0);
  expect(window.__pwned).toBeUndefined();
}

/** Every URL the rendered document would load or link, with where it sits. */
function renderedUrls(): Array<{ where: string; url: string }> {
  const found: Array<{ where: string; url: string }> = [];
  const take = (selector: string, attr: string) => {
    for (const el of document.querySelectorAll(selector)) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      if (attr === 'srcset') {
        for (const part of value.split(',')) found.push({ where: `${el.tagName}[srcset]`, url: part.trim().split(/\s+/)[0] ?? '' });
      } else found.push({ where: `${el.tagName}[${attr}]`, url: value });
    }
  };
  take('img[src]', 'src');
  take('img[srcset]', 'srcset');
  take('source[src]', 'src');
  take('source[srcset]', 'srcset');
  take('a[href]', 'href');
  take('area[href]', 'href');
  take('link[href]', 'href');
  take('iframe[src]', 'src');
  take('video[src]', 'src');
  take('video[poster]', 'poster');
  take('audio[src]', 'src');
  take('object[data]', 'data');
  take('form[action]', 'action');
  take('[formaction]', 'formaction');
  for (const el of document.querySelectorAll('[style]')) {
    for (const m of (el.getAttribute('style') ?? '').matchAll(/url\(\s*['"]?([^'")]*)/g)) found.push({ where: `${el.tagName}[style]`, url: m[1]! });
  }
  return found;
}

const SAFE_URL = /^(https?:\/\/[^\s]+|blob:[^\s]+)$/i;

function expectOnlySafeUrls() {
  const unsafe = renderedUrls().filter(({ url }) => !SAFE_URL.test(url));
  expect(unsafe).toEqual([]);
}

/* -------------------------------------------------------------------------------------------------
 * Server text
 * -----------------------------------------------------------------------------------------------*/

describe('server text renders only as text', () => {
  it('a failed task whose error message is markup', async () => {
    serveTask({ status: 'failed', error: { code: 'generation_failed', message: HOSTILE } });
    const { store } = renderKit(<Kit />);
    await generate(store, 'harmless');
    await waitFor(() => expect(document.querySelector('.gen-TaskProgress-error')).not.toBeNull(), DONE);
    const error = document.querySelector('.gen-TaskProgress-error') as HTMLElement;
    expect(error).toHaveAttribute('role', 'alert');
    expect(error.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(error.textContent).toContain('<script>window.__pwned=2</script>');
    // Only the kit's own elements (each carries a gen- class); nothing the server sent became markup.
    expect([...error.querySelectorAll('*')].filter((el) => !/(^|\s)gen-/.test(el.getAttribute('class') ?? '')).map((el) => el.outerHTML)).toEqual([]);
    expect(error.querySelectorAll('img, script, iframe, a').length).toBe(0);
    expectNothingInjected();
    expectOnlySafeUrls();
  });

  it('an HTTP error envelope whose message is markup (submit refused with 400)', async () => {
    sim.server.use(
      http.post('*/v1/images/generations', () =>
        HttpResponse.json({ error: { code: 'invalid_request', message: HOSTILE, type: 'invalid_request_error', param: '<b>prompt</b>' } }, { status: 400 }),
      ),
    );
    const { store } = renderKit(<Kit />);
    await generate(store, 'harmless');
    await waitFor(() => expect(document.querySelector('.gen-TaskProgress-error')).not.toBeNull(), DONE);
    const error = document.querySelector('.gen-TaskProgress-error') as HTMLElement;
    expect(error.textContent).toContain('<script>window.__pwned=2</script>');
    expectNothingInjected();
  });

  it('a completed task whose revised prompt is markup, for a prompt that is markup too', async () => {
    serveTask({
      status: 'completed',
      progress: 100,
      revised_prompt: HOSTILE,
      result: { type: 'image', data: [{ url: 'https://cdn.example.test/ok.png' }] },
    });
    const { store } = renderKit(<Kit />);
    await generate(store, `<b onmouseover="window.__pwned=5">bold</b>`);
    await waitFor(() => expect(document.querySelector('.gen-TaskProgress-revisedText')).not.toBeNull(), DONE);
    const revised = document.querySelector('.gen-TaskProgress-revisedText') as HTMLElement;
    expect(revised.textContent).toBe(HOSTILE);
    expect(revised.children).toHaveLength(0);
    const image = screen.getByRole('img', { name: /<b onmouseover="window.__pwned=5">bold<\/b>/ });
    expect(image).toHaveAttribute('src', 'https://cdn.example.test/ok.png');
    expect(screen.getByRole('textbox', { name: 'Prompt' })).toHaveValue(`<b onmouseover="window.__pwned=5">bold</b>`);
    expectNothingInjected();
    expectOnlySafeUrls();
  });
});

/* -------------------------------------------------------------------------------------------------
 * URLs
 * -----------------------------------------------------------------------------------------------*/

describe('only http(s) and blob: URLs are used as image sources or links', () => {
  const HOSTILE_URLS = [
    'javascript:window.__pwned=6',
    'JaVaScRiPt:window.__pwned=7',
    '  javascript:window.__pwned=8',
    'java\tscript:window.__pwned=9',
    'data:text/html,<script>window.__pwned=10</script>',
    'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example.test/x.png',
    'ftp://evil.example.test/x.png',
  ];

  it('a completed result mixing hostile URLs with one valid one renders only the valid one, everywhere', async () => {
    serveTask({
      status: 'completed',
      progress: 100,
      url: 'javascript:window.__pwned=11',
      result: { type: 'image', data: [...HOSTILE_URLS.map((url) => ({ url })), { url: 'https://cdn.example.test/good.png' }] },
    });
    const user = userEvent.setup();
    const { store } = renderKit(<Kit />, { store: { createPreviewUrl: () => 'blob:http://localhost/preview-1' } });
    await generate(store, 'mixed results');
    await waitFor(() => expect(store.getState().tasks[0]?.phase).toBe('completed'), DONE);
    expect(store.getState().tasks[0]!.images.map((i) => i.url)).toEqual(['https://cdn.example.test/good.png']);

    const gallery = document.querySelector('.gen-TaskProgress-gallery') as HTMLElement;
    expect(within(gallery).getAllByRole('img')).toHaveLength(1);
    expect(within(gallery).getByRole('img')).toHaveAttribute('src', 'https://cdn.example.test/good.png');
    const links = [...gallery.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set(['https://cdn.example.test/good.png']));
    for (const a of gallery.querySelectorAll('a[target="_blank"]')) expect(a.getAttribute('rel')).toMatch(/noopener/);

    // "Use as reference" puts the result in the tray; the thumbnail is that same safe URL.
    await user.click(within(gallery).getByRole('button', { name: /reference/i }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Reference images' })).getAllByRole('listitem')).toHaveLength(1));
    // A hostile URL handed to the store directly is refused.
    let accepted = true;
    act(() => {
      accepted = store.getState().addReferenceUrl('javascript:window.__pwned=12');
    });
    expect(accepted).toBe(false);
    expect(store.getState().references).toHaveLength(1);

    const urls = renderedUrls();
    expect(urls.map((u) => u.url)).toContain('https://cdn.example.test/good.png');
    expectOnlySafeUrls();
    expectNothingInjected();
  });

  it('a reference thumbnail URL that is not http(s)/blob: is never rendered (defence in depth)', async () => {
    // A host's createPreviewUrl (or state restored from storage) is one more source of URLs.
    const { store } = renderKit(<ReferenceTray />, { store: { createPreviewUrl: () => 'javascript:window.__pwned=13' } });
    await act(async () => {
      await store.getState().addReferences([pngFile('thumb.png')]);
    });
    await waitFor(() => expect(store.getState().references[0]?.state).toBe('ready'), DONE);
    expectOnlySafeUrls();
    expectNothingInjected();
  });
});

/* -------------------------------------------------------------------------------------------------
 * File names
 * -----------------------------------------------------------------------------------------------*/

describe('file names are shown safely', () => {
  it('markup in file names stays text in the tray, its notices, and its accessible names', async () => {
    const user = userEvent.setup();
    const goodName = `${HOSTILE}.png`;
    const badName = `<script>window.__pwned=20</script><img src=x onerror=window.__pwned=21>.png`;
    let n = 0;
    const { store } = renderKit(<ReferenceTray />, { store: { createPreviewUrl: () => `blob:http://localhost/thumb-${(n += 1)}` } });
    const input = screen.getByLabelText('Add reference images') as HTMLInputElement;
    await user.upload(input, [pngFile(goodName, 16, 16, 31), emptyFile(badName)]);
    await waitFor(() => expect(store.getState().references[0]?.state).toBe('ready'), DONE);
    await waitFor(() => expect(store.getState().notices).toHaveLength(1), DONE);

    const item = within(screen.getByRole('list', { name: 'Reference images' })).getAllByRole('listitem')[0]!;
    expect(item.textContent).toContain(HOSTILE);
    expect(within(item).getByRole('button', { name: `Remove ${goodName}` })).toBeInTheDocument();
    const thumb = item.querySelector('img.gen-ReferenceTray-image');
    expect(thumb?.getAttribute('alt')).toBe(goodName); // an attribute value, never parsed
    expect(thumb?.getAttribute('src')).toBe('blob:http://localhost/thumb-1');

    const notice = document.querySelector('.gen-ReferenceTray-notice-message') as HTMLElement;
    expect(notice.textContent).toContain('<script>window.__pwned=20</script>');
    expect(notice.children).toHaveLength(0);
    expectNothingInjected();
    expectOnlySafeUrls();
  });
});

/* -------------------------------------------------------------------------------------------------
 * Source and bundle scans
 * -----------------------------------------------------------------------------------------------*/

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (pattern.test(name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** `file:line: text` for every line of `files` matching any of `patterns`. */
function hits(files: string[], patterns: RegExp[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const p of patterns) if (p.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 160)}`);
    });
  }
  return found;
}

/** HTML sinks and code-from-strings: each breaks a strict CSP or opens an injection. */
const SINKS = [
  /dangerouslySetInnerHTML/,
  /\.innerHTML\s*=/,
  /\.outerHTML\s*=/,
  /insertAdjacentHTML/,
  /document\.write/,
  /\beval\s*\(/,
  /new\s+Function\s*\(/,
  /\bset(?:Timeout|Interval)\s*\(\s*['"`]/,
  /<script[\s>]/i,
  /createContextualFragment/,
  /srcdoc/i,
];

/** An API key, a read of the key's variable, or a bearer header built in the browser. */
const SECRETS = [
  /sk-[A-Za-z0-9]{16,}/,
  /TOAPIS_API_KEY/,
  /Authorization['"]?\s*[:,=]\s*[`'"]?\s*Bearer/i,
  /Bearer\s+\$\{/,
  /['"`]Bearer\s/,
];

/** Reads of the key through any env mechanism (comments that name the variable are fine). */
const KEY_READS = [/(?:process\.env|import\.meta\.env|\benv)\s*(?:\.\s*|\[\s*['"`])\w*TOAPIS_API_KEY/, /sk-[A-Za-z0-9]{16,}/, /Bearer\s+\$\{/];

describe('source and bundle hold no HTML sinks, eval, or keys', () => {
  const srcFiles = filesUnder(join(ROOT, 'src'), /\.(ts|tsx)$/);

  it('scans a real set of files', () => {
    expect(srcFiles.length).toBeGreaterThan(20);
    expect(srcFiles.some((f) => f.endsWith('TaskProgress.tsx'))).toBe(true);
    // The patterns themselves catch what they should.
    expect(hits([join(ROOT, 'test/server/proxy/key.test.ts')], [/Bearer/]).length).toBeGreaterThan(0);
    expect(SINKS.some((p) => p.test('el.innerHTML = html'))).toBe(true);
    expect(SINKS.some((p) => p.test('<div dangerouslySetInnerHTML={{ __html: x }} />'))).toBe(true);
    expect(SINKS.some((p) => p.test('const f = new Function("return 1")'))).toBe(true);
    expect(SECRETS.some((p) => p.test("headers.set('Authorization', `Bearer ${key}`)"))).toBe(true);
    expect(SECRETS.some((p) => p.test('const k = "sk-abcdefghijklmnop1234"'))).toBe(true);
  });

  it('src/**/*.ts(x) has no dangerouslySetInnerHTML, innerHTML =, eval, new Function or inline <script>', () => {
    expect(hits(srcFiles, SINKS)).toEqual([]);
  });

  it('no API key, key variable or bearer header in src/** or stories/**', () => {
    const stories = filesUnder(join(ROOT, 'stories'), /\.(ts|tsx|mdx)$/);
    expect(stories.length).toBeGreaterThan(0);
    expect(hits([...srcFiles, ...stories], SECRETS)).toEqual([]);
    expect(hits([...stories], SINKS)).toEqual([]);
  });

  it('the playground (browser code served by npm start) never reads the key', () => {
    const playground = filesUnder(join(ROOT, 'playground'), /\.(ts|tsx|html)$/);
    expect(playground.length).toBeGreaterThan(0);
    expect(hits(playground, KEY_READS)).toEqual([]);
    expect(hits(playground, SINKS.filter((p) => !/script/.test(p.source)))).toEqual([]);
  });

  it('the built browser bundle (index, core, labels) holds no key, no bearer header, no eval and no server code', { timeout: 60_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'gen-bundle-'));
    try {
      const { build } = await import('vite');
      const react = (await import('@vitejs/plugin-react')).default;
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'silent',
        plugins: [react()],
        build: {
          outDir,
          emptyOutDir: true,
          copyPublicDir: false,
          minify: false,
          sourcemap: false,
          lib: {
            entry: {
              index: join(ROOT, 'src/index.ts'),
              core: join(ROOT, 'src/core/index.ts'),
              labels: join(ROOT, 'src/labels/index.ts'),
            },
            formats: ['es'],
          },
          rolldownOptions: {
            external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//, /^msw($|\/)/, /^hono($|\/)/],
          },
        },
      });
      const bundle = filesUnder(outDir, /\.(js|mjs|css)$/);
      expect(bundle.map((f) => relative(outDir, f))).toEqual(expect.arrayContaining(['index.js', 'core.js', 'labels.js']));
      const text = bundle.map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(text.length).toBeGreaterThan(10_000);
      expect(text).toContain('GeneratorProvider'); // it is the kit
      expect(hits(bundle, SECRETS)).toEqual([]);
      expect(hits(bundle, SINKS)).toEqual([]);
      // The proxy and simulator stay out of the browser bundle.
      expect(text).not.toMatch(/createSimulator|createToapisProxy|apiKey/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
