/**
 * Soak: hundreds of tasks through the simulator (via MSW) on fake timers, with faults chosen by a
 * seeded PRNG — the simulator's own (`[sim:<fault>]` in the prompt) plus network-edge disruptions
 * from a wrapper handler (5xx, 429 storms with Retry-After, dropped connections before and after
 * the server acted, garbled and wrong-shaped bodies, tasks that never finish).
 *
 * It fails on: a task that never reaches a terminal phase (lost), a second upstream task for one
 * `client_business_id` (duplicated charge), a failure of the wrong kind for what was injected, a
 * timer left running while idle or after dispose, a request after dispose, and a "retrying"
 * marker left on a finished task. It prints one JSON line with the figures.
 *
 * Re-run a failure with `SOAK_SEED=<seed> npx vitest run --project node test/store/soak.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { GenerationTask } from '../../src/store/types';
import type { ToapisErrorKind } from '../../src/core/errors';
import type { SimulatorFault } from '../../server/simulator';
import { useSimulatorServer } from '../msw/server';
import { realTick, useFakeClock } from './harness';

const SEED = Number(process.env.SOAK_SEED ?? 20240611) >>> 0;
const TASKS = 300;
const BATCH = 20;
const STORES = 4;
/** One batch starts every this many simulated ms, so the run spans an hour of faults. */
const BATCH_EVERY_MS = 4 * 60_000;
const MAX_SIMULATED_MS = 2 * 60 * 60_000;
const DEADLINE_MS = 90_000;
const DISRUPTION_RATE = 0.06;
const CANCEL_RATE = 0.03;
const STEP_MS = 100;

const sim = useSimulatorServer({ seed: SEED, queuedMs: 1000, generatingMs: 3000, rateLimitCount: 2, retryAfterSeconds: 1 });

/* -------------------------------------------------------------------------------------------------
 * What is injected, and what each must end as
 * -----------------------------------------------------------------------------------------------*/

/** `none` = no fault; `stall` = the wrapper answers every read "in_progress" (ends by the deadline). */
type InjectedFault = SimulatorFault | 'none' | 'stall';

const FAULT_WEIGHTS: ReadonlyArray<readonly [InjectedFault, number]> = [
  ['none', 30],
  ['rate_limit', 8],
  ['server_error', 6],
  ['drop_poll', 6],
  ['slow', 6],
  ['garbled', 6],
  ['lost_submit', 6],
  ['task_failed', 5],
  ['content_policy', 4],
  ['auth', 3],
  ['quota', 3],
  ['bad_request', 3],
  ['not_found', 3],
  ['stall', 3],
];

/** The outcome each injected fault must produce on its own: `completed`, or failed with that kind. */
const EXPECTED: Record<InjectedFault, 'completed' | ToapisErrorKind> = {
  none: 'completed',
  rate_limit: 'completed', // two 429s with Retry-After, then through (submit and polls)
  server_error: 'completed', // one 500 on a read
  drop_poll: 'completed', // one dropped read
  slow: 'completed', // 10× longer, still inside the deadline
  garbled: 'completed', // one HTML page as a read
  lost_submit: 'completed', // task created, reply lost: looked up by client_business_id
  task_failed: 'task_failed',
  content_policy: 'content_policy',
  auth: 'authentication',
  quota: 'quota',
  bad_request: 'invalid_request',
  not_found: 'not_found',
  stall: 'timeout',
  upload_rejected: 'completed', // not used here (no uploads)
};

/** Transient kinds a fault shows along the way (it can end that way only if the edge piled on). */
const TRANSIENT: Partial<Record<InjectedFault, ToapisErrorKind>> = {
  rate_limit: 'rate_limit',
  server_error: 'server',
  drop_poll: 'network',
  garbled: 'protocol',
  lost_submit: 'network',
};

type Disruption = 'http500' | 'http503' | 'http429' | 'network' | 'garbled' | 'truncated' | 'wrong_shape' | 'drop_after' | 'http502_after';

const DISRUPTION_KIND: Record<Disruption, ToapisErrorKind> = {
  http500: 'server',
  http503: 'server',
  http429: 'rate_limit',
  network: 'network',
  garbled: 'protocol',
  truncated: 'protocol',
  wrong_shape: 'protocol',
  drop_after: 'network',
  http502_after: 'server',
};
const DISRUPTIONS = Object.keys(DISRUPTION_KIND) as Disruption[];

