/** The request log: one JSON line per request (or a pretty one), never the key, a body or a prompt. */
import { closeHarnesses, T0, FAKE_TIMERS, harness, submit, submitOk, socketEnv, get, PNG, upload, KEY, type Json } from './harness';

afterEach(closeHarnesses);

const PROMPT = 'a secret lighthouse prompt 7f3a';

function requestLines(logs: string[]): Json[] {
  return logs.map((l) => JSON.parse(l) as Json).filter((l) => 'route' in l);
}

describe('request log', () => {
  it('writes one JSON line per request with route, status, time, hashed identity, IP, task, upstream status and bytes', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ logFormat: 'json' });
    const v = h.visitor('203.0.113.20');
    const submitted = await submit(v, { prompt: PROMPT });
    const task = (await submitted.clone().json()) as Json;
    await v.send(`/v1/images/generations/${String(task.id)}`);
    await upload(v, PNG);
    await h.proxy.fetch(get('/v1/capabilities'), socketEnv('203.0.113.21'));

    const lines = requestLines(h.logs);
    expect(lines).toHaveLength(4);
    expect(h.logs.every((l) => l.startsWith('{"time":'))).toBe(true);
    const [sub, read, up, caps] = lines as [Json, Json, Json, Json];
    expect(sub).toEqual({
      time: new Date(T0).toISOString(),
      method: 'POST',
      route: 'submit',
      status: 200,
      ms: 0,
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      ip: '203.0.113.20',
      task: task.id,
      upstream: 200,
      bytes: (await submitted.text()).length,
      limit: null,
    });
    expect(read).toMatchObject({ method: 'GET', route: 'task', status: 200, id: sub.id, task: task.id, upstream: 200 });
    expect(up).toMatchObject({ method: 'POST', route: 'upload', status: 200, id: sub.id, task: null, upstream: 200 });
    expect(caps).toMatchObject({ route: 'capabilities', status: 200, id: null, ip: '203.0.113.21', upstream: null });
    // The hashed identity is neither the cookie's session id nor the business-id namespace.
    const sid = v.cookie!.split('=')[1]!.split('.')[0]!;
    expect(String(sub.id)).not.toContain(sid.slice(0, 6));
    const ns = String((JSON.parse(await h.upstream[0]!.clone().text()) as Json).client_business_id).split(':')[0]!;
    expect(ns.startsWith(String(sub.id))).toBe(false);
    // Never the key, the prompt or a body.
    for (const line of h.logs) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(PROMPT);
      expect(line).not.toContain('lighthouse');
      expect(line).not.toContain('"data"');
    }
  });

  it('names the budget that refused a request, and logs the refused request without an identity', async () => {
    const h = harness({ rateLimit: { windowMs: 60_000, max: 10, maxNewSessions: 1 }, rateGroup: { submit: [{ points: 1, windowMs: 60_000 }], query: [{ points: 10, windowMs: 60_000 }] } });
    const v = h.visitor('192.0.2.5');
    await submit(v);
    await submit(v);
    await submit(h.visitor('192.0.2.5'));
    const [, second, third] = requestLines(h.logs) as [Json, Json, Json];
    expect(second).toMatchObject({ route: 'submit', status: 429, limit: 'key_submit', upstream: null });
    expect(third).toMatchObject({ route: 'submit', status: 429, limit: 'new_sessions', id: null, upstream: null });
  });

  it("writes events as JSON lines too (format 'json')", async () => {
    const h = harness({ logFormat: 'json' });
    h.intercept = () => {
      throw new TypeError('socket hang up');
    };
    await submit(h.visitor('192.0.2.1'));
    const event = h.logs.map((l) => JSON.parse(l) as Json).find((l) => 'event' in l);
    expect(event).toMatchObject({ event: 'upstream POST failed: TypeError' });
    expect(String(event?.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("writes a human line with logFormat 'pretty'", async () => {
    const h = harness({ logFormat: 'pretty' });
    const v = h.visitor('192.0.2.9');
    const task = await submitOk(v, { prompt: PROMPT });
    const line = h.logs.find((l) => l.includes(' submit '));
    expect(line).toMatch(new RegExp(`^\\[toapis-proxy\\] POST submit 200 \\d+ms id=[0-9a-f]{12} ip=192\\.0\\.2\\.9 task=${String(task.id)} upstream=200 bytes=\\d+$`));
    expect(line).not.toContain(PROMPT);
  });

  it('defaults to JSON, keeps the log option (a failing sink never fails a request), and checks logFormat', async () => {
    const lines: string[] = [];
    const h = harness({ log: (line) => lines.push(line), logFormat: undefined });
    await h.proxy.fetch(get('/v1/capabilities'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'GET', route: 'capabilities', status: 200 });
    const failing = harness({
      log: () => {
        throw new Error('disk full');
      },
    });
    expect((await failing.proxy.fetch(get('/v1/capabilities'))).status).toBe(200);
    expect(() => harness({ logFormat: 'xml' as never })).toThrow(/logFormat/);
  });

  it('logs only plain task ids from the path', async () => {
    const h = harness();
    await h.proxy.fetch(get('/v1/images/generations/%0Aforged%20line'));
    const [line] = requestLines(h.logs) as [Json];
    expect(line).toMatchObject({ route: 'task', status: 400, task: null });
  });
});
