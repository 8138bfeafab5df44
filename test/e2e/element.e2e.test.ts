/**
 * `<toapis-image-generator>` in real Chromium on a plain HTML page (playground/element.html: no
 * bundler, no React on the page, only `<script type="module" src="/element.js">` and two tags),
 * against the simulator behind `npm start`. Playwright's role queries pierce the open shadow roots,
 * so the element is driven by the same roles and names as the React components.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import {
  describeViolations,
  errorsOf,
  launchBrowser,
  newContext,
  PATIENCE_MS,
  RADIX_LIST_OPEN,
  seriousViolations,
  sleep,
  startPlayground,
  trackPageErrors,
  type Finishable,
  type PlaygroundServer,
} from './helpers';

let server: PlaygroundServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startPlayground(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openElementPage(test: Finishable, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await newContext(browser, { viewport, reducedMotion: 'reduce' });
  test.onTestFinished(() => context.close());
  const page = await context.newPage();
  trackPageErrors(page);
  await page.goto(`${server.origin}/element.html`);
  await page.locator('#first').getByRole('textbox', { name: 'Prompt' }).waitFor({ timeout: PATIENCE_MS });
  await page.locator('#second').getByRole('textbox', { name: 'Prompt' }).waitFor({ timeout: PATIENCE_MS });
  // Every element event the page receives, as the page's own listener sees it.
  await page.evaluate(() => {
    const seen: { type: string; id: string; bubbles: boolean; composed: boolean; images: number; prompt: string }[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    for (const type of ['generate', 'taskcomplete', 'taskerror']) {
      window.addEventListener(type, (e) => {
        const ev = e as CustomEvent<{ images?: unknown[]; prompt?: string; task?: { prompt?: string } }>;
        seen.push({
          type,
          id: (ev.target as HTMLElement).id,
          bubbles: ev.bubbles,
          composed: ev.composed,
          images: ev.detail.images?.length ?? 0,
          prompt: ev.detail.prompt ?? ev.detail.task?.prompt ?? '',
        });
      });
    }
  });
  return page;
}

const seen = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: { type: string; id: string; bubbles: boolean; composed: boolean; images: number; prompt: string }[] }).seen);

/** Whether `locator`'s element has focus, through shadow roots. */
async function hasFocus(locator: Locator): Promise<boolean> {
  return locator
    .evaluate((el) => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return el === active;
    })
    .catch(() => false);
}

