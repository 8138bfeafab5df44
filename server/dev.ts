/**
 * `npm start`: one Node server on loopback serving the backend (the simulator when no
 * TOAPIS_API_KEY is set). The only file under server/ that touches Node APIs.
 */
import { serve } from '@hono/node-server';
import { createSimulator } from './simulator';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8787);

const simulator = createSimulator({ seed: Number(process.env.SIM_SEED ?? 1) });

const server = serve({ fetch: (req: Request) => simulator.fetch(req), hostname: host, port }, (info) => {
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`;
  console.log(`ToAPIs image kit — backend: simulator (no TOAPIS_API_KEY set)`);
  console.log(`Backend:  ${url}  (try ${url}/v1/simulator/health)`);
});

const shutdown = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
