/**
 * `GET /v1/images/generations/:id/events`: the task as Server-Sent Events through the stream hub,
 * at most 16 open streams per identity.
 */
import type { Json, ProxyDeps } from '../context';
import type { EventsHandler } from './task';

const MAX_STREAMS_PER_IDENTITY = 16;

export function createEventsRoute({ responses, ownership, streams, isClosed }: ProxyDeps): EventsHandler {
  return async function handleEvents(ctx, caller, resolution) {
    if (resolution.kind === 'none') return responses.notFound();
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
    if (streams.streamsOf(caller.ns) >= MAX_STREAMS_PER_IDENTITY) return responses.tooManyRequests(5);
    if (isClosed()) return responses.closed();
    const known = initial ?? (streams.isWatching(taskId) ? undefined : ownership.record(taskId)?.final);
    return streams.subscribe(taskId, caller.ns, known, ctx.request.signal);
  };
}
