/**
 * Turns the raw results into docs/benchmarks.json (numbers) and docs/benchmarks.md (tables, budget
 * lines and the analysis), and prints the same tables to the terminal.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUSY_SHARE, type MachineInfo, type SectionLoad } from './machine';
import { ROOT } from './page';
import { extractSection, PROXY_HEADING, replaceSection } from './sections';
import type { TraceSummary } from './trace';
import type { CommitsResult, ConcurrentResult, FlowResult, MaskScenarioResult, PathName, ReferencesScenarioResult, Summary } from './scenarios';
import type { BreakdownRow, BundleMeasurement, SizeEntry } from './size';
import { COMPONENT_IDS } from './types';

export interface BenchResults {
  settings: unknown;
  machine: MachineInfo;
  bundle: BundleMeasurement & { breakdown: BreakdownRow[] };
  commits: CommitsResult;
  flows: FlowResult[];
  references: ReferencesScenarioResult;
  concurrent: ConcurrentResult[];
  mask: MaskScenarioResult;
}

/* -------------------------------------------------------------------------------------------------
 * Budgets
 * -----------------------------------------------------------------------------------------------*/

export interface BudgetLine {
  /** Stable key: the next run finds this figure in docs/benchmarks.json by it (before/after). */
  id: string;
  name: string;
  /** NaN when the figure was not measured. */
  actual: number;
  /** null: reported without a budget. */
  limit: number | null;
  unit: 'B' | 'ms' | 'commits';
  /** Bytes shown as kB (1000 B, as size-limit prints) or MiB. */
  display?: 'kB' | 'MiB';
  /** `<=`: at most; `<`: under; `=`: exactly. */
  op: '<=' | '<' | '=';
  /** null when there is no budget. */
  met: boolean | null;
  verdict: string;
  /** Which statistic over how many samples, e.g. "median of 35 tasks (5 passes × 7)". */
  samples: string;
  /** The bench section that produced a timing figure (matched against the machine's section loads); none for counts and sizes. */
  section?: string;
  /** Other work kept the machine busy while the figure was measured (`SectionLoad.busy`). */
  busy?: boolean;
  /** The same figure in the previous docs/benchmarks.json, when it had one. */
  previous?: { actual: number; met: boolean | null; at: string | undefined; note?: string; busy?: boolean };
}

interface BudgetOptions {
  display?: BudgetLine['display'];
  samples: string;
  section?: string;
}

export function budget(
  id: string,
  name: string,
  actual: number,
  op: BudgetLine['op'],
  limit: number | null,
  unit: BudgetLine['unit'],
  o: BudgetOptions,
): BudgetLine {
  const base = { id, name, actual, limit, unit, op, samples: o.samples, ...(o.display && { display: o.display }), ...(o.section && { section: o.section }) };
  if (limit === null) return { ...base, met: null, verdict: 'no budget (reported)' };
  if (!Number.isFinite(actual)) return { ...base, met: false, verdict: 'not measured' };
  const met = op === '<=' ? actual <= limit : op === '<' ? actual < limit : actual === limit;
  const diff = actual - limit;
  const amount = (v: number) => fmtValue(Math.abs(v), unit, o.display);
  let verdict: string;
  if (op === '=') verdict = met ? 'met' : `missed by ${amount(diff)} (${diff > 0 ? 'more' : 'fewer'} than ${fmtNum(limit)})`;
  else if (met) verdict = `met, ${amount(diff)} under`;
  else verdict = `missed by ${amount(diff)}${limit > 0 ? ` (+${Math.round((diff / limit) * 100)} %)` : ''}`;
  return { ...base, met, verdict };
}

/* -------------------------------------------------------------------------------------------------
 * Formatting
 * -----------------------------------------------------------------------------------------------*/

const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtMs = (n: number) => (!Number.isFinite(n) ? '–' : Math.abs(n) >= 100 ? fmtInt(n) : n.toFixed(1));
const fmtNum = (n: number) => (!Number.isFinite(n) ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(2));
const fmtMB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
function fmtValue(n: number, unit: BudgetLine['unit'], display?: BudgetLine['display']): string {
  if (!Number.isFinite(n)) return '–';
  if (unit === 'B') return display === 'kB' ? `${(n / 1000).toFixed(1)} kB` : display === 'MiB' ? `${(n / 1048576).toFixed(1)} MiB` : `${fmtInt(n)} B`;
  return unit === 'ms' ? `${fmtMs(n)} ms` : fmtNum(n);
}
const fmtActual = (b: BudgetLine) => fmtValue(b.actual, b.unit, b.display);
const fmtLimit = (b: BudgetLine) => (b.limit === null ? 'no budget' : b.unit === 'B' && b.display ? fmtValue(b.limit, b.unit, b.display).replace(/\.0 /, ' ') : `${fmtInt(b.limit)}${b.unit === 'commits' ? '' : ` ${b.unit}`}`);
const opText = (b: BudgetLine) => (b.limit === null ? '' : b.op === '=' ? '= ' : b.op === '<' ? '< ' : '≤ ');
const medMax = (s: Summary, f: (n: number) => string = fmtMs) => `${f(s.median)} / ${f(s.max)}`;

interface Table {
  title: string;
  head: string[];
  rows: string[][];
  /** Lines printed under the table (budget verdicts, notes). */
  notes: string[];
}

function textTable(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [t.title, line(t.head), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line), ...t.notes.map((n) => `  ${n}`)].join('\n');
}

function mdTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.head.map(esc).join(' | ')} |`,
    `| ${t.head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/* -------------------------------------------------------------------------------------------------
 * Report
 * -----------------------------------------------------------------------------------------------*/

export interface Report {
  json: Record<string, unknown>;
  tables: Table[];
  budgets: BudgetLine[];
  results: Partial<BenchResults>;
  generatedAt: string;
}

const flowOf = (r: Partial<BenchResults>, p: PathName) => r.flows?.find((f) => f.path === p);
const concOf = (r: Partial<BenchResults>, p: PathName) => r.concurrent?.find((c) => c.path === p);

export function buildReport(r: Partial<BenchResults>, previous?: Record<string, unknown>): Report {
  const generatedAt = new Date().toISOString();
  const tables: Table[] = [];
  const budgets: BudgetLine[] = [];
  const json: Record<string, unknown> = { generatedAt, machine: r.machine, settings: r.settings };

  if (r.bundle) {
    const b = r.bundle.report;
    const d = r.bundle.dist;
    // Deterministic: no section, so never flagged as measured on a busy machine.
    const once = { display: 'kB' as const, samples: '1 build (deterministic)' };
    const deps = budget('bundle.firstLoad.withDeps', 'First load of the typical import, with dependencies (React excluded), min+gzip', d.firstLoad.withDeps.gzipBytes, '<=', 45_000, 'B', once);
    const own = budget('bundle.firstLoad.own', "First load of the typical import, the kit's own code, min+gzip", d.firstLoad.own.gzipBytes, '<=', 20_000, 'B', once);
    const total = budget('bundle.total.withDeps', 'Total of the typical import (first load + everything loaded on demand), with dependencies, min+gzip', d.total.withDeps.gzipBytes, '<=', null, 'B', once);
    budgets.push(deps, own, total);
    const row = (name: string, e: SizeEntry) => [name, fmtInt(e.own.minBytes), fmtInt(e.own.gzipBytes), fmtInt(e.withDeps.minBytes), fmtInt(e.withDeps.gzipBytes)];
    tables.push({
      title: '1. Bundle size (bytes; min = Vite/oxc minified ES module, gzip = level 9)',
      head: ['Entry', 'own min', 'own min+gzip', 'with deps min', 'with deps min+gzip'],
      rows: [
        row('typical host import (provider + 4 components)', b.typical),
        row('index (`.`)', b.index),
        row('core (`./core`)', b.core),
        row('labels (`./labels`)', b.labels),
        row('dist/index.js typical import: first load (esbuild, dynamic imports external)', d.firstLoad),
        row('dist/index.js typical import: total (esbuild, dynamic imports bundled)', d.total),
      ],
      notes: [
        `styles.css: ${fmtInt(b.stylesCssGzipBytes)} B gzip`,
        `dist/ rows: \`import { …typical } from "dist/index.js"\` bundled by esbuild as size-limit's esbuild plugin does (minified, tree-shaken, gzip level 9, kB = 1000 B); "first load" leaves every dynamic \`import()\` external (${d.dynamicImports.length ? `on demand: ${d.dynamicImports.join(', ')}` : 'the build has no dynamic imports yet, so first load = total'})`,
        `budget first load with deps ≤ 45 kB: ${fmtActual(deps)}, ${deps.verdict}`,
        `budget first load, own code ≤ 20 kB: ${fmtActual(own)}, ${own.verdict}`,
        `total (first load + on demand), no budget: ${fmtActual(total)} with deps, ${fmtValue(d.total.own.gzipBytes, 'B', 'kB')} own`,
        `scripts/size.mjs printed ${fmtInt(r.bundle.sizeMjs.typical.own.gzipBytes)} / ${fmtInt(r.bundle.sizeMjs.typical.withDeps.gzipBytes)} B for the typical import: it also counts public/*.js (${fmtInt(r.bundle.publicJsGzipBytes)} B gzip), which Vite copies into its output folder`,
      ],
    });
    const families = familyTotals(r.bundle.breakdown);
    tables.push({
      title: '1b. Where the typical import’s bytes come from (with deps; gzip share scaled to the whole bundle)',
      head: ['Module or package', 'min', '≈ min+gzip'],
      rows: [
        ...families.map((f) => [`Σ ${f.group}`, fmtInt(f.minBytes), fmtInt(f.gzipShareBytes)]),
        ...r.bundle.breakdown.slice(0, 16).map((x) => [`${x.own ? '' : 'dep: '}${x.group}`, fmtInt(x.minBytes), fmtInt(x.gzipShareBytes)]),
      ],
      notes: [],
    });
    json.bundle = {
      ownGzipBytes: b.typical.own.gzipBytes,
      withDepsGzipBytes: b.typical.withDeps.gzipBytes,
      ownMinBytes: b.typical.own.minBytes,
      withDepsMinBytes: b.typical.withDeps.minBytes,
      stylesCssGzipBytes: b.stylesCssGzipBytes,
      entries: { typical: b.typical, index: b.index, core: b.core, labels: b.labels },
      dist: d,
      sizeMjsAsPrinted: r.bundle.sizeMjs,
      sizeMjsPublicJsGzipBytes: r.bundle.publicJsGzipBytes,
      families,
      breakdown: r.bundle.breakdown,
    };
  }

  if (r.commits) {
    const c = r.commits;
    const rows = COMPONENT_IDS.map((id) => {
      const expected = id === 'TaskProgress' ? 1 : 0;
      const line = budget(`commits.${id}`, `${id} commits per progress update`, c.perTick[id], '=', expected, 'commits', { samples: `mean of ${c.ticks} updates` });
      budgets.push(line);
      return [id, fmtNum(c.perTick[id]), fmtNum(c.perTickPollerPatch[id]), String(expected), line.verdict];
    });
    tables.push({
      title: `2. React commits per progress update (${c.ticks} updates on a running task; Profiler onRender calls)`,
      head: ['Component', 'commits/update', 'with poller patch', 'budget', 'verdict'],
      rows: [...rows, ['(whole tree)', fmtNum(c.rootPerTick), '', '', '']],
      notes: [
        'update = store.setState(s => ({ tasks: s.tasks.map(t => ({ ...t, progress })) })); "with poller patch" also sets status, updatedAt and retry like the poller',
        `render time in TaskProgress: ${fmtMs(c.raw.progress.actualDurationMs.TaskProgress / c.ticks)} ms per update (Profiler actualDuration)`,
      ],
    });
    json.commitsPerProgressTick = c.perTick;
    json.commitsPerProgressTickPollerPatch = c.perTickPollerPatch;
    json.commitsDetail = { ticks: c.ticks, wholeTreePerTick: c.rootPerTick, perTick: c.raw.progress.commits, actualDurationMs: c.raw.progress.actualDurationMs };
  }

  if (r.flows?.length) {
    const rows = r.flows.map((f) => [
      f.label,
      medMax(f.requestsPerTask, fmtNum),
      kindsText(medianKinds(f.tasks.map((t) => t.byKind))),
      kindsText(f.perPage),
      medMax(f.endToEndMs),
      medMax(f.completeToLearnedMs),
      medMax(f.learnedToScreenMs),
    ]);
    const stream = flowOf(r, 'stream');
    const notes: string[] = [];
    if (stream) {
      const passes = stream.passes?.length ?? 1;
      const samples = `${stream.tasks.length} tasks${passes > 1 ? ` (${passes} passes × ${Math.round(stream.tasks.length / passes)})` : ''}`;
      const med = budget('flows.stream.learnedToScreen.median', 'Stream: event → result image on screen (backend learned of completion → img loaded), median', stream.learnedToScreenMs.median, '<=', 15, 'ms', { samples: `median of ${samples}`, section: 'flows: stream' });
      const max = budget('flows.stream.learnedToScreen.max', 'Stream: event → result image on screen, slowest task', stream.learnedToScreenMs.max, '<', 100, 'ms', { samples: `max of ${samples}`, section: 'flows: stream' });
      budgets.push(med, max);
      notes.push(`budget stream event → screen ≤ 15 ms median: ${fmtMs(med.actual)} ms, ${med.verdict}; slowest < 100 ms: ${fmtMs(max.actual)} ms, ${max.verdict}`);
      if (passes > 1) notes.push(`stream, per pass (median / max ms): ${stream.passes.map((p) => medMax(p.learnedToScreenMs)).join('; ')}`);
      notes.push(`samples: stream ${samples}; ${r.flows.filter((f) => f.path !== 'stream').map((f) => `${f.path} ${f.tasks.length} tasks (1 pass)`).join(', ')}`);
    }
    const first = r.flows[0]!;
    notes.push(
      `${first.tasks.length} tasks per path, submitted ${(first.spacingMs / 1000).toFixed(1)} s apart (so at most ${Math.ceil((first.timeline.queuedMs + Math.max(...first.timeline.generatingMs)) / first.spacingMs)} streams are open at once); simulator timeline ${first.timeline.queuedMs} ms queued + ${first.timeline.generatingMs.join(', ')} ms generating (one duration per task); clock offset page−Node ${fmtMs(first.clockOffset.ms)} ± ${fmtMs(first.clockOffset.uncertaintyMs)} ms`,
      'counted: GET /v1/capabilities, POST /v1/images/generations, GET /v1/images/generations/{id}, GET …/{id}/events, POST /v1/uploads/images; not counted: the page’s HTML/JS/CSS, result and reference image downloads',
      `upstream status reads: ${r.flows.map((f) => `${f.path} ${f.upstreamReads.proxy + f.upstreamReads.browser} (${f.upstreamReads.proxy ? 'by the proxy' : 'by the browser'})`).join(', ')}`,
      ...r.flows.map(
        (f) =>
          `${f.path}, backend knows → screen split (medians): → store has it completed ${fmtMs(summaryOf(f.tasks.map((t) => t.learnedToStoreMs)).median)} ms (max ${fmtMs(summaryOf(f.tasks.map((t) => t.learnedToStoreMs)).max)}), → img in DOM ${fmtMs(summaryOf(f.tasks.map((t) => t.storeToInsertMs)).median)} ms, img inserted → image download started ${fmtMs(summaryOf(f.tasks.map((t) => t.insertToImageRequestMs)).median)} ms (negative: started before the img existed), store → download started ${fmtMs(summaryOf(f.tasks.map((t) => t.storeToFetchStartMs)).median)} ms, download start → first byte ${fmtMs(summaryOf(f.tasks.map((t) => t.imageFetchToFirstByteMs)).median)} ms (of which request reaches the server ${fmtMs(summaryOf(f.tasks.map((t) => t.imageFetchToServerMs)).median)} ms, simulator renders the PNG ${fmtMs(summaryOf(f.tasks.map((t) => t.imageServerMs)).median)} ms) → last byte ${fmtMs(summaryOf(f.tasks.map((t) => t.imageFirstToLastByteMs)).median)} ms → load ${fmtMs(summaryOf(f.tasks.map((t) => t.imageLastByteToLoadMs)).median)} ms, inserted → loaded ${fmtMs(summaryOf(f.tasks.map((t) => t.insertToLoadMs)).median)} ms, downloads per result image ${fmtNum(summaryOf(f.tasks.map((t) => t.imageDownloads)).median)} (max ${fmtNum(summaryOf(f.tasks.map((t) => t.imageDownloads)).max)}); event streams open at once: ${f.maxOpenStreams}`,
      ),
    );
    tables.push({
      title: '3. Requests per task and completion-to-screen latency (ms, median / max)',
      head: ['Path', 'requests/task', 'per task', 'per page', 'completion → screen', 'completion → backend knows', 'backend knows → screen'],
      rows,
      notes,
    });
    const pick = (p: PathName, f: (x: FlowResult) => number) => {
      const x = flowOf(r, p);
      return x ? f(x) : null;
    };
    json.requestsPerTask = {
      polling: pick('polling-default', (f) => f.requestsPerTask.median),
      stream: pick('stream', (f) => f.requestsPerTask.median),
      pollingInterval1000: pick('polling-1000', (f) => f.requestsPerTask.median),
      perPage: first.perPage,
      counted: 'per task: POST /v1/images/generations + GET /v1/images/generations/{id} + GET /v1/images/generations/{id}/events; per page: GET /v1/capabilities; not counted: page assets, image downloads',
    };
    json.completionToScreenMs = {
      definition: 'median ms from upstream completion (creation + queuedMs + generatingMs) to the result img in the DOM and loaded',
      polling: pick('polling-default', (f) => f.endToEndMs.median),
      stream: pick('stream', (f) => f.endToEndMs.median),
      pollingInterval1000: pick('polling-1000', (f) => f.endToEndMs.median),
    };
    json.completionToScreenAfterBackendLearnedMs = {
      stream: pick('stream', (f) => f.learnedToScreenMs.median),
      streamMax: pick('stream', (f) => f.learnedToScreenMs.max),
      polling: pick('polling-default', (f) => f.learnedToScreenMs.median),
      pollingInterval1000: pick('polling-1000', (f) => f.learnedToScreenMs.median),
    };
    json.flows = r.flows;
  }

  if (r.references) {
    const x = r.references;
    const sizes = x.photos.map((p) => p.bytes);
    const n = x.passes.length;
    const at = { section: 'references' };
    const longest = budget('references.longestTask.max', `Longest main-thread task while adding ${x.photos.length} photos`, x.longestTaskMs.max, '<=', 50, 'ms', { ...at, samples: `worst of ${n} passes` });
    const gap = budget('references.longestFrameGap.max', `Longest gap between frames while adding ${x.photos.length} photos`, x.longestFrameGapMs.max, '<=', 100, 'ms', { ...at, samples: `worst of ${n} passes` });
    const firstThumb = budget('references.firstThumbnail.median', 'First thumbnail on screen', x.firstThumbnailMs.median, '<=', 500, 'ms', { ...at, samples: `median of ${n} passes (worst ${fmtMs(x.firstThumbnailMs.max)} ms)` });
    const allThumbs = budget('references.allThumbnails.median', `All ${x.photos.length} thumbnails on screen`, x.allThumbnailsMs.median, '<=', 1500, 'ms', { ...at, samples: `median of ${n} passes (worst ${fmtMs(x.allThumbnailsMs.max)} ms)` });
    const heap = budget('references.heapPeak.max', 'JS heap peak while adding the photos', x.heapPeakBytes.max, '<=', 40 * 1048576, 'B', { ...at, display: 'MiB', samples: `worst of ${n} passes` });
    budgets.push(longest, gap, firstThumb, allThumbs, heap);
    tables.push({
      title: `4. ${x.photos.length} reference photos of ${x.photos[0]?.width ?? 0}×${x.photos[0]?.height ?? 0} added at once through the tray’s file input (${x.passes.length} passes)`,
      head: ['Metric', 'median', 'max'],
      rows: [
        ['first thumbnail displayed (ms)', fmtMs(x.firstThumbnailMs.median), fmtMs(x.firstThumbnailMs.max)],
        ['all 14 thumbnails displayed (ms)', fmtMs(x.allThumbnailsMs.median), fmtMs(x.allThumbnailsMs.max)],
        ['all 14 uploaded (ms)', fmtMs(x.allUploadedMs.median), fmtMs(x.allUploadedMs.max)],
        ['longest main-thread task (ms)', fmtMs(x.longestTaskMs.median), fmtMs(x.longestTaskMs.max)],
        ['long tasks (> 50 ms)', fmtNum(x.longTaskCount.median), fmtNum(x.longTaskCount.max)],
        ['longest gap between frames (ms)', fmtMs(x.longestFrameGapMs.median), fmtMs(x.longestFrameGapMs.max)],
        ['frames over 25 ms apart', fmtNum(x.droppedFrames.median), fmtNum(x.droppedFrames.max)],
        ['JS heap before (MiB)', (x.heapBaselineBytes.median / 1048576).toFixed(1), (x.heapBaselineBytes.max / 1048576).toFixed(1)],
        ['JS heap peak (MiB)', (x.heapPeakBytes.median / 1048576).toFixed(1), (x.heapPeakBytes.max / 1048576).toFixed(1)],
      ],
      notes: [
        `photos: JPEG q 0.92 drawn in the page, ${fmtMB(Math.min(...sizes))}–${fmtMB(Math.max(...sizes))} (${fmtMB(sizes.reduce((a, b) => a + b, 0))} in all); ${x.downscaled} over the 10 MiB upload limit, downscaled by the kit in the browser`,
        ...[longest, gap, firstThumb, allThumbs, heap].map((l) => `budget ${l.name} ${opText(l)}${fmtLimit(l)} (${l.samples}): ${fmtActual(l)}, ${l.verdict}`),
        `worst of the ${x.passes.length} passes: longest task ${fmtMs(x.longestTaskMs.max)} ms, longest frame gap ${fmtMs(x.longestFrameGapMs.max)} ms, first thumbnail ${fmtMs(x.firstThumbnailMs.max)} ms, all thumbnails ${fmtMs(x.allThumbnailsMs.max)} ms, heap peak ${(x.heapPeakBytes.max / 1048576).toFixed(1)} MiB`,
        `traced pass (attribution only): ${x.traced.trace.longTasks.map((t) => `${fmtMs(t.durationMs)} ms (${fmtMs(t.cpuMs)} ms CPU) ${t.source}${t.js.length ? ` [js: ${t.js.join(', ')}]` : ''}`).join('; ') || 'no task over 50 ms'}`,
        `image decodes in the traced pass: ${x.traced.trace.imageDecodes.count}, ${fmtInt(x.traced.trace.imageDecodes.totalMs)} ms in all, longest ${fmtInt(x.traced.trace.imageDecodes.longestMs)} ms`,
      ],
    });
    json.references14 = {
      allThumbnailsMs: x.allThumbnailsMs.median,
      longestTaskMs: x.longestTaskMs.max,
      longestTaskMsMedian: x.longestTaskMs.median,
      firstThumbnailMs: x.firstThumbnailMs.median,
      allUploadedMs: x.allUploadedMs.median,
      longestFrameGapMs: x.longestFrameGapMs.median,
      droppedFrames: x.droppedFrames.median,
      heapBaselineBytes: x.heapBaselineBytes.median,
      heapPeakBytes: x.heapPeakBytes.max,
      /** The worst pass for each figure the issue's targets name (the fields above mix medians and maxima). */
      worst: {
        longestTaskMs: x.longestTaskMs.max,
        longestFrameGapMs: x.longestFrameGapMs.max,
        droppedFrames: x.droppedFrames.max,
        firstThumbnailMs: x.firstThumbnailMs.max,
        allThumbnailsMs: x.allThumbnailsMs.max,
        heapPeakBytes: x.heapPeakBytes.max,
      },
      downscaled: x.downscaled,
      photoBytes: sizes,
      generateMs: x.generateMs,
      passes: x.passes,
      traced: x.traced,
    };
  }

  if (r.concurrent?.length) {
    const rows = r.concurrent.map((c) => [
      c.label,
      fmtMs(c.durationMs),
      `${c.timersAlive.max} / ${fmtNum(c.timersAlive.median)}`,
      String(c.timersAlive.pollerMax),
      String(c.requests),
      c.requestsPerSecond.toFixed(1),
      kindsText(c.byKind),
      String(c.maxOpenStreams),
      `${fmtMs(c.submitSpanMs)} / ${fmtMs(c.submitTtfbMs.max)}`,
      medMax(c.completionLagMs),
      `${c.frames.dropped} / ${c.frames.frames} (${fmtMs(c.frames.longestGapMs)})`,
      `${c.longTasks.count} (${fmtMs(c.longTasks.longestMs)})`,
    ]);
    const first = r.concurrent[0]!;
    tables.push({
      title: `5. ${first.tasks} tasks at once in one store (simulator ${first.timeline.queuedMs} ms queued + ${first.timeline.generatingMs} ms generating, every task)`,
      head: ['Path', 'run ms', 'timers max / median', 'poller timers', 'requests', 'req/s', 'by kind', 'streams open (max)', 'submit span / max TTFB ms', 'completion → store ms', 'frames >25 ms / all (longest)', 'long tasks (longest ms)'],
      rows,
      notes: [
        'run = first submit() to the last task completed; timers = live setTimeout/setInterval, sampled every 50 ms; poller timers = those created by the poller’s schedule()',
        ...r.concurrent.map((c) => `${c.path}, most timers at once: ${Object.entries(c.timersAlive.busiestByLabel).map(([k, v]) => `${v}× ${k}`).join(', ')}`),
      ],
    });
    const main = concOf(r, 'polling-default');
    const stream = concOf(r, 'stream');
    json.concurrent20 = {
      headlinePath: 'polling-default (timersAlive = most live timers at once; requestsPerSecond over the run)',
      timersAlive: main?.timersAlive.max ?? null,
      requestsPerSecond: main?.requestsPerSecond ?? null,
      pollerTimers: main?.timersAlive.pollerMax ?? null,
      timersAliveStream: stream?.timersAlive.max ?? null,
      requestsPerSecondStream: stream?.requestsPerSecond ?? null,
      byPath: r.concurrent,
    };
  }

  if (r.mask) {
    const x = r.mask;
    const n = x.passes.length;
    const at = { section: 'mask' };
    const size = `${x.photo.width}×${x.photo.height}`;
    const longest = budget('mask.paintLongestTask.max', `Longest main-thread task while painting a mask on a ${size} reference`, x.paintLongestTaskMs.max, '<', 50, 'ms', { ...at, samples: `worst of ${n} passes (median ${fmtMs(x.paintLongestTaskMs.median)} ms; longtask API, 0 = none over 50 ms; longest task of any length in a traced pass ${fmtMs(x.traced.paint.longestTaskMs)} ms)` });
    const gap = budget('mask.paintLongestFrameGap.max', 'Longest gap between frames while painting the mask', x.paintLongestFrameGapMs.max, '<=', null, 'ms', { ...at, samples: `worst of ${n} passes (median ${fmtMs(x.paintLongestFrameGapMs.median)} ms)` });
    const exported = budget('mask.export.median', `Mask export: "Apply mask" click → upload starts (${size} PNG)`, x.exportMs.median, '<=', 1000, 'ms', { ...at, samples: `median of ${n} passes (worst ${fmtMs(x.exportMs.max)} ms)` });
    budgets.push(longest, gap, exported);
    const first = x.passes[0];
    tables.push({
      title: `6. Mask editor on a ${size} reference (${x.model}): painting at pointer rate, then "Apply mask" (${n} passes)`,
      head: ['Metric', 'median', 'max'],
      rows: [
        ['longest main-thread task while painting (ms; longtask API, 0 = none over 50 ms)', fmtMs(x.paintLongestTaskMs.median), fmtMs(x.paintLongestTaskMs.max)],
        ['long tasks (> 50 ms) while painting', fmtNum(x.paintLongTaskCount.median), fmtNum(x.paintLongTaskCount.max)],
        ['longest gap between frames while painting (ms)', fmtMs(x.paintLongestFrameGapMs.median), fmtMs(x.paintLongestFrameGapMs.max)],
        ['frames over 25 ms apart while painting', fmtNum(x.paintDroppedFrames.median), fmtNum(x.paintDroppedFrames.max)],
        ['pointer moves per second (while a button was down)', x.paintMovesPerSecond.median.toFixed(1), x.paintMovesPerSecond.max.toFixed(1)],
        ['export: click → upload starts (ms)', fmtMs(x.exportMs.median), fmtMs(x.exportMs.max)],
        ['click → mask uploaded (ms)', fmtMs(x.exportToUploadedMs.median), fmtMs(x.exportToUploadedMs.max)],
        ['longest main-thread task during the export (ms; 0 = none over 50 ms)', fmtMs(x.exportLongestTaskMs.median), fmtMs(x.exportLongestTaskMs.max)],
      ],
      notes: [
        `each pass: a fresh page, one ${size} JPEG drawn in the page and added through the tray, "Edit mask"; ${first ? `${first.paint.moves} pointer moves in ${Math.round(first.paint.moves / Math.max(1, x.paintMovesPerSecond.median))} s of strokes` : 'strokes'} with real mouse events (Playwright, CDP input) on the ${first ? `${Math.round(first.canvas.boxWidth)}×${Math.round(first.canvas.boxHeight)} CSS-pixel canvas (working bitmap ${first.canvas.width}×${first.canvas.height})` : 'canvas'}, default brush, painting ${Math.round(x.coverage.median * 100)} % of the mask; then "Apply mask": a ${first ? `${first.export.file.width}×${first.export.file.height}` : size} PNG of ${fmtInt(x.fileBytes.median)} B (median), read back from its upload URL`,
        ...[longest, gap, exported].map((l) => `budget ${l.name}${l.limit === null ? '' : ` ${opText(l)}${fmtLimit(l)}`} (${l.samples}): ${fmtActual(l)}, ${l.verdict}`),
        `traced pass (attribution only), painting: longest main-thread task of any length ${longestText(x.traced.paint)}, ${traceText(x.traced.paint)}; export (${fmtMs(x.traced.exportMs)} ms under the trace): longest main-thread task ${longestText(x.traced.export)}, ${traceText(x.traced.export)}`,
      ],
    });
    json.mask = {
      paintLongestTaskMs: x.paintLongestTaskMs,
      paintLongestFrameGapMs: x.paintLongestFrameGapMs,
      exportMs: x.exportMs,
      exportToUploadedMs: x.exportToUploadedMs,
      paintMovesPerSecond: x.paintMovesPerSecond,
      exportLongestTaskMs: x.exportLongestTaskMs,
      fileBytes: x.fileBytes,
      coverage: x.coverage,
      photo: x.photo,
      model: x.model,
      passes: x.passes,
      traced: x.traced,
    };
  }

  markBusy(budgets, r.machine?.sections ?? []);
  if (previous) attachPrevious(budgets, previous);
  json.budgets = budgets;
  if (previous) json.previousRun = { generatedAt: typeof previous.generatedAt === 'string' ? previous.generatedAt : null };
  return { json, tables, budgets, results: r, generatedAt };
}

/** A traced window's longest main-thread task, with what ran in it. */
function longestText(t: TraceSummary): string {
  const l = t.longest;
  if (!l) return `${fmtMs(t.longestTaskMs)} ms`;
  return `${fmtMs(l.durationMs)} ms (${fmtMs(l.cpuMs)} ms CPU, ${l.source}${l.js.length ? `; js: ${l.js.join(', ')}` : ''}${l.native.length ? `; native: ${l.native.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}` : ''})`;
}

/** A traced window's long tasks, in one line. */
function traceText(t: { longTasks: Array<{ durationMs: number; cpuMs: number; source: string; js: string[] }> }): string {
  return t.longTasks.map((l) => `${fmtMs(l.durationMs)} ms (${fmtMs(l.cpuMs)} ms CPU) ${l.source}${l.js.length ? ` [js: ${l.js.join(', ')}]` : ''}`).join('; ') || 'no task over 50 ms';
}

/* -------------------------------------------------------------------------------------------------
 * Busy machine, before / after
 * -----------------------------------------------------------------------------------------------*/

/** Flags each budget whose section ran while other work kept the machine busy. */
function markBusy(budgets: BudgetLine[], sections: SectionLoad[]): void {
  for (const b of budgets) {
    if (!b.section) continue;
    const mine = sections.filter((s) => s.section === b.section || s.section.startsWith(`${b.section} `));
    if (mine.length) b.busy = mine.some((s) => s.busy);
  }
}

/** The previous docs/benchmarks.json, or undefined. */
export function readPrevious(path = resolve(ROOT, 'docs/benchmarks.json')): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Files written before budget lines had ids (up to November 2026) hold the same figures under
 * other keys; these map them. `note` marks a figure measured differently then.
 */
const LEGACY: Record<string, (p: Record<string, unknown>) => { actual: number | undefined; note?: string }> = {
  'bundle.firstLoad.withDeps': (p) => ({ actual: num(get(p, 'bundle', 'withDepsGzipBytes')), note: 'then: Vite build of src/, no code splitting' }),
  'bundle.firstLoad.own': (p) => ({ actual: num(get(p, 'bundle', 'ownGzipBytes')), note: 'then: Vite build of src/, no code splitting' }),
  'flows.stream.learnedToScreen.median': (p) => ({ actual: num(get(p, 'completionToScreenAfterBackendLearnedMs', 'stream')), note: 'then: 7 tasks, 1 pass' }),
  'flows.stream.learnedToScreen.max': (p) => ({ actual: num(get(p, 'completionToScreenAfterBackendLearnedMs', 'streamMax')), note: 'then: 7 tasks, 1 pass' }),
  'references.longestTask.max': (p) => ({ actual: num(get(p, 'references14', 'longestTaskMs')) }),
  'references.firstThumbnail.median': (p) => ({ actual: num(get(p, 'references14', 'firstThumbnailMs')) }),
  'references.allThumbnails.median': (p) => ({ actual: num(get(p, 'references14', 'allThumbnailsMs')) }),
  'references.heapPeak.max': (p) => ({ actual: num(get(p, 'references14', 'heapPeakBytes')) }),
  'references.longestFrameGap.max': (p) => {
    const passes = get(p, 'references14', 'passes');
    const gaps = Array.isArray(passes) ? passes.map((x) => num(get(x, 'frames', 'longestGapMs'))).filter((x): x is number => x !== undefined) : [];
    return { actual: gaps.length ? Math.max(...gaps) : undefined };
  },
};

/** Adds the previous run's value of each budget figure (by id; by the legacy keys for older files). */
export function attachPrevious(budgets: BudgetLine[], previous: Record<string, unknown>): void {
  const at = typeof previous.generatedAt === 'string' ? previous.generatedAt : undefined;
  const lines = Array.isArray(previous.budgets) ? (previous.budgets as Array<Record<string, unknown>>) : [];
  for (const b of budgets) {
    const same = lines.find((l) => l.id === b.id);
    if (same && num(same.actual) !== undefined) {
      b.previous = { actual: same.actual as number, met: typeof same.met === 'boolean' ? same.met : null, at, ...(same.busy === true && { busy: true }) };
      continue;
    }
    const commits = /^commits\.(.+)$/.exec(b.id);
    const legacy = commits ? { actual: num(get(previous, 'commitsPerProgressTick', commits[1]!)) } : LEGACY[b.id]?.(previous);
    if (legacy?.actual === undefined) continue;
    const again = budget(b.id, b.name, legacy.actual, b.op, b.limit, b.unit, { samples: b.samples, ...(b.display && { display: b.display }) });
    b.previous = { actual: legacy.actual, met: again.met, at, ...(legacy.note && { note: legacy.note }) };
  }
}

/** The median count of each request kind over the tasks. */
function medianKinds(list: Array<Partial<Record<string, number>>>): Partial<Record<string, number>> {
  const kinds = new Set(list.flatMap((k) => Object.keys(k)));
  return Object.fromEntries([...kinds].map((k) => [k, summaryOf(list.map((x) => x[k] ?? 0)).median]));
}

function kindsText(kinds: Partial<Record<string, number>>): string {
  const short: Record<string, string> = { submit: 'submit', status: 'read', events: 'stream', capabilities: 'caps', upload: 'upload', 'other-api': 'other' };
  return (
    Object.entries(kinds)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([k, n]) => `${fmtNum(n ?? 0)} ${short[k] ?? k}`)
      .join(' + ') || '–'
  );
}

