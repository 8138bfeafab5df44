/**
 * The benchmark page: the four components, each in its own `<React.Profiler>`, over one store that
 * the runner (`scripts/bench/run.ts`) drives through `window.bench`. Built by the runner with Vite
 * in production mode with `react-dom/client` aliased to `react-dom/profiling` (production React
 * whose Profiler `onRender` still fires), unminified so timer stacks keep function names.
 */
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  AspectRatioPicker,
  GeneratorProvider,
  PromptForm,
  ReferenceTray,
  TaskProgress,
  createBrowserEnvironment,
  createBrowserImageCodec,
  createBrowserThumbnailer,
  createGeneratorStore,
  preloadImageKit,
  type GeneratorStore,
} from '../src/index';
import '../src/styles.css';
import type {
  BenchApi,
  ConcurrentRunStats,
  FrameStats,
  LongTaskStats,
  MaskCanvasInfo,
  MaskExportTiming,
  MonitorStats,
  MountOptions,
  PhotoInfo,
  ProfilerId,
  ReferencesResult,
  ResultImageRecord,
  SubmittedTask,
  TickResult,
  TickVariant,
  TimerSnapshot,
} from '../scripts/bench/types';

/* -------------------------------------------------------------------------------------------------
 * Clock, waits and monitors (never through the counted timers)
 * -----------------------------------------------------------------------------------------------*/

const now = () => performance.timeOrigin + performance.now();
const rawTimers = () =>
  window.__benchTimers?.raw ?? {
    setTimeout: (fn: () => void, ms?: number) => window.setTimeout(fn, ms),
    clearTimeout: (id: number | undefined) => window.clearTimeout(id),
  };
const sleep = (ms: number) => new Promise<void>((resolve) => rawTimers().setTimeout(resolve, ms));
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
async function frames(count: number) {
  for (let i = 0; i < count; i += 1) await nextFrame();
}

