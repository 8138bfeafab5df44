/**
 * Logging: every line goes through the key scrubber (scrub.ts), and a failing log sink never fails
 * a request.
 */

/** The scrubber lives in scrub.ts; re-exported here for the modules that import it from the log. */
export { createScrubber } from './scrub';

/** One `[toapis-proxy] …` line to the sink, scrubbed. */
export function createLogger(sink: (line: string) => void, scrub: (text: string) => string): (line: string) => void {
  return (line) => {
    try {
      sink(scrub(`[toapis-proxy] ${line}`));
    } catch {
      // A failing log sink must not fail the request.
    }
  };
}

/** What to log about a thrown value: its class name, never its message (which may quote the key or user input). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