const RADIX_FAMILY = /^(@radix-ui\/|@floating-ui\/|react-remove-scroll|react-style-singleton|use-sidecar|use-callback-ref|aria-hidden|get-nonce|tslib)/;

/** Totals per family: the kit's own modules, zod, zustand, Radix Select with what it pulls in. */
function familyTotals(rows: BreakdownRow[]): BreakdownRow[] {
  const families = new Map<string, BreakdownRow>();
  for (const row of rows) {
    const family = row.own ? "kit's own code (src/)" : RADIX_FAMILY.test(row.group) ? 'Radix Select + Floating UI, react-remove-scroll, aria-hidden…' : row.group.startsWith('other') ? 'entry stub' : row.group;
    const f = families.get(family) ?? { group: family, own: row.own, minBytes: 0, gzipShareBytes: 0 };
    f.minBytes += row.minBytes;
    f.gzipShareBytes += row.gzipShareBytes;
    families.set(family, f);
  }
  return [...families.values()].sort((a, b) => b.gzipShareBytes - a.gzipShareBytes);
}

export function printReport(report: Report): void {
  const m = report.results.machine;
  console.log('');
  if (m) {
    console.log(`Machine: ${m.cpuModel}, ${m.cores} cores, ${fmtMB(m.ramBytes)} RAM, ${m.os}; Node ${m.node}; Chromium ${m.chromium}; load average ${m.loadAverage.start} → ${m.loadAverage.end}`);
  }
  for (const t of report.tables) console.log(`\n${textTable(t)}`);
  const busy = (m?.sections ?? []).filter((x) => x.busy);
  if (busy.length) console.log(`\nMachine busy with other work during: ${busy.map(sectionLoadText).join('; ')} — those figures are pessimistic.`);
  console.log('\nBudgets (before → now)');
  for (const b of report.budgets) {
    const state = b.met === null ? 'INFO  ' : b.met ? 'MET   ' : 'MISSED';
    const before = b.previous ? `${fmtValue(b.previous.actual, b.unit, b.display)} → ` : '';
    console.log(`  ${state}  ${b.name}: ${before}${fmtActual(b)} (${b.limit === null ? 'no budget' : `budget ${b.op} ${fmtLimit(b)}`}; ${b.samples})${b.busy ? ' [machine busy]' : ''} — ${b.verdict}`);
  }
}

