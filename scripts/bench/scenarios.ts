/**
 * The browser scenarios of `npm run bench`. Each opens a fresh browser context on the bench page,
 * configures a fresh simulator/proxy pair, drives the kit through `window.bench` and returns plain
 * numbers. Every wait is bounded (inside the page, and by the page's own timeouts).
 */
import type { Browser, Page } from 'playwright-core';
import { API_KINDS, openBenchPage, type RecordedRequest, type RequestKind } from './browser';
import type { BenchServer } from './server';
import { SIM_PREFIX } from './server';
import { traceDuring, type TraceSummary } from './trace';
import {
  COMPONENT_IDS,
  type ComponentId,
  type ConcurrentRunStats,
  type FrameStats,
  type LongTaskStats,
  type MaskCanvasInfo,
  type MaskExportTiming,
  type MonitorStats,
  type PhotoInfo,
  type ReferencesResult,
  type TickResult,
} from './types';

export interface Summary {
  median: number;
  max: number;
  min: number;
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, max: Number.NaN, min: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, max: sorted[sorted.length - 1]!, min: sorted[0]! };
}

const countKinds = (requests: RecordedRequest[]) => {
  const out: Partial<Record<RequestKind, number>> = {};
  for (const r of requests) out[r.kind] = (out[r.kind] ?? 0) + 1;
  return out;
};

/* -------------------------------------------------------------------------------------------------
 * 2. Commits per progress update
 * -----------------------------------------------------------------------------------------------*/

export interface CommitsResult {
  ticks: number;
  /** Mean commits per tick, per component, for the brief's update (`{ ...t, progress }`). */
  perTick: Record<ComponentId, number>;
  /** The same for the poller's real patch (progress + status + updatedAt + retry). */
  perTickPollerPatch: Record<ComponentId, number>;
  /** Whole-tree commits per tick (the Profiler around the provider). */
  rootPerTick: number;
  raw: { progress: TickResult; pollerPatch: TickResult };
}

export async function commitsScenario(browser: Browser, server: BenchServer, initScript: string, ticks: number): Promise<CommitsResult> {
  // A task that stays queued upstream for ten minutes, and a poller that will not read it during the
  // run (pollInterval 10 min, no stream): only the bench's own store updates touch it.
  await server.configure({ seed: 1, queuedMs: 600_000, generatingMs: 600_000, proxyPollIntervalMs: 1000 });
  const bp = await openBenchPage(browser, server.origin, initScript);
  try {
    const backendUrl = `${server.origin}${SIM_PREFIX}`;
    await bp.page.evaluate((o) => window.bench.mount(o), { backendUrl, stream: false, pollInterval: 600_000 });
    // Steady state: every on-demand part has arrived (the idle prefetch loads them one per idle
    // period), so a commit counted here is one a progress update caused, not a module arriving.
    await bp.page.evaluate(() => window.bench.preload());
    await bp.page.evaluate(() => window.bench.submitTasks(1, 0, 'a lighthouse at dusk, commit bench'));
    const progress = await bp.page.evaluate((n) => window.bench.progressTicks(n, 'progress'), ticks);
    const pollerPatch = await bp.page.evaluate((n) => window.bench.progressTicks(n, 'poller-patch'), ticks);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const per = (r: TickResult) => Object.fromEntries(COMPONENT_IDS.map((id) => [id, mean(r.commits[id])])) as Record<ComponentId, number>;
    await bp.page.evaluate(() => window.bench.unmount());
    return { ticks, perTick: per(progress), perTickPollerPatch: per(pollerPatch), rootPerTick: mean(progress.commits.Root), raw: { progress, pollerPatch } };
  } finally {
    await bp.close();
  }
}

/* -------------------------------------------------------------------------------------------------
 * 3. Requests per task and completion-to-screen latency
 * -----------------------------------------------------------------------------------------------*/

export type PathName = 'stream' | 'polling-default' | 'polling-1000';

