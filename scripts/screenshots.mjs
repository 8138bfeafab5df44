#!/usr/bin/env node
// `npm run screenshots` (node --import tsx scripts/screenshots.mjs): starts `npm start`'s server
// (playground + simulator) on a free loopback port, drives Debian Chromium through every phase of
// the kit — idle, aspect-ratio list open, with references, generating, completed, failed,
// rate-limited — in the light and the dark theme, and writes element screenshots of the compose
// and results panels plus one full page per theme to docs/screenshots/<name>-<theme>.png
// (1280×900 viewport, device scale factor 1).
//
// Issue 14's features are shot in two fresh contexts per theme (each its own storage, so its own
// prompt history, presets and learned generation times): one for the prompt history open after two
// prompts and the Save preset dialog; one for a four-image task with images still arriving, two
// images selected, the Compare images dialog, and two slow tasks running (Cancel all, Clear
// finished, an ETA learned from the slow four-image task only).
// Slow tasks use the playground's "Simulate" select (the `x-simulator-fault: slow` header, 10×
// slower) rather than a `[sim:slow]` prompt token, so the prompts stay clean here too.
//
// Issue 15's mask editor is shot in a fresh context per theme on the model gpt-image-2 (it takes a
// mask) at 4:3: a 640×480 reference drawn by the simulator's encoder, the Mask editor open over it
// with two brush strokes painted with the mouse (the whole viewport), the compose panel after Apply
// mask (the reference's mask badge, the painted area over its thumbnail, Remove mask), and the
// results panel with the masked result (the simulator tints the repainted area magenta).
//
// The failed and rate-limited phases are produced by answering the submit request in the browser
// (the simulator's 422 and 429 envelopes) instead of `[sim:…]` prompt tokens, so the pictures show
// clean prompts. Everything else is the real server and simulator.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CHROMIUM_PATH,
  chooseOption,
  launchBrowser,
  newContext,
  openPlayground,
  PATIENCE_MS,
  referenceItems,
  startPlayground,
  taskRows,
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
// The mask's reference: the third fixture's hue (1242 % 360, a green) keeps both the editor's red
// mask paint and the simulator's magenta tint readable over it (the first is a magenta itself).
const [, , photo] = await writePngFixtures(['dusk.png', 'shore.png', 'meadow.png'], 640, 480);
const written = [];

/** Saves an element screenshot of `locator` as `<name>-<theme>.png`. */
async function shoot(locator, name, theme) {
  const path = join(OUT, `${name}-${theme}.png`);
  await locator.screenshot({ path, animations: 'disabled' });
  written.push(path);
}

/** Saves a viewport clip of the union of the boxes of `locators` (a panel and a popup that may leave it). */
async function shootUnion(page, locators, name, theme) {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter(Boolean);
  if (boxes.length === 0) throw new Error(`${name}-${theme}: nothing to clip`);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const width = Math.max(...boxes.map((b) => b.x + b.width)) - x;
  const height = Math.max(...boxes.map((b) => b.y + b.height)) - y;
  const path = join(OUT, `${name}-${theme}.png`);
  await page.screenshot({ path, animations: 'disabled', clip: { x, y, width, height } });
  written.push(path);
}