const sectionLoadText = (x: SectionLoad) =>
  `${x.section} (${x.otherCpuShare === null ? 'other work: unknown' : `other work ${Math.round(x.otherCpuShare * 100)} % of the CPUs`}, load ${x.loadStart} → ${x.loadEnd})`;

/** The budgets table of docs/benchmarks.md: previous run, this run, samples, verdict. */
export function budgetsMarkdown(report: Report): string[] {
  const prevAt = report.budgets.find((b) => b.previous?.at)?.previous?.at;
  const out = [
    `| Budget | Before${prevAt ? ` (${prevAt.slice(0, 10)})` : ''} | Now | Samples | Verdict |`,
    '| --- | ---: | ---: | --- | --- |',
  ];
  for (const b of report.budgets) {
    const before = b.previous
      ? `${fmtValue(b.previous.actual, b.unit, b.display)}${b.previous.met === null ? '' : b.previous.met ? ' (met)' : ' (missed)'}${b.previous.busy ? ', machine busy' : ''}${b.previous.note ? ` ¹` : ''}`
      : '–';
    const verdict = b.met === null ? b.verdict : `${b.met ? '**met**' : '**missed**'} — ${b.verdict}`;
    out.push(`| ${b.name}${b.limit === null ? '' : ` ${opText(b)}${fmtLimit(b)}`} | ${before} | ${fmtActual(b)} | ${b.samples}${b.busy ? ' — **machine busy**' : ''} | ${verdict} |`);
  }
  const notes = [...new Set(report.budgets.flatMap((b) => (b.previous?.note ? [`${b.name}: ${b.previous.note}`] : [])))];
  if (notes.length) out.push('', `¹ Measured differently in the previous run — ${notes.join('; ')}.`);
  return out;
}