export interface PathSetup {
  name: PathName;
  label: string;
  /** Backend URL relative to the server origin: '' (the proxy) or SIM_PREFIX (the simulator alone). */
  prefix: string;
  pollInterval?: number;
}

export const PATHS: readonly PathSetup[] = [
  { name: 'stream', label: 'stream (proxy SSE, proxy polls upstream every 1 s)', prefix: '' },
  { name: 'polling-default', label: 'polling, default cadence (first read 3 s, then 4–6 s)', prefix: SIM_PREFIX },
  { name: 'polling-1000', label: 'polling, pollInterval 1000', prefix: SIM_PREFIX, pollInterval: 1000 },
];

export interface FlowTask {
  taskId: string;
  /** Counted requests attributed to this task: its submit, status reads and event streams. */
  requests: number;
  byKind: Partial<Record<RequestKind, number>>;
  /** Upstream completion instant (creation + queuedMs + generatingMs) → result img in DOM and loaded. */
  endToEndMs: number;
  /** Upstream completion instant → the backend's first `completed` read. */
  completeToLearnedMs: number;
  /** The backend's first `completed` read → result img in DOM and loaded. */
  learnedToScreenMs: number;
  learnedBy: 'proxy' | 'browser';
  /** The backend's first `completed` read → the store has the task completed (delivery over SSE or the poll's answer). */
  learnedToStoreMs: number;
  /** The store has it completed → the result img is in the DOM (React commit). */
  storeToInsertMs: number;
  /** img inserted → img loaded. */
  insertToLoadMs: number;
  /**
   * img inserted → the browser started the image download (page clock, Resource Timing); negative
   * when the download started before the img was in the DOM (the kit's prefetch on completion).
   */
  insertToImageRequestMs: number;
  /** The store has it completed → the image download started (page clock, Resource Timing). */
  storeToFetchStartMs: number;
  /** Image download: fetch start → first byte → last byte (page clock, Resource Timing). */
  imageFetchToFirstByteMs: number;
  imageFirstToLastByteMs: number;
  /** Last byte of the image → the img's `load` event (decode, and waiting for React to insert the img). */
  imageLastByteToLoadMs: number;
  /** The page started the download → the request reached the bench server (Node clock). */
  imageFetchToServerMs: number;
  /** The request reached the bench server → the simulator's answer was ready (renders the placeholder PNG). */
  imageServerMs: number;
  /** Downloads of the image URL the page made (Resource Timing entries when it loaded; 1 = the img reused the prefetch). */
  imageDownloads: number;
  /** The image request's time to first byte, including any wait for a free connection. */
  imageTtfbMs: number;
  /** img loaded → the next animation frame. */
  loadToFrameMs: number;
}

export interface FlowResult {
  path: PathName;
  label: string;
  timeline: { queuedMs: number; generatingMs: number[] };
  /** Between submits. */
  spacingMs: number;
  tasks: FlowTask[];
  /** Requests not tied to one task (the capabilities probe), per page. */
  perPage: Partial<Record<RequestKind, number>>;
  requestsPerTask: Summary;
  endToEndMs: Summary;
  learnedToScreenMs: Summary;
  completeToLearnedMs: Summary;
  clockOffset: { ms: number; uncertaintyMs: number };
  /** Upstream status reads by the proxy's poll loop (stream path) and by the browser (polling). */
  upstreamReads: { proxy: number; browser: number };
  /** Most event streams the page had open at once. */
  maxOpenStreams: number;
  /** Each pass (a fresh page and backend, `tasks` tasks) on its own; `tasks` above pools them all. */
  passes: Array<{ learnedToScreenMs: Summary; endToEndMs: Summary; tasks: number }>;
}

