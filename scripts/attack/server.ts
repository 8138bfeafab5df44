/**
 * Shared by the attack measurements: a fake ToAPIs on loopback that swallows what it is sent, and
 * `npm start` (server/dev.ts) spawned as a child process in front of it, with its resident memory
 * read from /proc/<pid>/status. Loopback only; every server and child is stopped by `stop()`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MB = 1024 * 1024;

/** A fake upstream: reads and drops every request body, answers an upload or a task. */
export async function startFakeUpstream(): Promise<{ origin: string; requests: () => number; stop: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        req.url?.endsWith('/uploads/images')
          ? JSON.stringify({ success: true, message: '', data: { id: 'u1', url: 'https://files.toapis.com/uploads/u1.png', mime_type: 'image/png', size: 1 } })
          : JSON.stringify({ id: `task_img_${requests}`, object: 'generation.task', status: 'queued', progress: 0 }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests: () => requests,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface ProxyChild {
  origin: string;
  pid: number;
  /** Resident set size in bytes, from /proc/<pid>/status. */
  rss(): number;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx server/dev.ts` with a key, in front of `upstream`, on a free loopback port. */
export async function startProxy(upstream: string): Promise<ProxyChild> {
  if (!existsSync(resolve(ROOT, 'dist-playground/index.html'))) {
    // Build the playground in its own process first, so the measured process never runs Vite.
    const built = spawnSync('npx', ['vite', 'build', '--config', 'vite.playground.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('playground build failed');
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/dev.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? ROOT,
      HOST: '127.0.0.1',
      PORT: '0',
      NO_BUILD: '1',
      TOAPIS_API_KEY: 'sk-attack-measurement-key-0123456789',
      TOAPIS_BASE_URL: upstream,
      // glibc malloc tuning (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_…) passes through, to compare.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('MALLOC_'))),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 60_000;
  let origin: string | undefined;
  while (!origin) {
    origin = /Playground ready at (http:\/\/[^\s/]+)\//.exec(out)?.[1];
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server/dev.ts did not start:\n${out}`);
    }
    await sleep(50);
  }
  const pid = child.pid!;
  return {
    origin,
    pid,
    rss: () => {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return Number(kb ?? 0) * 1024;
    },
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) {
        child.kill('SIGKILL');
        await Promise.race([exited, sleep(2000)]);
      }
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