export function writeReport(report: Report): string[] {
  const jsonPath = resolve(ROOT, 'docs/benchmarks.json');
  const mdPath = resolve(ROOT, 'docs/benchmarks.md');
  // `npm run bench:proxy` (scripts/bench/proxy.ts) keeps its results in the same files: carry them over.
  const previousJson = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  const previousProxy = existsSync(mdPath) ? extractSection(readFileSync(mdPath, 'utf8'), PROXY_HEADING) : undefined;
  const json = previousJson.proxy === undefined ? report.json : { ...report.json, proxy: previousJson.proxy };
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(mdPath, previousProxy ? replaceSection(markdown(report), PROXY_HEADING, previousProxy) : markdown(report));
  return ['docs/benchmarks.json', 'docs/benchmarks.md'];
}

/* -------------------------------------------------------------------------------------------------
 * Markdown
 * -----------------------------------------------------------------------------------------------*/

export function markdown(report: Report): string {
  const r = report.results;
  const m = r.machine;
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    'Generated by `npm run bench` (`scripts/bench/run.ts`): a measurement, not a test. It builds the bench page',
    '(`bench/`), starts its own Hono server on a free loopback port (the simulator under `/__sim`, the proxy at `/v1`,',
    'as `npm start` wires them) and Debian Chromium through playwright-core, and writes this file and `docs/benchmarks.json`.',
    '',
  );
  out.push(`Run: ${report.generatedAt}`, '');
  if (m) {
    out.push(
      '| Machine | |',
      '| --- | --- |',
      `| CPU | ${m.cpuModel} (/proc/cpuinfo), ${m.cores} logical cores available |`,
      `| RAM | ${fmtMB(m.ramBytes)} |`,
      `| OS | ${m.os} |`,
      `| Node | ${m.node} |`,
      `| Chromium | ${m.chromium} (headless, --disable-gpu), playwright-core ${m.playwrightCore} |`,
      `| Load average (1 min) | ${m.loadAverage.start} at start, ${m.loadAverage.end} at end |`,
      '',
      ...(m.sections?.length
        ? [
            '**Load during the run.** Other work = the machine’s busy CPU time (/proc/stat) minus the bench’s own processes',
            `(Node and Chromium), as a share of all cores; a section is **busy** at ${Math.round(BUSY_SHARE * 100)} % or more.`,
            '',
            '| Section | s | Load (1 min) start → end | Other work | Busy |',
            '| --- | ---: | ---: | ---: | --- |',
            ...m.sections.map((x) => `| ${x.section} | ${(x.durationMs / 1000).toFixed(1)} | ${x.loadStart} → ${x.loadEnd} | ${x.otherCpuShare === null ? '–' : `${Math.round(x.otherCpuShare * 100)} %`} | ${x.busy ? '**busy**' : 'no'} |`),
            '',
          ]
        : []),
      'Browser, server and bench all share these cores: timings are loopback timings on a small machine, and the',
      'scenarios that move hundreds of megabytes (section 4) vary from run to run.',
      ...(m.sections?.some((x) => x.busy)
        ? ['', `**The machine was busy with other work during ${m.sections.filter((x) => x.busy).map((x) => x.section).join(', ')}: the timings of those sections are pessimistic.**`]
        : !m.sections?.length && Math.max(m.loadAverage.start, m.loadAverage.end) > m.cores
          ? ['', `**The machine was busy with other work during this run (load average above ${m.cores}): frame and long-task figures are pessimistic.**`]
          : []),
      '',
    );
  }
  out.push(
    '## Budgets',
    '',
    'Issue 13’s budgets (and the older commit and latency budgets, and issue 15’s mask editor), each against the previous `docs/benchmarks.json`',
    '(Before) and this run (Now). Figures that vary are measured over several passes; Samples says which statistic of how many.',
    '',
    ...budgetsMarkdown(report),
    '',
  );

  const byTitle = (prefix: string) => report.tables.find((t) => t.title.startsWith(prefix));
  const section = (prefix: string, heading: string, intro: string[], after: string[] = []) => {
    const t = byTitle(prefix);
    if (!t) return;
    out.push(`## ${heading}`, '', ...intro, '', `**${t.title.replace(/^\d+b?\. /, '')}**`, '', mdTable(t), '');
    for (const n of t.notes) out.push(`- ${n}`);
    out.push('', ...after);
  };

  section('1. ', '1. Bundle size', [
    'Measured like `scripts/size.mjs`: Vite library build of each entry, minified, gzip level 9; "own" keeps every',
    'dependency external, "with deps" bundles everything except react/react-dom. The typical host import is',
    '`export { GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress }`, tree-shaken.',
    'Issue 13’s budgets use the two `dist/index.js` rows: the built package bundled by esbuild as size-limit does;',
    '"first load" leaves every dynamic `import()` (code the kit loads on demand) external, "total" bundles it in.',
    '`npm test` holds the same measures to the limits in `.size-limit.js` (size-limit with its preset for libraries),',
    'so a regression fails the build; README.md "What a page loads first" lists what loads on demand and when.',
  ]);
  section('1b. ', '1b. What costs the bytes', [
    'A second build of the typical import with `preserveModules`: each output module minified and gzipped on its',
    'own; the per-module gzip figures are scaled to the whole bundle’s gzip size (small files compress worse alone).',
  ], bytesAnalysis(r));

  section('2. ', '2. React commits per progress update', [
    'The bench page renders the four components, each inside its own `<React.Profiler>`, over one store, with',
    '**production React** (Vite production build with `react-dom/client` aliased to `react-dom/profiling`, whose',
    'Profiler `onRender` fires). A task is submitted to the simulator (pollInterval 10 min, so the poller stays',
    'out of the way), moved to `generating`, then 20 progress updates are written to the store exactly as the',
    'poller does, two animation frames apart; a commit counts for a component when its Profiler reports one.',
  ]);

  section('3. ', '3. Requests per task and completion-to-screen latency', [
    'Three backends on the same in-process server: **stream** — the proxy in front of the simulator (the kit',
    'reads `GET /v1/capabilities` → `{stream:true}` and follows each task over Server-Sent Events; the proxy',
    'polls upstream every 1 s, `pollIntervalMs: 1000` as in `npm start`); **polling** — the simulator alone with the',
    'kit’s default cadence (`/v1/capabilities` answers 404, so the kit polls); and polling with `pollInterval: 1000`.',
    'The simulator’s clock read at submit is the task’s creation instant, so upstream completion = creation +',
    'queuedMs + generatingMs exactly; "backend knows" is the first upstream answer that says `completed` (wrapped',
    'upstream fetch); "screen" is the result `<img>` in the DOM and its `load` event (in-page MutationObserver,',
    '`performance.timeOrigin + performance.now()`, mapped onto Node’s clock with the measured offset).',
    `Task durations are spread (${taskSeconds(r)} s), so completions fall at different phases of each cadence instead of one lucky or unlucky phase.`,
  ], latencyAnalysis(r));

  section('4. ', '4. Fourteen 12-megapixel reference photos', [
    'Fourteen 4000×3000 JPEGs (gradient, shapes and grain, `OffscreenCanvas.convertToBlob({ type: "image/jpeg",',
    'quality: 0.92 })`) are drawn in the page, garbage is collected (CDP), then all are put into the tray’s file',
    'input at once (`DataTransfer` → `input.files` → `change`, the same path as a file picker) against the proxy +',
    'simulator (10 MiB upload limit). Thumbnails count as displayed when `img.complete && img.naturalWidth > 0`.',
    'Long tasks: `PerformanceObserver` `longtask` (buffered); frame gaps: a `requestAnimationFrame` monitor; heap:',
    '`performance.memory.usedJSHeapSize` (`--enable-precise-memory-info`) sampled every 25 ms and every frame.',
  ], referencesAnalysis(r));

  section('5. ', '5. Twenty tasks at once', [
    'Twenty `submit()` calls back to back in one store, then wait until all are completed. Timers: the page’s',
    '`setTimeout`/`setInterval`/`clear*` are wrapped by an init script (`bench/timer-counter.ts`, installed with',
    '`page.addInitScript` before any page script) that records each live timer and the function names of the stack',
    'that created it; the bench page’s own monitors use the unwrapped functions.',
  ], concurrencyAnalysis(r));

  section('6. ', '6. Mask editor on a 12-megapixel reference', [
    'Issue 15’s figures. Each pass opens a fresh bench page with the model `gpt-image-2`, draws one 4000×3000 JPEG',
    'as section 4 does, adds it through the tray and waits until it is uploaded, then clicks "Edit mask". The strokes',
    'are real mouse events (Playwright’s `page.mouse`, CDP input), so the editor’s own pointer handlers run: 4 strokes',
    '(two horizontal, two diagonal) of 60 moves each, one move every 16.7 ms on Node’s clock (a 60 Hz mouse), with the',
    'default brush. Long tasks (`PerformanceObserver` `longtask`) and frame gaps (`requestAnimationFrame`) are the',
    'monitors of section 4, from the first stroke to 200 ms after the last. Export time: from the click on "Apply mask"',
    '(the `click` event’s `timeStamp`) to the first store update with `mask.state === "uploading"` — the PNG is made',
    '(in the image worker) and its upload starts. The uploaded PNG is read back from its URL to check its pixel size.',
    'A sixth pass runs under a Chromium trace (painting and export traced apart) to attribute any long task.',
  ], maskAnalysis(r));

  out.push('## Raw data', '', 'Every figure above, per task and per pass, is in `docs/benchmarks.json`.', '');
  return `${out.join('\n')}\n`;
}