/** Resolves with `check()`'s first non-undefined value, checked every frame; rejects after `timeoutMs`. */
function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = now() + timeoutMs;
    let done = false;
    const guard = rawTimers().setTimeout(() => {
      done = true;
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const step = () => {
      if (done) return;
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        done = true;
        rawTimers().clearTimeout(guard);
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value !== undefined) {
        done = true;
        rawTimers().clearTimeout(guard);
        resolve(value);
      } else if (now() < deadline) {
        requestAnimationFrame(step);
      }
    };
    step();
  });
}

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Records every animation frame until stopped. A frame interval over 1.5 × 16.7 ms is a drop. */
function startFrameMonitor(): () => FrameStats {
  const startedAt = performance.now();
  const times: number[] = [];
  let running = true;
  const loop = (t: number) => {
    if (!running) return;
    times.push(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  return () => {
    running = false;
    const intervals = times.slice(1).map((t, i) => t - times[i]!);
    return {
      frames: times.length,
      dropped: intervals.filter((d) => d > 1.5 * (1000 / 60)).length,
      longestGapMs: intervals.length ? Math.max(...intervals) : 0,
      medianIntervalMs: median(intervals),
      longGaps: intervals
        .map((d, i): [number, number] => [times[i]! - startedAt, d])
        .filter(([, d]) => d > 100)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5),
    };
  };
}

/** Long tasks (buffered) that start at or after `since` (page clock). */
function startLongTaskMonitor(since: number): () => { stats: LongTaskStats; list: Array<[number, number]> } {
  const seen: Array<[number, number]> = [];
  const take = (entries: PerformanceEntryList) => {
    for (const e of entries) {
      const start = performance.timeOrigin + e.startTime;
      if (start >= since) seen.push([start - since, e.duration]);
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });
  return () => {
    take(observer.takeRecords());
    observer.disconnect();
    const durations = seen.map(([, d]) => d);
    return {
      stats: {
        count: seen.length,
        longestMs: durations.length ? Math.max(...durations) : 0,
        totalMs: durations.reduce((a, b) => a + b, 0),
      },
      list: seen.sort((a, b) => a[0] - b[0]),
    };
  };
}

interface MemoryInfo {
  usedJSHeapSize: number;
}
const usedHeap = () => (performance as Performance & { memory?: MemoryInfo }).memory?.usedJSHeapSize ?? 0;

/* -------------------------------------------------------------------------------------------------
 * Profilers
 * -----------------------------------------------------------------------------------------------*/

const PROFILER_IDS: readonly ProfilerId[] = ['TaskProgress', 'PromptForm', 'AspectRatioPicker', 'ReferenceTray', 'Root'];
const zero = (): Record<ProfilerId, number> => ({ TaskProgress: 0, PromptForm: 0, AspectRatioPicker: 0, ReferenceTray: 0, Root: 0 });
const commits = zero();
const durations = zero();

const onRender: React.ProfilerOnRenderCallback = (id, _phase, actualDuration) => {
  const key = id as ProfilerId;
  commits[key] += 1;
  durations[key] += actualDuration;
};

function BenchPage({ store, backendUrl }: { store: GeneratorStore; backendUrl: string }) {
  return (
    <React.Profiler id="Root" onRender={onRender}>
      <GeneratorProvider backendUrl={backendUrl} store={store}>
        <main className="bench-layout">
          <React.Profiler id="PromptForm" onRender={onRender}>
            <PromptForm />
          </React.Profiler>
          <React.Profiler id="AspectRatioPicker" onRender={onRender}>
            <AspectRatioPicker />
          </React.Profiler>
          <React.Profiler id="ReferenceTray" onRender={onRender}>
            <ReferenceTray />
          </React.Profiler>
          <React.Profiler id="TaskProgress" onRender={onRender}>
            <TaskProgress />
          </React.Profiler>
        </main>
      </GeneratorProvider>
    </React.Profiler>
  );
}

/* -------------------------------------------------------------------------------------------------
 * Result images: in the DOM and loaded
 * -----------------------------------------------------------------------------------------------*/

const resultImages = new Map<string, ResultImageRecord>();

function watchResultImage(img: HTMLImageElement) {
  const url = img.getAttribute('src') ?? '';
  if (!url || resultImages.has(url)) return;
  const match = /\/sim\/images\/([^/]+)\/\d+\.png/.exec(url);
  const insertedAt = now();
  const record: ResultImageRecord = {
    taskId: match ? decodeURIComponent(match[1]!) : '',
    url,
    insertedAt,
    loadedAt: Number.NaN,
    frameAfterLoadAt: Number.NaN,
    fetchStartAt: Number.NaN,
    responseStartAt: Number.NaN,
    responseEndAt: Number.NaN,
    downloads: 0,
  };
  resultImages.set(url, record);
  const loaded = () => {
    record.loadedAt = now();
    const entries = performance.getEntriesByName(new URL(url, location.href).href, 'resource');
    record.downloads = entries.length;
    const entry = entries[0] as PerformanceResourceTiming | undefined;
    if (entry) {
      record.fetchStartAt = performance.timeOrigin + entry.fetchStart;
      record.responseStartAt = performance.timeOrigin + entry.responseStart;
      record.responseEndAt = performance.timeOrigin + entry.responseEnd;
    }
    requestAnimationFrame(() => {
      record.frameAfterLoadAt = now();
    });
  };
  if (img.complete && img.naturalWidth > 0) loaded();
  else img.addEventListener('load', loaded, { once: true });
}

new MutationObserver((mutations) => {
  for (const m of mutations) {
    for (const node of m.addedNodes) {
      if (!(node instanceof Element)) continue;
      if (node.matches('img.gen-TaskProgress-image')) watchResultImage(node as HTMLImageElement);
      for (const img of node.querySelectorAll<HTMLImageElement>('img.gen-TaskProgress-image')) watchResultImage(img);
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true });

/* -------------------------------------------------------------------------------------------------
 * Reference photos
 * -----------------------------------------------------------------------------------------------*/

let photos: File[] = [];

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A photo-like JPEG: a diagonal colour gradient, soft shapes and grain. The grain strength grows
 * with the index, so the files span roughly 3–15 MB at quality 0.92 (phones write 3–8 MB for
 * 12 MP; noisy low-light shots and high-quality exports go past 10 MB).
 */
async function drawPhoto(index: number, count: number, width: number, height: number): Promise<File> {
  const random = prng(1000 + index);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  const hue = (index * 47) % 360;
  const gradient = ctx.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, `hsl(${hue} 60% 70%)`);
  gradient.addColorStop(1, `hsl(${(hue + 120) % 360} 50% 25%)`);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
  for (let i = 0; i < 40; i += 1) {
    ctx.fillStyle = `hsl(${Math.floor(random() * 360)} ${30 + random() * 50}% ${20 + random() * 60}% / 0.5)`;
    ctx.beginPath();
    ctx.ellipse(random() * width, random() * height, 50 + random() * 600, 50 + random() * 400, random() * Math.PI, 0, Math.PI * 2);
    ctx.fill();
  }
  const tile = 256;
  const noise = new OffscreenCanvas(tile, tile);
  const nctx = noise.getContext('2d');
  if (!nctx) throw new Error('2D canvas unavailable');
  const data = nctx.createImageData(tile, tile);
  for (let p = 0; p < data.data.length; p += 4) {
    data.data[p] = Math.floor(random() * 256);
    data.data[p + 1] = Math.floor(random() * 256);
    data.data[p + 2] = Math.floor(random() * 256);
    data.data[p + 3] = 255;
  }
  nctx.putImageData(data, 0, 0);
  ctx.globalAlpha = 0.1 + 0.9 * (index / Math.max(1, count - 1)) ** 2;
  for (let y = 0; y < height; y += tile) {
    for (let x = 0; x < width; x += tile) ctx.drawImage(noise, x, y);
  }
  ctx.globalAlpha = 1;
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  const name = `photo-${String(index + 1).padStart(2, '0')}.jpg`;
  return new File([blob], name, { type: 'image/jpeg', lastModified: 1_700_000_000_000 + index });
}

/* -------------------------------------------------------------------------------------------------
 * The API the runner calls
 * -----------------------------------------------------------------------------------------------*/

let root: Root | undefined;
let store: GeneratorStore | undefined;
let unsubscribe: (() => void) | undefined;
/** Upstream task id → page clock of the first store update that had it completed. */
const seenCompleted = new Map<string, number>();
let monitors: { startedAt: number; stopFrames: () => FrameStats; stopLongTasks: ReturnType<typeof startLongTaskMonitor> } | undefined;
let maskExport: { clickAt: number | undefined; uploadingAt: number | undefined; settledAt: number | undefined; stop: () => void } | undefined;
let run:
  | { startedAt: number; stopFrames: () => FrameStats; stopLongTasks: () => { stats: LongTaskStats }; samples: ConcurrentRunStats['timerSamples']; busiest: TimerSnapshot | undefined; sampling: boolean }
  | undefined;

const requireStore = () => {
  if (!store) throw new Error('mount() first');
  return store;
};

const isPollerTimer = (label: string) => /^(schedule|tick)(\$\d+)?(<|$)/.test(label);

const api: BenchApi = {
  ready: true,

  mount(options: MountOptions) {
    if (root) api.unmount();
    resultImages.clear();
    const imageCodec = createBrowserImageCodec();
    const thumbnailer = createBrowserThumbnailer(); // what GeneratorProvider wires in
    store = createGeneratorStore({
      ...(thumbnailer !== undefined && { createPreviewUrl: thumbnailer }),
      backendUrl: options.backendUrl,
      ...(options.stream !== undefined && { stream: options.stream }),
      ...(options.pollInterval !== undefined && { pollInterval: options.pollInterval }),
      ...(options.model !== undefined && { model: options.model }),
      environment: createBrowserEnvironment(),
      ...(imageCodec !== undefined && { imageCodec }),
    });
    seenCompleted.clear();
    unsubscribe = store.subscribe((state) => {
      for (const t of state.tasks) if (t.phase === 'completed' && t.taskId && !seenCompleted.has(t.taskId)) seenCompleted.set(t.taskId, now());
    });
    const container = document.getElementById('root');
    if (!container) throw new Error('#root missing');
    root = createRoot(container);
    root.render(<BenchPage store={store} backendUrl={options.backendUrl} />);
  },

  preload() {
    return preloadImageKit();
  },

  unmount() {
    maskExport?.stop();
    maskExport = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
    root?.unmount();
    root = undefined;
    store?.getState().dispose();
    store = undefined;
  },

  async submitTasks(count: number, spacingMs: number, prompt: string) {
    const s = requireStore();
    const submitted: SubmittedTask[] = [];
    for (let i = 0; i < count; i += 1) {
      s.getState().setPrompt(`${prompt} #${i + 1}`);
      const submittedAt = now();
      const task = await s.getState().submit();
      if (!task) throw new Error(`submit ${i + 1} did nothing: ${JSON.stringify(s.getState().issues)}`);
      submitted.push({ localId: task.id, taskId: task.taskId, submittedAt, acceptedAt: now() });
      if (spacingMs > 0 && i + 1 < count) await sleep(spacingMs);
    }
    return submitted;
  },

  waitForTasksDone(timeoutMs: number) {
    const s = requireStore();
    return waitFor('every task to finish', timeoutMs, () => {
      const tasks = s.getState().tasks;
      if (tasks.length === 0 || tasks.some((t) => t.phase === 'submitting' || t.phase === 'queued' || t.phase === 'generating')) return undefined;
      const phases: Record<string, number> = {};
      for (const t of tasks) phases[t.phase] = (phases[t.phase] ?? 0) + 1;
      return phases;
    });
  },

  taskTimes() {
    return requireStore()
      .getState()
      .tasks.map((t) => ({
        taskId: t.taskId,
        phase: t.phase,
        completedAt: t.completedAt ?? null,
        seenCompletedAt: t.taskId ? (seenCompleted.get(t.taskId) ?? null) : null,
      }));
  },

  waitForResultImages(count: number, timeoutMs: number) {
    return waitFor(`${count} result images`, timeoutMs, () => {
      const done = [...resultImages.values()].filter((r) => Number.isFinite(r.frameAfterLoadAt));
      return done.length >= count ? done : undefined;
    });
  },

  async progressTicks(ticks: number, variant: TickVariant): Promise<TickResult> {
    const s = requireStore();
    if (s.getState().tasks.length !== 1) throw new Error('progressTicks needs exactly one task');
    // The task is now running (as after the poller's first in_progress read).
    s.setState((st) => ({ tasks: st.tasks.map((t) => ({ ...t, phase: 'generating', status: 'in_progress', progress: 0 })) }));
    await frames(3);
    const perTick = Object.fromEntries(PROFILER_IDS.map((id) => [id, [] as number[]])) as Record<ProfilerId, number[]>;
    const startDurations = { ...durations };
    for (let i = 1; i <= ticks; i += 1) {
      const before = { ...commits };
      const progress = Math.round((i * 100) / (ticks + 1));
      if (variant === 'progress') {
        s.setState((st) => ({ tasks: st.tasks.map((t) => ({ ...t, progress })) }));
      } else {
        s.setState((st) => ({
          tasks: st.tasks.map((t) => ({ ...t, progress, status: 'in_progress', retry: undefined, updatedAt: Date.now() })),
        }));
      }
      await frames(2);
      for (const id of PROFILER_IDS) perTick[id].push(commits[id] - before[id]);
    }
    const spent = zero();
    for (const id of PROFILER_IDS) spent[id] = durations[id] - startDurations[id];
    return { variant, ticks, commits: perTick, actualDurationMs: spent };
  },

  async makePhotos(count: number, width: number, height: number) {
    const started = now();
    photos = [];
    for (let i = 0; i < count; i += 1) photos.push(await drawPhoto(i, count, width, height));
    const info: PhotoInfo[] = photos.map((f) => ({ name: f.name, bytes: f.size, width, height }));
    return { photos: info, generateMs: now() - started };
  },

  async addPhotos(timeoutMs: number): Promise<ReferencesResult> {
    const s = requireStore();
    const input = document.querySelector<HTMLInputElement>('input[type="file"][aria-label="Add reference images"]');
    if (!input) throw new Error('the tray file input "Add reference images" is missing');
    const transfer = new DataTransfer();
    for (const f of photos) transfer.items.add(f);
    await frames(2);

    const baselineBytes = usedHeap();
    let peakBytes = baselineBytes;
    let samples = 0;
    let sampling = true;
    const sample = () => {
      if (!sampling) return;
      samples += 1;
      peakBytes = Math.max(peakBytes, usedHeap());
      rawTimers().setTimeout(sample, 25);
    };
    const t0 = now();
    const stopLongTasks = startLongTaskMonitor(t0);
    const stopFrames = startFrameMonitor();
    sample();

    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));

    const expected = photos.length;
    const thumbsDisplayed = () =>
      [...document.querySelectorAll<HTMLImageElement>('img.gen-ReferenceTray-image')].filter((img) => img.complete && img.naturalWidth > 0).length;
    let firstThumbnailMs = Number.NaN;
    const allThumbnailsMs = await waitFor('every thumbnail', timeoutMs, () => {
      peakBytes = Math.max(peakBytes, usedHeap());
      const shown = thumbsDisplayed();
      if (shown > 0 && Number.isNaN(firstThumbnailMs)) firstThumbnailMs = now() - t0;
      return shown >= expected ? now() - t0 : undefined;
    });
    const allUploadedMs = await waitFor('every upload', timeoutMs, () => {
      const refs = s.getState().references;
      return refs.length > 0 && refs.every((r) => r.state === 'ready' || r.state === 'error') ? now() - t0 : undefined;
    });
    await sleep(500); // trailing long tasks and frames
    sampling = false;
    const frameStats = stopFrames();
    const longTasks = stopLongTasks();
    const refs = s.getState().references;
    const states: Record<string, number> = {};
    for (const r of refs) states[r.state] = (states[r.state] ?? 0) + 1;
    return {
      firstThumbnailMs,
      allThumbnailsMs,
      allUploadedMs,
      longTasks: longTasks.stats,
      longTaskList: longTasks.list,
      frames: frameStats,
      heap: { baselineBytes, peakBytes, samples },
      thumbnails: thumbsDisplayed(),
      downscaled: refs.filter((r) => r.downscaled).length,
      uploadedSizes: refs.map((r) => r.size),
      notices: s.getState().notices.map((n) => `${n.code}: ${n.message}`),
      states,
    };
  },

  startMonitors() {
    const startedAt = now();
    monitors = { startedAt, stopLongTasks: startLongTaskMonitor(startedAt), stopFrames: startFrameMonitor() };
  },

  stopMonitors(): MonitorStats {
    if (!monitors) throw new Error('startMonitors() first');
    const current = monitors;
    monitors = undefined;
    const longTasks = current.stopLongTasks();
    return { durationMs: now() - current.startedAt, frames: current.stopFrames(), longTasks: longTasks.stats, longTaskList: longTasks.list };
  },

  waitForMaskCanvas(timeoutMs: number): Promise<MaskCanvasInfo> {
    return waitFor('the mask editor canvas', timeoutMs, () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[role="dialog"] canvas.gen-MaskEditor-canvas');
      const box = canvas?.getBoundingClientRect();
      return canvas && box && box.width > 0 && box.height > 0 ? { width: canvas.width, height: canvas.height, boxWidth: box.width, boxHeight: box.height } : undefined;
    });
  },

  maskCoverage() {
    const canvas = document.querySelector<HTMLCanvasElement>('[role="dialog"] canvas.gen-MaskEditor-canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) throw new Error('no mask editor canvas');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted += 1;
    return painted / (canvas.width * canvas.height);
  },

  watchMaskExport() {
    const s = requireStore();
    maskExport?.stop();
    const current: NonNullable<typeof maskExport> = { clickAt: undefined, uploadingAt: undefined, settledAt: undefined, stop: () => {} };
    // Capture phase on the document: before React's handler on the button runs.
    const onClick = (event: MouseEvent) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      if (current.clickAt === undefined && button?.textContent?.trim() === 'Apply mask') current.clickAt = performance.timeOrigin + event.timeStamp;
    };
    document.addEventListener('click', onClick, true);
    const before = s.getState().mask;
    const off = s.subscribe((state) => {
      const mask = state.mask;
      if (!mask || mask === before) return;
      if (current.uploadingAt === undefined && mask.state === 'uploading') current.uploadingAt = now();
      if (current.settledAt === undefined && (mask.state === 'ready' || mask.state === 'error')) current.settledAt = now();
    });
    current.stop = () => {
      document.removeEventListener('click', onClick, true);
      off();
    };
    maskExport = current;
  },

  async waitForMaskExport(timeoutMs: number, settle: boolean): Promise<MaskExportTiming> {
    const current = maskExport;
    if (!current) throw new Error('watchMaskExport() first');
    await waitFor('the mask upload to start', timeoutMs, () => (current.uploadingAt !== undefined ? true : undefined));
    if (settle) await waitFor('the mask upload to end', timeoutMs, () => (current.settledAt !== undefined ? true : undefined));
    current.stop();
    if (current.clickAt === undefined || current.uploadingAt === undefined) throw new Error('no click on "Apply mask" was seen');
    const mask = requireStore().getState().mask;
    return {
      clickAt: current.clickAt,
      uploadingAt: current.uploadingAt,
      settledAt: current.settledAt ?? null,
      exportMs: current.uploadingAt - current.clickAt,
      state: mask?.state ?? 'none',
      url: mask?.url,
      width: mask?.width ?? 0,
      height: mask?.height ?? 0,
    };
  },

  startRun() {
    const startedAt = now();
    const stopLongTasks = startLongTaskMonitor(startedAt);
    const current = {
      startedAt,
      stopFrames: startFrameMonitor(),
      stopLongTasks,
      samples: [] as ConcurrentRunStats['timerSamples'],
      busiest: undefined as TimerSnapshot | undefined,
      sampling: true,
    };
    run = current;
    const sample = () => {
      if (!current.sampling) return;
      const snap = window.__benchTimers.snapshot();
      const poller = snap.live.filter((t) => isPollerTimer(t.label)).length;
      current.samples.push({ at: snap.at, total: snap.live.length, poller });
      if (!current.busiest || snap.live.length > current.busiest.live.length) current.busiest = snap;
      rawTimers().setTimeout(sample, 50);
    };
    sample();
  },

  stopRun(): ConcurrentRunStats {
    if (!run) throw new Error('startRun() first');
    const current = run;
    run = undefined;
    current.sampling = false;
    const phases: Record<string, number> = {};
    for (const t of store?.getState().tasks ?? []) phases[t.phase] = (phases[t.phase] ?? 0) + 1;
    return {
      durationMs: now() - current.startedAt,
      frames: current.stopFrames(),
      longTasks: current.stopLongTasks().stats,
      timerSamples: current.samples,
      busiest: current.busiest,
      phases,
    };
  },

  now,
};

window.bench = api;
