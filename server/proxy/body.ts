/**
 * Reading request and upstream bodies: within a byte cap, within a deadline (request bodies), and
 * within the proxy's shared budget of buffered bytes (request bodies); JSON no deeper than parsing
 * can bear.
 */

const MAX_JSON_DEPTH = 64;

export type ReadFailure = 'too_large' | 'unreadable' | 'timeout' | 'busy';

export type ReadResult = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: ReadFailure };

/** Bytes a request may hold in memory, taken from the proxy-wide budget and given back by `done()`. */
export interface ByteLease {
  /** Takes `n` more bytes; false (and nothing taken) when the budget has no room. */
  take(n: number): boolean;
  /** Gives back everything taken. Safe to call more than once. */
  done(): void;
}

export interface ReadLimits {
  /** Most bytes read; more is `too_large`. */
  limit: number;
  /** Milliseconds allowed for the whole body to arrive; later is `timeout`. */
  timeoutMs?: number;
  /** Bytes read are taken from this lease; no room is `busy`. */
  lease?: ByteLease;
}

/** A failed read, thrown by {@link readChunks}. */
export class ReadError extends Error {
  constructor(readonly reason: ReadFailure) {
    super(reason);
    this.name = 'ReadError';
  }
}

/**
 * Yields a body's chunks while enforcing {@link ReadLimits}: a declared Content-Length over the
 * limit is refused unread, the stream is cancelled as soon as it goes over, past the deadline or
 * over the budget, and a failure is thrown as a {@link ReadError}.
 */
export async function* readChunks(
  body: ReadableStream<Uint8Array> | null,
  headers: Headers,
  { limit, timeoutMs, lease }: ReadLimits,
): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (!/^\d+$/.test(declared.trim()) || !Number.isSafeInteger(n)) throw new ReadError('unreadable');
    if (n > limit) {
      await body?.cancel().catch(() => undefined);
      throw new ReadError('too_large');
    }
  }
  if (!body) return;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    throw new ReadError('unreadable');
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired =
    timeoutMs === undefined
      ? undefined
      : new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
  let total = 0;
  let failure: ReadFailure | undefined;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array> | 'timeout';
      try {
        step = expired ? await Promise.race([reader.read(), expired]) : await reader.read();
      } catch {
        failure = 'unreadable';
        break;
      }
      if (step === 'timeout') {
        failure = 'timeout';
        break;
      }
      if (step.done) break;
      const value = step.value;
      if (!(value instanceof Uint8Array)) {
        failure = 'unreadable';
        break;
      }
      total += value.byteLength;
      if (total > limit) {
        failure = 'too_large';
        break;
      }
      if (lease && !lease.take(value.byteLength)) {
        failure = 'busy';
        break;
      }
      yield value;
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    // Stops the transfer (a failure, or a consumer that stopped early); a finished stream ignores it.
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  if (failure) throw new ReadError(failure);
}

/** Reads a whole body into one buffer with {@link readChunks}' checks. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  headers: Headers,
  limit: number,
  options: Omit<ReadLimits, 'limit'> = {},
): Promise<ReadResult> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of readChunks(body, headers, { limit, ...options })) {
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } catch (error) {
    return { ok: false, reason: error instanceof ReadError ? error.reason : 'unreadable' };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Rejects JSON nested deeper than {@link MAX_JSON_DEPTH} before `JSON.parse`/`stringify` recurse on it. */
export function jsonDepthOk(text: string): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}
