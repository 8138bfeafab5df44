/**
 * Attribution of long tasks from a Chromium trace (the DevTools timeline categories): for each
 * renderer main-thread task over 50 ms, where Chromium scheduled it from, which JS functions and
 * which native work ran inside, plus how much image decoding the raster workers did. Used on a
 * second, traced pass of the reference-photo scenario so the measured pass stays untraced.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface LongTaskAttribution {
  durationMs: number;
  /** Thread time: the CPU the main thread actually got (less than wall time when the cores are busy). */
  cpuMs: number;
  /** `file.cc:Function` Chromium posted the task from. */
  source: string;
  /** JS functions called in the task, longest first. */
  js: string[];
  /** Native work inside the task, longest first: [name, ms]. */
  native: Array<[string, number]>;
}

export interface TraceSummary {
  longTasks: LongTaskAttribution[];
  /** The longest renderer main-thread task of any length (the `longtask` API reports only those over 50 ms). */
  longestTaskMs: number;
  /** That task, attributed like the long ones. */
  longest?: LongTaskAttribution;
  /** `Decode Image` events on any thread (thumbnails, createImageBitmap). */
  imageDecodes: { count: number; totalMs: number; longestMs: number };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; src_file?: string; src_func?: string; data?: { functionName?: string; url?: string } };
}

const CATEGORIES = 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline';
const WRAPPERS = new Set([
  'ThreadControllerImpl::RunTask',
  'Receive mojo message',
  'Receive mojo reply',
  'v8.callFunction',
  'AsyncTask Run',
  'FunctionCall',
  'TimerFire',
  'TimerBase::run',
  'SimpleWatcher::OnHandleReady',
  'RunMicrotasks',
  'ProxyMain::BeginMainFrame',
  'WebFrameWidgetImpl::BeginMainFrame',
]);

export async function traceDuring<T>(context: BrowserContext, page: Page, fn: () => Promise<T>): Promise<{ result: T; summary: TraceSummary }> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  let result: T;
  try {
    result = await fn();
  } finally {
    const complete = new Promise<void>((done) => {
      const timer = setTimeout(done, 30_000);
      cdp.once('Tracing.tracingComplete', () => {
        clearTimeout(timer);
        done();
      });
    });
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach().catch(() => {});
  }
  return { result, summary: summarizeTrace(events) };
}

export function summarizeTrace(events: TraceEvent[]): TraceSummary {
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const key = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  // The page's renderer: the main thread that ran the most JS.
  const jsCount = new Map<string, number>();
  for (const e of events) if (e.name === 'FunctionCall' && mains.has(key(e))) jsCount.set(key(e), (jsCount.get(key(e)) ?? 0) + 1);
  const main = [...jsCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => key(e) === main && e.ph === 'X');

  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const long = tasks
    .filter((e) => (e.dur ?? 0) > 50_000)
    .sort((a, b) => a.ts - b.ts);
  const topLevel = long.filter((t) => !long.some((o) => o !== t && o.ts <= t.ts && t.ts + (t.dur ?? 0) <= o.ts + (o.dur ?? 0)));

  const attribute = (t: TraceEvent): LongTaskAttribution => {
    const end = t.ts + (t.dur ?? 0);
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts < end);
    const js = new Map<string, number>();
    const native = new Map<string, number>();
    for (const e of inside) {
      if (e.name === 'FunctionCall') {
        const fnName = e.args?.data?.functionName || '(anonymous)';
        js.set(fnName, (js.get(fnName) ?? 0) + (e.dur ?? 0));
      } else if (!WRAPPERS.has(e.name)) {
        native.set(e.name, (native.get(e.name) ?? 0) + (e.dur ?? 0));
      }
    }
    const file = (t.args?.src_file ?? '?').split('/').pop();
    return {
      durationMs: (t.dur ?? 0) / 1000,
      cpuMs: (t.tdur ?? 0) / 1000,
      source: `${file}:${t.args?.src_func ?? '?'}`,
      js: [...js.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n]) => n),
      native: [...native.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([n, us]): [string, number] => [n, Math.round(us / 100) / 10]),
    };
  };
  const longTasks = topLevel.map(attribute);
  const longest = tasks.reduce<TraceEvent | undefined>((m, e) => ((e.dur ?? 0) > (m?.dur ?? -1) ? e : m), undefined);

  const decodes = events.filter((e) => e.name === 'Decode Image' && e.ph === 'X').map((e) => (e.dur ?? 0) / 1000);
  return {
    longTasks,
    longestTaskMs: (longest?.dur ?? 0) / 1000,
    ...(longest && { longest: attribute(longest) }),
    imageDecodes: {
      count: decodes.length,
      totalMs: decodes.reduce((a, b) => a + b, 0),
      longestMs: decodes.length ? Math.max(...decodes) : 0,
    },
  };
}
