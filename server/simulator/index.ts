/**
 * The simulator: a faithful, in-memory ToAPIs stand-in (TOAPIS-API.md §2–§5) as one
 * `(Request) => Promise<Response>` handler. It uses only web-standard APIs (Request, Response,
 * URL, FormData, TextEncoder, crypto.getRandomValues), so the same file runs in Node, at the edge
 * and inside a browser service worker through MSW (`server/mock.ts`).
 *
 * Task timelines are computed from the clock on every request — there are no timers — so
 * `vi.useFakeTimers()` / `vi.setSystemTime()` (or the `now` option) drive them completely.
 *
 * Faults are chosen three ways, and the union applies: `options.faults` (every task and request),
 * the `x-simulator-fault: <fault>[,<fault>]` request header, and a `[sim:<fault>]` token inside the
 * prompt. Faults present when a task is created (options, submit header, prompt) are remembered
 * on the task, so its polls follow them; a header on a later poll adds to them for that poll.
 * One-shot faults (`server_error`, `drop_poll`, `garbled`) and the `rate_limit` budget are counted
 * per task, so a client that sends the header on every request still gets through eventually.
 */
import { Hono } from 'hono';

/* -------------------------------------------------------------------------------------------------
 * Public types
 * -----------------------------------------------------------------------------------------------*/

/** A failure the simulator can inject. See the module comment for how each is selected. */
export type SimulatorFault =
  | 'rate_limit'
  | 'auth'
  | 'bad_request'
  | 'quota'
  | 'content_policy'
  | 'task_failed'
  | 'slow'
  | 'server_error'
  | 'drop_poll'
  | 'lost_submit'
  | 'not_found'
  | 'garbled'
  | 'upload_rejected';

/** Every fault name, in a stable order (for pickers in playgrounds and stories). */
export const SIMULATOR_FAULTS: readonly SimulatorFault[] = [
  'rate_limit',
  'auth',
  'bad_request',
  'quota',
  'content_policy',
  'task_failed',
  'slow',
  'server_error',
  'drop_poll',
  'lost_submit',
  'not_found',
  'garbled',
  'upload_rejected',
];

/** Header that selects faults for one request: `x-simulator-fault: rate_limit,slow`. */
export const SIMULATOR_FAULT_HEADER = 'x-simulator-fault';

/** Tuning of {@link createSimulator}; every field is optional. */
export interface SimulatorOptions {
  /**
   * Seed of the PRNG behind ids and image colours; the same seed gives the same ids in the same
   * order (also after `reset()`).
   * @default a random seed
   */
  seed?: number;
  /**
   * Milliseconds a task spends waiting (`statusWord`) before `in_progress`.
   * @default 600
   */
  queuedMs?: number;
  /**
   * Milliseconds a task spends `in_progress`; `progress` moves 1..99 with time.
   * @default 2400
   */
  generatingMs?: number;
  /**
   * How much the `slow` fault stretches `queuedMs` and `generatingMs`.
   * @default 10
   */
  slowFactor?: number;
  /**
   * Faults applied to every task and request.
   * @default []
   */
  faults?: readonly SimulatorFault[];
  /**
   * `Retry-After` seconds sent with the `rate_limit` fault's 429.
   * @default 1
   */
  retryAfterSeconds?: number;
  /**
   * How many consecutive 429s the `rate_limit` fault answers before requests go through: per task
   * for polls, per `client_business_id` (else per prompt) for submits.
   * @default 2
   */
  rateLimitCount?: number;
  /**
   * Uploads kept in memory; the oldest is evicted (its URL then answers 404).
   * @default 64
   */
  maxUploads?: number;
  /**
   * Largest accepted upload in bytes; bigger files get a 400 naming the limit (§4).
   * @default 10 * 1024 * 1024
   */
  maxUploadBytes?: number;
  /**
   * Clock in milliseconds, read on every request.
   * @default () => Date.now()
   */
  now?: () => number;
  /**
   * The waiting status reported before `in_progress` (§3.2 / §8.1 vocabulary drift).
   * @default 'queued'
   */
  statusWord?: 'queued' | 'submitted' | 'pending';
}