/** Tab (forwards) until `target` has focus. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await target.waitFor({ timeout: PATIENCE_MS });
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

async function waitForImage(scope: Locator, page: Page, prompt: string): Promise<void> {
  const img = scope.getByRole('img', { name: prompt }).first();
  await img.waitFor({ timeout: PATIENCE_MS });
  await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await img.elementHandle(), {
    timeout: PATIENCE_MS,
  });
}

describe('<toapis-image-generator> on a plain HTML page', () => {
  it('generates with the keyboard alone, picks an aspect ratio, shows the image and tells the page', async (test) => {
    const page = await openElementPage(test);
    const first = page.locator('#first');
    expect(await page.evaluate(() => 'React' in window || document.querySelector('script:not([src$="/element.js"])') !== null)).toBe(false);

    await tabTo(page, first.getByRole('textbox', { name: 'Prompt' }));
    await page.keyboard.type('a lighthouse at dusk');

    const ratio = first.getByRole('combobox', { name: 'Aspect ratio' });
    await tabTo(page, ratio);
    const before = await ratio.textContent();
    await page.keyboard.press('Enter');
    const listbox = first.getByRole('listbox');
    await listbox.waitFor({ timeout: PATIENCE_MS });
    // The popup is portalled into the element's shadow root, not into document.body.
    expect(await page.evaluate(() => document.body.querySelector('[role="listbox"]') === null)).toBe(true);
    expect(describeViolations(await seriousViolations(page, RADIX_LIST_OPEN)), 'axe with the list open').toBe('');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await listbox.waitFor({ state: 'detached', timeout: PATIENCE_MS });
    expect(await ratio.textContent()).not.toBe(before);
    expect(await hasFocus(ratio)).toBe(true); // focus returns to the trigger inside the shadow root

    await tabTo(page, first.getByRole('button', { name: 'Generate' }));
    await page.keyboard.press('Enter');
    await waitForImage(first, page, 'a lighthouse at dusk');
    await expect.poll(async () => (await seen(page)).map((e) => `${e.type}@${e.id}`), { timeout: PATIENCE_MS }).toEqual(['generate@first', 'taskcomplete@first']);
    const events = await seen(page);
    expect(events.every((e) => e.bubbles && e.composed)).toBe(true);
    expect(events[1]!.images).toBeGreaterThan(0);
    // The second element was not touched.
    expect(await page.locator('#second').getByRole('list', { name: 'Generations' }).count()).toBe(0);

    expect(describeViolations(await seriousViolations(page)), 'axe after the result').toBe('');
    expect(errorsOf(page)).toEqual([]);
  });

  it('changes lang and theme live; ::part() and --gen-* from the page apply', async (test) => {
    const page = await openElementPage(test);
    const first = page.locator('#first');
    await page.evaluate(() => document.getElementById('first')!.setAttribute('lang', 'ja'));
    await first.getByRole('textbox', { name: 'プロンプト' }).waitFor({ timeout: PATIENCE_MS });
    await first.getByRole('button', { name: '生成' }).waitFor();

    // The host paints the theme's background; the tokens inherit into the shadow tree.
    const bg = () => first.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await bg()).toBe('rgb(255, 255, 255)');
    // The tokens reach the page as an adopted sheet: no <style> element (a CSP without 'unsafe-inline' styles holds).
    expect(await page.evaluate(() => document.querySelectorAll('style').length)).toBe(0);
    await page.evaluate(() => document.getElementById('first')!.setAttribute('theme', 'dark'));
    await expect.poll(bg).toBe('rgb(17, 19, 24)');
    const fieldBg = await first.getByRole('textbox', { name: 'プロンプト' }).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(fieldBg).not.toBe('rgb(255, 255, 255)');
    // The second element is dark from its attribute; a page rule on the element wins over the theme.
    await page.addStyleTag({ content: '#second { --gen-color-accent: rgb(250, 204, 21); }' });
    const accent = await page
      .locator('#second')
      .getByRole('button', { name: 'Generate' })
      .evaluate((el) => getComputedStyle(el).getPropertyValue('--gen-color-accent').trim());
    expect(accent).toBe('rgb(250, 204, 21)');
    // The page's ::part(prompt-form) rule (playground/element-page.css) styles the region.
    const border = await page.evaluate(() => {
      const part = document.getElementById('first')!.shadowRoot!.querySelector('[part="prompt-form"]')!;
      return getComputedStyle(part).borderLeftWidth;
    });
    expect(border).toBe('3px');
    expect(describeViolations(await seriousViolations(page)), 'axe in ja, dark').toBe('');
  });

  it('fits a 320 px viewport without horizontal scrolling', async (test) => {
    const page = await openElementPage(test, { width: 320, height: 700 });
    await sleep(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('runs two elements side by side; removing one mid-task stops its status requests, adding it back resumes', async (test) => {
    const page = await openElementPage(test);
    const first = page.locator('#first');
    const second = page.locator('#second');
    // Status reads and update streams of the tasks (GET /v1/images/generations/{id}[/events]).
    let statusReads = 0;
    let openStreams = 0;
    const isStatus = (url: string) => /\/v1\/images\/generations\/[^/]+(\/events)?$/.test(new URL(url).pathname);
    page.on('request', (req) => {
      if (req.method() === 'GET' && isStatus(req.url())) {
        statusReads += 1;
        if (req.url().endsWith('/events')) openStreams += 1;
      }
    });
    const ended = (req: { url(): string; method(): string }) => {
      if (req.method() === 'GET' && isStatus(req.url()) && req.url().endsWith('/events')) openStreams -= 1;
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    // Slow tasks on the first element, so one is still running when it is removed.
    await page.evaluate(() => {
      (document.getElementById('first') as unknown as { headers: Record<string, string> }).headers = { 'x-simulator-fault': 'slow' };
    });
    await first.getByRole('textbox', { name: 'Prompt' }).fill('a slow one');
    await first.getByRole('button', { name: 'Generate' }).click();
    await second.getByRole('textbox', { name: 'Prompt' }).fill('a quick one');
    await second.getByRole('button', { name: 'Generate' }).click();
    await waitForImage(second, page, 'a quick one');
    expect(await first.getByRole('img', { name: 'a quick one' }).count()).toBe(0);

    await expect.poll(() => statusReads, { timeout: PATIENCE_MS }).toBeGreaterThan(0);
    await page.evaluate(() => {
      const el = document.getElementById('first')!;
      (window as unknown as { parked: Element }).parked = el;
      el.remove();
    });
    await sleep(300); // a read already in flight may still be reported
    const afterRemove = statusReads;
    await sleep(2500); // the poll interval is 500 ms
    expect(statusReads).toBe(afterRemove);
    expect(openStreams).toBeLessThanOrEqual(0); // the first element's stream was closed

    await page.evaluate(() => document.querySelector('section[aria-label="First generator"]')!.append((window as unknown as { parked: Element }).parked));
    await first.getByRole('textbox', { name: 'Prompt' }).waitFor({ timeout: PATIENCE_MS });
    await first.getByRole('list', { name: 'Generations' }).waitFor({ timeout: PATIENCE_MS });
    await expect.poll(() => statusReads, { timeout: PATIENCE_MS }).toBeGreaterThan(afterRemove);
    expect(errorsOf(page)).toEqual([]);
  });
});
