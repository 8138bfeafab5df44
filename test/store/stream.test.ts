/**
 * The push path: with the kit's proxy in front of the simulator, a task costs the browser one
 * submit and one event stream (plus one capability probe per store) instead of a poll every few
 * seconds; when the stream breaks, the kit falls back to polling with no configuration.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import { readServerSentEvents } from '../../src/core/client';
import { createSimulator } from '../../server/simulator';
import { createToapisProxy } from '../../server/proxy';

const BASE = 'http://127.0.0.1:4020';
const simulator = createSimulator({ seed: 11, queuedMs: 200, generatingMs: 1200 });
const proxy = createToapisProxy({
  apiKey: 'sk-test-stream',
  upstream: `${BASE}/__sim`,
  fetch: (req) => simulator.fetch(req),
  authenticate: () => ({ id: 'tester' }),
  pollIntervalMs: 1000,
  rateLimit: false,
  log: () => {},
});

const seen: string[] = [];
const server = setupServer(
  http.all(`${BASE}/__sim/*`, ({ request }) => simulator.fetch(request)),
  http.all(`${BASE}/v1/*`, ({ request }) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return proxy.fetch(request);
  }),
  http.all('http://127.0.0.1:4021/*', ({ request }) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return simulator.fetch(request);
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(async () => {
  server.close();
  await proxy.close();
});

let stores: GeneratorStore[] = [];
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
});

function waitFor(store: GeneratorStore, pred: (s: ReturnType<GeneratorStore['getState']>) => boolean, ms = 10_000) {
  return new Promise<void>((resolve, reject) => {
    if (pred(store.getState())) return resolve();
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`timeout; tasks=${JSON.stringify(store.getState().tasks.map((t) => [t.phase, t.error?.kind]))}`));
    }, ms);
    const unsub = store.subscribe((s) => {
      if (pred(s)) {
        clearTimeout(timer);
        unsub();
        resolve();
      }
    });
  });
}

describe('stream from the proxy', () => {
  it('a task costs one submit and one stream; progress arrives and completes', async () => {
    const store = createGeneratorStore({ backendUrl: BASE, cadence: { firstDelayMs: 3000 } });
    stores.push(store);
    const progress: number[] = [];
    store.subscribe((s) => {
      const p = s.tasks[0]?.progress;
      if (typeof p === 'number' && progress.at(-1) !== p) progress.push(p);
    });
    store.getState().setPrompt('streamed');
    await store.getState().submit();
    await waitFor(store, (s) => s.tasks[0]?.phase === 'completed');
    const polls = seen.filter((r) => /^GET \/v1\/images\/generations\/[^/]+$/.test(r));
    expect(polls).toEqual([]);
    expect(seen.filter((r) => r.startsWith('POST /v1/images/generations'))).toHaveLength(1);
    expect(seen.filter((r) => r.endsWith('/events'))).toHaveLength(1);
    expect(seen.filter((r) => r === 'GET /v1/capabilities')).toHaveLength(1);
    expect(store.getState().tasks[0]!.images[0]!.url).toContain('/__sim/sim/images/');
    expect(progress.at(-1)).toBe(100);
  });

  it('resumes after the proxy ends a stream at its lifetime: one read, then a new stream, until done', async () => {
    // A task (~3.7 s) that outlives three streams of 1.2 s each.
    const slowSim = createSimulator({ seed: 12, queuedMs: 200, generatingMs: 3500 });
    const shortLived = createToapisProxy({
      apiKey: 'sk-test-stream',
      upstream: `${BASE}/__slow`,
      fetch: (req) => slowSim.fetch(req),
      authenticate: () => ({ id: 'tester' }),
      pollIntervalMs: 1000,
      rateLimit: false,
      limits: { maxStreamMs: 1200 },
      log: () => {},
    });
    const reconnects: string[] = [];
    server.use(
      http.all(`${BASE}/v1/*`, async ({ request }) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        const res = await shortLived.fetch(request);
        if (!res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return res;
        // Note each `event: reconnect` the kit receives.
        const [forKit, forTest] = res.body.tee();
        void (async () => {
          for await (const e of readServerSentEvents(forTest)) if (e.event === 'reconnect') reconnects.push(e.data);
        })().catch(() => undefined);
        return new Response(forKit, { status: res.status, headers: res.headers });
      }),
    );
    try {
      const store = createGeneratorStore({ backendUrl: BASE, cadence: { firstDelayMs: 3000 } });
      stores.push(store);
      store.getState().setPrompt('outlives its stream');
      await store.getState().submit();
      await waitFor(store, (s) => s.tasks[0]?.phase === 'completed', 15_000);
      expect(store.getState().tasks[0]!.error).toBeUndefined();
      expect(reconnects.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(reconnects[0]!)).toEqual({ reason: 'stream_lifetime' });
      const streams = seen.filter((r) => r.endsWith('/events'));
      const polls = seen.filter((r) => /^GET \/v1\/images\/generations\/[^/]+$/.test(r));
      // The test's copy of each stream is read on its own schedule: let it catch up (bounded).
      for (let i = 0; i < 100 && reconnects.length < streams.length - 1; i++) await new Promise((r) => setTimeout(r, 20));
      // Each clean close costs one read and a new stream, never a switch to polling every few seconds
      // (no new stream when that one read already finds the task finished).
      expect(streams.length - reconnects.length).toBeGreaterThanOrEqual(0);
      expect(streams.length - reconnects.length).toBeLessThanOrEqual(1);
      expect(polls.length).toBe(reconnects.length);
    } finally {
      await shortLived.close();
    }
  });

  it('a broken stream falls back to polling and still completes', async () => {
    server.use(http.get(`${BASE}/v1/images/generations/:id/events`, () => HttpResponse.error()));
    const store = createGeneratorStore({ backendUrl: BASE, pollInterval: 200 });
    stores.push(store);
    store.getState().setPrompt('fallback');
    await store.getState().submit();
    await waitFor(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(store.getState().tasks[0]!.error).toBeUndefined();
    const polls = seen.filter((r) => /^GET \/v1\/images\/generations\/[^/]+$/.test(r));
    expect(polls.length).toBeGreaterThan(0);
  });

  it('a plain backend (no /v1/capabilities) is polled, with no stream attempt', async () => {
    const store = createGeneratorStore({ backendUrl: 'http://127.0.0.1:4021', pollInterval: 200 });
    stores.push(store);
    store.getState().setPrompt('plain');
    await store.getState().submit();
    await waitFor(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(seen.filter((r) => r.endsWith('/events'))).toEqual([]);
    expect(seen.filter((r) => /^GET \/v1\/images\/generations\/[^/]+$/.test(r)).length).toBeGreaterThan(0);
  });

  it('stream: false opts out', async () => {
    const store = createGeneratorStore({ backendUrl: BASE, pollInterval: 200, stream: false });
    stores.push(store);
    store.getState().setPrompt('no stream');
    await store.getState().submit();
    await waitFor(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(seen.filter((r) => r.endsWith('/events') || r.endsWith('/capabilities'))).toEqual([]);
  });

  it('a task the backend does not know fails with not_found from the stream, without endless retries', async () => {
    const store = createGeneratorStore({ backendUrl: BASE, pollInterval: 200 });
    stores.push(store);
    store.getState().resumeTask({ taskId: 'task_img_unknown', prompt: 'ghost' });
    await waitFor(store, (s) => s.tasks[0]?.phase === 'failed');
    expect(store.getState().tasks[0]!.error?.kind).toBe('not_found');
  });
});

describe('readServerSentEvents', () => {
  function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
    const enc = new TextEncoder();
    return new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(enc.encode(c));
        controller.close();
      },
    });
  }

  it('parses events split across chunks, CRLF, comments and multi-line data', async () => {
    const events = [];
    for await (const e of readServerSentEvents(streamOf([': ping\n\nevent: ta', 'sk\r\ndata: {"a":\r\ndata: 1}\r\n\r\n', 'id: 7\ndata: x\n\n', 'data: tail-without-blank-line']))) {
      events.push(e);
    }
    expect(events).toEqual([
      { event: 'task', data: '{"a":\n1}' },
      { event: 'message', data: 'x', id: '7' },
    ]);
  });

  it('refuses an unbounded event', async () => {
    const huge = 'data: ' + 'x'.repeat(1_100_000);
    await expect(async () => {
      for await (const _ of readServerSentEvents(streamOf([huge]))) void _;
    }).rejects.toMatchObject({ kind: 'protocol' });
  });
});
