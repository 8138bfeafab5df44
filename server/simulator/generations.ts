/**
 * `POST …/v1/images/generations` and `GET …/v1/images/generations/:id`, with the faults that act
 * on them. One-shot faults (`server_error`, `drop_poll`, `garbled`) and the `rate_limit` budget are
 * counted per task (per business id or prompt for submits), so a client that sends a fault on every
 * request still gets through eventually.
 */
import { isRecord } from '../../src/core/util';
import type { SimContext } from './context';
import { headerFaults, promptFaults } from './faults';
import { baseOf, json, openAiError, taskNotFound } from './responses';
import { fnv1a, secretToken } from './settings';
import type { OneShotFault, TaskRecord } from './tasks';
import type { SimulatorFault } from './types';
import { businessIdOf, validateSubmit } from './validate';

export function createGenerationHandlers({ settings, stats, tasks, random, randomId }: SimContext) {
  const { now, rateLimitCount, retryAfterSeconds } = settings;
  const submitRateLimited = new Map<string, number>();

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

  async function handleSubmit(request: Request): Promise<Response> {
    stats.submits++;
    const at = now();
    const base = baseOf(request, '/v1/images/generations');
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
    const invalid = validateSubmit(body);
    if (invalid) return invalid;

    const existing = businessId !== undefined ? tasks.find(businessId) : undefined;
    if (existing && existing.clientBusinessId === businessId) {
      return json(200, { ...tasks.taskBody(existing, base, at), metadata: {} });
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
    const task: TaskRecord = {
      id: randomId('task_img_', 10),
      model: fields.model as string,
      prompt,
      size,
      n: typeof fields.n === 'number' ? fields.n : 1,
      createdAt: at,
      queuedMs: settings.queuedMs * slow,
      generatingMs: settings.generatingMs * slow,
      faults,
      colorSeed: (Math.floor(random() * 0x1_0000_0000) ^ fnv1a(prompt)) >>> 0,
      pollRateLimited: 0,
      spent: new Set(),
    };
    if (businessId !== undefined) task.clientBusinessId = businessId;
    if (settings.secretFileUrls) task.fileToken = secretToken();
    tasks.store(task);
    stats.tasksCreated++;

    if (faults.has('lost_submit')) return Response.error();
    return json(200, { ...tasks.taskBody(task, base, at), metadata: {} });
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
    return json(200, tasks.taskBody(task, baseOf(request, '/v1/images/generations/'), at));
  }

  return { handleSubmit, handlePoll, clear: () => submitRateLimited.clear() };
}
