/**
 * `POST /v1/webhooks/toapis` (only with the `webhook` option): signed ToAPIs task webhooks, either
 * as an event envelope (`{ id, type, data: { task_id, status, … } }`) or as the bare task
 * (`{ id, status, progress, result?, error?, created_at, completed_at?, expires_at? }`, what the
 * simulator sends: server/simulator/webhooks.ts). A delivery must carry a valid `X-ToAPIs-Webhook-Signature` (HMAC-SHA256
 * over `id.timestamp.body`) within 5 minutes of its timestamp; duplicates and tasks this proxy never
 * handed out are acknowledged and ignored. A known task's new state goes to its event streams.
 */
import { parseProgress, statusToPhase } from '../../../src/core/protocol';
import { isRecord } from '../../../src/core/util';
import { jsonDepthOk, readBounded } from '../body';
import { BoundedMap } from '../boundedMap';
import { MAX_RECORDS } from '../config';
import type { Json } from '../context';
import type { ProxyDeps, RouteHandler } from '../deps';
import { encoder, fromHex, importHmacKey } from '../crypto';
import { asId } from '../ownership';

const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
const WEBHOOK_TOLERANCE_S = 300;

/** How long a delivery id is remembered; ToAPIs retries within minutes, and signatures expire in 5. */
const WEBHOOK_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

export function createWebhookRoute({ config, log, responses, ownership, streams, state }: ProxyDeps): RouteHandler {
  const webhookKeys = config.webhookSecrets.map(importHmacKey);
  const seenWebhookEvents = new BoundedMap<string, true>(MAX_RECORDS);

  async function verifyWebhook(request: Request, raw: Uint8Array<ArrayBuffer>): Promise<boolean> {
    const id = request.headers.get('x-toapis-webhook-id') ?? '';
    const timestamp = request.headers.get('x-toapis-webhook-timestamp') ?? '';
    const signature = request.headers.get('x-toapis-webhook-signature') ?? '';
    if (!id || id.length > 256 || !/^\d{1,12}$/.test(timestamp) || !signature || signature.length > 1024) return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_S) return false;
    const candidates = signature
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.startsWith('v1='))
      .slice(0, 4)
      .map((part) => fromHex(part.slice(3)))
      .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== undefined && bytes.length === 32);
    if (candidates.length === 0) return false;
    const prefix = encoder.encode(`${id}.${timestamp}.`);
    const signed = new Uint8Array(prefix.length + raw.length);
    signed.set(prefix);
    signed.set(raw, prefix.length);
    let ok = false;
    // HMAC verification inside crypto.subtle compares in constant time; try every key and value.
    for (const key of webhookKeys) {
      for (const candidate of candidates) {
        if (await crypto.subtle.verify('HMAC', await key, candidate, signed)) ok = true;
      }
    }
    return ok;
  }

  return async function handleWebhook(ctx) {
    const { request } = ctx;
    const read = await readBounded(request.body, request.headers, MAX_WEBHOOK_BODY_BYTES, { timeoutMs: config.limits.bodyTimeoutMs });
    if (!read.ok && read.reason === 'timeout') return responses.requestTimeout();
    if (!read.ok) {
      return responses.invalid('The webhook body is too large or unreadable.', undefined, read.reason === 'too_large' ? 413 : 400);
    }
    if (!(await verifyWebhook(request, read.bytes))) {
      log('webhook rejected: bad or missing signature');
      return responses.errorEnvelope(401, 'unauthorized', 'authentication_error', 'The webhook signature is missing or not valid.');
    }
    let payload: unknown;
    try {
      const text = new TextDecoder().decode(read.bytes);
      payload = jsonDepthOk(text) ? JSON.parse(text) : undefined;
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload)) return responses.invalid('The webhook body is not a JSON object.');
    const eventId = request.headers.get('x-toapis-webhook-id') ?? '';
    // Once across every instance (the state), or at least once here when the state is unreachable.
    if (seenWebhookEvents.has(eventId)) return responses.json(200, { ok: true, duplicate: true });
    seenWebhookEvents.set(eventId, true);
    const first = await state.claimOnce(`webhook:${eventId}`, WEBHOOK_DEDUPE_TTL_MS).catch(() => true);
    if (!first) return responses.json(200, { ok: true, duplicate: true });
    if (payload.type === 'endpoint.test') return responses.json(200, { ok: true });

    const task = webhookToTask(isRecord(payload.data) ? payload.data : payload);
    const taskId = task ? asId(task.id) : undefined;
    if (!task || !taskId) return responses.json(200, { ok: true, ignored: true });
    const record = await ownership.record(taskId);
    if (!record) return responses.json(200, { ok: true, ignored: true }); // not a task this proxy (or fleet) handed out
    await ownership.noteBody(taskId, task);
    streams.update(taskId, task);
    return responses.json(200, { ok: true });
  };
}

/**
 * Maps a webhook's `data` (SUCCESS/FAILURE, progress `"100%"`, `task_id` or `id`) to the task shape
 * the status endpoint answers and the kit reads: `status` completed/failed/in_progress/queued,
 * numeric `progress`, `id`, and the times (`submitted_at`/`created_at`, `finished_at`/`completed_at`,
 * `expires_at`, else completion + 24 h).
 */
function webhookToTask(data: Json): Json | undefined {
  const id = asId(data.task_id) ?? asId(data.id);
  if (!id) return undefined;
  const rawStatus = typeof data.status === 'string' ? data.status : '';
  const phase = statusToPhase(rawStatus);
  const status =
    phase === 'completed' ? 'completed' : phase === 'failed' ? 'failed' : phase === 'generating' ? 'in_progress' : 'queued';
  const task: Json = { id, object: 'generation.task', status };
  if (typeof data.model === 'string') task.model = data.model;
  const progress = parseProgress(data.progress);
  task.progress = phase === 'completed' ? 100 : phase === 'failed' ? 0 : (progress ?? 0);
  const createdAt = seconds(data.submitted_at) ?? seconds(data.created_at);
  if (createdAt !== undefined) task.created_at = createdAt;
  if (typeof data.client_business_id === 'string') task.client_business_id = data.client_business_id;
  if (phase === 'completed') {
    if (isRecord(data.result)) task.result = data.result;
    if (typeof data.url === 'string') task.url = data.url;
    const completedAt = seconds(data.finished_at) ?? seconds(data.completed_at);
    if (completedAt !== undefined) {
      task.completed_at = completedAt;
      task.expires_at = seconds(data.expires_at) ?? completedAt + 86_400;
    }
  }
  if (phase === 'failed') {
    task.error = isRecord(data.error) ? data.error : { code: 'generation_failed', message: 'The image could not be generated.' };
  }
  return task;
}

/** A positive Unix time in seconds, or undefined. */
function seconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
