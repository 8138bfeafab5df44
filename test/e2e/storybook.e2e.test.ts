/**
 * axe-core on every Storybook story in real Chromium: the static Storybook is built once
 * (`npm run build-storybook`), served from storybook-static/ by a tiny node:http server, and every
 * entry of its index.json of type "story" is opened as `iframe.html?id=<id>&viewMode=story`. The
 * stories run against the simulator in MSW's service worker, play functions included; each is
 * checked once its render (and play function) finished.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeViolations, freePort, launchBrowser, newContext, RADIX_LIST_OPEN, ROOT, seriousViolations } from './helpers';

const STATIC_DIR = resolve(ROOT, 'storybook-static');

/** Builds the static Storybook (once per run, at collection, so the story list is known). */
async function buildStorybook(): Promise<void> {
  await new Promise<void>((done, fail) => {
    let output = '';
    const child = spawn('npm', ['run', 'build-storybook'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`build-storybook failed (${code}):\n${output}`))));
  });
}

await buildStorybook();

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
}

const index = JSON.parse(readFileSync(join(STATIC_DIR, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
const stories = Object.values(index.entries).filter((e) => e.type === 'story');

/**
 * Stories that cannot pass for a documented reason: story id → reason. Each is still opened and
 * checked, and the test fails if it starts passing (so the list cannot go stale).
 */
const KNOWN_FAILING: Readonly<Record<string, string>> = {};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` read-only on loopback; unknown paths answer 404, paths outside `dir` 403. */
function serveStatic(dir: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      const file = normalize(join(dir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
      if (!file.startsWith(dir)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      }
    })();
  });
  return new Promise((ready) => server.listen(port, '127.0.0.1', () => ready(server)));
}

let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;

/**
 * A few preview pages, reused: the first story a page shows is opened by URL, later ones through
 * Storybook's own channel (`setCurrentStory`, what the manager sends on a click), which unmounts
 * the previous story and renders the next in ~0.2 s instead of reloading the preview bundle. A page
 * on which anything went wrong is thrown away, so one failure cannot leak into the next story.
 */
const POOL_SIZE = 5;
interface PreviewPage {
  page: Page;
  errors: string[];
  fresh: boolean;
}
const idle: PreviewPage[] = [];
const waiting: ((p: PreviewPage) => void)[] = [];
let created = 0;

async function acquire(): Promise<PreviewPage> {
  const free = idle.pop();
  if (free) return free;
  if (created < POOL_SIZE) {
    created++;
    const page = await context.newPage();
    const preview: PreviewPage = { page, errors: [], fresh: true };
    page.on('pageerror', (e) => preview.errors.push(String(e)));
    return preview;
  }
  return new Promise((resolveWaiter) => waiting.push(resolveWaiter));
}

function release(preview: PreviewPage, healthy: boolean): void {
  if (!healthy) {
    void preview.page.close();
    created--;
    const next = waiting.shift();
    if (next) void acquire().then(next);
    return;
  }
  preview.errors.length = 0;
  const next = waiting.shift();
  if (next) next(preview);
  else idle.push(preview);
}

async function showStory(preview: PreviewPage, id: string): Promise<string> {
  if (preview.fresh) {
    preview.fresh = false;
    await preview.page.goto(`${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story`);
  } else {
    await preview.page.evaluate((storyId) => {
      const channel = (window as unknown as { __STORYBOOK_ADDONS_CHANNEL__: { emit(event: string, payload: unknown): void } })
        .__STORYBOOK_ADDONS_CHANNEL__;
      channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
    }, id);
  }
  // Wait for Storybook to finish the story: loaders (MSW), render, play function, afterEach.
  const handle = await preview.page.waitForFunction(
    (storyId) => {
      const store = (window as unknown as { __STORYBOOK_PREVIEW__?: { storyRenders?: { id: string; phase?: string }[] } })
        .__STORYBOOK_PREVIEW__;
      const render = store?.storyRenders?.find((r) => r.id === storyId);
      return render && ['finished', 'errored', 'aborted'].includes(render.phase ?? '') ? render.phase : false;
    },
    id,
    { timeout: 20_000 },
  );
  return String(await handle.jsonValue());
}

beforeAll(async () => {
  const port = await freePort();
  [server, browser] = await Promise.all([serveStatic(STATIC_DIR, port), launchBrowser()]);
  origin = `http://127.0.0.1:${port}`;
  // One context for all stories: MSW's service worker registers once and serves every story.
  context = await newContext(browser, { reducedMotion: 'reduce' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

it('the static Storybook has stories', () => {
  expect(existsSync(join(STATIC_DIR, 'iframe.html'))).toBe(true);
  expect(stories.length).toBeGreaterThan(10);
});

// Concurrent (a few preview pages at once): most of a story's time is its play function waiting
// for the simulator, not CPU.
describe.concurrent('every story renders in Chromium with no serious or critical axe violations', () => {
  for (const story of stories) {
    it(`${story.title} / ${story.name} (${story.id})`, async ({ expect }) => {
      const preview = await acquire();
      const { page } = preview;
      let healthy = false;
      try {
        const phase = await showStory(preview, story.id);
        expect(phase, `the story's render or play function failed: ${preview.errors.join('\n')}`).toBe('finished');
        expect(await page.locator('#storybook-root').evaluate((el) => el.childElementCount)).toBeGreaterThan(0);

        // An open Radix list hides the rest of the page from assistive tech while trapping focus.
        const listOpen = (await page.getByRole('listbox').count()) > 0;
        const violations = await seriousViolations(page, listOpen ? RADIX_LIST_OPEN : {});
        healthy = true;
        const found = describeViolations(violations);
        const known = KNOWN_FAILING[story.id];
        if (known) {
          expect(found, `listed as failing (${known}) but passes now: remove it from KNOWN_FAILING`).not.toBe('');
        } else {
          expect(found, `serious/critical axe violations in ${story.id}`).toBe('');
        }
      } finally {
        release(preview, healthy);
      }
    });
  }
});
