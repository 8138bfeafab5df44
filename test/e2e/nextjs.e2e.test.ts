/**
 * The kit in a real Next.js App Router app (examples/nextjs), installed as a user installs it (the
 * packed files of dist/, see scripts/prepare-nextjs-example.mjs, which `npm test` runs first).
 * The page is the README's quick start pasted into a *server component*; the backend is the
 * example's route handler, in front of a fake ToAPIs (the simulator on a loopback port).
 *
 * `next build` must succeed, the server HTML must already hold the form, a generation must run
 * through the route handler with the key added on the server only, and a reload must bring the
 * prompt and the result back with no hydration error — in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { createSimulator } from '../../server/simulator';
import { ROOT, freePort, launchBrowser, newContext, trackPageErrors, errorsOf, PATIENCE_MS } from './helpers';

const EXAMPLE = join(ROOT, 'examples/nextjs');
const NEXT_BIN = join(EXAMPLE, 'node_modules/next/dist/bin/next');
const KEY = 'sk-nextjs-e2e-0123456789abcdef';
const PROMPT = 'a paper boat on a rainy street';

let upstream: ServerType | undefined;
const upstreamAuth: Array<string | null> = [];
let next: ChildProcess | undefined;
let nextOutput = '';
let origin = '';
let browser: Browser | undefined;

function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: EXAMPLE,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): void {
  const add = (chunk: Buffer) => void (nextOutput += chunk.toString());
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
}

function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  const killer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }, 3000);
  return exited.finally(() => clearTimeout(killer));
}

beforeAll(async () => {
  if (!existsSync(NEXT_BIN) || !existsSync(join(EXAMPLE, 'node_modules/@toapis/image-kit/dist/index.js'))) {
    throw new Error('examples/nextjs is not installed: run `node scripts/prepare-nextjs-example.mjs` (npm test does).');
  }
  // 1. next build (no key needed at build time: the route handler makes its proxy on first request).
  const build = runNext(['build'], {});
  collect(build);
  const code = await new Promise<number | null>((done) => build.once('exit', done));
  if (code !== 0) throw new Error(`next build failed (${code}):\n${nextOutput}`);

  // 2. A fake ToAPIs on a loopback port that records the Authorization header it receives.
  const simulator = createSimulator({ seed: 11, queuedMs: 300, generatingMs: 1200 });
  const simPort = await freePort();
  upstream = serve({
    hostname: '127.0.0.1',
    port: simPort,
    fetch: (request: Request) => {
      upstreamAuth.push(request.headers.get('authorization'));
      return simulator.fetch(request);
    },
  });

  // 3. next start with the key on the server only.
  const port = await freePort();
  next = runNext(['start', '-H', '127.0.0.1', '-p', String(port)], {
    TOAPIS_API_KEY: KEY,
    TOAPIS_BASE_URL: `http://127.0.0.1:${simPort}`,
    SESSION_SECRET: 'nextjs-e2e-session-secret-0123456789',
  });
  collect(next);
  origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(origin)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || next.exitCode !== null) throw new Error(`next start did not answer:\n${nextOutput}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopGroup(next);
  await new Promise<void>((done) => (upstream ? upstream.close(() => done()) : done()));
  // Next's build output (gitignored) is not left in the working tree: its source maps name Next's
  // own internal paths, and every run builds afresh anyway.
  rmSync(join(EXAMPLE, '.next'), { recursive: true, force: true });
});

/** Console errors and warnings (hydration mismatches land here, or as page errors). */
function trackConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  return messages;
}