function taskSeconds(r: Partial<BenchResults>): string {
  const t = r.flows?.[0]?.timeline;
  if (!t) return '?';
  const total = (g: number) => ((t.queuedMs + g) / 1000).toFixed(1);
  return `${total(Math.min(...t.generatingMs))}–${total(Math.max(...t.generatingMs))}`;
}

function bytesAnalysis(r: Partial<BenchResults>): string[] {
  if (!r.bundle) return [];
  const fam = familyTotals(r.bundle.breakdown);
  const own = r.bundle.breakdown.filter((x) => x.own).slice(0, 6);
  const total = r.bundle.report.typical.withDeps.gzipBytes;
  const ownTotal = r.bundle.report.typical.own.gzipBytes;
  return [
    '**Analysis.**',
    `- Of the ${fmtInt(total)} B a host pays, ${fam.map((f) => `${f.group} ≈ ${fmtInt(f.gzipShareBytes)} B`).join(', ')}.`,
    `- The kit’s own ${fmtInt(ownTotal)} B are spread over the store and the components; the largest: ${own.map((x) => `${x.group} ≈ ${fmtInt(x.gzipShareBytes)} B`).join(', ')}.`,
    '- The model registry (`src/core/models`) ships every model’s capabilities and prices to every host; the store',
    '  carries persistence, lost-submit recovery and upload queueing; the components carry their parts, labels and',
    '  accessibility wiring. The first-load budgets (20 kB own, 45 kB with dependencies) are met by what the page',
    '  does not load up front: the registry trimmed or fetched, parts loaded on demand (dynamic `import()`), a',
    '  lighter select than Radix (it pulls in Floating UI, react-remove-scroll, focus scope…) or no zod in the browser.',
    '',
  ];
}

