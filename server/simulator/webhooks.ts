/**
 * Webhook deliveries: a task submitted with `callback_url` gets one POST when its timeline ends, in
 * the webhooks' own vocabulary (`SUCCESS` / `FAILURE`, `progress: "100%"`):
 *
 * ```json
 * { "id": "task_img_…", "status": "SUCCESS", "progress": "100%",
 *   "result": { "type": "image", "data": [{ "url": "…" }] },
 *   "created_at": 1767001130, "completed_at": 1767001151, "expires_at": 1767087551 }
 * ```
 *
 * A failed task sends `"status": "FAILURE"` with `error: { code, message }` and no result or
 * completion times; a task that ends on an unknown status word never ends, so it sends nothing.
 * This is the simulator's only use of timers: one per task, cancelled by `clear()` (reset and
 * close). With `webhookSecret` a delivery is signed as server/proxy/routes/webhook.ts checks it.
 */
import type { SimSettings } from './settings';
import { TASK_FAILED, type Phase, type TaskRecord, type TaskStore } from './tasks';

const DELIVERY_TIMEOUT_MS = 10_000;

export type WebhookScheduler = ReturnType<typeof createWebhookScheduler>;

export function createWebhookScheduler(settings: SimSettings, tasks: TaskStore) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Arms the task's timer for the end of its timeline; result URLs will start with `filesBase`. */
  function schedule(task: TaskRecord, filesBase: string): void {
    const wait = Math.max(0, tasks.endsAt(task) - settings.now());
    const timer = setTimeout(() => {
      timers.delete(task.id);
      fire(task, filesBase);
    }, wait);
    // Never keeps a Node process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    timers.set(task.id, timer);
  }

  function fire(task: TaskRecord, filesBase: string): void {
    const at = settings.now();
    const phase = tasks.phaseOf(task, at);
    // The clock (`now` option) may lag behind the timer: wait for the rest.
    if (phase.status === 'waiting' || phase.status === 'in_progress') return schedule(task, filesBase);
    const payload = payloadOf(task, phase, filesBase);
    if (payload && task.callbackUrl) void deliver(task.id, task.callbackUrl, payload, at);
  }

  function payloadOf(task: TaskRecord, phase: Phase, filesBase: string): Record<string, unknown> | undefined {
    const createdAt = Math.floor(task.createdAt / 1000);
    if (phase.status === 'completed') {
      return {
        id: task.id,
        status: 'SUCCESS',
        progress: '100%',
        result: tasks.result(task, filesBase),
        created_at: createdAt,
        completed_at: phase.completedAt,
        expires_at: phase.completedAt + settings.resultTtlSeconds,
      };
    }
    const error = phase.status === 'failed' ? TASK_FAILED : phase.status === 'ended' ? phase.error : undefined;
    if (!error) return undefined;
    return { id: task.id, status: 'FAILURE', progress: '100%', error: { ...error }, created_at: createdAt };
  }

  async function deliver(taskId: string, url: string, payload: Record<string, unknown>, at: number): Promise<void> {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'ToAPIs-Webhook/1.0 (simulator)' };
    try {
      if (settings.webhookSecret !== undefined) {
        const id = `evt_${taskId}`;
        const timestamp = String(Math.floor(at / 1000));
        headers['X-ToAPIs-Webhook-Id'] = id;
        headers['X-ToAPIs-Webhook-Timestamp'] = timestamp;
        headers['X-ToAPIs-Webhook-Signature'] = `v1=${await hmacHex(settings.webhookSecret, `${id}.${timestamp}.${body}`)}`;
      }
      const send = settings.webhookFetch ?? globalThis.fetch;
      const response = await send(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
    } catch {
      // Delivered once, never retried: a receiver that is down misses it (and should poll).
    }
  }

  return {
    schedule,
    /** Cancels every pending delivery. */
    clear(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join('');
}
