/** Loopback ports for the tests' own servers (no heavy imports: node and browser tests share it). */
import { createServer } from 'node:net';

/** A loopback port nobody listens on right now (asks the OS for one, then releases it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}
