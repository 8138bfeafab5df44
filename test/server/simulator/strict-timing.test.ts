/** The strict profile's clock: drawn task timelines, drawn Retry-After values, and result expiry. */
import type { Simulator, SimulatorOptions } from '../../../server/simulator';
import { T0, type Json, clocked, submit, poll, json, submitOk } from './harness';

const AUTH = { Authorization: 'Bearer sk-test' };

interface Timeline {
  /** Clock milliseconds after the submit when the task was first seen in_progress / completed. */
  started: number;
  ended: number;
  progress: number[];
}

/** Submits `count` tasks at once, then steps the clock by `stepMs` and polls each until it completes. */
async function timelines(options: SimulatorOptions, count: number, stepMs: number, maxMs: number): Promise<Timeline[]> {
  const { sim, advance } = clocked({ profile: 'strict', ...options });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const task = await submitOk(sim, { prompt: `task ${i}` });
    expect(task.status).toBe(options.statusWord ?? 'submitted');
    ids.push(task.id as string);
  }
  const seen = ids.map((): Timeline => ({ started: -1, ended: -1, progress: [] }));
  for (let t = 0; t <= maxMs && seen.some((s) => s.ended < 0); t += stepMs) {
    for (const [i, id] of ids.entries()) {
      const s = seen[i]!;
      if (s.ended >= 0) continue;
      const body = await json(await poll(sim, id, AUTH));
      if (body.status === 'in_progress') {
        if (s.started < 0) s.started = t;
        s.progress.push(body.progress as number);
      } else if (body.status === 'completed') {
        s.ended = t;
      } else {
        expect(body).toMatchObject({ status: options.statusWord ?? 'submitted', progress: 0 });
      }
    }
    advance(stepMs);
  }
  return seen;
}

describe('strict: task timelines', () => {
  it('draws each task’s duration from 5–30 s (about 20 % waiting), with moving progress, from the seed', async () => {
    const step = 250;
    const a = await timelines({ seed: 11 }, 8, step, 31_000);
    for (const { started, ended, progress } of a) {
      expect(ended).toBeGreaterThanOrEqual(5_000);
      expect(ended).toBeLessThanOrEqual(30_000 + step);
      expect(Math.abs(started / ended - 0.2)).toBeLessThan(0.06);
      expect(progress.length).toBeGreaterThan(10);
      expect(progress).toEqual([...progress].sort((x, y) => x - y));
      expect(progress[0]).toBeLessThan(10);
      expect(progress.at(-1)).toBeGreaterThan(90);
    }
    const totals = a.map((s) => s.ended);
    expect(new Set(totals).size).toBeGreaterThanOrEqual(6);
    expect(Math.max(...totals) - Math.min(...totals)).toBeGreaterThan(5_000);
    // The same seed gives the same timelines; another seed others.
    expect((await timelines({ seed: 11 }, 8, step, 31_000)).map((s) => s.ended)).toEqual(totals);
    expect((await timelines({ seed: 12 }, 8, step, 31_000)).map((s) => s.ended)).not.toEqual(totals);
  });

  it('longTasks draws 60–120 s', async () => {
    const step = 1000;
    const long = await timelines({ seed: 5, longTasks: true }, 6, step, 122_000);
    for (const { ended } of long) {
      expect(ended).toBeGreaterThanOrEqual(60_000);
      expect(ended).toBeLessThanOrEqual(120_000 + step);
    }
  });

  it('explicit queuedMs / generatingMs and statusWord win', async () => {
    const [s] = await timelines({ queuedMs: 1000, generatingMs: 4000, statusWord: 'pending' }, 1, 100, 6000);
    expect(s).toMatchObject({ started: 1000, ended: 5000 });
    // One of them given: the other is still drawn (80 % of 5–30 s for the generating part).
    for (const { started, ended } of await timelines({ seed: 2, queuedMs: 300 }, 4, 250, 31_000)) {
      expect(started).toBe(500);
      expect(ended).toBeGreaterThanOrEqual(300 + 4_000);
      expect(ended).toBeLessThanOrEqual(300 + 24_000 + 250);
    }
  });
});

describe('strict: Retry-After on the rate_limit fault', () => {
  async function retryAfters(options: SimulatorOptions): Promise<Array<{ retryAfter: number; reset: number }>> {
    const { sim } = clocked({ profile: 'strict', faults: ['rate_limit'], rateLimitCount: 12, ...options });
    const out: Array<{ retryAfter: number; reset: number }> = [];
    const hammer = async (s: Simulator) => {
      for (let i = 0; i < 12; i++) {
        const res = await submit(s, { model: 'gemini-3.1-flash-image-preview', prompt: 'x', client_business_id: 'rl' });
        expect(res.status).toBe(429);
        out.push({ retryAfter: Number(res.headers.get('retry-after')), reset: Number(res.headers.get('x-ratelimit-reset')) });
      }
    };
    await hammer(sim);
    return out;
  }

  it('draws whole seconds from 5–20 per answer (seeded), with a matching X-RateLimit-Reset', async () => {
    const values = await retryAfters({ seed: 3 });
    for (const { retryAfter, reset } of values) {
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(5);
      expect(retryAfter).toBeLessThanOrEqual(20);
      expect(reset).toBe(Math.ceil(T0 / 1000 + retryAfter));
    }
    expect(new Set(values.map((v) => v.retryAfter)).size).toBeGreaterThanOrEqual(4);
    expect(await retryAfters({ seed: 3 })).toEqual(values);
  });

  it('retryAfterSeconds given explicitly wins', async () => {
    for (const { retryAfter } of await retryAfters({ seed: 3, retryAfterSeconds: 3 })) expect(retryAfter).toBe(3);
  });
});

describe('result expiry', () => {
  async function completed(options: SimulatorOptions) {
    const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 900, ...options });
    const { id } = await submitOk(sim);
    advance(1000);
    const done = await json(await poll(sim, id as string, AUTH));
    const url = (done.result as { data: Array<{ url: string }> }).data[0]!.url;
    return { sim, advance, done, url };
  }

  it('strict: expires_at = completed_at + resultTtlSeconds, and the image answers 404 after it', async () => {
    const { sim, advance, done, url } = await completed({ profile: 'strict', resultTtlSeconds: 60 });
    expect(done.expires_at).toBe((done.completed_at as number) + 60);
    advance(59_000);
    expect((await sim.fetch(new Request(url))).status).toBe(200);
    advance(2_000);
    const gone = await sim.fetch(new Request(url));
    expect(gone.status).toBe(404);
    // The task itself is still readable.
    expect(await json(await poll(sim, done.id as string, AUTH))).toMatchObject({ status: 'completed' });
  });

  it.each<SimulatorOptions>([{}, { profile: 'strict' }])('defaults to 24 h (%o)', async (options) => {
    const { done } = await completed(options);
    expect((done as Json).expires_at).toBe((done.completed_at as number) + 86_400);
  });

  it('kind: resultTtlSeconds also sets expires_at and the 404', async () => {
    const { sim, advance, done, url } = await completed({ resultTtlSeconds: 10 });
    expect(done.expires_at).toBe((done.completed_at as number) + 10);
    advance(11_000);
    expect((await sim.fetch(new Request(url))).status).toBe(404);
  });
});