/* -------------------------------------------------------------------------------------------------
 * Seeded randomness
 * -----------------------------------------------------------------------------------------------*/

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(rng: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let x = rng() * total;
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return table[table.length - 1]![0];
}

/* -------------------------------------------------------------------------------------------------
 * The network edge: counts every request and disrupts a seeded fraction of them
 * -----------------------------------------------------------------------------------------------*/

const STALL_TOKEN = '[soak:stall]';

interface EdgeLog {
  requests: number;
  byEndpoint: { submit: number; poll: number; other: number };
  /** Key (business id for submits, path id for reads) → disruptions that hit it. */
  hits: Map<string, Disruption[]>;
  counts: Partial<Record<Disruption, number>>;
  /**
   * Submits that reached the server for a `client_business_id` it already holds a task for. The
   * simulator answers those idempotently, but ToAPIs does not promise to (docs/toapis-api.md §2.1): each
   * would be a second, charged task upstream.
   */
  resubmits: string[];
  /** Requests seen after every store was disposed (must stay 0). */
  afterDispose: number;
  disposed: boolean;
}

function installEdge(rng: () => number): EdgeLog {
  const log: EdgeLog = {
    requests: 0,
    byEndpoint: { submit: 0, poll: 0, other: 0 },
    hits: new Map(),
    counts: {},
    resubmits: [],
    afterDispose: 0,
    disposed: false,
  };
  sim.server.use(
    http.all(/^http:\/\/127\.0\.0\.1:4010\/v1\//, async ({ request }) => {
      log.requests += 1;
      if (log.disposed) log.afterDispose += 1;
      const url = new URL(request.url);
      const isSubmit = request.method === 'POST' && /\/v1\/images\/generations$/.test(url.pathname);
      const read = request.method === 'GET' ? /\/v1\/images\/generations\/([^/]+)$/.exec(url.pathname) : null;
      if (isSubmit) log.byEndpoint.submit += 1;
      else if (read) log.byEndpoint.poll += 1;
      else {
        log.byEndpoint.other += 1;
        return undefined; // capabilities etc.: the simulator answers
      }
      const readId = read ? decodeURIComponent(read[1]!) : undefined;
      let businessId: string | undefined;
      if (isSubmit) {
        try {
          const body = (await request.clone().json()) as { client_business_id?: unknown };
          businessId = typeof body.client_business_id === 'string' ? body.client_business_id : undefined;
        } catch {
          businessId = undefined;
        }
      }
      /** Call before the simulator sees a submit: flags a second submit of an existing task. */
      const noteResubmit = () => {
        if (businessId !== undefined && sim.simulator.tasks().some((t) => t.clientBusinessId === businessId)) {
          log.resubmits.push(businessId);
        }
      };

      if (readId !== undefined) {
        const upstream = sim.simulator.tasks().find((t) => t.id === readId || t.clientBusinessId === readId);
        if (upstream?.prompt.includes(STALL_TOKEN)) {
          return HttpResponse.json({
            id: upstream.id,
            object: 'generation.task',
            status: 'in_progress',
            progress: 7,
            client_business_id: upstream.clientBusinessId,
          });
        }
      }
      if (rng() >= DISRUPTION_RATE) {
        noteResubmit();
        return undefined; // the simulator answers
      }

      const disruption = DISRUPTIONS[Math.floor(rng() * DISRUPTIONS.length)]!;
      const key = isSubmit ? businessId : readId;
      if (key !== undefined) log.hits.set(key, [...(log.hits.get(key) ?? []), disruption]);
      log.counts[disruption] = (log.counts[disruption] ?? 0) + 1;

      switch (disruption) {
        case 'http500':
          return HttpResponse.json({ error: { code: 'internal_error', message: 'edge: upstream exploded' } }, { status: 500 });
        case 'http503':
          return HttpResponse.json({ error: { message: 'edge: service unavailable' } }, { status: 503 });
        case 'http429':
          return HttpResponse.json(
            { error: { code: 'rate_limit_exceeded', message: 'edge: slow down' } },
            { status: 429, headers: { 'Retry-After': '1' } },
          );
        case 'network':
          return HttpResponse.error();
        case 'garbled':
          return new HttpResponse('<html><body><h1>502 Bad Gateway</h1></body></html>', {
            status: 200,
            headers: { 'Content-Type': 'text/html' },
          });
        case 'truncated':
          return new HttpResponse('{"id":"task_img_', { status: 200, headers: { 'Content-Type': 'application/json' } });
        case 'wrong_shape':
          return HttpResponse.json({ data: { nothing: 'here' }, status: 7 });
        case 'drop_after':
          // The server acted (a submit creates its task), then the connection died.
          noteResubmit();
          await sim.simulator.fetch(request.clone());
          return HttpResponse.error();
        case 'http502_after':
          noteResubmit();
          await sim.simulator.fetch(request.clone());
          return HttpResponse.json({ error: { message: 'edge: bad gateway' } }, { status: 502 });
        default:
          return disruption satisfies never;
      }
    }),
  );
  return log;
}