/** Request counters since creation or the last `reset()`. */
export interface SimulatorStats {
  /** `POST …/v1/images/generations` requests, answered or not. */
  submits: number;
  /** `GET …/v1/images/generations/:id` requests. */
  polls: number;
  /** `POST …/v1/uploads/images` requests. */
  uploads: number;
  /** Tasks actually created (an idempotent re-submit creates none). */
  tasksCreated: number;
}

/** One task as `Simulator.tasks()` lists it; `status` is computed for the current time. */
export interface SimulatorTaskSummary {
  id: string;
  clientBusinessId?: string;
  prompt: string;
  status: string;
}

/** An in-memory ToAPIs stand-in; see {@link createSimulator}. */
export interface Simulator {
  /** Answers one request; never throws (internal failures become a 500 envelope). */
  fetch(request: Request): Promise<Response>;
  /** Forgets every task, upload and counter and re-seeds the PRNG. */
  reset(): void;
  /** A snapshot of the request counters. */
  readonly stats: SimulatorStats;
  /** Every task still in memory, oldest first. */
  tasks(): ReadonlyArray<SimulatorTaskSummary>;
}

/* -------------------------------------------------------------------------------------------------
 * Internal state
 * -----------------------------------------------------------------------------------------------*/

type OneShotFault = 'server_error' | 'drop_poll' | 'garbled';

interface TaskRecord {
  id: string;
  clientBusinessId?: string;
  model: string;
  prompt: string;
  size: string;
  n: number;
  /** Milliseconds. */
  createdAt: number;
  queuedMs: number;
  generatingMs: number;
  faults: ReadonlySet<SimulatorFault>;
  colorSeed: number;
  pollRateLimited: number;
  spent: Set<OneShotFault>;
}

interface UploadRecord {
  id: string;
  file: string;
  mimeType: string;
  bytes: Uint8Array;
}

interface ImageFormat {
  mimeType: string;
  ext: string;
}

const MAX_TASKS = 1000;
const MAX_IMAGE_URLS = 16;
const MAX_N = 10;
const IMAGE_LONG_SIDE = 256;
const RESULT_TTL_SECONDS = 86_400;
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;
const FAULT_TOKEN = /\[sim:([a-z_,\s]+)\]/gi;
const SIZE_RATIO = /^(\d{1,5}):(\d{1,5})$/;
const SIZE_PIXELS = /^(\d{1,5})x(\d{1,5})$/i;
const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'Retry-After, X-RateLimit-Category, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
};

/* -------------------------------------------------------------------------------------------------
 * createSimulator
 * -----------------------------------------------------------------------------------------------*/

