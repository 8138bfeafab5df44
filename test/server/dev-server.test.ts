/**
 * `npm start` (server/dev.ts) as a real child process: without a key it serves the playground and
 * the proxy in front of the embedded simulator; with TOAPIS_API_KEY it proxies to TOAPIS_BASE_URL —
 * here a fake ToAPIs on loopback that records what arrives — and the key never comes back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createSimulator, renderPlaceholder } from '../../server/simulator';
import { signedWebhook } from './proxy/harness';
import { startRedis } from './redis-server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = 'gemini-3.1-flash-image-preview';
const DEV_KEY = 'sk-test-dev';
/** Startup may include a playground build (~3 s, more on a busy machine). */
const START_MS = 90_000;
const WAIT_MS = 15_000;
const PNG = renderPlaceholder(8, 8, 1);

type Json = Record<string, unknown>;

interface DevServer {
  origin: string;
  /** stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<DevServer>();

afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
});

/** Starts `node --import tsx server/dev.ts` on a free loopback port (PORT=0) in its own process group. */
async function startDev(env: Record<string, string>): Promise<DevServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/dev.ts'], {
    cwd: ROOT,
    // A clean environment: nothing of the test runner's, no inherited key.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? ROOT,
      HOST: '127.0.0.1',
      PORT: '0',
      ...(existsSync(`${ROOT}dist-playground/index.html`) && { NO_BUILD: '1' }),
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const server: DevServer = {
    origin: '',
    output: () => out,
    async stop() {
      running.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      };
      signalGroup('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        signalGroup('SIGKILL');
        await Promise.race([exited, sleep(2000)]);
      }
    },
  };
  running.add(server);

  const deadline = Date.now() + START_MS;
  for (;;) {
    const ready = /Playground ready at (http:\/\/[^\s/]+)\//.exec(out);
    if (ready) {
      server.origin = ready[1]!;
      return server;
    }
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`server/dev.ts did not start:\n${out}`);
    }
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A visitor of the dev server: carries the session cookie, records every answer for the key scan. */
function visitor(origin: string) {
  let cookie: string | undefined;
  const seen: string[] = [];
  async function send(path: string, init: RequestInit = {}): Promise<{ res: Response; text: string }> {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(`${origin}${path}`, { ...init, headers, signal: AbortSignal.timeout(WAIT_MS) });
    const text = await res.text();
    seen.push(`${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    return { res, text };
  }
  async function submit(prompt: string): Promise<Json> {
    const { res, text } = await send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt, size: '16:9', n: 1 }),
    });
    expect(res.status).toBe(200);
    expect(cookie).toMatch(/^gen_sid=/);
    return JSON.parse(text) as Json;
  }
  return { send, submit, seen };
}

function taskEvents(text: string): Json[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').includes('event: task'))
    .map((block) => JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as Json);
}

function imageUrl(task: Json): string | undefined {
  return (task.result as { data?: Array<{ url?: string }> } | undefined)?.data?.[0]?.url;
}

/* -------------------------------------------------------------------------------------------------
 * Without a key: the simulator behind the proxy
 * -----------------------------------------------------------------------------------------------*/

it('serves the playground and a streaming backend over the simulator without a key', async () => {
  // An empty value also beats a TOAPIS_API_KEY in a local .env (process.loadEnvFile never overrides).
  const dev = await startDev({ TOAPIS_API_KEY: '' });
  try {
    expect(dev.output()).toContain('Backend: simulator');
    const v = visitor(dev.origin);

    const page = await v.send('/');
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<!doctype html>/i);
    expect(page.text).toContain('<script');

    const caps = await v.send('/v1/capabilities');
    expect(JSON.parse(caps.text)).toMatchObject({ stream: true });

    const task = await v.submit('a lighthouse at dawn');
    expect(task.status).toMatch(/^(queued|submitted|pending|in_progress)$/);
    const stream = await v.send(`/v1/images/generations/${task.id}/events`, { headers: { Accept: 'text/event-stream' } });
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = taskEvents(stream.text);
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ id: task.id, status: 'completed', progress: 100 });

    // Image URLs point back at this server (the simulator under /__sim).
    const url = imageUrl(last)!;
    expect(url.startsWith(`${dev.origin}/`)).toBe(true);
    const image = await fetch(url, { signal: AbortSignal.timeout(WAIT_MS) });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    // The image URL carries a random 128-bit token; without it (or with another) it is not served.
    expect(url).toMatch(/\/__sim\/sim\/images\/[^/]+\/0-[0-9a-f]{32}\.png$/);
    const guessed = url.replace(/-[0-9a-f]{32}\.png$/, '.png');
    expect((await fetch(guessed, { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(404);
    expect((await fetch(url.replace(/-[0-9a-f]{32}/, `-${'0'.repeat(32)}`), { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(404);

    // /__sim answers no API calls: a visitor without the owner's cookie cannot read the task there.
    const stranger = visitor(dev.origin);
    for (const path of [
      `/__sim/v1/images/generations/${String(task.id)}`,
      `/__sim/api/v1/images/generations/${String(task.id)}`,
      '/__sim/v1/simulator/health',
    ]) {
      const read = await stranger.send(path);
      expect(read.res.status, path).toBe(404);
      expect(read.text).not.toContain(String(task.id));
    }
    const simSubmit = await stranger.send('/__sim/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'x' }),
    });
    expect(simSubmit.res.status).toBe(404);
    // Through the proxy the task stays the owner's only.
    expect((await stranger.send(`/v1/images/generations/${String(task.id)}`)).res.status).toBe(404);

    // An upload through the proxy comes back as an unguessable /__sim URL that serves the file.
    const form = new FormData();
    form.set('file', new Blob([PNG]), 'ref.png');
    const uploaded = await v.send('/v1/uploads/images', { method: 'POST', body: form });
    expect(uploaded.res.status).toBe(200);
    const refUrl = (JSON.parse(uploaded.text) as { data: { url: string } }).data.url;
    expect(refUrl).toMatch(new RegExp(`^${dev.origin}/__sim/sim/uploads/upload_[0-9a-f]{8}-[0-9a-f]{32}\\.png$`));
    expect((await fetch(refUrl, { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(200);
    expect((await fetch(refUrl.replace(/-[0-9a-f]{32}/, ''), { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(404);
    // …and a submit may reference it although it is on loopback (simulator mode allows that).
    const withRef = await v.send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'with a reference', image_urls: [refUrl] }),
    });
    expect(withRef.res.status).toBe(200);
  } finally {
    await dev.stop();
  }
}, 120_000);

it('draws a random simulator seed unless SIM_SEED is set', async () => {
  const ids: string[] = [];
  const envs: Array<Record<string, string>> = [{}, {}, { SIM_SEED: '7' }, { SIM_SEED: '7' }];
  for (const env of envs) {
    const dev = await startDev({ TOAPIS_API_KEY: '', ...env });
    try {
      ids.push(String((await visitor(dev.origin).submit('seeded?')).id));
    } finally {
      await dev.stop();
    }
  }
  expect(ids[0]).not.toBe(ids[1]); // random seeds
  expect(ids[2]).toBe(ids[3]); // SIM_SEED=7 twice gives the same first task id
}, 240_000);

it('SIM_PROFILE=strict serves uploads from a second loopback origin without CORS headers; an unknown profile stops the server', async () => {
  const dev = await startDev({ TOAPIS_API_KEY: '', SIM_PROFILE: 'strict' });
  try {
    const line = /Simulator profile: strict \(.*results served from (http:\/\/127\.0\.0\.1:\d+) without CORS headers\)/.exec(dev.output());
    expect(line, dev.output()).not.toBeNull();
    const files = line![1]!;
    expect(files).not.toBe(dev.origin);
    const v = visitor(dev.origin);
    // Through the proxy (which sends the simulator its bearer key): a strict submit works.
    expect((await v.submit('a strict lighthouse')).status).toBe('submitted');
    const form = new FormData();
    form.set('file', new Blob([PNG]), 'ref.png');
    const uploaded = await v.send('/v1/uploads/images', { method: 'POST', body: form });
    const refUrl = (JSON.parse(uploaded.text) as { data: { url: string } }).data.url;
    expect(refUrl).toMatch(new RegExp(`^${files}/sim/uploads/upload_[0-9a-f]{8}-[0-9a-f]{32}\\.png$`));
    const file = await fetch(refUrl, { headers: { Origin: dev.origin }, signal: AbortSignal.timeout(WAIT_MS) });
    expect(file.status).toBe(200);
    expect([...file.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    // Files are served only there, not under /__sim on the main origin.
    expect((await fetch(refUrl.replace(files, `${dev.origin}/__sim`), { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(404);
    const withRef = await v.send('/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: MODEL, prompt: 'with a reference', size: '1:1', image_urls: [refUrl] }),
    });
    expect(withRef.res.status).toBe(200);
  } finally {
    await dev.stop();
  }
  await expect(startDev({ TOAPIS_API_KEY: '', SIM_PROFILE: 'strcit' })).rejects.toThrow(/SIM_PROFILE must be kind or strict; got "strcit"/);
}, 120_000);

/* -------------------------------------------------------------------------------------------------
 * With a key: the proxy in front of TOAPIS_BASE_URL
 * -----------------------------------------------------------------------------------------------*/

describe('with TOAPIS_API_KEY', () => {
  const simulator = createSimulator({ seed: 3, queuedMs: 50, generatingMs: 300 });
  const upstreamCalls: Array<{ method: string; path: string; authorization: string | null }> = [];
  /** The callback_url of every submit the upstream received (undefined: none sent). */
  const callbacks: unknown[] = [];
  let upstream: Server;
  let upstreamOrigin = '';

  beforeAll(async () => {
    const listener = getRequestListener(
      (request) => {
        const path = new URL(request.url).pathname;
        upstreamCalls.push({ method: request.method, path, authorization: request.headers.get('authorization') });
        if (request.method === 'POST' && path === '/v1/images/generations') {
          return request
            .clone()
            .json()
            .then((body: Json) => void callbacks.push(body.callback_url), () => void callbacks.push('unreadable'))
            .then(() => simulator.fetch(request));
        }
        return simulator.fetch(request);
      },
      { overrideGlobalObjects: false },
    );
    upstream = createServer((req, res) => void listener(req, res));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('proxies to TOAPIS_BASE_URL with the key added and never returns it', async () => {
    const dev = await startDev({ TOAPIS_API_KEY: DEV_KEY, TOAPIS_BASE_URL: upstreamOrigin });
    try {
      expect(dev.output()).toContain(`Backend: proxy to ${upstreamOrigin}`);
      const v = visitor(dev.origin);

      const caps = await v.send('/v1/capabilities');
      expect(JSON.parse(caps.text)).toMatchObject({ stream: true });

      const task = await v.submit('a red fox in snow');
      expect(typeof task.id).toBe('string');
      const submitCall = upstreamCalls.find((c) => c.method === 'POST' && c.path === '/v1/images/generations');
      expect(submitCall?.authorization).toBe(`Bearer ${DEV_KEY}`);

      // Poll until done (bounded), then the stream of a finished task answers at once.
      let current: Json = task;
      const deadline = Date.now() + WAIT_MS;
      while (current.status !== 'completed' && current.status !== 'failed' && Date.now() < deadline) {
        await sleep(150);
        const polled = await v.send(`/v1/images/generations/${task.id}`);
        expect(polled.res.status).toBe(200);
        current = JSON.parse(polled.text) as Json;
      }
      expect(current.status).toBe('completed');
      expect(imageUrl(current)?.startsWith(`${upstreamOrigin}/sim/images/`)).toBe(true);
      const stream = await v.send(`/v1/images/generations/${task.id}/events`);
      expect(taskEvents(stream.text).at(-1)).toMatchObject({ id: task.id, status: 'completed' });

      expect(upstreamCalls.length).toBeGreaterThanOrEqual(2);
      for (const call of upstreamCalls) expect(call.authorization).toBe(`Bearer ${DEV_KEY}`);
      for (const text of v.seen) expect(text).not.toContain(DEV_KEY);
      // One JSON line per request, with the client IP from the socket and the task id.
      const lines = dev
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Json);
      expect(lines.find((l) => l.route === 'submit' && l.status === 200)).toMatchObject({
        method: 'POST',
        ip: '127.0.0.1',
        task: task.id,
        upstream: 200,
      });
      expect(dev.output()).not.toContain(DEV_KEY);
      expect(dev.output()).not.toContain('a red fox in snow');
    } finally {
      await dev.stop();
    }
  }, 120_000);

  it('TOAPIS_WEBHOOK_SECRET and PUBLIC_URL turn webhooks on: every submit names the callback, and only a signed delivery is taken', async () => {
    const secret = 'whsec_dev_server_0123456789abcdef';
    const dev = await startDev({ TOAPIS_API_KEY: DEV_KEY, TOAPIS_BASE_URL: upstreamOrigin, TOAPIS_WEBHOOK_SECRET: secret, PUBLIC_URL: 'https://app.example.test/kit' });
    try {
      const task = await visitor(dev.origin).submit('pushed, not polled');
      expect(callbacks.at(-1)).toBe('https://app.example.test/kit/v1/webhooks/toapis');
      const delivery = { event: 'task.completed', data: { task_id: task.id, status: 'SUCCESS', progress: '100%', result: { data: [{ url: 'https://files.example.test/done.png' }] } } };
      const deliver = (init: RequestInit) => fetch(`${dev.origin}/v1/webhooks/toapis`, { ...init, signal: AbortSignal.timeout(WAIT_MS) });
      const forged = await deliver(signedWebhook(delivery, 'not-the-secret', { id: 'evt_dev_forged' }) as RequestInit);
      expect(forged.status).toBe(401);
      const signed = await deliver(signedWebhook(delivery, secret, { id: 'evt_dev_1' }) as RequestInit);
      expect([signed.status, await signed.json()]).toEqual([200, { ok: true }]);
    } finally {
      await dev.stop();
    }
    await expect(startDev({ TOAPIS_API_KEY: DEV_KEY, TOAPIS_BASE_URL: upstreamOrigin, TOAPIS_WEBHOOK_SECRET: secret })).rejects.toThrow(/Webhooks need both/);
  }, 120_000);

  it('reads TOAPIS_RATE_GROUP, TRUST_PROXY and LOG_FORMAT=pretty', async () => {
    const dev = await startDev({
      TOAPIS_API_KEY: DEV_KEY,
      TOAPIS_BASE_URL: upstreamOrigin,
      TOAPIS_RATE_GROUP: 'vip',
      TRUST_PROXY: '1',
      LOG_FORMAT: 'pretty',
    });
    try {
      const health = await fetch(`${dev.origin}/v1/health`, { signal: AbortSignal.timeout(WAIT_MS) });
      expect(health.status).toBe(200);
      const body = (await health.json()) as { state: string; budget: { group: string; submit: { windows: Array<{ limit: number }> } } };
      expect(body.state).toBe('memory');
      expect(body.budget.group).toBe('vip');
      expect(body.budget.submit.windows.map((w) => w.limit)).toEqual([16, 167, 1000]);
      const caps = await fetch(`${dev.origin}/v1/capabilities`, {
        headers: { 'X-Forwarded-For': '198.51.100.9, 203.0.113.7' },
        signal: AbortSignal.timeout(WAIT_MS),
      });
      expect(caps.status).toBe(200);
      // The last X-Forwarded-For entry (the one the trusted proxy added) is the client.
      const deadline = Date.now() + WAIT_MS;
      while (!/\[toapis-proxy\] GET capabilities 200 \d+ms ip=203\.0\.113\.7/.test(dev.output()) && Date.now() < deadline) await sleep(50);
      expect(dev.output()).toMatch(/\[toapis-proxy\] GET capabilities 200 \d+ms ip=203\.0\.113\.7 bytes=\d+/);
    } finally {
      await dev.stop();
    }
  }, 120_000);

  it('refuses to start with an unknown TOAPIS_RATE_GROUP', async () => {
    await expect(startDev({ TOAPIS_API_KEY: DEV_KEY, TOAPIS_BASE_URL: upstreamOrigin, TOAPIS_RATE_GROUP: 'gold' })).rejects.toThrow(
      /TOAPIS_RATE_GROUP must be one of default, vip, svip; got "gold"/,
    );
  }, 120_000);

  it('two npm start processes with the same REDIS_URL and SESSION_SECRET are one backend to a visitor who alternates between them', async () => {
    const redis = await startRedis();
    const env = { TOAPIS_API_KEY: DEV_KEY, TOAPIS_BASE_URL: upstreamOrigin, REDIS_URL: redis.url, SESSION_SECRET: 'two-instances-secret-0123456789abcdef' };
    const [one, two] = await Promise.all([startDev(env), startDev(env)]);
    try {
      expect(one.output()).toContain('State: Redis (REDIS_URL)');
      const v = visitor(one.origin);
      const task = await v.submit('one backend, two processes');
      const cookie = v.seen.length ? /set-cookie: (gen_sid=[^;]+)/.exec(v.seen.join('\n'))?.[1] : undefined;
      expect(cookie).toBeTruthy();
      // The same browser, routed to the other process: its task, its stream.
      const onTwo = await fetch(`${two.origin}/v1/images/generations/${String(task.id)}/events`, {
        headers: { cookie: cookie! },
        signal: AbortSignal.timeout(WAIT_MS),
      });
      expect(onTwo.status).toBe(200);
      expect(taskEvents(await onTwo.text()).at(-1)).toMatchObject({ id: task.id, status: 'completed' });
      // Someone else asking the second process gets the same 404 as for an unknown id.
      const stranger = await fetch(`${two.origin}/v1/images/generations/${String(task.id)}`, { signal: AbortSignal.timeout(WAIT_MS) });
      expect(stranger.status).toBe(404);
      const health = (await (await fetch(`${two.origin}/v1/health`, { signal: AbortSignal.timeout(WAIT_MS) })).json()) as Json;
      expect(health.state).toBe('redis');
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await redis.stop();
    }
  }, 120_000);
});