/* -------------------------------------------------------------------------------------------------
 * The run
 * -----------------------------------------------------------------------------------------------*/

interface Planned {
  index: number;
  store: number;
  fault: InjectedFault;
  prompt: string;
  /** Simulated ms after its submit when the user presses Cancel, if they do. */
  cancelAfterMs: number | undefined;
  task: GenerationTask | undefined;
  cancelAt: number | undefined;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

let stores: GeneratorStore[] = [];
beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

describe('soak', () => {
  it(`${TASKS} tasks with seeded random faults: none lost, none duplicated, every failure of the right kind`, async () => {
    const realStart = performance.now();
    const startedAt = Date.now();
    const rng = mulberry32(SEED);
    const edge = installEdge(mulberry32(SEED ^ 0x9e3779b9));
    const context = `(SOAK_SEED=${SEED})`;

    stores = Array.from({ length: STORES }, (_, i) =>
      createGeneratorStore({
        backendUrl: sim.baseUrl,
        pollInterval: 500,
        deadlineMs: DEADLINE_MS,
        random: mulberry32(SEED + i + 1),
      }),
    );

    const plan: Planned[] = Array.from({ length: TASKS }, (_, index) => {
      const fault = pickWeighted(rng, FAULT_WEIGHTS);
      const token = fault === 'none' ? '' : fault === 'stall' ? ` ${STALL_TOKEN}` : ` [sim:${fault}]`;
      return {
        index,
        store: index % STORES,
        fault,
        prompt: `soak #${index}: a lighthouse in weather ${index % 7}${token}`,
        cancelAfterMs: rng() < CANCEL_RATE ? Math.floor(rng() * 4000) : undefined,
        task: undefined,
        cancelAt: undefined,
      };
    });

    const isSettled = (p: Planned) => {
      if (!p.task) return false;
      const live = stores[p.store]!.getState().tasks.find((t) => t.id === p.task!.id);
      return live !== undefined && TERMINAL.has(live.phase);
    };

    for (let b = 0; b * BATCH < TASKS; b += 1) {
      const batch = plan.slice(b * BATCH, (b + 1) * BATCH);
      // One driver per store: a user pressing Generate again as soon as the last press answered.
      let driversDone = 0;
      const drivers = Array.from({ length: STORES }, async (_, s) => {
        for (const p of batch.filter((x) => x.store === s)) {
          const st = stores[s]!.getState();
          st.setPrompt(p.prompt);
          p.task = await st.submit();
          if (p.task && p.cancelAfterMs !== undefined) p.cancelAt = Date.now() + p.cancelAfterMs;
        }
        driversDone += 1;
      });

      const batchStart = Date.now();
      while (driversDone < STORES || !batch.every(isSettled)) {
        if (Date.now() - startedAt > MAX_SIMULATED_MS || Date.now() - batchStart > 15 * 60_000) {
          const stuck = batch
            .filter((p) => !isSettled(p))
            .map((p) => ({ i: p.index, fault: p.fault, task: p.task && stores[p.store]!.getState().tasks.find((t) => t.id === p.task!.id)?.phase }));
          throw new Error(`${context} batch ${b} not settled: ${JSON.stringify(stuck)}`);
        }
        for (const p of batch) {
          if (p.cancelAt !== undefined && Date.now() >= p.cancelAt) {
            stores[p.store]!.getState().cancel(p.task!.id);
            p.cancelAt = undefined;
          }
        }
        for (let i = 0; i < 3; i += 1) await realTick();
        await vi.advanceTimersByTimeAsync(STEP_MS);
      }
      await Promise.all(drivers);

      // Idle between batches: nothing is running, so no timer may be armed.
      for (let i = 0; i < 5; i += 1) await realTick();
      expect(vi.getTimerCount(), `${context} timers armed while idle after batch ${b}`).toBe(0);
      const nextStart = startedAt + (b + 1) * BATCH_EVERY_MS;
      if (Date.now() < nextStart) await vi.advanceTimersByTimeAsync(nextStart - Date.now());
    }
    const simulatedMs = Date.now() - startedAt;

    /* --------------------------------------------------------------------------- the figures */
    const upstream = sim.simulator.tasks();
    const taskIdToBusiness = new Map(upstream.map((t) => [t.id, t.clientBusinessId] as const));
    const hitsFor = (t: GenerationTask): Disruption[] => {
      const keys = new Set([t.clientBusinessId, t.taskId].filter((k): k is string => !!k));
      const found: Disruption[] = [];
      for (const [key, list] of edge.hits) {
        const business = taskIdToBusiness.get(key) ?? key;
        if (keys.has(key) || keys.has(business)) found.push(...list);
      }
      return found;
    };

    const finals = plan.map((p) => ({ p, t: p.task && stores[p.store]!.getState().tasks.find((x) => x.id === p.task!.id) }));
    const lost = finals.filter(({ t }) => !t || !TERMINAL.has(t.phase));
    const completed = finals.filter(({ t }) => t?.phase === 'completed');
    const cancelled = finals.filter(({ t }) => t?.phase === 'cancelled');
    const failed = finals.filter(({ t }) => t?.phase === 'failed');
    const failedByKind: Partial<Record<ToapisErrorKind, number>> = {};
    for (const { t } of failed) failedByKind[t!.error!.kind] = (failedByKind[t!.error!.kind] ?? 0) + 1;

    const wrongKind: string[] = [];
    let failedByEdge = 0;
    for (const { p, t } of finals) {
      if (!t || t.phase === 'cancelled' || !TERMINAL.has(t.phase)) continue;
      const expected = EXPECTED[p.fault];
      const actual = t.phase === 'completed' ? 'completed' : t.error?.kind;
      if (actual === expected) continue;
      // The edge piled its own failures onto this task: ending with one of those kinds is right too.
      const hits = hitsFor(t);
      const allowed = new Set<string>(hits.map((h) => DISRUPTION_KIND[h]));
      const transient = TRANSIENT[p.fault];
      if (hits.length > 0 && transient) allowed.add(transient);
      if (t.phase === 'failed' && actual !== undefined && allowed.has(actual)) {
        failedByEdge += 1;
        continue;
      }
      wrongKind.push(`#${p.index} ${p.fault}: expected ${expected}, got ${actual} (${t.error?.message ?? ''}; edge ${JSON.stringify(hits)})`);
    }

    const byBusiness = new Map<string, number>();
    for (const t of upstream) {
      const key = t.clientBusinessId ?? `<none:${t.id}>`;
      byBusiness.set(key, (byBusiness.get(key) ?? 0) + 1);
    }
    const duplicated = [...byBusiness.values()].reduce((sum, n) => sum + (n - 1), 0) + edge.resubmits.length;
    const localBusiness = new Set(finals.flatMap(({ t }) => (t ? [t.clientBusinessId] : [])));
    const orphans = upstream.filter((t) => !t.clientBusinessId || !localBusiness.has(t.clientBusinessId));
    const stuckMarkers = finals.filter(({ t }) => t && TERMINAL.has(t.phase) && t.retry !== undefined);

    const created = sim.simulator.stats.tasksCreated;
    const requests = { ...edge.byEndpoint, total: edge.requests };
    const disruptions = { ...edge.counts };

    // Unmount mid-flight: one more batch with the same random faults, disposed while its submits,
    // retries and reads are running. Every timer must go, and no request may follow.
    const tail = Array.from({ length: BATCH }, (_, i) => {
      const fault = pickWeighted(rng, FAULT_WEIGHTS);
      return { store: i % STORES, prompt: `tail #${i}${fault === 'none' ? '' : fault === 'stall' ? ` ${STALL_TOKEN}` : ` [sim:${fault}]`}` };
    });
    const tailDrivers = Array.from({ length: STORES }, async (_, s) => {
      for (const p of tail.filter((x) => x.store === s)) {
        stores[s]!.getState().setPrompt(p.prompt);
        await stores[s]!.getState().submit();
      }
    });
    const tailFor = 1000 + Math.floor(rng() * 4000);
    for (let t = 0; t < tailFor; t += STEP_MS) {
      for (let i = 0; i < 3; i += 1) await realTick();
      await vi.advanceTimersByTimeAsync(STEP_MS);
    }
    const timersBeforeDispose = vi.getTimerCount();
    const runningAtDispose = stores.flatMap((s) => s.getState().tasks).filter((t) => !TERMINAL.has(t.phase)).length;
    for (const s of stores) s.getState().dispose();
    await Promise.all(tailDrivers);
    for (let i = 0; i < 5; i += 1) await realTick();
    edge.disposed = true;
    const timersAfterDispose = vi.getTimerCount();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    for (let i = 0; i < 5; i += 1) await realTick();

    const faultsInjected: Partial<Record<InjectedFault, number>> = {};
    for (const p of plan) faultsInjected[p.fault] = (faultsInjected[p.fault] ?? 0) + 1;
    const summary = {
      seed: SEED,
      tasks: TASKS,
      stores: STORES,
      completed: completed.length,
      failed: failed.length,
      failedByKind,
      failedByEdgeDisruption: failedByEdge,
      timedOut: failedByKind.timeout ?? 0,
      cancelled: cancelled.length,
      lost: lost.length,
      duplicated,
      upstreamTasks: upstream.length,
      distinctBusinessIds: byBusiness.size,
      wrongKind: wrongKind.length,
      requests: requests.total,
      requestsPerTask: Number((requests.total / TASKS).toFixed(2)),
      submitsPerTask: Number((requests.submit / TASKS).toFixed(2)),
      readsPerTask: Number((requests.poll / TASKS).toFixed(2)),
      edgeDisruptions: disruptions,
      faultsInjected,
      simulatedMinutes: Math.round(simulatedMs / 60_000),
      runningAtDispose,
      timersBeforeDispose,
      timersAfterDispose,
      requestsAfterDispose: edge.afterDispose,
      realMs: Math.round(performance.now() - realStart),
    };
    console.log(`SOAK ${JSON.stringify(summary)}`);

    expect(lost.map(({ p, t }) => `#${p.index} ${p.fault} ${t?.phase ?? 'never created'}`), context).toEqual([]);
    expect(wrongKind, context).toEqual([]);
    expect(edge.resubmits, `${context} submits of a business id that already had a task`).toEqual([]);
    expect(duplicated, `${context} duplicated upstream tasks`).toBe(0);
    expect(created, context).toBe(byBusiness.size);
    expect(orphans.map((t) => t.id), `${context} upstream tasks no local task owns`).toEqual([]);
    expect(stuckMarkers.map(({ p }) => p.index), `${context} finished tasks still showing "retrying"`).toEqual([]);
    expect(stores.every((s) => s.getState().submitState === 'idle'), context).toBe(true);
    expect(completed.length + failed.length + cancelled.length, context).toBe(TASKS);
    expect(simulatedMs, context).toBeGreaterThanOrEqual(60 * 60_000);
    expect(simulatedMs, context).toBeLessThanOrEqual(MAX_SIMULATED_MS);
    expect(runningAtDispose, `${context} the tail batch was running at dispose`).toBeGreaterThan(0);
    expect(timersBeforeDispose, context).toBeGreaterThan(0);
    expect(timersAfterDispose, `${context} timers left after dispose`).toBe(0);
    expect(vi.getTimerCount(), context).toBe(0);
    expect(edge.afterDispose, `${context} requests after dispose`).toBe(0);
    // The run exercised what it claims to: every kind of outcome occurred.
    expect(completed.length, context).toBeGreaterThan(TASKS / 3);
    for (const kind of ['task_failed', 'content_policy', 'authentication', 'quota', 'invalid_request', 'not_found', 'timeout'] as const) {
      expect(failedByKind[kind] ?? 0, `${context} no ${kind} failure occurred`).toBeGreaterThan(0);
    }
    expect(cancelled.length, context).toBeGreaterThan(0);
    expect(Object.keys(disruptions).length, `${context} edge disruptions used`).toBe(DISRUPTIONS.length);
    expect(performance.now() - realStart, 'real time').toBeLessThan(20_000);
  }, 60_000);
});
