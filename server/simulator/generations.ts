/**
 * `POST …/v1/images/generations` and `GET …/v1/images/generations/:id`, with the faults that act
 * on them. One-shot faults (`server_error`, `drop_poll`, `garbled`) and the `rate_limit` budget are
 * counted per task (per business id or prompt for submits), so a client that sends a fault on every
 * request still gets through eventually. The strict profile's extra rules live in strict.ts.
 */
import { MODELS } from '../../src/core/models';
import { isRecord } from '../../src/core/util';
import { gifDimensions, jpegDimensions, pngDimensions, webpDimensions } from '../../src/core/util/image-size';
import type { SimContext } from './context';
import type { UploadRecord } from './files';
import { decodePngAlpha, pngSize, repaintArea } from './mask';
import { headerFaults, promptFaults, requestedStatus } from './faults';
import { baseOf, json, openAiError, taskNotFound } from './responses';
import { fnv1a, secretToken, type SimSettings } from './settings';
import { drawRetryAfter, drawTimeline, validateForModel } from './strict';
import type { OneShotFault, TaskRecord } from './tasks';
import type { SimulatorFault } from './types';
import { businessIdOf, imageDimensions, validateSubmit } from './validate';

/** What a submit asked for, read once. */
interface SubmitInput {
  fields: Record<string, unknown>;
  body: unknown;
  malformed: boolean;
  prompt: string;
  businessId: string | undefined;
  faults: Set<SimulatorFault>;
}

async function readSubmit(request: Request, settingsFaults: readonly SimulatorFault[]): Promise<SubmitInput> {
  const faults = new Set<SimulatorFault>([...settingsFaults, ...headerFaults(request)]);
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
  return { fields, body, malformed, prompt, businessId: businessIdOf(fields), faults };
}

