/**
 * `GET /v1/images/generations/:id/events`: the task as Server-Sent Events through the stream hub,
 * at most `maxStreamsPerIdentity` open streams per identity (then 429) and `maxStreams` in total
 * (then 503), each with `Retry-After`; the kit polls the task meanwhile.
 */
import type { Json } from '../context';
import type { ProxyDeps } from '../deps';
import type { EventsHandler } from './task';

/** `Retry-After` seconds when a stream cap is full. */
const STREAMS_RETRY_AFTER_S = 10;

export function createEventsRoute({ config, responses, ownership, streams, isClosed }: ProxyDeps): EventsHandler {
  const { maxStreamsPerIdentity, maxStreams } = config.limits;
  return async function handleEvents(ctx, caller, resolution) {
    if (resolution.kind === 'none') return responses.notFound();
    // Caps first, so a refused stream costs no upstream read.
    if (streams.streamsOf(caller.ns) >= maxStreamsPerIdentity) return responses.tooManyRequests(STREAMS_RETRY_AFTER_S);
    if (streams.subscriberCount() >= maxStreams) {
      return responses.busy('streams_busy', 'Too many live task streams on this server right now; the task is polled instead.', STREAMS_RETRY_AFTER_S);
    }
    let taskId: string;
    let initial: Json | undefined;
    if (resolution.kind === 'lookup' || resolution.kind === 'probe') {
      const found = await ownership.readTask(resolution, caller.ns, ctx.request);
      if (found instanceof Response) return found;
      taskId = found.taskId;
      initial = found.body;
    } else {
      taskId = resolution.taskId;
    }
    if (isClosed()) return responses.closed();
    // A finished task is answered from its record, with no upstream call (on any instance); with a
    // shared state, a running one starts from the last state the fleet saw.
    const record = initial || streams.isWatching(taskId) ? undefined : await ownership.record(taskId);
    return streams.subscribe(taskId, caller.ns, initial ?? record?.final, ctx.request.signal, record?.last);
  };
}
