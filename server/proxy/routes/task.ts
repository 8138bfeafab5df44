/**
 * `GET /v1/images/generations/:id` (and `/:id/events`, handed to the events route): a task by task
 * id or business id, for its owner only; anyone else gets the same 404 as for an unknown id.
 */
import { GENERATIONS_PATH } from '../config';
import type { Caller, ProxyDeps, RequestContext, RouteHandler } from '../context';
import { present, type Resolution } from '../ownership';

const TASK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export type EventsHandler = (ctx: RequestContext, caller: Caller, resolution: Resolution) => Promise<Response>;

export function createTaskRoute({ config, responses, ownership, admit }: ProxyDeps, handleEvents: EventsHandler): RouteHandler {
  const prefix = `${config.basePath}${GENERATIONS_PATH}/`;

  return async function handleTaskPath(ctx) {
    const pathname = new URL(ctx.request.url).pathname;
    if (!pathname.startsWith(prefix)) return responses.routeNotFound();
    const rest = pathname.slice(prefix.length);
    const match = /^([^/]*)(\/events)?$/.exec(rest);
    const id = match ? decodeId(match[1] ?? '') : undefined;
    if (!match || id === undefined) {
      return responses.invalid('The task id may only hold letters, digits and _ . : - (at most 128).', 'id');
    }
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const resolution = await ownership.resolve(id, caller.ns);
    if (match[2]) return handleEvents(ctx, caller, resolution);

    const found = await ownership.readTask(resolution, caller.ns, ctx.request);
    if (found instanceof Response) return found;
    return responses.json(200, present(found.body, caller.ns));
  };
}

/** Decodes one path segment into a task id, or undefined when it is not a plain id. */
function decodeId(segment: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  if (!TASK_ID.test(id) || /^\.+$/.test(id)) return undefined;
  return id;
}
