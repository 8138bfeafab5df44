/**
 * Shared helpers of the real-browser tests: the `npm start` server on a free loopback port, Debian
 * Chromium through playwright-core (never a downloaded browser), PNG fixtures drawn by the
 * simulator's own encoder, axe-core injection, and small waits that read the page the way a user
 * (or a screen reader) does — by roles and accessible names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { freePort } from '../support/ports';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { renderPlaceholder } from '../../server/simulator';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const AXE_PATH = resolve(ROOT, 'node_modules/axe-core/axe.min.js');

/* -------------------------------------------------------------------------------------------------
 * Ports and the `npm start` server
 * -----------------------------------------------------------------------------------------------*/

export { freePort };

export interface PlaygroundServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  origin: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `npm start`'s entry (`node --import tsx server/dev.ts`) in its own process group on a
 * free loopback port and resolves once it printed "Playground ready at". `NO_BUILD=1` reuses the
 * playground the global setup built. Without TOAPIS_API_KEY the backend is the simulator.
 */
export async function startPlayground(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<PlaygroundServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NO_BUILD: '1', SIM_SEED: '7', ...env };
  delete childEnv.TOAPIS_API_KEY; // the tests drive the simulator, never the real service
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/dev.ts'], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const origin = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Playground ready at (http:\/\/\S+?)\/?\s/.exec(output);
      if (match) {
        clearTimeout(timer);
        ready(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    origin,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const killer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/* -------------------------------------------------------------------------------------------------
 * Browser
 * -----------------------------------------------------------------------------------------------*/

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * How long a test waits for something the user should see. Generous on purpose: these tests check
 * behaviour on a busy 2-core CI machine, not speed (speed is measured by `npm run bench`).
 */
export const PATIENCE_MS = 30_000;

export const VIEWPORT = { width: 1280, height: 900 };

/** A fresh context (own cookies = own visitor identity at the proxy, own storage). */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, acceptDownloads: true, ...options });
}

/**
 * Opens the playground with URL params (`poll`, `theme`, `model`, `lang`, `fault`…) and waits
 * until the prompt textbox is there. Page errors are collected on `page` for later assertions.
 */
export async function openPlayground(
  context: BrowserContext,
  origin: string,
  params: Record<string, string | number> = {},
): Promise<Page> {
  const page = await context.newPage();
  trackPageErrors(page);
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  await page.goto(`${origin}/${query ? `?${query}` : ''}`);
  await page.getByRole('textbox', { name: 'Prompt' }).waitFor();
  return page;
}

/** What a test's context offers for cleanup (vitest's `TestContext`, structurally). */
export interface Finishable {
  onTestFinished(fn: () => unknown): void;
}

/**
 * A fresh browser context and the playground in it, closed when the test finishes — for tests that
 * run concurrently and so cannot share a `beforeEach` context.
 */
export async function openIsolated(
  browser: Browser,
  origin: string,
  test: Finishable,
  params: Record<string, string | number> = {},
  options: BrowserContextOptions = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await newContext(browser, options);
  test.onTestFinished(() => context.close());
  return { page: await openPlayground(context, origin, params), context };
}

const pageErrors = new WeakMap<Page, string[]>();

export function trackPageErrors(page: Page): void {
  if (pageErrors.has(page)) return;
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(String(error)));
}

/** Uncaught exceptions the page threw so far. */
export function errorsOf(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

/* -------------------------------------------------------------------------------------------------
 * Fixtures
 * -----------------------------------------------------------------------------------------------*/

export interface PngFixture {
  name: string;
  path: string;
  bytes: Uint8Array;
}

/** Writes real PNGs (the simulator's gradient placeholders) into a fresh temp dir. */
export async function writePngFixtures(names: readonly string[], width = 96, height = 64): Promise<PngFixture[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gen-e2e-'));
  return Promise.all(
    names.map(async (name, i) => {
      const bytes = renderPlaceholder(width, height, 1000 + i * 121); // hue = seed % 360: far apart
      const path = join(dir, name);
      await writeFile(path, bytes);
      return { name, path, bytes };
    }),
  );
}

/** Builds a DataTransfer holding one PNG inside the page (for synthetic drop and paste events). */
export function dataTransferInPage(page: Page, file: PngFixture) {
  return page.evaluateHandle(
    ({ name, base64 }) => {
      const binary = atob(base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'image/png' }));
      return dt;
    },
    { name: file.name, base64: Buffer.from(file.bytes).toString('base64') },
  );
}

/** Drops a PNG onto `target` the way the browser does: dragenter → dragover → drop. */
export async function dropFile(page: Page, target: Locator, file: PngFixture): Promise<void> {
  const dataTransfer = await dataTransferInPage(page, file);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  await dataTransfer.dispose();
}

