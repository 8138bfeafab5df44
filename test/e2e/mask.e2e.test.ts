/**
 * Issue 15 in real Chromium against the playground's simulator, model gpt-image-2: one mask painted
 * with the pointer, one made with the keyboard alone (Rectangle tool: arrows, Shift+arrows, Enter).
 * Each is applied, uploaded and sent as `mask_url`; the test decodes the uploaded PNG (the
 * reference's pixel size, transparent where painted, opaque elsewhere) and the result image (the
 * simulator tints what the mask repaints), and runs axe with the editor open.
 */
import { inflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import {
  describeViolations,
  errorsOf,
  launchBrowser,
  openIsolated,
  PATIENCE_MS,
  reach,
  referenceItems,
  seriousViolations,
  startPlayground,
  writePngFixtures,
  type PlaygroundServer,
  type PngFixture,
} from './helpers';

let server: PlaygroundServer;
let browser: Browser;
let photo: PngFixture;
const WIDTH = 320;
const HEIGHT = 240;

beforeAll(async () => {
  let files: PngFixture[];
  [server, browser, files] = await Promise.all([startPlayground(), launchBrowser(), writePngFixtures(['photo.png'], WIDTH, HEIGHT)]);
  photo = files[0]!;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/* -------------------------------------------------------------------------------------------------
 * PNG reading (8-bit RGB / RGBA, as the kit and the simulator write them)
 * -----------------------------------------------------------------------------------------------*/

interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

function decodePng(png: Buffer): Pixels {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8], 'bit depth').toBe(8);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[body[9]!] ?? 0;
      expect(channels, `colour type ${body[9]}`).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? data[y * stride + x - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, pr][filter]!;
      data[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, channels, data };
}

const pixel = (p: Pixels, fx: number, fy: number) => {
  const i = (Math.min(p.height - 1, Math.floor(fy * p.height)) * p.width + Math.min(p.width - 1, Math.floor(fx * p.width))) * p.channels;
  return [...p.data.subarray(i, i + p.channels)];
};
const alphaAt = (p: Pixels, fx: number, fy: number) => pixel(p, fx, fy)[p.channels - 1]!;
const transparentShare = (p: Pixels) => {
  let n = 0;
  for (let i = p.channels - 1; i < p.data.length; i += p.channels) if (p.data[i] === 0) n++;
  return n / (p.width * p.height);
};
/** The simulator's mask tint is a strong magenta: red and blue well above green. */
const tinted = ([r, g, b]: number[]) => r! - g! > 80 && b! - g! > 60;

/* -------------------------------------------------------------------------------------------------
 * Page helpers
 * -----------------------------------------------------------------------------------------------*/


/** The playground on gpt-image-2 with one ready reference of WIDTH×HEIGHT. */
async function withReference(t: { onTestFinished(fn: () => unknown): void }): Promise<Page> {
  const { page } = await openIsolated(browser, server.origin, t, { model: 'gpt-image-2', poll: 250 }, { reducedMotion: 'reduce' });
  await page.getByLabel('Add reference images').setInputFiles(photo.path);
  await referenceItems(page).first().getByText('Ready').waitFor({ timeout: PATIENCE_MS });
  return page;
}

/**
 * Resolves with the next upload (the mask: the reference was uploaded before) — its URL, and the PNG
 * read back from that URL and decoded. (A multipart body built from a Blob is not visible to the
 * test, so the file is read from where the backend keeps it.)
 */
async function nextMaskUpload(page: Page): Promise<{ mask: Pixels; url: string }> {
  const response = await page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/v1/uploads/images'), { timeout: PATIENCE_MS });
  const { data } = (await response.json()) as { data: { url: string } };
  const url = data.url;
  const file = await page.request.get(url);
  expect(file.ok()).toBe(true);
  return { mask: decodePng(await file.body()), url };
}

/** Generates with the prompt; resolves with the submit body and the first result image decoded. */
async function generateWithMask(page: Page, prompt: string): Promise<{ body: Record<string, unknown>; result: Pixels }> {
  const submitted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/v1/images/generations'), { timeout: PATIENCE_MS });
  const textbox = page.getByRole('textbox', { name: 'Prompt' });
  await reach(page, textbox);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(prompt);
  await page.keyboard.press('Control+Enter');
  const body = JSON.parse((await submitted).postData() ?? '{}') as Record<string, unknown>;
  const img = page.getByRole('img', { name: prompt }).first();
  await img.waitFor({ timeout: PATIENCE_MS });
  const src = await img.getAttribute('src');
  const response = await page.request.get(new URL(src!, page.url()).href);
  return { body, result: decodePng(await response.body()) };
}

async function expectAxeClean(page: Page, phase: string): Promise<void> {
  expect(describeViolations(await seriousViolations(page)), `serious/critical axe violations with ${phase}`).toBe('');
}

/* -------------------------------------------------------------------------------------------------
 * The two ways to make a mask
 * -----------------------------------------------------------------------------------------------*/

describe('mask editor (gpt-image-2, simulator)', () => {
  it('a mask painted with the pointer is uploaded at the reference size, sent as mask_url, and repaints only where painted', async (t) => {
    const page = await withReference(t);
    await page.getByRole('button', { name: 'Edit mask' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mask editor' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('button', { name: 'Brush' }).getAttribute('aria-pressed')).toBe('true');
    await expectAxeClean(page, 'the Mask editor open');

    // A thick horizontal stroke through the middle.
    const surface = dialog.getByRole('application', { name: 'Mask over photo.png' });
    await surface.locator('canvas').waitFor();
    const box = (await surface.locator('canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.5);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width * (0.25 + (0.5 * i) / 20), box.y + box.height * 0.5);
    await page.mouse.up();

    const upload = nextMaskUpload(page);
    await dialog.getByRole('button', { name: 'Apply mask' }).click();
    const { mask, url } = await upload;
    await dialog.waitFor({ state: 'detached' });
    expect([mask.width, mask.height]).toEqual([WIDTH, HEIGHT]);
    expect(mask.channels).toBe(4);
    expect(alphaAt(mask, 0.5, 0.5)).toBe(0); // painted: repaint here
    expect(alphaAt(mask, 0.05, 0.05)).toBe(255); // untouched: keep
    expect(transparentShare(mask)).toBeGreaterThan(0.01);
    expect(transparentShare(mask)).toBeLessThan(0.5);
    await page.getByRole('button', { name: 'Remove mask' }).waitFor();

    const { body, result } = await generateWithMask(page, 'A lighthouse, repainted in the middle');
    expect(body.mask_url).toBe(url);
    expect(tinted(pixel(result, 0.5, 0.5))).toBe(true);
    expect(tinted(pixel(result, 0.05, 0.05))).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });

  it('a mask made by keyboard alone (Rectangle: arrows, Shift+arrows, Enter) is applied and sent', async (t) => {
    const page = await withReference(t);
    await reach(page, page.getByRole('button', { name: 'Edit mask' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Mask editor' });
    await dialog.waitFor();
    await page.keyboard.press('r');
    await expect.poll(() => dialog.getByRole('button', { name: 'Rectangle' }).getAttribute('aria-pressed')).toBe('true');
    const surface = dialog.getByRole('application', { name: 'Mask over photo.png' });
    await reach(page, surface, 30);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getAttribute('data-state')).toBe('painted');
    await expectAxeClean(page, 'the Mask editor open with a rectangle painted');

    const upload = nextMaskUpload(page);
    await reach(page, dialog.getByRole('button', { name: 'Apply mask' }), 30);
    await page.keyboard.press('Enter');
    const { mask, url } = await upload;
    expect([mask.width, mask.height]).toEqual([WIDTH, HEIGHT]);
    const share = transparentShare(mask);
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.9);
    expect(alphaAt(mask, 0.01, 0.99)).toBe(255);

    const { body, result } = await generateWithMask(page, 'A harbour, one rectangle repainted');
    expect(body.mask_url).toBe(url);
    // Somewhere the result is tinted, and not everywhere.
    const samples = Array.from({ length: 15 }, (_, y) => Array.from({ length: 15 }, (_, x) => tinted(pixel(result, (x + 0.5) / 15, (y + 0.5) / 15)))).flat();
    expect(samples.some(Boolean)).toBe(true);
    expect(samples.every(Boolean)).toBe(false);
    expect(errorsOf(page)).toEqual([]);
  });
});
