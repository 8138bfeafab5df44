/**
 * The kit against the simulator's strict profile (`SIM_PROFILE=strict npm start`): a bearer key,
 * per-model validation, no de-duplication, results and uploads on a second origin without CORS,
 * 5–30 s tasks that say `submitted` then `in_progress`, 429s with a 5–20 s `Retry-After`, and any
 * status word on request. Real Chromium through the real proxy, as a user would see it.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import {
  alertWith,
  generate,
  launchBrowser,
  openIsolated,
  phaseText,
  referenceItems,
  startPlayground,
  taskRows,
  waitForLoadedImage,
  writePngFixtures,
  type Finishable,
  type PlaygroundServer,
  type PngFixture,
} from './helpers';

/** A strict task takes up to 30 s, a 429 asks for up to 20 s, twice: wait for what a user would. */
const STRICT_PATIENCE_MS = 90_000;
/** The poll cadence these tests ask the kit for (the playground's `poll` parameter). */
const CADENCE_MS = 2000;

let server: PlaygroundServer;
let browser: Browser;
let files: PngFixture[];

beforeAll(async () => {
  [server, browser, files] = await Promise.all([
    startPlayground({ SIM_PROFILE: 'strict', SIM_SEED: '11' }),
    launchBrowser(),
    writePngFixtures(['alpha.png', 'bravo.png']),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(test: Finishable, params: Record<string, string | number> = {}): Promise<Page> {
  return (await openIsolated(browser, server.origin, test, { poll: CADENCE_MS, ...params })).page;
}

describe.concurrent('against the strict simulator profile', () => {
  it('the server says which profile runs', () => {
    expect(server.output()).toMatch(/Simulator profile: strict/);
  });

  it('references upload, the task runs submitted → in progress → done, and the image comes from the file host (another origin)', async (t) => {
    const page = await open(t);
    await page.getByLabel('Add reference images').setInputFiles(files.map((f) => f.path));
    await t.expect.poll(() => referenceItems(page).filter({ hasText: 'Ready' }).count(), { timeout: STRICT_PATIENCE_MS }).toBe(2);
    const prompt = 'A lighthouse in fog, strict profile';
    const submitted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/v1/images/generations');
    await generate(page, prompt);
    const body = (await submitted).postDataJSON() as { image_urls?: string[] };
    expect(body.image_urls).toHaveLength(2);
    for (const url of body.image_urls ?? []) expect(new URL(url).origin).not.toBe(server.origin);
    await page.getByRole('progressbar', { name: 'Generation progress' }).waitFor();
    const img = await waitForLoadedImage(page, prompt, STRICT_PATIENCE_MS);
    await phaseText(page, 'Done').waitFor();
    const src = (await img.getAttribute('src')) ?? '';
    expect(new URL(src).origin).not.toBe(server.origin); // served by the second origin, without CORS
    expect(await page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe(prompt);
    expect(await taskRows(page).count()).toBe(1);
    await page.getByText(/Result expires in 2[34] h/).waitFor();

    // Download: the file host sends no CORS headers, so the kit falls back to the proxy's
    // owner-only download route, and the browser saves a file named from the prompt and task.
    const routeHits: string[] = [];
    page.on('request', (r) => {
      if (/\/v1\/images\/generations\/[^/]+\/images\/1/.test(new URL(r.url()).pathname)) routeHits.push(r.url());
    });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: STRICT_PATIENCE_MS }),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    const saved = await readFile((await download.path())!);
    expect(saved.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(download.suggestedFilename()).toMatch(/^a-lighthouse-in-fog-strict-profile-.+-1\.png$/);
    expect(routeHits.length).toBe(1);
  });

  it('a status the docs do not list (cancelled) ends the task with its own message, not a spinner', async (t) => {
    const page = await open(t);
    const prompt = 'A red kite [sim:status=cancelled]';
    await generate(page, prompt);
    await alertWith(page, /cancelled/).waitFor({ timeout: STRICT_PATIENCE_MS });
    expect(await page.getByRole('progressbar', { name: 'Generation progress' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Copy details' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe(prompt);
  });

  it('polls rate limited with a 5–20 s Retry-After: the row counts down, and no read comes sooner than the server asked or the cadence', async (t) => {
    const page = await open(t);
    // Plain polling (as against a backend without the event stream), and the 429s only on status
    // reads: the header selects the fault for those requests alone, so the submit goes through.
    await page.route('**/v1/capabilities', (route) => route.fulfill({ status: 404, body: '' }));
    await page.route(/\/v1\/images\/generations\/[^/]+$/, (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-simulator-fault': 'rate_limit' } }),
    );
    const reads: Array<{ at: number; status: number; retryAfterMs: number }> = [];
    page.on('response', (r) => {
      if (r.request().method() !== 'GET' || !/\/v1\/images\/generations\/[^/]+$/.test(new URL(r.url()).pathname)) return;
      reads.push({ at: Date.now(), status: r.status(), retryAfterMs: Number(r.headers()['retry-after'] ?? 0) * 1000 });
    });
    const prompt = 'A windmill at noon, rate limited';
    await generate(page, prompt);
    await page.getByText(/Rate limited/).first().waitFor({ timeout: STRICT_PATIENCE_MS });
    await waitForLoadedImage(page, prompt, STRICT_PATIENCE_MS);
    await phaseText(page, 'Done').waitFor();

    const limited = reads.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const r of limited) expect(r.retryAfterMs).toBeGreaterThanOrEqual(5000);
    const gaps = reads.slice(1).map((r, i) => ({ gap: r.at - reads[i]!.at, after: reads[i]! }));
    for (const { gap, after } of gaps) {
      expect(gap).toBeGreaterThanOrEqual(CADENCE_MS * 0.9); // never faster than the cadence (less jitter)
      if (after.status === 429) expect(gap).toBeGreaterThanOrEqual(after.retryAfterMs - 250);
    }
    // For the closing note: the gaps, in seconds, with the status that preceded each.
    console.log(`[strict] poll gaps after 429: ${gaps.filter((g) => g.after.status === 429).map((g) => `${(g.gap / 1000).toFixed(2)} s (Retry-After ${g.after.retryAfterMs / 1000} s)`).join(', ')}; all gaps: ${gaps.map((g) => (g.gap / 1000).toFixed(2)).join(' / ')}`);
  });
});

describe('strict profile with results that expire after 12 s (SIM_RESULT_TTL=12)', () => {
  let shortLived: PlaygroundServer;
  beforeAll(async () => {
    shortLived = await startPlayground({ SIM_PROFILE: 'strict', SIM_SEED: '12', SIM_RESULT_TTL: '12' });
  });
  afterAll(async () => {
    await shortLived?.stop();
  });

  it('a result shows when it expires, then turns into a clear text with no image and no "Use as reference"; still so after a reload', async (t) => {
    const { page } = await openIsolated(browser, shortLived.origin, t, { poll: CADENCE_MS });
    const prompt = 'A paper lantern, short-lived';
    await generate(page, prompt);
    await waitForLoadedImage(page, prompt, STRICT_PATIENCE_MS);
    await page.getByText(/Result expires in 1 min/).waitFor();
    await page.getByRole('button', { name: 'Use as reference' }).waitFor();
    const expired = page.getByText(/has expired/);
    await expired.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('img', { name: prompt }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Use as reference' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Download' }).count()).toBe(0);
    await page.reload();
    await taskRows(page).first().waitFor();
    await expired.waitFor();
    expect(await page.getByRole('img', { name: prompt }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Use as reference' }).count()).toBe(0);
  });
});