/** Pastes a PNG onto the page (a ClipboardEvent whose clipboardData holds the file) at `document.body`. */
export async function pasteFile(page: Page, file: PngFixture): Promise<void> {
  const dataTransfer = await dataTransferInPage(page, file);
  await page.evaluate((dt) => {
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, dataTransfer);
  await dataTransfer.dispose();
}

/* -------------------------------------------------------------------------------------------------
 * Reading the page
 * -----------------------------------------------------------------------------------------------*/

/** The task rows (list "Generations"), newest first. */
export function taskRows(page: Page): Locator {
  return page.getByRole('list', { name: 'Generations' }).locator(':scope > li');
}

/** Items of the list "Reference images". */
export function referenceItems(page: Page): Locator {
  return page.getByRole('list', { name: 'Reference images' }).locator(':scope > li');
}

/** An alert (role="alert") whose text matches; empty live regions are ignored. */
export function alertWith(page: Page, text: RegExp | string): Locator {
  return page.getByRole('alert').filter({ hasText: text });
}

/** The visible phase text of the newest task ("Queued", "Generating", "Done", "Failed", "Cancelled"). */
export function phaseText(page: Page, phase: string): Locator {
  return page.locator('.gen-TaskProgress-phase').filter({ hasText: new RegExp(`^${phase}$`) });
}

/** Waits for the result image whose alt text contains `prompt` to have loaded (naturalWidth > 0). */
export async function waitForLoadedImage(page: Page, prompt: string, timeout = PATIENCE_MS): Promise<Locator> {
  const img = page.getByRole('img', { name: prompt }).first();
  await img.waitFor({ timeout });
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await img.elementHandle(), {
    timeout,
  });
  return img;
}

/** Fills the prompt, presses Generate. */
export async function generate(page: Page, prompt: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** Picks an option of a Radix combobox by clicking, like a mouse user. */
export async function chooseOption(page: Page, combobox: string, option: RegExp | string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).first().click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/* -------------------------------------------------------------------------------------------------
 * The built playground (feature gates)
 * -----------------------------------------------------------------------------------------------*/

/** Whether the built playground bundle mentions `pattern` (used to gate tests of unbuilt features). */
export function bundleMentions(pattern: RegExp): boolean {
  const dir = resolve(ROOT, 'dist-playground/assets');
  if (!existsSync(dir)) return false;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .some((f) => pattern.test(readFileSync(join(dir, f), 'utf8')));
}

/* -------------------------------------------------------------------------------------------------
 * axe-core
 * -----------------------------------------------------------------------------------------------*/

/**
 * The one documented exception, and only while a Radix Select list is open: Radix marks everything
 * outside the list `aria-hidden` (the `aria-hidden` package's `hideOthers`) and traps focus and
 * pointer events inside the list, so the hidden controls cannot be reached while it is open. axe's
 * `aria-hidden-focus` sees only that they are focusable in principle (radix-ui/primitives#3593,
 * #3822). Every other rule, colour contrast included, still runs on the open list.
 */
export const RADIX_LIST_OPEN: RunOptions = { rules: { 'aria-hidden-focus': { enabled: false } } };

const SERIOUS: readonly ImpactValue[] = ['serious', 'critical'];

let axeSourceCache: string | undefined;
function axeSource(): string {
  axeSourceCache ??= readFileSync(AXE_PATH, 'utf8');
  return axeSourceCache;
}

/** Loads axe-core into the page (once per document) and runs it; returns only serious and critical violations. */
export async function seriousViolations(page: Page, options: RunOptions = {}): Promise<Result[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol, not as an inline <script>: the playground's
  // Content-Security-Policy (script-src 'self') stays in force while axe runs.
  if (!loaded) await page.evaluate(axeSource());
  const results = await page.evaluate(
    (opts) => (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, opts),
    { resultTypes: ['violations'], ...options } as object,
  );
  return results.violations.filter((v) => v.impact && SERIOUS.includes(v.impact));
}

/** One line per failing node: rule, impact, selector and (for contrast) the colours axe measured. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((n) => {
        const data = n.any.find((c) => c.id === 'color-contrast')?.data as
          | { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string }
          | undefined;
        const colours = data?.fgColor
          ? ` fg ${data.fgColor} on bg ${data.bgColor} = ${data.contrastRatio}:1 (needs ${data.expectedContrastRatio})`
          : '';
        const html = n.html.length > 240 ? `${n.html.slice(0, 240)}…` : n.html;
        return `${v.id} [${v.impact}] ${n.target.join(' ')}${colours} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ').trim() ?? ''} — ${html}`;
      }),
    )
    .join('\n');
}

/* -------------------------------------------------------------------------------------------------
 * Misc
 * -----------------------------------------------------------------------------------------------*/

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/* -------------------------------------------------------------------------------------------------
 * Keyboard
 * -----------------------------------------------------------------------------------------------*/

/** Whether `locator`'s element has focus (false when it is not there). */
export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement).catch(() => false);
}

/**
 * Moves focus to `target` with the keyboard: Tab forwards up to `max` presses, then Shift+Tab
 * backwards; fails when neither reaches it.
 */
export async function reach(page: Page, target: Locator, max = 80): Promise<void> {
  await target.waitFor({ timeout: PATIENCE_MS });
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < max; i++) {
      if (await isFocused(target)) return;
      await page.keyboard.press(key);
    }
  }
  if (!(await isFocused(target))) throw new Error(`Tab never reached ${target}`);
}