/** The 429 of the `rate_limit` fault, with the service's headers. */
function rateLimited(settings: SimSettings, random: () => number, category: 'async_query' | 'async_submit', message: string, at: number): Response {
  const retryAfterSeconds = drawRetryAfter(settings, random);
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

/** The refusals a valid body can still get from a fault: bad size, no credit, content policy. */
function faultRefusal(faults: ReadonlySet<SimulatorFault>, size: string): Response | undefined {
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
  return undefined;
}

/** Whether a one-shot fault still has its one shot on this task (and uses it). */
function spend(task: TaskRecord, fault: OneShotFault): boolean {
  if (task.spent.has(fault)) return false;
  task.spent.add(fault);
  return true;
}

/** A poll's one-shot faults, each answered once per task: a dropped connection, a 500, an HTML page. */
function oneShotFault(task: TaskRecord, faults: ReadonlySet<SimulatorFault>): Response | undefined {
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
  return undefined;
}

/** Strict profile: `callback_url` needs webhooks configured for the key (as the service says). */
function webhookRefusal(settings: SimSettings, callbackUrl: string | undefined): Response | undefined {
  if (settings.profile !== 'strict' || callbackUrl === undefined || settings.webhooks) return undefined;
  return openAiError(
    400,
    'webhook_not_configured',
    'invalid_request_error',
    'Webhooks are not configured for this API key; configure a default callback URL first',
    'callback_url',
  );
}

/** The task record a submit creates: its timeline drawn, its faults and end status remembered. */
function newTask(
  { settings, random, randomId }: Pick<SimContext, 'settings' | 'random' | 'randomId'>,
  request: Request,
  input: SubmitInput,
  size: string,
  at: number,
  callbackUrl: string | undefined,
): TaskRecord {
  const { fields, prompt, faults, businessId } = input;
  const slow = faults.has('slow') ? settings.slowFactor : 1;
  const id = randomId('task_img_', 10);
  const colorSeed = (Math.floor(random() * 0x1_0000_0000) ^ fnv1a(prompt)) >>> 0;
  const timeline = drawTimeline(settings, random);
  const task: TaskRecord = {
    id,
    model: fields.model as string,
    prompt,
    size,
    n: typeof fields.n === 'number' ? fields.n : 1,
    createdAt: at,
    queuedMs: timeline.queuedMs * slow,
    generatingMs: timeline.generatingMs * slow,
    faults,
    colorSeed,
    pollRateLimited: 0,
    spent: new Set(),
  };
  if (businessId !== undefined) task.clientBusinessId = businessId;
  if (settings.secretFileUrls) task.fileToken = secretToken();
  const endStatus = requestedStatus(request, prompt);
  if (endStatus !== undefined) task.endStatus = endStatus;
  if (callbackUrl !== undefined) task.callbackUrl = callbackUrl;
  return task;
}

/** The pixel size in an uploaded image's header, when it can be read. */
function uploadSize(upload: UploadRecord): { width: number; height: number } | undefined {
  const read =
    upload.mimeType === 'image/png'
      ? pngDimensions(upload.bytes)
      : upload.mimeType === 'image/jpeg'
        ? jpegDimensions(upload.bytes, true)
        : upload.mimeType === 'image/webp'
          ? webpDimensions(upload.bytes)
          : gifDimensions(upload.bytes);
  return typeof read === 'object' ? read : undefined;
}

/**
 * The mask of a submit (issue 15), for a model that takes one and a `mask_url` naming one of the
 * simulator's uploads: the result pixels to tint, or (strict profile) the 400 for a mask that is not
 * a PNG or not the first reference's pixel size. Any other mask is ignored (no tint).
 */
async function readMask(
  fields: Record<string, unknown>,
  size: string,
  strict: boolean,
  uploadAt: (url: string) => UploadRecord | undefined,
): Promise<Response | Uint8Array | undefined> {
  const url = fields.mask_url;
  const model = typeof fields.model === 'string' && Object.hasOwn(MODELS, fields.model) ? MODELS[fields.model] : undefined;
  if (typeof url !== 'string' || !model?.mask) return undefined;
  const upload = uploadAt(url);
  if (!upload) return undefined;
  const maskSize = pngSize(upload.bytes);
  if (strict) {
    const refused = (message: string) => openAiError(400, 'invalid_request', 'invalid_request_error', message, 'mask_url');
    if (!maskSize) return refused('The mask must be a PNG image with an alpha channel');
    const urls = [fields.image_urls, fields.reference_images].find(Array.isArray) as unknown[] | undefined;
    const first = typeof urls?.[0] === 'string' ? uploadAt(urls[0]) : undefined;
    const refSize = first && uploadSize(first);
    if (refSize && (refSize.width !== maskSize.width || refSize.height !== maskSize.height)) {
      return refused(
        `The mask must be the same size as the first reference image (${refSize.width}x${refSize.height}); it is ${maskSize.width}x${maskSize.height}`,
      );
    }
  }
  if (!maskSize) return undefined;
  const alpha = await decodePngAlpha(upload.bytes);
  if (!alpha) return undefined;
  const [width, height] = imageDimensions(size);
  return repaintArea(alpha, width, height);
}

export function createGenerationHandlers(context: SimContext, uploadAt: (url: string) => UploadRecord | undefined = () => undefined) {
  const { settings, stats, tasks, webhooks, random } = context;
  const { now, rateLimitCount } = settings;
  const strict = settings.profile === 'strict';
  const submitRateLimited = new Map<string, number>();

  /** Refusals before a task could exist: auth, the submit rate limit, bad JSON, invalid fields. */
  function earlyRefusal(input: SubmitInput, at: number): Response | undefined {
    const { faults, businessId, prompt, malformed, body, fields } = input;
    if (faults.has('auth')) return openAiError(401, 'unauthorized', 'authentication_error', 'API key missing or not valid');
    if (faults.has('rate_limit')) {
      const key = businessId !== undefined ? `cbid:${businessId}` : `prompt:${prompt}`;
      const served = submitRateLimited.get(key) ?? 0;
      if (served < rateLimitCount) {
        submitRateLimited.set(key, served + 1);
        return rateLimited(settings, random, 'async_submit', 'Too many task submissions; slow down', at);
      }
    }
    if (malformed) return openAiError(400, 'invalid_request', 'invalid_request_error', 'Request body is not valid JSON');
    return validateSubmit(body, strict) ?? (strict ? validateForModel(fields) : undefined);
  }

  async function handleSubmit(request: Request): Promise<Response> {
    stats.submits++;
    const at = now();
    const filesBase = settings.filesOrigin ?? baseOf(request, '/v1/images/generations');
    const input = await readSubmit(request, settings.faults);
    const { fields, businessId, faults } = input;
    const early = earlyRefusal(input, at);
    if (early) return early;
    const callbackUrl = typeof fields.callback_url === 'string' ? fields.callback_url : undefined;
    const noWebhooks = webhookRefusal(settings, callbackUrl);
    if (noWebhooks) return noWebhooks;

    // The kind profile answers a repeated business id with its first task; the real service (and
    // the strict profile) creates a new task for every submit.
    const existing = !strict && businessId !== undefined ? tasks.find(businessId) : undefined;
    if (existing && existing.clientBusinessId === businessId) {
      return json(200, { ...tasks.taskBody(existing, filesBase, at, true), metadata: {} });
    }
    const size = typeof fields.size === 'string' ? fields.size : '1:1';
    const refused = faultRefusal(faults, size);
    if (refused) return refused;
    const repaint = await readMask(fields, size, strict, uploadAt);
    if (repaint instanceof Response) return repaint;

    const task = newTask(context, request, input, size, at, callbackUrl);
    if (repaint) task.repaint = repaint;
    tasks.store(task);
    stats.tasksCreated++;
    if (callbackUrl !== undefined) webhooks.schedule(task, filesBase);
    if (faults.has('lost_submit')) return Response.error();
    // The submit echoes the business id in both profiles.
    return json(200, { ...tasks.taskBody(task, filesBase, at, true), metadata: {} });
  }

  function handlePoll(request: Request, id: string): Response {
    stats.polls++;
    const at = now();
    const task = tasks.find(id);
    if (!task) return taskNotFound();
    const faults = new Set<SimulatorFault>([...task.faults, ...headerFaults(request)]);

    if (faults.has('not_found')) return taskNotFound();
    if (faults.has('rate_limit') && task.pollRateLimited < rateLimitCount) {
      task.pollRateLimited++;
      return rateLimited(settings, random, 'async_query', 'Too many task status requests; slow down', at);
    }
    const oneShot = oneShotFault(task, faults);
    if (oneShot) return oneShot;
    const filesBase = settings.filesOrigin ?? baseOf(request, '/v1/images/generations/');
    return json(200, tasks.taskBody(task, filesBase, at, settings.echoBusinessId));
  }

  return { handleSubmit, handlePoll, clear: () => submitRateLimited.clear() };
}