function latencyAnalysis(r: Partial<BenchResults>): string[] {
  const s = flowOf(r, 'stream');
  const p = flowOf(r, 'polling-default');
  if (!s || !p) return [];
  return [
    '**Analysis.**',
    `- With the stream the browser makes ${fmtNum(s.requestsPerTask.median)} requests per task (submit + one event stream) against ${fmtNum(p.requestsPerTask.median)} with the default polling cadence on ${taskSeconds(r)} s tasks (one more every 4–6 s on longer tasks) — plus one capabilities probe per page either way. The polling moves to the server: the proxy read upstream ${s.upstreamReads.proxy} times for ${s.tasks.length} tasks.`,
    `- End to end the stream shows the image ${fmtMs(s.endToEndMs.median)} ms (median) after upstream completion, almost all of it the proxy’s own 1 s upstream poll; the default polling cadence takes ${fmtMs(p.endToEndMs.median)} ms.`,
    `- After the backend knows, the stream puts the image on screen in ${fmtMs(s.learnedToScreenMs.median)} ms (max ${fmtMs(s.learnedToScreenMs.max)}). The kit’s own part is small: SSE event → store ${fmtMs(summaryOf(s.tasks.map((t) => t.learnedToStoreMs)).median)} ms, store → result \`<img>\` committed to the DOM ${fmtMs(summaryOf(s.tasks.map((t) => t.storeToInsertMs)).median)} ms (medians). The rest is the image itself (Resource Timing of the image, medians): the download starts ${fmtMs(summaryOf(s.tasks.map((t) => t.storeToFetchStartMs)).median)} ms after the store update (TaskProgress starts it from its store subscription, before React renders the \`<img>\`, which is eager with \`fetchpriority="high"\` and reuses that download), first byte after ${fmtMs(summaryOf(s.tasks.map((t) => t.imageFetchToFirstByteMs)).median)} ms (the request reaches the bench server after ${fmtMs(summaryOf(s.tasks.map((t) => t.imageFetchToServerMs)).median)} ms, the simulator renders the placeholder PNG in ${fmtMs(summaryOf(s.tasks.map((t) => t.imageServerMs)).median)} ms, the rest is Node writing the answer and Chromium’s network stack), last byte ${fmtMs(summaryOf(s.tasks.map((t) => t.imageFirstToLastByteMs)).median)} ms later, \`load\` ${fmtMs(summaryOf(s.tasks.map((t) => t.imageLastByteToLoadMs)).median)} ms after that.`,
    '- The slowest samples (up to a few hundred ms) come from the shared two cores: the same Node process runs the server and drives the browser, so an image request or a layout can wait behind other work. Read the maxima as noise bounds, the medians as the figure.',
    '',
  ];
}