/**
 * Creates an in-memory ToAPIs stand-in. Endpoints match on the end of the pathname, so the handler
 * can be mounted under any origin and prefix (`http://127.0.0.1:4010` or `…/api`):
 * `POST /v1/uploads/images`, `POST /v1/images/generations`, `GET /v1/images/generations/:id`
 * (task id or `client_business_id`), `GET /v1/simulator/health`, and the files it hands out under
 * `/sim/uploads/:file` and `/sim/images/:taskId/:index.png`.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = (options.seed ?? randomSeed()) >>> 0;
  const baseQueuedMs = nonNegative(options.queuedMs, 600);
  const baseGeneratingMs = nonNegative(options.generatingMs, 2400);
  const slowFactor = nonNegative(options.slowFactor, 10);
  const optionFaults: readonly SimulatorFault[] = (options.faults ?? []).filter(isFault);
  const retryAfterSeconds = nonNegative(options.retryAfterSeconds, 1);
  const rateLimitCount = Math.floor(nonNegative(options.rateLimitCount, 2));
  const maxUploads = Math.max(1, Math.floor(nonNegative(options.maxUploads, 64)));
  const maxUploadBytes = nonNegative(options.maxUploadBytes, 10 * 1024 * 1024);
  const now = options.now ?? (() => Date.now());
  const statusWord = options.statusWord ?? 'queued';

  let random = mulberry32(seed);
  const tasks = new Map<string, TaskRecord>();
  const byBusinessId = new Map<string, string>();
  const uploads = new Map<string, UploadRecord>();
  const submitRateLimited = new Map<string, number>();
  const stats: SimulatorStats = { submits: 0, polls: 0, uploads: 0, tasksCreated: 0 };

  function randomId(prefix: string, length: number, alphabet = ID_ALPHABET): string {
    let id = prefix;
    for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length)];
    return id;
  }

  /* ----------------------------------------------------------------------------------------------
   * Timeline
   * --------------------------------------------------------------------------------------------*/

  type Phase =
    | { status: 'waiting'; progress: 0 }
    | { status: 'in_progress'; progress: number }
    | { status: 'completed'; completedAt: number }
    | { status: 'failed' };

  function phaseOf(task: TaskRecord, at: number): Phase {
    const elapsed = Math.max(0, at - task.createdAt);
    if (elapsed < task.queuedMs) return { status: 'waiting', progress: 0 };
    const generating = elapsed - task.queuedMs;
    if (generating < task.generatingMs) {
      const progress = Math.min(99, Math.max(1, Math.floor((100 * generating) / task.generatingMs)));
      return { status: 'in_progress', progress };
    }
    if (task.faults.has('task_failed')) return { status: 'failed' };
    return { status: 'completed', completedAt: Math.floor((task.createdAt + task.queuedMs + task.generatingMs) / 1000) };
  }

  function statusString(phase: Phase): string {
    return phase.status === 'waiting' ? statusWord : phase.status;
  }

  function taskBody(task: TaskRecord, base: string, at: number): Record<string, unknown> {
    const phase = phaseOf(task, at);
    const body: Record<string, unknown> = {
      id: task.id,
      object: 'generation.task',
      model: task.model,
      status: statusString(phase),
      progress: 0,
      created_at: Math.floor(task.createdAt / 1000),
    };
    if (task.clientBusinessId !== undefined) body.client_business_id = task.clientBusinessId;
    switch (phase.status) {
      case 'waiting':
        break;
      case 'in_progress':
        body.progress = phase.progress;
        break;
      case 'completed':
        body.progress = 100;
        body.completed_at = phase.completedAt;
        body.expires_at = phase.completedAt + RESULT_TTL_SECONDS;
        body.result = {
          type: 'image',
          data: Array.from({ length: task.n }, (_, i) => ({
            url: `${base}/sim/images/${encodeURIComponent(task.id)}/${i}.png`,
          })),
        };
        break;
      case 'failed':
        body.error = { code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' };
        break;
    }
    return body;
  }

  function findTask(idOrBusinessId: string): TaskRecord | undefined {
    const direct = tasks.get(idOrBusinessId);
    if (direct) return direct;
    const viaBusiness = byBusinessId.get(idOrBusinessId);
    return viaBusiness === undefined ? undefined : tasks.get(viaBusiness);
  }

  function storeTask(task: TaskRecord): void {
    tasks.set(task.id, task);
    if (task.clientBusinessId !== undefined) byBusinessId.set(task.clientBusinessId, task.id);
    while (tasks.size > MAX_TASKS) {
      const oldest = tasks.values().next().value;
      if (!oldest) break;
      tasks.delete(oldest.id);
      if (oldest.clientBusinessId !== undefined && byBusinessId.get(oldest.clientBusinessId) === oldest.id) {
        byBusinessId.delete(oldest.clientBusinessId);
      }
    }
  }

  /* ----------------------------------------------------------------------------------------------
   * Handlers
   * --------------------------------------------------------------------------------------------*/

  async function handleSubmit(request: Request): Promise<Response> {
    stats.submits++;
    const at = now();
    const base = baseOf(request, '/v1/images/generations');
    const faults = new Set<SimulatorFault>([...optionFaults, ...headerFaults(request)]);

    let body: unknown;
    let malformed = false;
    try {
      body = JSON.parse(await request.text());
    } catch {
      malformed = true;
    }
    const fields = isRecord(body) ? body : {};
    const prompt = typeof fields.prompt === 'string' ? fields.prompt : '';
    for (const fault of promptFaults(prompt)) faults.add(fault);
    const businessId = businessIdOf(fields);

    if (faults.has('auth')) {
      return openAiError(401, 'unauthorized', 'authentication_error', 'API key missing or not valid');
    }
    if (faults.has('rate_limit')) {
      const key = businessId !== undefined ? `cbid:${businessId}` : `prompt:${prompt}`;
      const served = submitRateLimited.get(key) ?? 0;
      if (served < rateLimitCount) {
        submitRateLimited.set(key, served + 1);
        return rateLimited('async_submit', 'Too many task submissions; slow down', at);
      }
    }
    if (malformed) return openAiError(400, 'invalid_request', 'invalid_request_error', 'Request body is not valid JSON');
    const invalid = validateSubmit(body);
    if (invalid) return invalid;

    const existing = businessId !== undefined ? findTask(businessId) : undefined;
    if (existing && existing.clientBusinessId === businessId) {
      return json(200, { ...taskBody(existing, base, at), metadata: {} });
    }

    const size = typeof fields.size === 'string' ? fields.size : '1:1';
    if (faults.has('bad_request')) {
      return openAiError(400, 'invalid_request', 'invalid_request_error', `Unsupported aspect ratio ${size} for this model`, 'size');
    }
    if (faults.has('quota')) {
      return openAiError(402, 'insufficient_quota', 'insufficient_quota', 'Insufficient balance; top up your account and try again.');
    }
    if (faults.has('content_policy')) {
      return openAiError(
        422,
        'content_policy_violation',
        'invalid_request_error',
        'Your request was rejected by the safety system. Change the prompt or the reference images and try again.',
      );
    }

    const slow = faults.has('slow') ? slowFactor : 1;
    const task: TaskRecord = {
      id: randomId('task_img_', 10),
      model: fields.model as string,
      prompt,
      size,
      n: typeof fields.n === 'number' ? fields.n : 1,
      createdAt: at,
      queuedMs: baseQueuedMs * slow,
      generatingMs: baseGeneratingMs * slow,
      faults,
      colorSeed: (Math.floor(random() * 0x1_0000_0000) ^ fnv1a(prompt)) >>> 0,
      pollRateLimited: 0,
      spent: new Set(),
    };
    if (businessId !== undefined) task.clientBusinessId = businessId;
    storeTask(task);
    stats.tasksCreated++;

    if (faults.has('lost_submit')) return Response.error();
    return json(200, { ...taskBody(task, base, at), metadata: {} });
  }

  function handlePoll(request: Request, id: string): Response {
    stats.polls++;
    const at = now();
    const task = findTask(id);
    if (!task) return taskNotFound();
    const faults = new Set<SimulatorFault>([...task.faults, ...headerFaults(request)]);

    if (faults.has('not_found')) return taskNotFound();
    if (faults.has('rate_limit') && task.pollRateLimited < rateLimitCount) {
      task.pollRateLimited++;
      return rateLimited('async_query', 'Too many task status requests; slow down', at);
    }
    if (faults.has('drop_poll') && spend(task, 'drop_poll')) return Response.error();
    if (faults.has('server_error') && spend(task, 'server_error')) {
      return json(500, { error: { code: 'internal_error', message: 'Internal server error; please retry later' } });
    }
    if (faults.has('garbled') && spend(task, 'garbled')) {
      return new Response('<html><body><h1>502 oops</h1></body></html>', {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      });
    }
    return json(200, taskBody(task, baseOf(request, '/v1/images/generations/'), at));
  }

  async function handleUpload(request: Request): Promise<Response> {
    stats.uploads++;
    const faults = new Set<SimulatorFault>([...optionFaults, ...headerFaults(request)]);
    const limit = formatBytes(maxUploadBytes);
    const tooLarge = uploadError(`File too large; the maximum is ${limit} per file.`);
    if (faults.has('upload_rejected')) return uploadError('The upload was rejected; please try another image.');

    const contentType = request.headers.get('content-type') ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      return uploadError('Send the image as multipart/form-data with a "file" field.');
    }
    const declared = Number(request.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxUploadBytes + UPLOAD_OVERHEAD_BYTES) return tooLarge;

    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return uploadError('The multipart body could not be read.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') return uploadError('Missing the "file" field.');
    if (file.size === 0) return uploadError('The file is empty.');
    if (file.size > maxUploadBytes) return tooLarge;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const format = sniffImage(bytes);
    if (!format) return uploadError('Unsupported file type; use JPEG, PNG, WebP or GIF.');

    const id = randomId('upload_', 8, '0123456789abcdef');
    const record: UploadRecord = { id, file: `${id}.${format.ext}`, mimeType: format.mimeType, bytes };
    uploads.set(record.file, record);
    while (uploads.size > maxUploads) {
      const oldest = uploads.keys().next().value;
      if (oldest === undefined) break;
      uploads.delete(oldest);
    }
    return json(200, {
      success: true,
      message: '',
      data: {
        id,
        url: `${baseOf(request, '/v1/uploads/images')}/sim/uploads/${record.file}`,
        mime_type: format.mimeType,
        size: bytes.byteLength,
      },
    });
  }

  function handleUploadFile(file: string): Response {
    const record = uploads.get(file);
    if (!record) return fileNotFound();
    return new Response(record.bytes.slice(), {
      status: 200,
      headers: {
        'Content-Type': record.mimeType,
        'Content-Length': String(record.bytes.byteLength),
        'Cache-Control': 'public, max-age=3600',
      },
    });
  }

  function handleImage(taskId: string, file: string): Response {
    const task = tasks.get(taskId);
    const match = /^(\d{1,2})\.png$/.exec(file);
    if (!task || !match) return fileNotFound();
    const index = Number(match[1]);
    const phase = phaseOf(task, now());
    if (index >= task.n || phase.status !== 'completed') return fileNotFound();
    if (now() / 1000 > phase.completedAt + RESULT_TTL_SECONDS) return fileNotFound();
    const [width, height] = imageDimensions(task.size);
    const png = renderPlaceholder(width, height, mix32(task.colorSeed + Math.imul(index, 0x9e3779b9)));
    return new Response(png, {
      status: 200,
      headers: {
        'Content-Type': 'image/png',
        'Content-Length': String(png.byteLength),
        'Cache-Control': 'public, max-age=86400, immutable',
      },
    });
  }

  function spend(task: TaskRecord, fault: OneShotFault): boolean {
    if (task.spent.has(fault)) return false;
    task.spent.add(fault);
    return true;
  }

  function rateLimited(category: 'async_query' | 'async_submit', message: string, at: number): Response {
    return json(
      429,
      { error: { code: 'rate_limit_exceeded', message } },
      {
        'Retry-After': String(retryAfterSeconds),
        'X-RateLimit-Category': category,
        'X-RateLimit-Limit': category === 'async_query' ? '3000' : '300',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.ceil(at / 1000 + retryAfterSeconds)),
      },
    );
  }

  /* ----------------------------------------------------------------------------------------------
   * Routing
   * --------------------------------------------------------------------------------------------*/

  const app = new Hono();
  // Mounted under any prefix: each route is registered bare and behind a multi-segment prefix
  // (Hono's `*` would match a single segment only).
  const paths = (path: string): string[] => [path, `/:prefix{.+}${path}`];
  app.on('POST', paths('/v1/uploads/images'), (c) => handleUpload(c.req.raw));
  app.on('POST', paths('/v1/images/generations'), (c) => handleSubmit(c.req.raw));
  app.on('GET', paths('/v1/images/generations/:id'), (c) => handlePoll(c.req.raw, c.req.param('id') ?? ''));
  app.on('GET', paths('/v1/simulator/health'), () => json(200, { ok: true, simulator: true }));
  app.on('GET', paths('/sim/uploads/:file'), (c) => handleUploadFile(c.req.param('file') ?? ''));
  app.on('GET', paths('/sim/images/:taskId/:file'), (c) => handleImage(c.req.param('taskId') ?? '', c.req.param('file') ?? ''));
  app.notFound((c) => openAiError(404, 'not_found', 'not_found_error', `No simulator route for ${c.req.method} ${c.req.path}`));
  app.onError(() => json(500, { error: { code: 'internal_error', message: 'The simulator failed; please retry later' } }));

  async function simulatorFetch(request: Request): Promise<Response> {
    if (request.method === 'OPTIONS') return preflight(request);
    let response: Response;
    try {
      response = await app.fetch(request);
    } catch {
      response = json(500, { error: { code: 'internal_error', message: 'The simulator failed; please retry later' } });
    }
    // A network error (drop_poll, lost_submit) has immutable headers and must stay an error.
    if (response.type === 'error') return response;
    return withCors(response);
  }

  return {
    fetch: simulatorFetch,
    reset() {
      random = mulberry32(seed);
      tasks.clear();
      byBusinessId.clear();
      uploads.clear();
      submitRateLimited.clear();
      stats.submits = 0;
      stats.polls = 0;
      stats.uploads = 0;
      stats.tasksCreated = 0;
    },
    get stats() {
      return { ...stats };
    },
    tasks() {
      const at = now();
      return Array.from(tasks.values(), (task) => {
        const summary: SimulatorTaskSummary = { id: task.id, prompt: task.prompt, status: statusString(phaseOf(task, at)) };
        if (task.clientBusinessId !== undefined) summary.clientBusinessId = task.clientBusinessId;
        return summary;
      });
    },
  };
}