/** Several passes of one path as one result: every task of every pass pooled, plus each pass's own summary. */
export function poolFlowPasses(runs: FlowResult[]): FlowResult {
  const first = runs[0];
  if (!first) throw new Error('poolFlowPasses: no passes');
  const tasks = runs.flatMap((r) => r.tasks);
  return {
    ...first,
    tasks,
    perPage: first.perPage,
    requestsPerTask: summarize(tasks.map((t) => t.requests)),
    endToEndMs: summarize(tasks.map((t) => t.endToEndMs)),
    learnedToScreenMs: summarize(tasks.map((t) => t.learnedToScreenMs)),
    completeToLearnedMs: summarize(tasks.map((t) => t.completeToLearnedMs)),
    upstreamReads: {
      proxy: runs.reduce((a, r) => a + r.upstreamReads.proxy, 0),
      browser: runs.reduce((a, r) => a + r.upstreamReads.browser, 0),
    },
    maxOpenStreams: Math.max(...runs.map((r) => r.maxOpenStreams)),
    passes: runs.flatMap((r) => r.passes),
  };
}

export interface FlowOptions {
  tasks: number;
  spacingMs: number;
  queuedMs: number;
  /** Task i generates for `generatingMs + i × spreadMs / tasks`, so tasks end at spread-out phases of every cadence. */
  generatingMs: number;
  spreadMs: number;
}

function imageServerTimes(served: { arrivedAt: number; answeredAt: number } | undefined, fetchStartAt: number) {
  return served
    ? { imageFetchToServerMs: served.arrivedAt - fetchStartAt, imageServerMs: served.answeredAt - served.arrivedAt }
    : { imageFetchToServerMs: Number.NaN, imageServerMs: Number.NaN };
}

export async function flowScenario(browser: Browser, server: BenchServer, initScript: string, path: PathSetup, o: FlowOptions): Promise<FlowResult> {
  const durations = Array.from({ length: o.tasks }, (_, i) => Math.round(o.generatingMs + (i * o.spreadMs) / o.tasks));
  const inst = await server.configure({ seed: 7, queuedMs: o.queuedMs, generatingMs: durations, proxyPollIntervalMs: 1000 });
  const bp = await openBenchPage(browser, server.origin, initScript);
  try {
    const backendUrl = `${server.origin}${path.prefix}`;
    await bp.page.evaluate((m) => window.bench.mount(m), { backendUrl, ...(path.pollInterval !== undefined && { pollInterval: path.pollInterval }) });
    const first = bp.requests.length;
    const submitted = await bp.page.evaluate((a) => window.bench.submitTasks(a.n, a.spacing, 'a red fox in fresh snow'), { n: o.tasks, spacing: o.spacingMs });
    const budget = o.queuedMs + o.generatingMs + o.spreadMs + o.tasks * o.spacingMs + 30_000;
    const images = await bp.page.evaluate((a) => window.bench.waitForResultImages(a.n, a.timeout), { n: o.tasks, timeout: budget });
    await bp.page.evaluate((t) => window.bench.waitForTasksDone(t), 10_000);
    const times = await bp.page.evaluate(() => window.bench.taskTimes());
    const requests = bp.requests.slice(first).filter((r) => API_KINDS.includes(r.kind));
    const submits = requests.filter((r) => r.kind === 'submit').length;

    const tasks: FlowTask[] = submitted.map((s) => {
      const taskId = s.taskId ?? '';
      const image = images.find((i) => i.taskId === taskId);
      const created = inst.created.get(taskId);
      const learned = inst.learned.get(taskId);
      if (!image || created === undefined || !learned) throw new Error(`task ${taskId}: missing ${!image ? 'result image' : created === undefined ? 'creation time' : 'completion read'}`);
      const mine = requests.filter((r) => r.taskId === taskId);
      const byKind = { submit: submits / submitted.length, ...countKinds(mine) };
      const complete = created.completeAt;
      const loaded = bp.toNode(image.loadedAt);
      const imageRequest = bp.requests.find((r) => r.kind === 'image' && r.url === image.url);
      const seen = times.find((t) => t.taskId === taskId)?.seenCompletedAt ?? Number.NaN;
      return {
        taskId,
        requests: Object.values(byKind).reduce((a, b) => a + (b ?? 0), 0),
        byKind,
        endToEndMs: loaded - complete,
        completeToLearnedMs: learned.at - complete,
        learnedToScreenMs: loaded - learned.at,
        learnedBy: learned.by,
        learnedToStoreMs: bp.toNode(seen) - learned.at,
        storeToInsertMs: image.insertedAt - seen,
        insertToLoadMs: image.loadedAt - image.insertedAt,
        insertToImageRequestMs: Number.isFinite(image.fetchStartAt)
          ? image.fetchStartAt - image.insertedAt
          : imageRequest
            ? imageRequest.at - bp.toNode(image.insertedAt)
            : Number.NaN,
        storeToFetchStartMs: image.fetchStartAt - seen,
        imageFetchToFirstByteMs: image.responseStartAt - image.fetchStartAt,
        imageFirstToLastByteMs: image.responseEndAt - image.responseStartAt,
        imageLastByteToLoadMs: image.loadedAt - image.responseEndAt,
        imageDownloads: image.downloads,
        ...imageServerTimes(inst.images.get(new URL(image.url).pathname), bp.toNode(image.fetchStartAt)),
        imageTtfbMs: imageRequest?.ttfbMs ?? Number.NaN,
        loadToFrameMs: image.frameAfterLoadAt - image.loadedAt,
      };
    });
    const perPage = countKinds(requests.filter((r) => r.taskId === undefined && r.kind !== 'submit'));
    await bp.page.evaluate(() => window.bench.unmount());
    return {
      path: path.name,
      label: path.label,
      timeline: { queuedMs: o.queuedMs, generatingMs: durations },
      spacingMs: o.spacingMs,
      tasks,
      perPage,
      requestsPerTask: summarize(tasks.map((t) => t.requests)),
      endToEndMs: summarize(tasks.map((t) => t.endToEndMs)),
      learnedToScreenMs: summarize(tasks.map((t) => t.learnedToScreenMs)),
      completeToLearnedMs: summarize(tasks.map((t) => t.completeToLearnedMs)),
      clockOffset: bp.offset,
      upstreamReads: { ...inst.upstreamReads },
      maxOpenStreams: bp.streams.maxOpen,
      passes: [
        {
          learnedToScreenMs: summarize(tasks.map((t) => t.learnedToScreenMs)),
          endToEndMs: summarize(tasks.map((t) => t.endToEndMs)),
          tasks: tasks.length,
        },
      ],
    };
  } finally {
    await bp.close();
  }
}

