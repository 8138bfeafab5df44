/**
 * MSW in node tests, backed by the simulator. Nothing listens on the port: MSW intercepts `fetch`.
 *
 * ```ts
 * const sim = useSimulatorServer({ queuedMs: 100 });
 * it('…', async () => { await fetch(`${sim.baseUrl}/v1/simulator/health`); sim.simulator.stats; });
 * ```
 */
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMockHandlers } from '../../server/mock';
import type { Simulator, SimulatorOptions } from '../../server/simulator';

/** Origin the simulator answers on in node tests. */
export const SIMULATOR_BASE_URL = 'http://127.0.0.1:4010';

/** What {@link setupSimulatorServer} returns. */
export interface SimulatorServer {
  /** The `setupServer(...)` instance (msw's `SetupServer` interface). */
  server: SetupServer;
  simulator: Simulator;
  /** `http://127.0.0.1:4010`; the handlers accept any path prefix below it (e.g. `/api`). */
  baseUrl: string;
}

/** Creates (but does not start) an MSW node server whose handlers forward to a fresh simulator. */
export function setupSimulatorServer(options: SimulatorOptions = {}): SimulatorServer {
  const { handlers, simulator } = createMockHandlers({ ...options, baseUrl: SIMULATOR_BASE_URL });
  const server = setupServer(...handlers);
  return { server, simulator, baseUrl: SIMULATOR_BASE_URL };
}

/**
 * Registers the usual hooks for one test file — `listen({ onUnhandledRequest: 'error' })` before
 * all, `resetHandlers()` + `simulator.reset()` after each, `close()` after all — and returns the
 * server, simulator and base URL.
 */
export function useSimulatorServer(options: SimulatorOptions = {}): Readonly<SimulatorServer> {
  const setup = setupSimulatorServer(options);
  beforeAll(() => setup.server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    setup.server.resetHandlers();
    setup.simulator.reset();
  });
  afterAll(() => setup.server.close());
  return {
    get server() {
      return setup.server;
    },
    get simulator() {
      return setup.simulator;
    },
    get baseUrl() {
      return setup.baseUrl;
    },
  };
}
