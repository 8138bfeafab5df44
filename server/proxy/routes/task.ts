/**
 * `GET /v1/images/generations/:id` (and `/:id/events`, handed to the events route, and
 * `/:id/images/:n`, handed to the image route): a task by task id or business id, for its owner
 * only; anyone else gets the same 404 as for an unknown id.
 */
import { GENERATIONS_PATH } from '../config';
import type { Caller, RequestContext } from '../context';
import type { ProxyDeps, RouteHandler } from '../deps';
import { present, type Resolution } from '../ownership';
import type { ImageHandler } from './image';

const TASK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** 1-based image number: no sign, no leading zero, at most 3 digits. */
const IMAGE_NUMBER = /^[1-9]\d{0,2}$/;

export type EventsHandler = (ctx: RequestContext, caller: Caller, resolution: Resolution) => Promise<Response>;

export function createTaskRoute(
  { config, responses, ownership, admit }: ProxyDeps,
  handleEvents: EventsHandler,
  handleImage: ImageHandler,
): RouteHandler {
  const prefix = `${config.basePath}${GENERATIONS_PATH}/`;

  return async function handleTaskPath(ctx) {
    const pathname = new URL(ctx.request.url).pathname;
    if (!pathname.startsWith(prefix)) return responses.routeNotFound();
    const rest = pathname.slice(prefix.length);
    const match = /^([^/]*)(?:(\/events)|\/images\/([^/]*))?$/.exec(rest);
    const id = match ? decodeId(match[1] ?? '') : undefined;
    if (!match || id === undefined) {
      return responses.invalid('The task id may only hold letters, digits and _ . : - (at most 128).', 'id');
    }
    const imageNumber = match[3];
    if (imageNumber !== undefined && !IMAGE_NUMBER.test(imageNumber)) {
      return responses.invalid('The image number is a whole number from 1.', 'n');
    }
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const resolution = await ownership.resolve(id, caller.ns);
    if (match[2]) return handleEvents(ctx, caller, resolution);
    if (imageNumber !== undefined) return handleImage(ctx, caller, resolution, Number(imageNumber));

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