/* -------------------------------------------------------------------------------------------------
 * Request helpers
 * -----------------------------------------------------------------------------------------------*/

function isFault(value: string): value is SimulatorFault {
  return (SIMULATOR_FAULTS as readonly string[]).includes(value);
}

function parseFaultList(value: string): SimulatorFault[] {
  return value
    .split(/[,\s]+/)
    .map((part) => part.trim().toLowerCase())
    .filter(isFault);
}

function headerFaults(request: Request): SimulatorFault[] {
  const header = request.headers.get(SIMULATOR_FAULT_HEADER);
  return header ? parseFaultList(header) : [];
}

function promptFaults(prompt: string): SimulatorFault[] {
  const found: SimulatorFault[] = [];
  for (const match of prompt.matchAll(FAULT_TOKEN)) found.push(...parseFaultList(match[1] ?? ''));
  return found;
}

/** `<origin><prefix>` of a request whose pathname contains `marker` (last occurrence). */
function baseOf(request: Request, marker: string): string {
  const url = new URL(request.url);
  const at = url.pathname.lastIndexOf(marker);
  return url.origin + (at > 0 ? url.pathname.slice(0, at) : '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function businessIdOf(fields: Record<string, unknown>): string | undefined {
  if (typeof fields.client_business_id === 'string' && fields.client_business_id !== '') return fields.client_business_id;
  const metadata = fields.metadata;
  if (isRecord(metadata) && typeof metadata.client_business_id === 'string' && metadata.client_business_id !== '') {
    return metadata.client_business_id;
  }
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 4096) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function invalid(param: string, message: string): Response {
  return openAiError(400, 'invalid_request', 'invalid_request_error', message, param);
}

/** Field checks of §2.1; returns the first 400 or `undefined` when the body is acceptable. */
function validateSubmit(body: unknown): Response | undefined {
  if (!isRecord(body)) return invalid('body', 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model.trim() === '') return invalid('model', 'model is required');
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return invalid('prompt', 'prompt is required');
  if (body.size !== undefined) {
    if (typeof body.size !== 'string' || !parseSize(body.size)) {
      return invalid('size', `Unsupported aspect ratio ${String(body.size)} for this model`);
    }
  }
  if (body.n !== undefined) {
    if (typeof body.n !== 'number' || !Number.isInteger(body.n)) return invalid('n', 'n must be a JSON integer');
    if (body.n < 1 || body.n > MAX_N) return invalid('n', `n must be between 1 and ${MAX_N}`);
  }
  for (const field of ['image_urls', 'reference_images'] as const) {
    const urls = body[field];
    if (urls === undefined) continue;
    if (!Array.isArray(urls)) return invalid(field, `${field} must be an array of URLs`);
    if (urls.length > MAX_IMAGE_URLS) return invalid(field, `At most ${MAX_IMAGE_URLS} reference images are allowed`);
    if (!urls.every(isHttpUrl)) {
      return invalid(field, `${field} must hold http(s) URLs; upload local images first via /v1/uploads/images`);
    }
  }
  if (body.mask_url !== undefined && !isHttpUrl(body.mask_url)) return invalid('mask_url', 'mask_url must be an http(s) URL');
  if (body.metadata !== undefined && !isRecord(body.metadata)) return invalid('metadata', 'metadata must be an object');
  if (body.client_business_id !== undefined) {
    const id = body.client_business_id;
    if (typeof id !== 'string' || id === '' || id.length > 128) {
      return invalid('client_business_id', 'client_business_id must be a string of 1 to 128 characters');
    }
  }
  return undefined;
}

/** Width:height of a `size` value: `W:H`, pixel `WxH`, or `auto`/`match_input_image` (square). */
function parseSize(size: string): [number, number] | undefined {
  if (size === 'auto' || size === 'match_input_image') return [1, 1];
  const m = SIZE_RATIO.exec(size) ?? SIZE_PIXELS.exec(size);
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? [w, h] : undefined;
}

/** Placeholder dimensions: the task's aspect ratio with a long side of 256 px. */
function imageDimensions(size: string): [number, number] {
  const [w, h] = parseSize(size) ?? [1, 1];
  if (w >= h) return [IMAGE_LONG_SIDE, Math.max(1, Math.round((IMAGE_LONG_SIDE * h) / w))];
  return [Math.max(1, Math.round((IMAGE_LONG_SIDE * w) / h)), IMAGE_LONG_SIDE];
}

function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  const at = (i: number): number => bytes[i] ?? -1;
  const ascii = (start: number, text: string): boolean =>
    Array.from(text).every((ch, i) => at(start + i) === ch.charCodeAt(0));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return { mimeType: 'image/jpeg', ext: 'jpg' };
  if (at(0) === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) return { mimeType: 'image/png', ext: 'png' };
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return { mimeType: 'image/gif', ext: 'gif' };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return { mimeType: 'image/webp', ext: 'webp' };
  return undefined;
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number(mb.toFixed(1))}MB`;
  return `${bytes} bytes`;
}

/* -------------------------------------------------------------------------------------------------
 * Response helpers
 * -----------------------------------------------------------------------------------------------*/

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The OpenAI-style envelope of §5.1 #1. */
function openAiError(status: number, code: string, type: string, message: string, param?: string): Response {
  return json(status, { error: { code, type, ...(param !== undefined && { param }), message } });
}

/** The numeric-code envelope of §5.1 #2, as the status page shows it. */
function taskNotFound(): Response {
  return json(404, { error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
}

function fileNotFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The upload envelope of §4 (a 400 even when the file is too large). */
function uploadError(message: string): Response {
  return json(400, { success: false, message });
}

function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers':
        request.headers.get('access-control-request-headers') ?? `Authorization, Content-Type, ${SIMULATOR_FAULT_HEADER}`,
      'Access-Control-Max-Age': '600',
    },
  });
}

function withCors(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/* -------------------------------------------------------------------------------------------------
 * Randomness
 * -----------------------------------------------------------------------------------------------*/

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0x2545f491;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/* -------------------------------------------------------------------------------------------------
 * PNG placeholder (RGB, 8 bit, zlib "stored" blocks — no compression library needed)
 * -----------------------------------------------------------------------------------------------*/

/** A real PNG (gradient placeholder) of the given size; `hash` picks the colours. Also used as a test fixture. */
export function renderPlaceholder(width: number, height: number, hash: number): Uint8Array<ArrayBuffer> {
  const hue = hash % 360;
  const from = hslToRgb(hue, 0.7, 0.66);
  const to = hslToRgb((hue + 40 + ((hash >>> 9) % 100)) % 360, 0.55, 0.36);
  const glowX = 0.2 + ((hash >>> 17) % 40) / 100;
  const glowY = 0.2 + ((hash >>> 23) % 30) / 100;
  const longSide = Math.max(width, height);
  const stride = 1 + width * 3;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride; // filter byte 0 (None) stays 0
    const fy = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      const fx = width > 1 ? x / (width - 1) : 0;
      const t = 0.6 * fx + 0.4 * fy;
      const dx = (x - glowX * width) / longSide;
      const dy = (y - glowY * height) / longSide;
      const glow = Math.max(0, 1 - Math.sqrt(dx * dx + dy * dy) / 0.6) ** 2 * 0.35;
      const p = row + 1 + x * 3;
      for (let c = 0; c < 3; c++) {
        const base = (from[c] ?? 0) + ((to[c] ?? 0) - (from[c] ?? 0)) * t;
        raw[p + c] = Math.round(base + (255 - base) * glow);
      }
    }
  }
  return encodePng(width, height, raw);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const STORED_BLOCK = 65_535;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Wraps raw scanlines in a zlib stream of uncompressed deflate blocks (RFC 1950/1951). */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / STORED_BLOCK));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * STORED_BLOCK;
    const len = Math.min(STORED_BLOCK, raw.length - start);
    out[o] = i === blocks - 1 ? 1 : 0;
    view.setUint16(o + 1, len, true);
    view.setUint16(o + 3, ~len & 0xffff, true);
    out.set(raw.subarray(start, start + len), o + 5);
    o += 5 + len;
  }
  view.setUint32(o, adler32(raw));
  return out;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = type.charCodeAt(i);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

function encodePng(width: number, height: number, rgbScanlines: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour RGB
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibStored(rgbScanlines)),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
