/**
 * The running part of a proxy child process (test/server/fleet/instance.ts and the proxy
 * benchmark's scripts/bench/proxy-instance.ts): serve the proxy on a free loopback port, print
 * `ready <port>` once listening, and stop cleanly (proxy, state, server) on SIGTERM or when stdin
 * closes — the parent went away.
 */
import { serve } from '@hono/node-server';
import type { ToapisProxy } from '../../server/proxy';
import type { ProxyState } from '../../server/state/types';

export function serveChild(proxy: ToapisProxy, state: ProxyState | undefined): void {
  const server = serve({ fetch: proxy.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.stdout.write(`ready ${info.port}\n`);
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 3000);
    force.unref();
    try {
      await proxy.close();
      await state?.close();
      server.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.stdin.resume();
}
