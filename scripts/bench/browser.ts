/**
 * Debian Chromium through playwright-core (never a downloaded browser), a fresh context per
 * scenario, the timer counter installed before any page script, a log of the page's requests, and
 * the offset between the page's clock and Node's.
 */
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { clock, SIM_PREFIX } from './server';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-precise-memory-info',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** What a request of the page is, for counting. Only `api` kinds count as requests of the kit. */
export type RequestKind = 'capabilities' | 'submit' | 'status' | 'events' | 'upload' | 'other-api' | 'image' | 'static';

export interface RecordedRequest {
  /** Node clock when Playwright reported it. */
  at: number;
  kind: RequestKind;
  method: string;
  /** Task id for `status` and `events`. */
  taskId: string | undefined;
  url: string;
  /** HTTP status once the response arrived (0 = no response yet, or failed). */
  status: number;
  /**
   * Milliseconds from the request's start to its first response byte (Playwright's resource
   * timing), once finished; includes any wait for a free connection. NaN until then.
   */
  ttfbMs: number;
}

export const API_KINDS: readonly RequestKind[] = ['capabilities', 'submit', 'status', 'events', 'upload', 'other-api'];

/**
 * Counted: `GET /v1/capabilities`, `POST /v1/images/generations`, `GET /v1/images/generations/{id}`,
 * `GET /v1/images/generations/{id}/events`, `POST /v1/uploads/images` (with or without the `/__sim`
 * prefix) and any other `/v1/` call. Not counted: the page's own HTML/JS/CSS and image downloads
 * (`/sim/images/…` results, `/sim/uploads/…` references, `blob:` thumbnails).
 */
export function classify(request: Request): Omit<RecordedRequest, 'at' | 'status' | 'ttfbMs'> {
  const url = request.url();
  const method = request.method();
  if (url.startsWith('blob:') || url.startsWith('data:')) return { kind: 'image', method, taskId: undefined, url };
  const path = new URL(url).pathname.replace(new RegExp(`^${SIM_PREFIX}`), '');
  let kind: RequestKind = 'static';
  let taskId: string | undefined;
  const task = /^\/v1\/images\/generations\/([^/]+)(\/events)?$/.exec(path);
  if (path.startsWith('/sim/images/') || path.startsWith('/sim/uploads/')) kind = 'image';
  else if (path === '/v1/capabilities') kind = 'capabilities';
  else if (path === '/v1/images/generations' && method === 'POST') kind = 'submit';
  else if (path === '/v1/uploads/images' && method === 'POST') kind = 'upload';
  else if (task) {
    kind = task[2] ? 'events' : 'status';
    taskId = decodeURIComponent(task[1]!);
  } else if (path.startsWith('/v1/')) kind = 'other-api';
  return { kind, method, taskId, url };
}

export interface BenchPage {
  context: BrowserContext;
  page: Page;
  requests: RecordedRequest[];
  /** Event streams open right now, and the most open at once. */
  streams: { open: number; maxOpen: number };
  /** Page clock minus Node clock, milliseconds; and ± its uncertainty (half the best round trip). */
  offset: { ms: number; uncertaintyMs: number };
  /** A page timestamp on Node's clock. */
  toNode(pageTime: number): number;
  close(): Promise<void>;
}

/** A fresh context and page at the bench page, timers counted, requests logged, clocks aligned. */
export async function openBenchPage(browser: Browser, origin: string, initScript: string): Promise<BenchPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 2400 } });
  await context.addInitScript({ path: initScript });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const requests: RecordedRequest[] = [];
  const byRequest = new WeakMap<Request, RecordedRequest>();
  const streams = { open: 0, maxOpen: 0 };
  const opened = new WeakSet<Request>();
  page.on('request', (request) => {
    const record: RecordedRequest = { at: clock(), ...classify(request), status: 0, ttfbMs: Number.NaN };
    byRequest.set(request, record);
    requests.push(record);
    if (record.kind === 'events') {
      opened.add(request);
      streams.open += 1;
      streams.maxOpen = Math.max(streams.maxOpen, streams.open);
    }
  });
  const closed = (request: Request) => {
    if (opened.delete(request)) streams.open -= 1;
  };
  page.on('requestfinished', closed);
  page.on('requestfailed', closed);
  page.on('response', (response) => {
    const record = byRequest.get(response.request());
    if (record) {
      record.status = response.status();
      record.ttfbMs = response.request().timing().responseStart;
    }
  });
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(`${origin}/index.html`, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction(() => window.bench?.ready === true, undefined, { timeout: 15_000 });
  const offset = await measureOffset(page);
  return {
    context,
    page,
    requests,
    streams,
    offset,
    toNode: (pageTime) => pageTime - offset.ms,
    close: () => context.close(),
  };
}

/** Best of 15 round trips: page clock read between two Node clock reads. */
async function measureOffset(page: Page): Promise<{ ms: number; uncertaintyMs: number }> {
  let best = { ms: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < 15; i += 1) {
    const before = clock();
    const pageTime = await page.evaluate(() => window.bench.now());
    const after = clock();
    const half = (after - before) / 2;
    if (half < best.uncertaintyMs) best = { ms: pageTime - (before + half), uncertaintyMs: half };
  }
  return best;
}
