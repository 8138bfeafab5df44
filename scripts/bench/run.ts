/**
 * `npm run bench` — the kit's benchmark (not a test): bundle size, React commits per progress
 * update, requests and completion-to-screen latency (stream vs polling), 14 large reference photos,
 * 20 concurrent tasks, and the mask editor on a 12 MP reference. Starts and stops its own server (loopback, free port) and Debian
 * Chromium; prints a table and writes docs/benchmarks.json and docs/benchmarks.md.
 *
 * `BENCH_ONLY=bundle,commits,flows,references,concurrent,mask` runs a subset and writes nothing (but
 * /tmp/kit-bench-partial.json).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { loadNow, machineInfo, startSectionLoad, type SectionLoad } from './machine';
import { ROOT, buildBenchPage, type BuiltPage } from './page';
import { buildReport, printReport, readPrevious, writeReport, type BenchResults } from './report';
import { commitsScenario, concurrentScenario, flowScenario, maskScenario, PATHS, poolFlowPasses, referencesScenario, type FlowResult } from './scenarios';
import { startBenchServer, type BenchServer } from './server';
import { bundleBreakdown, measureBundle } from './size';

const SECTIONS = ['bundle', 'commits', 'flows', 'references', 'concurrent', 'mask'] as const;
type Section = (typeof SECTIONS)[number];

/** The whole run may take at most this long; then it cleans up and exits non-zero. */
const OVERALL_TIMEOUT_MS = 15 * 60_000;

const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Section[];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; use ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const wanted = (s: Section) => only.length === 0 || only.includes(s);

const settings = {
  ticks: 20,
  // `streamPasses` passes of the stream path (its latency has a budget), one of each polling path.
  flow: { tasks: 7, spacingMs: 2200, queuedMs: 1000, generatingMs: 5000, spreadMs: 3000, streamPasses: 5 },
  references: { count: 14, width: 4000, height: 3000, passes: 5 },
  concurrent: { tasks: 20, queuedMs: 1000, generatingMs: 5000 },
  // Issue 15: one 12 MP reference, 4 strokes of 60 pointer moves at 60 Hz, then "Apply mask".
  mask: { width: 4000, height: 3000, passes: 5, model: 'gpt-image-2', strokes: 4, movesPerStroke: 60, moveIntervalMs: 1000 / 60, pauseMs: 150 },
};

let browser: Browser | undefined;
let server: BenchServer | undefined;
let page: BuiltPage | undefined;

async function cleanup() {
  const b = browser;
  const s = server;
  browser = undefined;
  server = undefined;
  await b?.close().catch(() => {});
  await s?.stop().catch(() => {});
  if (page) rmSync(dirname(page.dir), { recursive: true, force: true });
  page = undefined;
}

/** How busy the machine was during each section (other work skews timings). */
const sectionLoads: SectionLoad[] = [];

function step(name: string, section?: string) {
  const started = performance.now();
  const load = section ? startSectionLoad(section) : undefined;
  process.stdout.write(`• ${name}… `);
  return () => {
    const l = load?.();
    if (l) sectionLoads.push(l);
    const busy = l?.busy ? ` — machine busy: other work used ${l.otherCpuShare === null ? `? (load ${l.loadEnd})` : `${Math.round(l.otherCpuShare * 100)} %`} of the CPUs` : '';
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s${busy}`);
  };
}

async function main() {
  const loadAtStart = loadNow();
  const results: Partial<BenchResults> = { settings };
  let chromiumVersion = 'not started';
  const pw = JSON.parse(readFileSync(resolve(ROOT, 'node_modules/playwright-core/package.json'), 'utf8')) as { version: string };

  if (wanted('bundle')) {
    const done = step('bundle size (scripts/size.mjs, first load/total of dist/, breakdown)', 'bundle');
    const bundle = await measureBundle();
    results.bundle = { ...bundle, breakdown: await bundleBreakdown(bundle.report.typical.withDeps.gzipBytes) };
    done();
  }

  const needBrowser = (['commits', 'flows', 'references', 'concurrent', 'mask'] as const).some(wanted);
  if (needBrowser) {
    let done = step('bench page build (production React, profiling)');
    page = await buildBenchPage();
    done();
    server = await startBenchServer(page.dir);
    browser = await launchChromium();
    chromiumVersion = browser.version();
    console.log(`  server ${server.origin}, Chromium ${chromiumVersion}, load average ${loadAtStart}`);

    if (wanted('commits')) {
      done = step(`commits per progress update (${settings.ticks} updates)`, 'commits');
      results.commits = await commitsScenario(browser, server, page.initScript, settings.ticks);
      done();
    }
    if (wanted('flows')) {
      results.flows = [];
      for (const path of PATHS) {
        const passes = path.name === 'stream' ? settings.flow.streamPasses : 1;
        const runs: FlowResult[] = [];
        for (let i = 0; i < passes; i += 1) {
          done = step(`requests and latency: ${path.name} (${settings.flow.tasks} tasks${passes > 1 ? `, pass ${i + 1} of ${passes}` : ''})`, `flows: ${path.name}${passes > 1 ? ` pass ${i + 1}` : ''}`);
          runs.push(await flowScenario(browser, server, page.initScript, path, settings.flow));
          done();
        }
        results.flows.push(poolFlowPasses(runs));
      }
    }
    if (wanted('references')) {
      const r = settings.references;
      done = step(`${r.count} reference photos of ${r.width}×${r.height} (${r.passes} passes + 1 traced)`, 'references');
      results.references = await referencesScenario(browser, server, page.initScript, r);
      done();
    }
    if (wanted('concurrent')) {
      results.concurrent = [];
      for (const path of PATHS) {
        done = step(`${settings.concurrent.tasks} concurrent tasks: ${path.name}`, `concurrent: ${path.name}`);
        results.concurrent.push(await concurrentScenario(browser, server, page.initScript, path, settings.concurrent));
        done();
      }
    }
    if (wanted('mask')) {
      const m = settings.mask;
      done = step(`mask editor on a ${m.width}×${m.height} reference: ${m.strokes} strokes × ${m.movesPerStroke} moves, then Apply mask (${m.passes} passes + 1 traced)`, 'mask');
      results.mask = await maskScenario(browser, server, page.initScript, m);
      done();
    }
  }
  results.machine = machineInfo(chromiumVersion, pw.version, loadAtStart, sectionLoads);
  await cleanup();

  const report = buildReport(results, readPrevious());
  printReport(report);
  if (only.length === 0) {
    const files = writeReport(report);
    console.log(`\nWrote ${files.join(' and ')}`);
  } else {
    const partial = join(tmpdir(), 'kit-bench-partial.json');
    writeFileSync(partial, `${JSON.stringify(report.json, null, 2)}\n`);
    console.log(`\nBENCH_ONLY=${only.join(',')}: partial run, docs/benchmarks.* left unchanged; JSON in ${partial}`);
  }
}

const overall = setTimeout(() => {
  console.error(`\nThe benchmark did not finish within ${OVERALL_TIMEOUT_MS / 60_000} min; stopping.`);
  void cleanup().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);
overall.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(() => clearTimeout(overall))
  .catch(async (error: unknown) => {
    console.error('\nBenchmark failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanup();
    process.exitCode = 1;
    clearTimeout(overall);
  });
