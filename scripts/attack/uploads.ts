/**
 * Measures the proxy's memory under an upload flood: 60 concurrent 10 MB uploads, each on its own
 * loopback connection, against `npm start` (server/dev.ts) as a child process with a key and a
 * fake upstream. Prints the resident memory at the start, the peak during the flood, and 30 s
 * after the last answer, with each upload's status, as a table and JSON. Targets (issue 9): peak
 * ≤ 1 GB and settled within 100 MB of the start; the exit code is 1 when one is missed.
 *
 *   node --import tsx scripts/attack/uploads.ts [--uploads 60] [--mb 10] [--settle-s 30]
 */
import { request } from 'node:http';
import { MB, mb, sleep, startFakeUpstream, startProxy } from './server';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const UPLOADS = arg('uploads', 60);
const FILE_BYTES = Math.floor(arg('mb', 10) * 1_000_000);
const SETTLE_MS = arg('settle-s', 30) * 1000;
const PEAK_TARGET = 1024 * MB;
const SETTLE_TARGET = 100 * MB;

const upstream = await startFakeUpstream();
const proxy = await startProxy(upstream.origin);
try {
  const { port } = new URL(proxy.origin);
  // One file, shared by every request: a PNG signature then zeros.
  const file = Buffer.alloc(FILE_BYTES);
  file.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const head = Buffer.from('--attack\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
  const tail = Buffer.from('\r\n--attack--\r\n');

  await sleep(2000);
  const start = proxy.rss();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, proxy.rss())), 50);

  const began = Date.now();
  const results = await Promise.all(
    Array.from(
      { length: UPLOADS },
      () =>
        new Promise<string>((done) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/v1/uploads/images',
              agent: false,
              headers: {
                'Content-Type': 'multipart/form-data; boundary=attack',
                'Content-Length': head.length + file.length + tail.length,
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => done(String(res.statusCode)));
              res.on('error', () => done(String(res.statusCode)));
            },
          );
          req.setTimeout(120_000, () => req.destroy());
          req.on('error', (e: NodeJS.ErrnoException) => done(`error:${e.code ?? e.name}`));
          req.write(head);
          req.write(file);
          req.end(tail);
        }),
    ),
  );
  const floodMs = Date.now() - began;
  peak = Math.max(peak, proxy.rss());
  await sleep(SETTLE_MS);
  clearInterval(sampler);
  const settled = proxy.rss();

  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r] = (statuses[r] ?? 0) + 1;
  const report = {
    uploads: UPLOADS,
    fileBytes: FILE_BYTES,
    floodMs,
    statuses,
    upstreamUploads: upstream.requests(),
    rssStartBytes: start,
    rssPeakBytes: peak,
    rssSettledBytes: settled,
    settleMs: SETTLE_MS,
    peakOk: peak <= PEAK_TARGET,
    settledOk: settled - start <= SETTLE_TARGET,
  };
  console.log(`\n${UPLOADS} concurrent uploads of ${(FILE_BYTES / 1e6).toFixed(0)} MB against npm start (pid ${proxy.pid}):`);
  console.log(`  answers          ${Object.entries(statuses).map(([s, n]) => `${n}× ${s}`).join(', ')} in ${(floodMs / 1000).toFixed(1)} s`);
  console.log(`  upstream uploads ${upstream.requests()}`);
  console.log(`  RSS start        ${mb(start)}`);
  console.log(`  RSS peak         ${mb(peak)}   (target ≤ ${mb(PEAK_TARGET)}: ${report.peakOk ? 'ok' : 'MISSED'})`);
  console.log(`  RSS ${SETTLE_MS / 1000} s later   ${mb(settled)}   (start + ${mb(settled - start)}; target ≤ +${mb(SETTLE_TARGET)}: ${report.settledOk ? 'ok' : 'MISSED'})`);
  console.log(JSON.stringify(report));
  process.exitCode = report.peakOk && report.settledOk ? 0 : 1;
} finally {
  await proxy.stop();
  await upstream.stop();
}
