/**
 * Logging and key scrubbing: the key is removed from any text that leaves the proxy (upstream
 * echoes in answers, log lines, stream events), and a failing log sink never fails a request.
 */

/** Replaces the key (as written, and as escaped inside JSON) with `[redacted]`. */
export function createScrubber(apiKey: string): (text: string) => string {
  const keyJson = JSON.stringify(apiKey).slice(1, -1);
  return (text) => {
    if (apiKey.length < 8) return text; // too short to tell from ordinary text; real keys are long
    let out = text.split(apiKey).join('[redacted]');
    if (keyJson !== apiKey) out = out.split(keyJson).join('[redacted]');
    return out;
  };
}

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
