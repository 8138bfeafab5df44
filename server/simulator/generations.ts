/**
 * `POST …/v1/images/generations` and `GET …/v1/images/generations/:id`, with the faults that act
 * on them. One-shot faults (`server_error`, `drop_poll`, `garbled`) and the `rate_limit` budget are
 * counted per task (per business id or prompt for submits), so a client that sends a fault on every
 * request still gets through eventually. The strict profile's extra rules live in strict.ts.
 */
import { isRecord } from '../../src/core/util';
import type { SimContext } from './context';
import { headerFaults, promptFaults, requestedStatus } from './faults';
import { baseOf, json, openAiError, taskNotFound } from './responses';
import { fnv1a, secretToken } from './settings';
import { drawRetryAfter, drawTimeline, validateForModel } from './strict';
import type { OneShotFault, TaskRecord } from './tasks';
import type { SimulatorFault } from './types';
import { businessIdOf, validateSubmit } from './validate';

export function createGenerationHandlers({ settings, stats, tasks, webhooks, random, randomId }: SimContext) {
  const { now, rateLimitCount } = settings;
  const strict = settings.profile === 'strict';
  const submitRateLimited = new Map<string, number>();

  function spend(task: TaskRecord, fault: OneShotFault): boolean {
    if (task.spent.has(fault)) return false;
    task.spent.add(fault);
    return true;
  }

  function rateLimited(category: 'async_query' | 'async_submit', message: string, at: number): Response {
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

  async function handleSubmit(request: Request): Promise<Response> {
    stats.submits++;
    const at = now();
    const base = baseOf(request, '/v1/images/generations');
    const filesBase = settings.filesOrigin ?? base;
    const faults = new Set<SimulatorFault>([...settings.faults, ...headerFaults(request)]);

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
    const invalid = validateSubmit(body, strict) ?? (strict ? validateForModel(fields) : undefined);
    if (invalid) return invalid;
    const callbackUrl = typeof fields.callback_url === 'string' ? fields.callback_url : undefined;
    if (strict && callbackUrl !== undefined && !settings.webhooks) {
      return openAiError(
        400,
        'webhook_not_configured',
        'invalid_request_error',
        'Webhooks are not configured for this API key; configure a default callback URL first',
        'callback_url',
      );
    }

    // The kind profile answers a repeated business id with its first task; the real service (and
    // the strict profile) creates a new task for every submit.
    const existing = !strict && businessId !== undefined ? tasks.find(businessId) : undefined;
    if (existing && existing.clientBusinessId === businessId) {
      return json(200, { ...tasks.taskBody(existing, filesBase, at, true), metadata: {} });
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
    const filesBase = settings.filesOrigin ?? baseOf(request, '/v1/images/generations/');
    return json(200, tasks.taskBody(task, filesBase, at, settings.echoBusinessId));
  }

  return { handleSubmit, handlePoll, clear: () => submitRateLimited.clear() };
}
