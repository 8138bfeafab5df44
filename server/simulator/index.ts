/**
 * The simulator: a faithful, in-memory ToAPIs stand-in (uploads, submit, status, errors and rate
 * limits as the service documents them) as one `(Request) => Promise<Response>` handler. It uses only web-standard APIs (Request, Response,
 * URL, FormData, TextEncoder, crypto.getRandomValues), so the same code runs in Node, at the edge
 * and inside a browser service worker through MSW (`server/mock.ts`).
 *
 * Task timelines are computed from the clock on every request, so `vi.useFakeTimers()` /
 * `vi.setSystemTime()` (or the `now` option) drive them completely. The only timers are webhook
 * deliveries (one per task submitted with `callback_url`; `reset()` and `close()` cancel them).
 *
 * Faults are chosen three ways, and the union applies: `options.faults` (every task and request),
 * the `x-simulator-fault: <fault>[,<fault>]` request header, and a `[sim:<fault>]` token inside the
 * prompt. Faults present when a task is created (options, submit header, prompt) are remembered
 * on the task, so its polls follow them; a header on a later poll adds to them for that poll.
 * One-shot faults (`server_error`, `drop_poll`, `garbled`) and the `rate_limit` budget are counted
 * per task, so a client that sends the header on every request still gets through eventually.
 * Any status word can be asked for the same way (`x-simulator-status: cancelled` on the submit, or
 * `[sim:status=cancelled]` in the prompt): the task reports it when its timeline ends.
 *
 * Two profiles: `kind` (the default) forgives what the real service may not; `strict` follows the
 * documented rules (strict.ts: bearer key, per-model checks, no de-duplication, drawn timelines,
 * file routes without CORS). See `SimulatorOptions.profile` in types.ts.
 *
 * This file wires the parts together: tasks.ts (timelines), generations.ts (submit and poll),
 * files.ts (uploads and images), webhooks.ts, strict.ts, faults.ts, validate.ts, responses.ts,
 * settings.ts and png.ts.
 */
import { Hono } from 'hono';
import type { SimContext } from './context';
import { createFileHandlers } from './files';
import { createGenerationHandlers } from './generations';
import { internalError, json, openAiError, preflight, withCors } from './responses';
import { mulberry32, resolveSettings, type SimSettings } from './settings';
import { checkBearer, isApiRoute, isFileRoute } from './strict';
import { createTaskStore, type TaskStore } from './tasks';
import type { Simulator, SimulatorOptions, SimulatorStats, SimulatorTaskSummary } from './types';
import { createWebhookScheduler } from './webhooks';

export { encodeRgbaPng, renderPlaceholder } from './png';
export { SIMULATOR_FAULTS, SIMULATOR_FAULT_HEADER, SIMULATOR_STATUS_HEADER } from './types';
export type {
  Simulator,
  SimulatorFault,
  SimulatorOptions,
  SimulatorProfile,
  SimulatorStats,
  SimulatorTaskSummary,
} from './types';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Creates an in-memory ToAPIs stand-in. Endpoints match on the end of the pathname, so the handler
 * can be mounted under any origin and prefix (`http://127.0.0.1:4010` or `…/api`):
 * `POST /v1/uploads/images`, `POST /v1/images/generations`, `GET /v1/images/generations/:id`
 * (task id or `client_business_id`), `GET /v1/simulator/health`, and the files it hands out under
 * `/sim/uploads/:file` and `/sim/images/:taskId/:index.png`.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const settings = resolveSettings(options);
  let random = mulberry32(settings.seed);
  const stats: SimulatorStats = { submits: 0, polls: 0, uploads: 0, tasksCreated: 0 };
  const tasks = createTaskStore(settings);
  const webhooks = createWebhookScheduler(settings, tasks);
  const context: SimContext = {
    settings,
    stats,
    tasks,
    webhooks,
    random: () => random(),
    randomId(prefix, length, alphabet = ID_ALPHABET) {
      let id = prefix;
      for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length)];
      return id;
    },
  };
  const files = createFileHandlers(context);
  const generations = createGenerationHandlers(context, files.uploadAt);
  const app = createRoutes(generations, files);
  const simulatorFetch = (request: Request) => answer(app, settings, request);

  return {
    fetch: simulatorFetch,
    reset() {
      random = mulberry32(settings.seed);
      webhooks.clear();
      tasks.clear();
      files.clear();
      generations.clear();
      stats.submits = 0;
      stats.polls = 0;
      stats.uploads = 0;
      stats.tasksCreated = 0;
    },
    close() {
      webhooks.clear();
    },
    get stats() {
      return { ...stats };
    },
    tasks() {
      return taskSummaries(tasks, settings.now());
    },
  };
}

/** The simulator's routes, each matched at the end of the pathname. */
function createRoutes(generations: ReturnType<typeof createGenerationHandlers>, files: ReturnType<typeof createFileHandlers>): Hono {
  const app = new Hono();
  // Mounted under any prefix: each route is registered bare and behind a multi-segment prefix
  // (Hono's `*` would match a single segment only).
  const paths = (path: string): string[] => [path, `/:prefix{.+}${path}`];
  app.on('POST', paths('/v1/uploads/images'), (c) => files.handleUpload(c.req.raw));
  app.on('POST', paths('/v1/images/generations'), (c) => generations.handleSubmit(c.req.raw));
  app.on('GET', paths('/v1/images/generations/:id'), (c) => generations.handlePoll(c.req.raw, c.req.param('id') ?? ''));
  app.on('GET', paths('/v1/simulator/health'), () => json(200, { ok: true, simulator: true }));
  app.on('GET', paths('/sim/uploads/:file'), (c) => files.handleUploadFile(c.req.param('file') ?? ''));
  app.on('GET', paths('/sim/images/:taskId/:file'), (c) => files.handleImage(c.req.param('taskId') ?? '', c.req.param('file') ?? ''));
  app.notFound((c) => openAiError(404, 'not_found', 'not_found_error', `No simulator route for ${c.req.method} ${c.req.path}`));
  app.onError(() => internalError());
  return app;
}

/** `Simulator.fetch`: preflight, the strict profile's bearer check and CORS around the routes. */
async function answer(app: Hono, settings: SimSettings, request: Request): Promise<Response> {
  const strict = settings.profile === 'strict';
  const { pathname } = new URL(request.url);
  // Strict: the file routes behave like a separate file host without any CORS configuration.
  const cors = !(strict && isFileRoute(pathname));
  if (request.method === 'OPTIONS') return cors ? preflight(request) : new Response(null, { status: 403 });
  let response: Response;
  try {
    const refused = strict && isApiRoute(pathname) ? checkBearer(request, settings.apiKey) : undefined;
    response = refused ?? (await app.fetch(request));
  } catch {
    response = internalError();
  }
  // A network error (drop_poll, lost_submit) has immutable headers and must stay an error.
  if (response.type === 'error' || !cors) return response;
  return withCors(response);
}

/** `Simulator.tasks()`: every task, oldest first, with its status at `at`. */
function taskSummaries(tasks: TaskStore, at: number): SimulatorTaskSummary[] {
  return Array.from(tasks.all(), (task) => {
    const summary: SimulatorTaskSummary = { id: task.id, prompt: task.prompt, status: tasks.statusString(tasks.phaseOf(task, at)) };
    if (task.clientBusinessId !== undefined) summary.clientBusinessId = task.clientBusinessId;
    return summary;
  });
}
