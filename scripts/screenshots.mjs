#!/usr/bin/env node
// `npm run screenshots` (node --import tsx scripts/screenshots.mjs): starts `npm start`'s server
// (playground + simulator) on a free loopback port, drives Debian Chromium through every phase of
// the kit — idle, aspect-ratio list open, with references, generating, completed, failed,
// rate-limited — in the light and the dark theme, and writes element screenshots of the compose
// and results panels plus one full page per theme to docs/screenshots/<name>-<theme>.png
// (1280×900 viewport, device scale factor 1).
//
// The failed and rate-limited phases are produced by answering the submit request in the browser
// (the simulator's 422 and 429 envelopes) instead of `[sim:…]` prompt tokens, so the pictures show
// clean prompts. Everything else is the real server and simulator.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CHROMIUM_PATH,
  launchBrowser,
  newContext,
  openPlayground,
  referenceItems,
  startPlayground,
  waitForLoadedImage,
  writePngFixtures,
} from '../test/e2e/helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'docs/screenshots');
const SUBMIT = '**/v1/images/generations';

if (!existsSync(CHROMIUM_PATH)) {
  console.error(`screenshots: ${CHROMIUM_PATH} not found. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}

await mkdir(OUT, { recursive: true });
for (const f of await readdir(OUT)) if (f.endsWith('.png')) await rm(join(OUT, f));

const started = Date.now();
const server = await startPlayground({ NO_BUILD: '0', SIM_SEED: '42' }, 120_000);
const browser = await launchBrowser();
const files = await writePngFixtures(['harbour.png', 'dunes.png', 'forest.png'], 480, 320);
const written = [];

/** Saves an element screenshot of `locator` as `<name>-<theme>.png`. */
async function shoot(locator, name, theme) {
  const path = join(OUT, `${name}-${theme}.png`);
  await locator.screenshot({ path, animations: 'disabled' });
  written.push(path);
}

async function capture(theme) {
  const context = await newContext(browser, { reducedMotion: 'reduce', colorScheme: theme });
  const page = await openPlayground(context, server.origin, { theme, poll: 250 });
  const compose = page.getByRole('region', { name: 'Compose' });
  const results = page.getByRole('region', { name: 'Results' });
  const prompt = page.getByRole('textbox', { name: 'Prompt' });

  // Idle.
  await shoot(compose, 'compose-idle', theme);
  await shoot(results, 'results-idle', theme);

  // The aspect-ratio list open (a portal: clip the union of the panel and the list).
  await prompt.fill('A lighthouse on a cliff at dawn, soft watercolor');
  await page.getByRole('combobox', { name: 'Aspect ratio' }).click();
  const list = page.getByRole('listbox');
  await list.waitFor();
  await page.getByRole('option', { name: /16:9/ }).hover();
  const a = await compose.boundingBox();
  const b = await list.boundingBox();
  if (a && b) {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    const path = join(OUT, `picker-open-${theme}.png`);
    await page.screenshot({
      path,
      animations: 'disabled',
      clip: { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y },
    });
    written.push(path);
  }
  await page.getByRole('option', { name: /16:9/ }).click();
  await list.waitFor({ state: 'detached' });

  // With references: two uploaded, the third still uploading (held on the wire).
  await page.getByLabel('Add reference images').setInputFiles([files[0].path, files[1].path]);
  await referenceItems(page).filter({ hasText: 'Ready' }).nth(1).waitFor();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/v1/uploads/images', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByLabel('Add reference images').setInputFiles(files[2].path);
  await referenceItems(page).nth(2).and(page.locator('[data-state="uploading"]')).waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await shoot(compose, 'compose-references', theme);
  release();
  await referenceItems(page).filter({ hasText: 'Ready' }).nth(2).waitFor();
  await page.unroute('**/v1/uploads/images');

  // Generating: caught once the bar is past a quarter.
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.gen-TaskProgress-bar')?.getAttribute('aria-valuenow') ?? 0) >= 25);
  await shoot(results, 'results-generating', theme);

  // Completed, and the whole page.
  await waitForLoadedImage(page, 'A lighthouse on a cliff at dawn');
  await page.evaluate(() => document.activeElement?.blur());
  await shoot(results, 'results-completed', theme);
  const full = join(OUT, `full-${theme}.png`);
  await page.screenshot({ path: full, fullPage: true, animations: 'disabled' });
  written.push(full);

  // Failed: the content-policy refusal.
  await page.route(SUBMIT, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'content_policy_violation',
              type: 'invalid_request_error',
              message: 'Your request was rejected by the safety system. Change the prompt or the reference images and try again.',
            },
          }),
        })
      : route.continue(),
  );
  await prompt.fill('A crowded night market, neon signs in the rain');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('alert').filter({ hasText: 'Change the prompt' }).waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await shoot(results, 'results-failed', theme);
  await page.unroute(SUBMIT);

  // Rate-limited: two 429s with Retry-After before the submit goes through.
  let limited = 0;
  await page.route(SUBMIT, (route) => {
    if (route.request().method() !== 'POST' || limited >= 2) return route.continue();
    limited++;
    return route.fulfill({
      status: 429,
      headers: { 'Retry-After': '4' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'Too many task submissions; slow down' } }),
    });
  });
  await prompt.fill('A paper boat on a still pond');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByText(/Rate limited/).first().waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await shoot(results, 'results-rate-limited', theme);
  await page.unroute(SUBMIT);

  await context.close();
}

try {
  for (const theme of ['light', 'dark']) await capture(theme);
} finally {
  await browser.close();
  await server.stop();
}

let total = 0;
for (const path of written) {
  const { size } = await stat(path);
  total += size;
  console.log(`${path.slice(ROOT.length + 1)}  ${(size / 1024).toFixed(0)} kB`);
}
console.log(`${written.length} screenshots, ${(total / 1024 / 1024).toFixed(2)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