/* -------------------------------------------------------------------------------------------------
 * 4. Fourteen 12-megapixel reference photos
 * -----------------------------------------------------------------------------------------------*/

export interface ReferencesScenarioResult {
  photos: PhotoInfo[];
  generateMs: number;
  /** Measured passes, each on a fresh page with freshly drawn photos. */
  passes: ReferencesResult[];
  firstThumbnailMs: Summary;
  allThumbnailsMs: Summary;
  allUploadedMs: Summary;
  longestTaskMs: Summary;
  longTaskCount: Summary;
  longestFrameGapMs: Summary;
  droppedFrames: Summary;
  heapBaselineBytes: Summary;
  heapPeakBytes: Summary;
  /** Photos the kit shrank below the 10 MiB upload limit (same in every pass). */
  downscaled: number;
  /** A further pass under a Chromium trace, for attribution only (its timings are not reported). */
  traced: { longestTaskMs: number; allThumbnailsMs: number; trace: TraceSummary };
}

/** One pass: a fresh page draws the photos, collects garbage, then adds them through the tray. */
async function referencesPass(browser: Browser, server: BenchServer, initScript: string, r: { count: number; width: number; height: number }, trace: boolean) {
  await server.configure({ seed: 3, queuedMs: 600, generatingMs: 2400, proxyPollIntervalMs: 1000 });
  const bp = await openBenchPage(browser, server.origin, initScript);
  try {
    await bp.page.evaluate((m) => window.bench.mount(m), { backendUrl: server.origin });
    const made = await bp.page.evaluate((a) => window.bench.makePhotos(a.count, a.width, a.height), r);
    const cdp = await bp.context.newCDPSession(bp.page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.detach();
    const add = () => bp.page.evaluate((t) => window.bench.addPhotos(t), 120_000);
    const { result, summary } = trace ? await traceDuring(bp.context, bp.page, add) : { result: await add(), summary: undefined };
    await bp.page.evaluate(() => window.bench.unmount());
    return { made, result, summary };
  } finally {
    await bp.close();
  }
}

export async function referencesScenario(
  browser: Browser,
  server: BenchServer,
  initScript: string,
  r: { count: number; width: number; height: number; passes: number },
): Promise<ReferencesScenarioResult> {
  const measured: Array<Awaited<ReturnType<typeof referencesPass>>> = [];
  for (let i = 0; i < r.passes; i += 1) measured.push(await referencesPass(browser, server, initScript, r, false));
  const traced = await referencesPass(browser, server, initScript, r, true);
  const passes = measured.map((m) => m.result);
  const over = (pick: (p: ReferencesResult) => number) => summarize(passes.map(pick));
  return {
    photos: measured[0]!.made.photos,
    generateMs: measured[0]!.made.generateMs,
    passes,
    firstThumbnailMs: over((p) => p.firstThumbnailMs),
    allThumbnailsMs: over((p) => p.allThumbnailsMs),
    allUploadedMs: over((p) => p.allUploadedMs),
    longestTaskMs: over((p) => p.longTasks.longestMs),
    longTaskCount: over((p) => p.longTasks.count),
    longestFrameGapMs: over((p) => p.frames.longestGapMs),
    droppedFrames: over((p) => p.frames.dropped),
    heapBaselineBytes: over((p) => p.heap.baselineBytes),
    heapPeakBytes: over((p) => p.heap.peakBytes),
    downscaled: Math.max(...passes.map((p) => p.downscaled)),
    traced: {
      longestTaskMs: traced.result.longTasks.longestMs,
      allThumbnailsMs: traced.result.allThumbnailsMs,
      trace: traced.summary!,
    },
  };
}

/* -------------------------------------------------------------------------------------------------
 * 5. Twenty tasks at once in one store
 * -----------------------------------------------------------------------------------------------*/

export interface ConcurrentResult {
  path: PathName;
  label: string;
  tasks: number;
  timeline: { queuedMs: number; generatingMs: number };
  durationMs: number;
  timersAlive: { max: number; median: number; pollerMax: number; busiestByLabel: Record<string, number> };
  requests: number;
  requestsPerSecond: number;
  byKind: Partial<Record<RequestKind, number>>;
  /** Event streams the proxy refused (429: more than 16 open streams per visitor); those tasks were polled. */
  streamsRefused: number;
  /** Most event streams the page had open at once. */
  maxOpenStreams: number;
  /** From the first `submit()` call to the last submit accepted. */
  submitSpanMs: number;
  /** Time to first byte of the submits (includes waiting for a free connection). */
  submitTtfbMs: Summary;
  /** Upstream completion instant → the store marks the task completed. */
  completionLagMs: Summary;
  frames: FrameStats;
  longTasks: LongTaskStats;
  phases: Record<string, number>;
  upstreamReads: { proxy: number; browser: number };
}

export async function concurrentScenario(
  browser: Browser,
  server: BenchServer,
  initScript: string,
  path: PathSetup,
  o: { tasks: number; queuedMs: number; generatingMs: number },
): Promise<ConcurrentResult> {
  const inst = await server.configure({ seed: 11, queuedMs: o.queuedMs, generatingMs: o.generatingMs, proxyPollIntervalMs: 1000 });
  const bp = await openBenchPage(browser, server.origin, initScript);
  try {
    const backendUrl = `${server.origin}${path.prefix}`;
    await bp.page.evaluate((m) => window.bench.mount(m), { backendUrl, ...(path.pollInterval !== undefined && { pollInterval: path.pollInterval }) });
    const first = bp.requests.length;
    await bp.page.evaluate(() => window.bench.startRun());
    const submitted = await bp.page.evaluate((n) => window.bench.submitTasks(n, 0, 'a city of glass, concurrency bench'), o.tasks);
    await bp.page.evaluate((t) => window.bench.waitForTasksDone(t), o.queuedMs + o.generatingMs + 60_000);
    const stats: ConcurrentRunStats = await bp.page.evaluate(() => window.bench.stopRun());
    const times = await bp.page.evaluate(() => window.bench.taskTimes());
    const requests = bp.requests.slice(first).filter((r) => API_KINDS.includes(r.kind));
    const lags = times.flatMap((t) => {
      const created = t.taskId === undefined ? undefined : inst.created.get(t.taskId);
      return created === undefined || t.completedAt === null ? [] : [bp.toNode(t.completedAt) - created.completeAt];
    });
    const totals = stats.timerSamples.map((s) => s.total);
    const busiestByLabel: Record<string, number> = {};
    for (const t of stats.busiest?.live ?? []) busiestByLabel[`${t.kind} ${t.label}`] = (busiestByLabel[`${t.kind} ${t.label}`] ?? 0) + 1;
    await bp.page.evaluate(() => window.bench.unmount());
    return {
      path: path.name,
      label: path.label,
      tasks: o.tasks,
      timeline: { queuedMs: o.queuedMs, generatingMs: o.generatingMs },
      durationMs: stats.durationMs,
      timersAlive: {
        max: totals.length ? Math.max(...totals) : 0,
        median: summarize(totals).median,
        pollerMax: Math.max(0, ...stats.timerSamples.map((s) => s.poller)),
        busiestByLabel,
      },
      requests: requests.length,
      requestsPerSecond: requests.length / (stats.durationMs / 1000),
      byKind: countKinds(requests),
      streamsRefused: requests.filter((r) => r.kind === 'events' && r.status === 429).length,
      maxOpenStreams: bp.streams.maxOpen,
      submitSpanMs: submitted.length ? submitted[submitted.length - 1]!.acceptedAt - submitted[0]!.submittedAt : 0,
      submitTtfbMs: summarize(requests.filter((r) => r.kind === 'submit' && Number.isFinite(r.ttfbMs)).map((r) => r.ttfbMs)),
      completionLagMs: summarize(lags),
      frames: stats.frames,
      longTasks: stats.longTasks,
      phases: stats.phases,
      upstreamReads: { ...inst.upstreamReads },
    };
  } finally {
    await bp.close();
  }
}

/* -------------------------------------------------------------------------------------------------
 * 6. The mask editor on a 12-megapixel reference (issue 15)
 * -----------------------------------------------------------------------------------------------*/

export interface MaskOptions {
  width: number;
  height: number;
  passes: number;
  model: string;
  strokes: number;
  movesPerStroke: number;
  /** Between pointer moves: one per frame at 60 Hz. */
  moveIntervalMs: number;
  /** Between strokes (pointer up → the next stroke's pointer down). */
  pauseMs: number;
}

export interface MaskPass {
  canvas: MaskCanvasInfo;
  /** The painting window: from the first stroke's pointer down to a settle after the last pointer up. */
  paint: MonitorStats & {
    /** Share of the working bitmap painted after the strokes (read from the editor's canvas). */
    coverage: number;
    moves: number; /** Pointer moves per second while a button was down (60 = one per frame at 60 Hz). */ movesPerSecond: number };
  /** "Apply mask": click → upload starts (`exportMs`), and what the main thread did meanwhile. */
  export: MaskExportTiming & {
    longTasks: MonitorStats['longTasks'];
    /** The uploaded PNG, read back from its URL: bytes and the size in its IHDR. */
    file: { bytes: number; width: number; height: number };
  };
}

export interface MaskScenarioResult {
  photo: PhotoInfo;
  model: string;
  /** Measured passes, each on a fresh page with a freshly drawn photo. */
  passes: MaskPass[];
  paintLongestTaskMs: Summary;
  paintLongTaskCount: Summary;
  paintLongestFrameGapMs: Summary;
  paintDroppedFrames: Summary;
  paintMovesPerSecond: Summary;
  exportMs: Summary;
  /** Click → the upload finished (includes the upload to the local proxy). */
  exportToUploadedMs: Summary;
  exportLongestTaskMs: Summary;
  /** The uploaded PNG's size in bytes. */
  fileBytes: Summary;
  /** Share of the working bitmap the strokes painted. */
  coverage: Summary;
  /** A further pass under a Chromium trace (painting and export traced apart), for attribution only. */
  traced: { paintLongestTaskMs: number; exportMs: number; paint: TraceSummary; export: TraceSummary };
}

/**
 * Pointer strokes with real mouse events (CDP input, so the editor's pointer handlers run as for a
 * user), one move every `moveIntervalMs` on Node's clock like a mouse at a fixed rate: two horizontal
 * strokes and two diagonals (whose undo rectangle is the whole bitmap), alternating.
 */
async function paintStrokes(page: Page, canvas: { x: number; y: number; width: number; height: number }, o: MaskOptions): Promise<{ moves: number; movingMs: number }> {
  const at = (fx: number, fy: number) => [canvas.x + canvas.width * fx, canvas.y + canvas.height * fy] as const;
  const paths: Array<[number, number, number, number]> = [
    [0.1, 0.25, 0.9, 0.25],
    [0.1, 0.1, 0.9, 0.9],
    [0.9, 0.75, 0.1, 0.75],
    [0.9, 0.1, 0.1, 0.9],
  ];
  const wait = (until: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, until - performance.now())));
  let moves = 0;
  let movingMs = 0;
  for (let s = 0; s < o.strokes; s += 1) {
    const [x0, y0, x1, y1] = paths[s % paths.length]!;
    await page.mouse.move(...at(x0, y0));
    await page.mouse.down();
    const start = performance.now();
    for (let i = 1; i <= o.movesPerStroke; i += 1) {
      await wait(start + i * o.moveIntervalMs);
      const f = i / o.movesPerStroke;
      await page.mouse.move(...at(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f));
      moves += 1;
    }
    movingMs += performance.now() - start;
    await page.mouse.up();
    await wait(performance.now() + o.pauseMs);
  }
  return { moves, movingMs };
}

