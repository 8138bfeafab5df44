/**
 * The kit works under a strict Content-Security-Policy: no inline script, no eval. The playground
 * is served with `script-src 'self'` (server/dev.ts); a whole generation with references must
 * raise no violation at all.
 */
import type { Browser } from 'playwright-core';
import { generate, launchBrowser, newContext, startPlayground, waitForLoadedImage, writePngFixtures, type PlaygroundServer, type PngFixture } from './helpers';

let server: PlaygroundServer;
let browser: Browser;
let files: PngFixture[];

beforeAll(async () => {
  [server, browser, files] = await Promise.all([startPlayground(), launchBrowser(), writePngFixtures(['csp.png'])]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('a full generation under script-src \'self\' raises no CSP violation', async () => {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.origin}/?poll=250`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    await page.getByLabel('Add reference images').setInputFiles(files.map((f) => f.path));
    await page.getByRole('list', { name: 'Reference images' }).getByRole('listitem').first().waitFor();
    await generate(page, 'under a strict policy');
    await waitForLoadedImage(page, 'under a strict policy');
    // The policy is really enforced: an inline script injected now is blocked and reported.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length), { timeout: 5000 }).toBe(1);
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    expect(violations).toEqual([expect.stringMatching(/^script-src/)]); // only the deliberate one
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  } finally {
    await context.close();
  }
});
