/**
 * The simulator as MSW request handlers, for your own Storybook, tests and prototypes:
 *
 * ```ts
 * import { setupWorker } from 'msw/browser';
 * import { createMockHandlers } from '@toapis/image-kit/mock';
 * const { handlers } = createMockHandlers({ queuedMs: 400 });
 * await setupWorker(...handlers).start();
 * ```
 *
 * Imports only from `msw` (not `msw/node` or `msw/browser`), so it works in both worlds.
 */
import { http, type HttpHandler } from 'msw';
import { createSimulator, type Simulator, type SimulatorOptions } from './simulator';

export { SIMULATOR_FAULTS, SIMULATOR_FAULT_HEADER, SIMULATOR_STATUS_HEADER } from './simulator';
export type { Simulator, SimulatorFault, SimulatorOptions, SimulatorProfile, SimulatorStats } from './simulator';

/** Options of {@link createMockHandlers}: the simulator's own, plus where it answers. */
export interface MockHandlersOptions extends SimulatorOptions {
  /**
   * Restricts the handlers to this origin (and path prefix), e.g. `http://127.0.0.1:4010` or
   * `https://example.test/api` (any deeper prefix is accepted too). Without it they answer every
   * origin's `…/v1/…` and `…/sim/…` URLs.
   * @default undefined (any origin)
   */
  baseUrl?: string;
}

/** The handlers to pass to `setupWorker`/`setupServer`, and the simulator behind them. */
export interface MockHandlers {
  handlers: HttpHandler[];
  simulator: Simulator;
}

/**
 * Creates one simulator and MSW handlers that forward `…/v1/*` (any method, so preflights too) and
 * `GET …/sim/*` (generated images and uploaded files) to its `fetch`.
 */
export function createMockHandlers(options: MockHandlersOptions = {}): MockHandlers {
  const { baseUrl, ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  const handlers: HttpHandler[] = [
    http.all(route(baseUrl, 'v1'), ({ request }) => simulator.fetch(request)),
    http.get(route(baseUrl, 'sim'), ({ request }) => simulator.fetch(request)),
  ];
  return { handlers, simulator };
}

/**
 * A `…/<segment>/…` pattern on any origin, or a RegExp anchored at `baseUrl`: MSW's string patterns
 * read `:4010` in an origin as a path parameter, so they cannot pin a port.
 */
function route(baseUrl: string | undefined, segment: string): string | RegExp {
  if (baseUrl === undefined) return `*/${segment}/*`;
  const base = baseUrl.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}(?:/.*)?/${segment}/`);
}