describe('Next.js App Router example (server component page + route handler)', () => {
  it('the page is the README quick start, with the route handler as backend', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = /## Quick start[^\n]*\n[\s\S]*?```tsx\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quickStart?.trim()).toBe(readFileSync(join(EXAMPLE, 'app/page.tsx'), 'utf8').trim());
  });

  it('the built kit keeps its client boundary: dist/index.js starts with "use client", server-usable entries and all they import do not', () => {
    const dist = join(EXAMPLE, 'node_modules/@toapis/image-kit/dist');
    const text = (file: string) => readFileSync(join(dist, file), 'utf8');
    const directive = (file: string) => /^['"]use client['"];/.test(text(file));
    // React, its JSX runtime and DOM renderer, Radix, and zustand's React binding (not zustand/vanilla).
    const clientImport = /from ['"](?:react(?:-dom)?(?:\/[\w-]+)?|@radix-ui\/[\w-]+|zustand)['"]/;
    expect(directive('index.js')).toBe(true);
    // Every file a server entry reaches through relative imports, static or dynamic.
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const [, spec] of text(file).matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) visit(join(dirname(file), spec!));
    };
    for (const entry of ['core.js', 'server.js', 'server-redis.js', 'mock.js', 'labels.js']) visit(entry);
    expect(reached.size).toBeGreaterThan(20);
    for (const file of reached) expect([file, directive(file), clientImport.test(text(file))]).toEqual([file, false, false]);
    // No file without the directive imports React: client code never slips into a server chunk.
    // The build emits one chunk per module (dist/chunks): the client ones carry the directive.
    const files = [...readdirSync(dist), ...readdirSync(join(dist, 'chunks')).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js') && f !== 'index.js');
    expect(files.filter((f) => f.startsWith('chunks/') && directive(f)).length).toBeGreaterThan(10);
    for (const file of files) {
      if (directive(file)) continue;
      expect([file, clientImport.test(text(file))]).toEqual([file, false]);
    }
  });

  it('a server component can call @toapis/image-kit/core (not a client module)', async () => {
    const html = await (await fetch(`${origin}/models`)).text();
    expect(html).toContain('data-model="gemini-3.1-flash-image-preview"');
    expect(html).toMatch(/21:9/);
  });

  it('the server HTML already holds the form (server-rendered, not an empty shell)', async () => {
    const html = await (await fetch(origin)).text();
    expect(html).toMatch(/<label[^>]*>Prompt<\/label><textarea/);
    expect(html).toContain('>Generate<');
    expect(html).toContain('>Aspect ratio<');
    expect(html).toContain('0 / 8');
    expect(html).not.toContain(KEY);
  });

  it('generates through the route handler, then a reload brings the prompt and result back with no hydration error', async () => {
    const context = await newContext(browser!);
    try {
      const page = await context.newPage();
      trackPageErrors(page);
      const consoleMessages = trackConsole(page);
      const bodies: string[] = [];
      page.on('response', (r) => {
        if (r.url().startsWith(origin)) void r.text().then((t) => bodies.push(t), () => {});
      });

      await page.goto(origin);
      const prompt = page.getByRole('textbox', { name: 'Prompt' });
      await prompt.waitFor();
      // Typing before hydration would be lost on a React that re-renders the form: wait for it.
      await page.waitForFunction(() => document.querySelector('textarea') && Object.keys(document.querySelector('textarea')!).some((k) => k.startsWith('__react')));
      await prompt.fill(PROMPT);
      await page.getByRole('button', { name: 'Generate' }).click();
      const image = page.getByRole('img', { name: new RegExp(PROMPT) });
      await image.waitFor({ timeout: 30_000 });
      await page.waitForFunction((alt) => {
        const img = [...document.querySelectorAll('img')].find((i) => i.alt.includes(alt));
        return !!img && img.complete && img.naturalWidth > 0;
      }, PROMPT);

      await page.reload();
      await prompt.waitFor();
      await page.waitForFunction((text) => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === text, PROMPT, { timeout: PATIENCE_MS });
      await image.waitFor({ timeout: PATIENCE_MS });
      expect(await page.getByRole('combobox', { name: 'Aspect ratio' }).textContent()).toContain('1:1');

      expect(errorsOf(page)).toEqual([]);
      expect(consoleMessages).toEqual([]);
      // The key went upstream and never to the browser.
      expect(upstreamAuth).toContain(`Bearer ${KEY}`);
      expect(bodies.join('\n')).not.toContain(KEY);
    } finally {
      await context.close();
    }
  }, 90_000);
});