/** Saves the viewport (a modal dialog over the page) as `<name>-<theme>.png`. */
async function shootViewport(page, name, theme) {
  const path = join(OUT, `${name}-${theme}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  written.push(path);
}

/** Generates `text` (the prompt filled, Generate pressed) and waits until its first image has loaded. */
async function generateAndWait(page, text) {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(text);
  await page.getByRole('button', { name: 'Generate' }).click();
  await waitForLoadedImage(page, text);
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
  await shootUnion(page, [compose, list], 'picker-open', theme);
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

/** Issue 14's features, in a fresh context (empty history, presets and learned times). */
async function captureFeatures(theme) {
  // History and the Save preset dialog: a context of their own, so the results context below
  // learns its generation times from slow tasks only (the ETA is the median of what it has seen).
  const historyContext = await newContext(browser, { reducedMotion: 'reduce', colorScheme: theme });
  try {
    const page = await openPlayground(historyContext, server.origin, { theme, poll: 250 });
    const compose = page.getByRole('region', { name: 'Compose' });

    // Prompt history: two prompts generated, then the popup open with both.
    await generateAndWait(page, 'A lighthouse on a cliff at dawn, soft watercolor');
    await generateAndWait(page, 'A red fox curled up in fresh snow, morning light');
    await page.getByRole('textbox', { name: 'Prompt' }).fill('');
    await page.getByRole('button', { name: 'Prompt history', exact: true }).click();
    const history = page.getByRole('listbox', { name: 'Prompt history' });
    await history.getByRole('option').nth(1).waitFor();
    await page.getByRole('searchbox', { name: 'Search prompts' }).waitFor();
    await shootUnion(page, [compose, page.getByRole('dialog', { name: 'Prompt history' })], 'history-open', theme);
    await page.keyboard.press('Escape');
    await history.waitFor({ state: 'detached' });

    // Save preset: the dialog open with a name typed.
    await page.getByRole('button', { name: 'Save preset', exact: true }).click();
    const saveDialog = page.getByRole('dialog', { name: 'Save preset' });
    await saveDialog.getByRole('textbox', { name: 'Preset name' }).fill('Watercolor mornings');
    await shootViewport(page, 'preset-save', theme);
    await page.keyboard.press('Escape');
    await saveDialog.waitFor({ state: 'detached' });
  } finally {
    await historyContext.close();
  }

  const context = await newContext(browser, { reducedMotion: 'reduce', colorScheme: theme });
  try {
    const page = await openPlayground(context, server.origin, { theme, poll: 250 });
    const results = page.getByRole('region', { name: 'Results' });
    const rows = taskRows(page);
    await page.getByLabel('Simulate').selectOption('slow');

    // Several images: the "Social square" preset (four 1:1 images), a slow task caught once its
    // first image has loaded and the other three are still placeholders (the next one is ~6 s away).
    await chooseOption(page, 'Preset', /Social square/);
    const several = 'Paper lanterns over a night river';
    await page.getByRole('textbox', { name: 'Prompt' }).fill(several);
    await page.getByRole('button', { name: 'Generate' }).click();
    await waitForLoadedImage(page, `Generated image 1 of 4: ${several}`, 60_000);
    await rows.first().locator('[data-state="pending"]').first().waitFor();
    await page.evaluate(() => document.activeElement?.blur());
    await shoot(results, 'results-several', theme);

    // Two of the four selected: the selection bar.
    await waitForLoadedImage(page, `Generated image 4 of 4: ${several}`, 60_000);
    for (const i of [2, 3]) await waitForLoadedImage(page, `Generated image ${i} of 4: ${several}`);
    for (const i of [1, 3]) await rows.first().getByRole('checkbox', { name: `Select image ${i}`, exact: true }).check();
    const selection = page.getByRole('group', { name: '2 selected' });
    await selection.waitFor();
    await page.evaluate(() => document.activeElement?.blur());
    await shoot(results, 'results-compare', theme);

    // The Compare images dialog, its divider moved off the middle.
    await selection.getByRole('button', { name: 'Compare', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare images' });
    const slider = dialog.getByRole('slider', { name: 'Comparison position' });
    await slider.waitFor();
    await slider.focus();
    const before = Number(await slider.inputValue());
    await page.keyboard.press('PageDown'); // 50% → 40%: the divider left of the middle
    await page.waitForFunction(([el, b]) => Number(el.value) < b, [await slider.elementHandle(), before]);
    await page.waitForFunction(() => [...document.querySelectorAll('.gen-TaskProgress-compareImage')].every((img) => img.complete && img.naturalWidth > 0));
    await shootViewport(page, 'compare-dialog', theme);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await selection.getByRole('button', { name: 'Clear selection', exact: true }).click();
    await selection.waitFor({ state: 'detached' });

    // Many jobs: two slow one-image tasks running beside the finished one. Cancel all and Clear
    // finished in the Tasks group; the ETA (learned from the slow task above) once one generates.
    await chooseOption(page, 'Number of images', /^1\b/);
    for (const text of ['A lone sailboat at sunset', 'A quiet library with tall windows']) {
      await page.getByRole('textbox', { name: 'Prompt' }).fill(text);
      await page.getByRole('button', { name: 'Generate' }).click();
    }
    const tasks = page.getByRole('group', { name: 'Tasks' });
    await tasks.getByRole('button', { name: 'Cancel all', exact: true }).waitFor();
    await tasks.getByRole('button', { name: 'Clear finished', exact: true }).waitFor();
    await rows
      .first()
      .locator('.gen-TaskProgress-eta')
      .waitFor({ timeout: 30_000 })
      .catch(() => console.warn(`screenshots: no ETA on the generating row (${theme}); shot without it`));
    // A few seconds into generating, so the bars have visibly moved.
    await page.waitForFunction(() => Number(document.querySelector('.gen-TaskProgress-bar')?.getAttribute('aria-valuenow') ?? 0) >= 15, null, { timeout: 30_000 });
    await page.evaluate(() => document.activeElement?.blur());
    await shoot(results, 'results-jobs', theme);
    await tasks.getByRole('button', { name: 'Cancel all', exact: true }).click();
  } finally {
    await context.close();
  }
}

/** Issue 15's mask editor, in a fresh context on gpt-image-2 with one 640×480 reference. */
async function captureMask(theme) {
  const context = await newContext(browser, { reducedMotion: 'reduce', colorScheme: theme });
  try {
    const page = await openPlayground(context, server.origin, { theme, poll: 250, model: 'gpt-image-2' });
    await chooseOption(page, 'Aspect ratio', /^4:3\b/); // the reference's shape, so the result's tint is not squeezed
    const compose = page.getByRole('region', { name: 'Compose' });
    const results = page.getByRole('region', { name: 'Results' });
    await page.getByLabel('Add reference images').setInputFiles(photo.path);
    const reference = referenceItems(page).first();
    await reference.getByText('Ready').waitFor({ timeout: PATIENCE_MS });

    // The Mask editor: two brush strokes over the photo, a wide sweep and a short diagonal.
    await reference.getByRole('button', { name: 'Edit mask' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mask editor' });
    await dialog.waitFor();
    const canvas = dialog.getByRole('application', { name: `Mask over ${photo.name}` }).locator('canvas');
    await canvas.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.gen-MaskEditor-image')].every((img) => img.complete && img.naturalWidth > 0), null, { timeout: PATIENCE_MS });
    const box = await canvas.boundingBox();
    if (!box) throw new Error(`mask-editor-${theme}: the mask canvas has no box`);
    const stroke = async (points) => {
      const at = ([fx, fy]) => [box.x + box.width * fx, box.y + box.height * fy];
      await page.mouse.move(...at(points[0]));
      await page.mouse.down();
      for (let i = 1; i < points.length; i++) {
        const [ax, ay] = points[i - 1];
        const [bx, by] = points[i];
        for (let s = 1; s <= 12; s++) await page.mouse.move(...at([ax + ((bx - ax) * s) / 12, ay + ((by - ay) * s) / 12]));
      }
      await page.mouse.up();
    };
    await stroke([[0.22, 0.62], [0.38, 0.55], [0.55, 0.6], [0.72, 0.52]]);
    await stroke([[0.6, 0.28], [0.7, 0.36], [0.76, 0.3]]);
    await dialog.getByRole('button', { name: 'Undo' }).and(page.locator(':enabled')).waitFor();
    await shootViewport(page, 'mask-editor', theme);

    // Applied: the reference with its mask badge, the painted area over the thumbnail, Remove mask.
    await dialog.getByRole('button', { name: 'Apply mask' }).click();
    await dialog.waitFor({ state: 'detached', timeout: PATIENCE_MS });
    await reference.getByRole('button', { name: 'Remove mask' }).waitFor({ timeout: PATIENCE_MS });
    await reference.locator('.gen-ReferenceTray-maskBadge[data-state="ready"]').waitFor({ timeout: PATIENCE_MS });
    await page.waitForFunction(() => [...document.querySelectorAll('.gen-ReferenceTray-thumb img')].every((img) => img.complete && img.naturalWidth > 0), null, { timeout: PATIENCE_MS });
    await page.evaluate(() => document.activeElement?.blur());
    await shoot(compose, 'mask-tray', theme);

    // The masked result: the repainted area tinted magenta by the simulator.
    await generateAndWait(page, 'A meadow at golden hour, a wildflower patch repainted');
    await page.evaluate(() => document.activeElement?.blur());
    await shoot(results, 'mask-result', theme);
  } finally {
    await context.close();
  }
}

try {
  for (const theme of ['light', 'dark']) {
    await capture(theme);
    await captureFeatures(theme);
    await captureMask(theme);
  }
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
