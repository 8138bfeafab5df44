/** The event stream: one upstream poll loop per task fanned out to every subscriber. */
import {
  closeHarnesses,
  T0,
  FAKE_TIMERS,
  type Json,
  harness,
  submitOk,
  upstreamGets,
  settle,
  type SseReader,
  readSse,
  runUntil,
  taskEvents,
} from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Server-Sent Events
 * -----------------------------------------------------------------------------------------------*/

describe('event stream', () => {
  it('fans one upstream poll loop out to 3 subscribers, who see the same sequence ending in completed', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const task = await submitOk(v, { client_business_id: 'kit-sse-1' });
    const id = String(task.id);
    await vi.advanceTimersByTimeAsync(500);
    const responses = await Promise.all([1, 2, 3].map(() => v.send(`/v1/images/generations/${id}/events`)));
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toMatch(/^no-cache/);
    }
    expect(h.proxy.stats.subscribers).toBe(3);
    const readers = responses.map((res) => readSse(h, res));
    await runUntil(() => readers.every((r) => r.finished()));
    expect(readers.every((r) => r.finished())).toBe(true);

    const sequences = readers.map((r) => taskEvents(r).map((t) => `${String(t.status)}:${String(t.progress)}`));
    expect(sequences[0]?.length).toBeGreaterThanOrEqual(2);
    expect(sequences[1]).toEqual(sequences[0]);
    expect(sequences[2]).toEqual(sequences[0]);
    const last = taskEvents(readers[0] as SseReader).at(-1) as Json;
    expect(last.status).toBe('completed');
    expect(last.client_business_id).toBe('kit-sse-1');
    expect(((last.result as Json).data as unknown[]).length).toBe(1);

    // One loop: ~1 s of task time at a 1 s cadence is 2 reads (3 with jitter/timing), never 3 × that.
    const polls = upstreamGets(h, id).length;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(3);
    expect(h.proxy.stats.upstreamPolls).toBe(polls);
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the current state at once to a late subscriber, and a finished task as one event', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const first = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => first.events.length > 0);
    const late = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await settle();
    expect(late.events.map((e) => e.data)).toEqual(first.events.map((e) => e.data));
    await runUntil(() => first.finished() && late.finished());

    const pollsBefore = upstreamGets(h, id).length;
    const after = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => after.finished());
    expect(taskEvents(after).map((t) => t.status)).toEqual(['completed']);
    expect(upstreamGets(h, id).length).toBe(pollsBefore); // known final state: no upstream read
  });

  it('stops the poll loop when the last subscriber leaves', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v, { prompt: '[sim:slow] a slow lighthouse' })).id);
    const a = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    const b = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => false, 2500);
    await a.cancel();
    await runUntil(() => false, 2500);
    expect(h.proxy.stats.subscribers).toBe(1);
    const whileOne = upstreamGets(h, id).length;
    expect(whileOne).toBeGreaterThanOrEqual(3);
    await b.cancel();
    await settle();
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await runUntil(() => false, 5000);
    expect(upstreamGets(h, id).length).toBeLessThanOrEqual(whileOne + 1);
  });

  it('sends heartbeats and ends every stream cleanly on close(), leaving no timers', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 }, { slowFactor: 40 }); // [sim:slow] tasks take 40 s
    const v = h.visitor();
    const one = String((await submitOk(v, { prompt: '[sim:slow] first' })).id);
    const two = String((await submitOk(v, { prompt: '[sim:slow] second' })).id);
    const readers = [
      readSse(h, await v.send(`/v1/images/generations/${one}/events`)),
      readSse(h, await v.send(`/v1/images/generations/${one}/events`)),
      readSse(h, await v.send(`/v1/images/generations/${two}/events`)),
    ];
    await runUntil(() => readers.every((r) => r.text().includes(': ping')), 16_000, 500);
    for (const r of readers) {
      expect(r.text()).toContain(': ping\n\n');
      expect(r.finished()).toBe(false);
    }
    expect(h.proxy.stats.subscribers).toBe(3);
    expect(vi.getTimerCount()).toBeGreaterThan(0);

    await h.proxy.close();
    await runUntil(() => readers.every((r) => r.finished()), 1000);
    expect(readers.every((r) => r.finished())).toBe(true);
    expect(h.proxy.stats.subscribers).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    const polls = h.proxy.stats.upstreamPolls;
    await runUntil(() => false, 10_000, 1000);
    expect(h.proxy.stats.upstreamPolls).toBe(polls);
    expect((await v.send('/v1/capabilities')).status).toBe(503);
  });

  it('backs off on upstream 429 honouring Retry-After, then carries on', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const pollTimes: number[] = [];
    let limited = 0;
    h.intercept = (request) => {
      if (request.method !== 'GET') return undefined;
      pollTimes.push(Date.now());
      if (pollTimes.length === 2 && limited++ === 0) {
        return new Response(JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'slow down' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '5' },
        });
      }
      return undefined;
    };
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished());
    expect(taskEvents(r).at(-1)?.status).toBe('completed');
    expect(pollTimes.length).toBe(3);
    expect((pollTimes[2] as number) - (pollTimes[1] as number)).toBeGreaterThanOrEqual(5000);
    expect(r.events.some((e) => e.event === 'error')).toBe(false);
    // The browser is told, so the row can count down (the stream stays open and goes on).
    const retries = r.events.filter((e) => e.event === 'retry').map((e) => JSON.parse(e.data) as Json);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ status: 429, error: { code: 'rate_limit_exceeded', message: 'slow down' } });
    expect(retries[0]?.retry_after_ms as number).toBeGreaterThanOrEqual(5000);
    expect(retries[0]?.retry_after_ms as number).toBeLessThanOrEqual(5500);
    const order = r.events.map((e) => e.event);
    expect(order.indexOf('retry')).toBeLessThan(order.lastIndexOf('task'));
  });

  it('after an upstream 429 with a short Retry-After, the next read still waits at least the normal cadence', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 5000 }, { queuedMs: 2000, generatingMs: 20_000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    const pollTimes: number[] = [];
    h.intercept = (request) => {
      if (request.method !== 'GET') return undefined;
      pollTimes.push(Date.now());
      if (pollTimes.length === 2) {
        return new Response(JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'slow down' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
        });
      }
      return undefined;
    };
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished(), 120_000, 500);
    expect(taskEvents(r).at(-1)?.status).toBe('completed');
    const gaps = pollTimes.slice(1).map((t, i) => t - (pollTimes[i] as number));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(5000);
    expect(gaps[1]).toBeGreaterThanOrEqual(10_000); // the read after the 429: doubled cadence, not 1 s
    const retry = JSON.parse(r.events.find((e) => e.event === 'retry')?.data ?? '{}') as Json;
    expect(retry.retry_after_ms as number).toBeGreaterThanOrEqual(10_000);
  });

  it('ends the stream with an error event when the upstream loses the task', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ pollIntervalMs: 1000 });
    const v = h.visitor();
    const id = String((await submitOk(v)).id);
    h.intercept = (request) =>
      request.method === 'GET'
        ? new Response(JSON.stringify({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } }), { status: 404 })
        : undefined;
    const r = readSse(h, await v.send(`/v1/images/generations/${id}/events`));
    await runUntil(() => r.finished());
    expect(r.events).toEqual([{ event: 'error', data: '{"error":{"code":404,"message":"Task not found","type":"not_found_error"}}' }]);
  });
});