const summaryOf = (xs: number[]): Summary => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return { min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN, median: sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2 };
};

function referencesAnalysis(r: Partial<BenchResults>): string[] {
  const x = r.references;
  if (!x) return [];
  const t = x.traced.trace;
  const encode = t.longTasks.filter((l) => l.source.startsWith('canvas_async_blob_creator'));
  const lines = ['**Analysis** (from a Chromium trace of a further pass; the measured passes run untraced).'];
  if (encode.length) {
    lines.push(
      `- The longest task is the JPEG encode of the kit’s downscale: \`OffscreenCanvas.convertToBlob()\` in \`createBrowserImageCodec().encode\` (src/browser/environment.ts) runs on the main thread. Chromium encodes a main-thread canvas in idle-time slices of rows (\`IdleEncodeRows\`) and, when no idle time comes before its deadline, all remaining rows in one task (\`IdleTaskStartTimeoutEvent\`); either can exceed 50 ms for a ${x.photos[0]?.width ?? ''}×${x.photos[0]?.height ?? ''} photo. In the traced pass: ${encode.map((e) => `${fmtMs(e.durationMs)} ms wall, ${fmtMs(e.cpuMs)} ms CPU (\`${e.source}\`)`).join('; ')}. Wall time above CPU time means the task was waiting for one of the two cores (shared with image decoding and the in-process server). Encoding in a Worker (an OffscreenCanvas there, or \`createImageBitmap\` with \`resizeWidth\` before the encode) would take it off the main thread.`,
    );
  }
  const other = t.longTasks.filter((l) => !l.source.startsWith('canvas_async_blob_creator'));
  if (other.length) {
    lines.push(`- Other long tasks in the traced pass (a task with far less CPU than wall time was waiting for a core, not working): ${other.map((l) => `${fmtMs(l.durationMs)} ms (${fmtMs(l.cpuMs)} ms CPU) from ${l.source}${l.js.length ? ` (JS: ${l.js.join(', ')})` : ''}${l.native.length ? ` (native: ${l.native.map(([n, ms]) => `${n} ${ms} ms`).join(', ')})` : ''}`).join('; ')}.`);
  }
  lines.push(
    `- Frames stop for seconds even when the main thread is free: each thumbnail is an \`<img>\` of the whole 12 MP file (a \`blob:\` URL of the original, or downscaled, file), and the raster workers decoded ${t.imageDecodes.count} such images for ${fmtInt(t.imageDecodes.totalMs)} ms in all (longest ${fmtInt(t.imageDecodes.longestMs)} ms) while the compositor waited. A small thumbnail (e.g. \`createImageBitmap(file, { resizeWidth: 160 })\` → canvas → blob) would cut that to a few ms per image and also lower the decoded-image memory (12 MP ≈ 46 MiB each).`,
    '- SHA-256 of every file (`hashReference`, for de-duplication) runs on the main thread inside `crypto.subtle.digest` (`DoDigest` in the trace): about 13 ms per 7 MB file, each in its own task, so it adds load but not long tasks.',
    '',
  );
  return lines;
}

function maskAnalysis(r: Partial<BenchResults>): string[] {
  const x = r.mask;
  if (!x) return [];
  const first = x.passes[0];
  const lines = ['**Analysis.**'];
  if (first) {
    lines.push(
      `- Painting works on a working bitmap of ${first.canvas.width}×${first.canvas.height} (≈ ${((first.canvas.width * first.canvas.height) / 1e6).toFixed(1)} MP, whatever the reference’s size): each pointer move fills spans of rows of a byte array and the canvas is redrawn once per frame, only where it changed, so the main thread stays far from 50 ms: ${x.paintLongTaskCount.max === 0 ? `no task over 50 ms in ${x.passes.length} passes` : `longest task ${fmtMs(x.paintLongestTaskMs.max)} ms over ${x.passes.length} passes`}, and the longest main-thread task of any length in the traced pass took ${longestText(x.traced.paint)}.`,
      `- The export scales that bitmap to ${first.export.file.width}×${first.export.file.height} and encodes the PNG in the image worker; the main thread copies the ${((first.canvas.width * first.canvas.height) / 1e6).toFixed(1)} MB bitmap, posts it, and takes the files back (${x.exportLongestTaskMs.max === 0 ? 'no task over 50 ms' : `longest task ${fmtMs(x.exportLongestTaskMs.max)} ms`} during the export; in the traced pass the longest was ${longestText(x.traced.export)}). Click → upload starts ${fmtMs(x.exportMs.median)} ms (median, worst ${fmtMs(x.exportMs.max)} ms); the PNG is ${fmtInt(x.fileBytes.median)} B.`,
    );
  }
  if (x.traced.paint.longTasks.length || x.traced.export.longTasks.length) {
    lines.push(`- Long tasks in the traced pass: painting ${traceText(x.traced.paint)}; export ${traceText(x.traced.export)}.`);
  }
  lines.push('');
  return lines;
}

function concurrencyAnalysis(r: Partial<BenchResults>): string[] {
  const s = concOf(r, 'stream');
  const p = concOf(r, 'polling-default');
  if (!s || !p) return [];
  const lines = ['**Analysis.**'];
  lines.push(
    `- Timers: at most ${p.timersAlive.max} live timers with polling, and never more than ${Math.max(p.timersAlive.pollerMax, s.timersAlive.pollerMax)} from the poller — one timer serves every task of the store, as designed. The others are the client’s per-request timeouts (one per request in flight, 60 s, cleared on answer).`,
  );
  if (s.submitTtfbMs.max > 1000) {
    lines.push(
      `- **Stream path with many tasks: HTTP/1.1 connection starvation.** Each followed task holds one \`fetch\` event stream open, and Chromium allows 6 connections per host over HTTP/1.1 (what \`@hono/node-server\`, and so \`npm start\`, serves; the page never had more than ${s.maxOpenStreams} streams open). With ${s.tasks} tasks the 7th and later requests to the backend queue behind open streams: submitting all ${s.tasks} took ${fmtInt(s.submitSpanMs)} ms (polling: ${fmtInt(p.submitSpanMs)} ms), the slowest submit waited ${fmtInt(s.submitTtfbMs.max)} ms for its first byte, and the run lasted ${fmtInt(s.durationMs)} ms against ${fmtInt(p.durationMs)} ms. Uploads, submits and every other request to that origin are blocked the same way. Behind HTTP/2 this disappears; in the kit, one multiplexed stream per store (several task ids on one connection) or falling back to polling beyond ~4 open streams would avoid it.`,
    );
  }
  if (s.streamsRefused > 0) lines.push(`- The proxy refused ${s.streamsRefused} event streams (429, at most 16 per visitor); the kit polled those tasks instead.`);
  lines.push(
    `- Requests per second: ${p.requestsPerSecond.toFixed(1)} with the default cadence (${p.requests} requests), ${concOf(r, 'polling-1000')?.requestsPerSecond.toFixed(1) ?? '–'} with pollInterval 1000, ${s.requestsPerSecond.toFixed(1)} over the stream (submits and streams only).`,
    '',
  );
  return lines;
}
