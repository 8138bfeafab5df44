/**
 * Measures how long the proxy holds a trickling request body: 300 loopback connections each send
 * the headers of a JSON submit (Content-Length 4096), then one byte a second. Prints how long each
 * connection was held until the server answered (408 expected, from `bodyTimeoutMs`) or closed it,
 * and the proxy's resident memory, as a table and JSON. Runs at most `--max-s` seconds (90).
 *
 *   node --import tsx scripts/attack/trickle.ts [--connections 300] [--max-s 90]
 */
import { connect, type Socket } from 'node:net';
import { mb, sleep, startFakeUpstream, startProxy } from './server';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CONNECTIONS = arg('connections', 300);
const MAX_MS = arg('max-s', 90) * 1000;

interface Held {
  ms: number;
  outcome: string;
}

const upstream = await startFakeUpstream();
const proxy = await startProxy(upstream.origin);
const sockets: Socket[] = [];
try {
  const { port } = new URL(proxy.origin);
  const start = proxy.rss();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, proxy.rss())), 250);
  const began = Date.now();
  const held = await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      (_, i) =>
        new Promise<Held>((done) => {
          const opened = Date.now();
          let answer = '';
          let finished = false;
          const finish = (outcome: string) => {
            if (finished) return;
            finished = true;
            clearInterval(drip);
            clearTimeout(cap);
            socket.destroy();
            done({ ms: Date.now() - opened, outcome });
          };
          const socket = connect({ host: '127.0.0.1', port: Number(port) });
          sockets.push(socket);
          socket.setNoDelay(true);
          socket.on('connect', () =>
            socket.write(
              `POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 4096\r\nX-Trickle: ${i}\r\n\r\n{`,
            ),
          );
          const drip = setInterval(() => socket.writable && socket.write(' '), 1000);
          const cap = setTimeout(() => finish('still held at the end of the run'), MAX_MS);
          socket.on('data', (chunk: Buffer) => {
            answer += chunk.toString('latin1');
            const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
            if (status) finish(status);
          });
          socket.on('close', () => finish('closed without an answer'));
          socket.on('error', () => finish('connection error'));
        }),
    ),
  );
  clearInterval(sampler);
  const totalMs = Date.now() - began;
  const times = held.map((h) => h.ms).sort((a, b) => a - b);
  const outcomes: Record<string, number> = {};
  for (const h of held) outcomes[h.outcome] = (outcomes[h.outcome] ?? 0) + 1;
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  const report = {
    connections: CONNECTIONS,
    outcomes,
    heldMsMin: times[0] ?? 0,
    heldMsMedian: pct(50),
    heldMsMax: times.at(-1) ?? 0,
    totalMs,
    upstreamRequests: upstream.requests(),
    rssStartBytes: start,
    rssPeakBytes: peak,
  };
  console.log(`\n${CONNECTIONS} connections trickling a submit body (1 byte/s) against npm start (pid ${proxy.pid}):`);
  console.log(`  answers          ${Object.entries(outcomes).map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  console.log(`  held             min ${(report.heldMsMin / 1000).toFixed(1)} s, median ${(report.heldMsMedian / 1000).toFixed(1)} s, max ${(report.heldMsMax / 1000).toFixed(1)} s`);
  console.log(`  upstream calls   ${upstream.requests()}`);
  console.log(`  RSS              start ${mb(start)}, peak ${mb(peak)}`);
  console.log(JSON.stringify(report));
  await sleep(100);
} finally {
  for (const socket of sockets) socket.destroy();
  await proxy.stop();
  await upstream.stop();
}
