/**
 * Every simulator fault, injected as a user could (a `[sim:<fault>]` token in the prompt, or the
 * playground's "Simulate" select, which sends `x-simulator-fault` on every request), through the
 * real proxy, in real Chromium. Each test checks what the user sees and that the prompt survived.
 */
import type { Browser, Page } from 'playwright-core';
import {
  alertWith,
  generate,
  launchBrowser,
  openIsolated,
  type Finishable,
  phaseText,
  referenceItems,
  sleep,
  startPlayground,
  taskRows,
  waitForLoadedImage,
  writePngFixtures,
  type PlaygroundServer,
  type PngFixture,
  PATIENCE_MS,
} from './helpers';

let server: PlaygroundServer;
let browser: Browser;
let files: PngFixture[];

beforeAll(async () => {
  [server, browser, files] = await Promise.all([startPlayground(), launchBrowser(), writePngFixtures(['ref.png'])]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh context (own visitor identity at the proxy) per test; closed when the test ends. */
async function open(test: Finishable): Promise<Page> {
  return (await openIsolated(browser, server.origin, test, { poll: 250 })).page;
}

async function promptValue(page: Page): Promise<string> {
  return page.getByRole('textbox', { name: 'Prompt' }).inputValue();
}

/** Submits `prompt`, waits for an alert matching `text`, checks the prompt is still there. */
async function expectAlert(test: Finishable, prompt: string, text: RegExp): Promise<Page> {
  const page = await open(test);
  await generate(page, prompt);
  await alertWith(page, text).waitFor({ timeout: PATIENCE_MS });
  expect(await promptValue(page)).toBe(prompt);
  expect(await page.getByRole('img', { name: prompt }).count()).toBe(0);
  return page;
}

/** Submits `prompt` and waits until its image has loaded and the row says Done. */
async function expectDone(page: Page, prompt: string): Promise<void> {
  await waitForLoadedImage(page, prompt, PATIENCE_MS);
  await phaseText(page, 'Done').waitFor();
  expect(await promptValue(page)).toBe(prompt);
}

// Concurrent: each test has its own browser context, and most of a test is waiting for the
// simulator's task timeline (about 3 s) or the kit's backoff, not CPU.
describe.concurrent('simulator faults through the real proxy', () => {
  describe('errors the user can act on', () => {
    it('auth: says the backend rejected the credentials', async (t) => {
      await expectAlert(t, 'A red fox [sim:auth]', /rejected the credentials/);
    });

    it('content_policy: asks to change the prompt', async (t) => {
      await expectAlert(t, 'A red fox [sim:content_policy]', /Change the prompt/);
    });

    it('quota: says the account has run out of credit', async (t) => {
      await expectAlert(t, 'A red fox [sim:quota]', /run out of credit/);
    });

    it('bad_request: shows the refusal in an alert', async (t) => {
      await expectAlert(t, 'A red fox [sim:bad_request]', /not accepted|Unsupported aspect ratio/);
    });

    it('not_found: says the task could not be found', async (t) => {
      await expectAlert(t, 'A red fox [sim:not_found]', /could not be found/);
    });

    it('task_failed: alert, and Retry starts a new attempt (which fails again while the fault is in the prompt)', async (t) => {
      const prompt = 'A red fox [sim:task_failed]';
      const page = await expectAlert(t, prompt, /could not be generated/);
      // Submits that created a task. (Another test's simulated rate limit pauses all of the proxy's
      // submits for a second; a submit refused by that pause is retried by the kit and creates none.)
      let submits = 0;
      page.on('response', (r) => {
        if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/images/generations' && r.status() === 200) submits++;
      });
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByRole('progressbar', { name: 'Generation progress' }).waitFor();
      expect(await alertWith(page, /could not be generated/).count()).toBe(0); // the old error is gone while it runs
      await alertWith(page, /could not be generated/).waitFor({ timeout: PATIENCE_MS });
      expect(submits).toBe(1);
      expect(await taskRows(page).count()).toBe(1); // the same row, retried
    });

    it('task_failed via "Simulate": Retry after the fault is switched off completes the task', async (t) => {
      const page = await open(t);
      const prompt = 'A blue heron';
      await page.getByLabel('Simulate').selectOption('task_failed');
      await generate(page, prompt);
      await alertWith(page, /could not be generated/).waitFor({ timeout: PATIENCE_MS });
      expect(await promptValue(page)).toBe(prompt);
      await page.getByLabel('Simulate').selectOption('');
      await page.getByRole('button', { name: 'Retry' }).click();
      await expectDone(page, prompt);
      expect(await alertWith(page, /could not be generated/).count()).toBe(0);
      expect(await taskRows(page).count()).toBe(1);
    });
  });

  describe('faults the kit rides out', () => {
    it('rate_limit: shows "Rate limited" while waiting, then completes', async (t) => {
      const page = await open(t);
      const prompt = 'A red fox [sim:rate_limit]';
      await generate(page, prompt);
      await page.getByText(/Rate limited/).first().waitFor({ timeout: PATIENCE_MS });
      await expectDone(page, prompt);
      expect(await page.getByText(/Rate limited/).count()).toBe(0); // the countdown is gone once done
      expect(await taskRows(page).count()).toBe(1);
    });

    for (const fault of ['server_error', 'drop_poll', 'garbled'] as const) {
      it(`${fault}: eventually completes without an error`, async (t) => {
        const page = await open(t);
        const prompt = `A red fox [sim:${fault}]`;
        await generate(page, prompt);
        await expectDone(page, prompt);
        expect(await taskRows(page).first().getByRole('alert').count()).toBe(0);
      });
    }

    it('lost_submit: the lost response is recovered, Done, and only one task exists', async (t) => {
      const page = await open(t);
      const prompt = 'A red fox [sim:lost_submit]';
      await generate(page, prompt);
      await expectDone(page, prompt);
      expect(await taskRows(page).count()).toBe(1);
      expect(await page.getByRole('img', { name: prompt }).count()).toBe(1);
    });

    it('slow: still running after a few seconds; Cancel → "Cancelled"', async (t) => {
      const page = await open(t);
      const prompt = 'A red fox [sim:slow]';
      await generate(page, prompt);
      await page.getByRole('progressbar', { name: 'Generation progress' }).waitFor();
      await sleep(3000);
      expect(await page.getByRole('progressbar', { name: 'Generation progress' }).count()).toBe(1);
      expect(await phaseText(page, 'Done').count()).toBe(0);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await phaseText(page, 'Cancelled').waitFor();
      expect(await promptValue(page)).toBe(prompt);
    });
  });

  describe('reference uploads', () => {
    it('upload_rejected via "Simulate": the reference shows the error and "Retry upload" recovers it', async (t) => {
      const page = await open(t);
      await page.getByRole('textbox', { name: 'Prompt' }).fill('Keep me');
      await page.getByLabel('Simulate').selectOption('upload_rejected');
      await page.getByLabel('Add reference images').setInputFiles(files[0]!.path);
      const item = referenceItems(page).filter({ hasText: 'ref.png' });
      await item.getByText('Upload failed').waitFor({ timeout: PATIENCE_MS });
      expect(await item.innerText()).toContain('rejected');
      const retry = page.getByRole('button', { name: /^Retry upload/ });
      await retry.waitFor();
      expect(await promptValue(page)).toBe('Keep me');

      await page.getByLabel('Simulate').selectOption('');
      await retry.click();
      await item.getByText('Ready').waitFor({ timeout: PATIENCE_MS });
      expect(await page.getByRole('button', { name: /^Retry upload/ }).count()).toBe(0);
      expect(await item.getAttribute('data-state')).toBe('ready');
    });
  });
});
