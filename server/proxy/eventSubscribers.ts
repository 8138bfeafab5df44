/**
 * One browser's event stream in the stream hub (`events.ts`): the `ReadableStream` behind the
 * response, writes that drop a reader who falls too far behind, and a clean end.
 */
import { encoder } from './crypto';

/** A slow reader is dropped once this many events wait in its queue. */
const MAX_QUEUED_EVENTS = 64;

/** Sent when a stream reaches its lifetime: not an error; the task goes on and may be followed again. */
export const RECONNECT_EVENT = `retry: 1000
event: reconnect
data: ${JSON.stringify({ reason: 'stream_lifetime' })}

`;

export interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  open: boolean;
  detach: () => void;
  /** Ends the stream at `maxStreamMs`. */
  lifetime?: ReturnType<typeof setTimeout>;
}

export function write(sub: Subscriber, chunk: string): void {
  if (!sub.open) return;
  try {
    const queued = sub.controller.desiredSize;
    if (queued !== null && queued < -MAX_QUEUED_EVENTS) {
      endSubscriber(sub);
      return;
    }
    sub.controller.enqueue(encoder.encode(chunk));
  } catch {
    sub.open = false;
  }
}

export function endSubscriber(sub: Subscriber): void {
  if (sub.lifetime !== undefined) clearTimeout(sub.lifetime);
  sub.lifetime = undefined;
  if (!sub.open) return;
  sub.open = false;
  sub.detach();
  try {
    sub.controller.close();
  } catch {
    // Already closed or errored by the reader.
  }
}

/**
 * The stream of one subscriber. `drop` takes it off its watcher when the request is aborted (after
 * ending it) or the reader cancels.
 */
export function openSubscriberStream(signal: AbortSignal, drop: (sub: Subscriber) => void): { stream: ReadableStream<Uint8Array>; subscriber: Subscriber | undefined } {
  let sub: Subscriber | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const onAbort = () => {
          if (sub) {
            endSubscriber(sub);
            drop(sub);
          }
        };
        sub = {
          controller,
          open: true,
          detach: () => signal.removeEventListener('abort', onAbort),
        };
        signal.addEventListener('abort', onAbort, { once: true });
      },
      cancel() {
        if (sub) {
          if (sub.lifetime !== undefined) clearTimeout(sub.lifetime);
          sub.open = false;
          sub.detach();
          drop(sub);
        }
      },
    },
    { highWaterMark: 1 },
  );
  return { stream, subscriber: sub as Subscriber | undefined };
}

/** The response that carries an event stream. */
export function eventStreamResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