/** The uploaded mask read back from its URL (outside the measured windows): size in bytes and in pixels (IHDR). */
async function readPng(page: Page, url: string | undefined): Promise<{ bytes: number; width: number; height: number }> {
  if (!url) throw new Error('the mask has no URL');
  const response = await page.request.get(url);
  if (!response.ok()) throw new Error(`reading the mask back: HTTP ${response.status()}`);
  const body = await response.body();
  const png = body.subarray(0, 8).toString('hex') === '89504e470d0a1a0a' && body.toString('latin1', 12, 16) === 'IHDR';
  return { bytes: body.length, width: png ? body.readUInt32BE(16) : 0, height: png ? body.readUInt32BE(20) : 0 };
}

/** One pass: a fresh page draws the photo and adds it; the editor opens; strokes are painted, then applied. */
async function maskPass(browser: Browser, server: BenchServer, initScript: string, o: MaskOptions, trace: boolean) {
  await server.configure({ seed: 5, queuedMs: 600, generatingMs: 2400, proxyPollIntervalMs: 1000 });
  const bp = await openBenchPage(browser, server.origin, initScript);
  try {
    const { page } = bp;
    await page.evaluate((m) => window.bench.mount(m), { backendUrl: server.origin, model: o.model });
    const made = await page.evaluate((a) => window.bench.makePhotos(1, a.width, a.height), { width: o.width, height: o.height });
    const added = await page.evaluate((t) => window.bench.addPhotos(t), 120_000);
    if (added.states.ready !== 1) throw new Error(`the reference is not ready: ${JSON.stringify(added.states)} ${added.notices.join('; ')}`);

    await page.getByRole('button', { name: 'Edit mask' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mask editor' });
    await dialog.waitFor({ timeout: 30_000 });
    const canvas = await page.evaluate((t) => window.bench.waitForMaskCanvas(t), 30_000);
    const box = await dialog.locator('canvas').boundingBox();
    if (!box) throw new Error('the mask canvas has no box');
    await page.waitForTimeout(500); // the editor's first draw and the dialog's layout settle

    const paint = async () => {
      await page.evaluate(() => window.bench.startMonitors());
      const { moves, movingMs } = await paintStrokes(page, box, o);
      await page.waitForTimeout(200); // trailing frames and tasks
      const stats = await page.evaluate(() => window.bench.stopMonitors());
      return { ...stats, moves, movesPerSecond: moves / (movingMs / 1000) };
    };
    const apply = async () => {
      await page.evaluate(() => {
        window.bench.watchMaskExport();
        window.bench.startMonitors();
      });
      await dialog.getByRole('button', { name: 'Apply mask' }).click();
      const timing = await page.evaluate((t) => window.bench.waitForMaskExport(t, true), 60_000);
      const stats = await page.evaluate(() => window.bench.stopMonitors());
      return { ...timing, longTasks: stats.longTasks, file: await readPng(page, timing.url) };
    };

    // The coverage read (a 2 MP getImageData) runs outside both measured windows.
    const coverage = () => page.evaluate(() => window.bench.maskCoverage());
    let result: MaskPass;
    let summaries: { paint: TraceSummary; export: TraceSummary } | undefined;
    if (trace) {
      const p = await traceDuring(bp.context, page, paint);
      const painted = { ...p.result, coverage: await coverage() };
      const e = await traceDuring(bp.context, page, apply);
      result = { canvas, paint: painted, export: e.result };
      summaries = { paint: p.summary, export: e.summary };
    } else {
      const painted = { ...(await paint()), coverage: await coverage() };
      result = { canvas, paint: painted, export: await apply() };
    }
    if (result.paint.coverage < 0.02) throw new Error(`the strokes painted ${(result.paint.coverage * 100).toFixed(2)} % of the mask`);
    if (result.export.state !== 'ready') throw new Error(`the mask upload ended ${result.export.state}`);
    if (result.export.file.width !== o.width || result.export.file.height !== o.height) {
      throw new Error(`the uploaded mask is ${result.export.file.width}×${result.export.file.height}, not ${o.width}×${o.height}`);
    }
    await page.evaluate(() => window.bench.unmount());
    return { photo: made.photos[0]!, result, summaries };
  } finally {
    await bp.close();
  }
}

export async function maskScenario(browser: Browser, server: BenchServer, initScript: string, o: MaskOptions): Promise<MaskScenarioResult> {
  const measured: Array<Awaited<ReturnType<typeof maskPass>>> = [];
  for (let i = 0; i < o.passes; i += 1) measured.push(await maskPass(browser, server, initScript, o, false));
  const traced = await maskPass(browser, server, initScript, o, true);
  const passes = measured.map((m) => m.result);
  const over = (pick: (p: MaskPass) => number) => summarize(passes.map(pick));
  return {
    photo: measured[0]!.photo,
    model: o.model,
    passes,
    paintLongestTaskMs: over((p) => p.paint.longTasks.longestMs),
    paintLongTaskCount: over((p) => p.paint.longTasks.count),
    paintLongestFrameGapMs: over((p) => p.paint.frames.longestGapMs),
    paintDroppedFrames: over((p) => p.paint.frames.dropped),
    paintMovesPerSecond: over((p) => p.paint.movesPerSecond),
    exportMs: over((p) => p.export.exportMs),
    exportToUploadedMs: over((p) => (p.export.settledAt === null ? Number.NaN : p.export.settledAt - p.export.clickAt)),
    exportLongestTaskMs: over((p) => p.export.longTasks.longestMs),
    fileBytes: over((p) => p.export.file.bytes),
    coverage: over((p) => p.paint.coverage),
    traced: {
      paintLongestTaskMs: traced.result.paint.longTasks.longestMs,
      exportMs: traced.result.export.exportMs,
      paint: traced.summaries!.paint,
      export: traced.summaries!.export,
    },
  };
}
