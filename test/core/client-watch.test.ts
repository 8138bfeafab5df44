/** `watchTask`: the backend's event stream (`event: task`, `retry`, `reconnect`, `error`). */
import { createToapisClient } from '../../src/core/client';
import type { ToapisError } from '../../src/core/errors';
import type { TaskSnapshot } from '../../src/core/protocol';

const BASE = 'http://127.0.0.1:4010';

function streamOf(text: string): Response {
  return new Response(new Blob([text]).stream(), { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
}

const task = (status: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'task_img_1', object: 'generation.task', model: 'm', status, progress: 0, created_at: 1767001130, ...extra });

describe('watchTask', () => {
  it('reports an `event: retry` (the backend is rate limited upstream) and keeps reading the stream', async () => {
    const body = [
      `event: task\ndata: ${task('in_progress', { progress: 40 })}\n\n`,
      `event: retry\ndata: ${JSON.stringify({ status: 429, retry_after_ms: 12_000, error: { code: 'rate_limit_exceeded', message: 'Too many task status requests; slow down' } })}\n\n`,
      `event: task\ndata: ${task('completed', { progress: 100, result: { type: 'image', data: [{ url: 'https://files.toapis.com/generated/1.png' }] } })}\n\n`,
    ].join('');
    const client = createToapisClient({ backendUrl: BASE, fetch: async () => streamOf(body) });
    const seen: string[] = [];
    const retries: Array<{ error: ToapisError; delayMs: number }> = [];
    const last = await client.watchTask('task_img_1', {
      onSnapshot: (s: TaskSnapshot) => seen.push(s.phase),
      onRetry: (error, delayMs) => {
        retries.push({ error, delayMs });
        seen.push('retry');
      },
    });
    expect(last.phase).toBe('completed');
    expect(seen).toEqual(['generating', 'retry', 'completed']);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delayMs).toBe(12_000);
    expect(retries[0]?.error.kind).toBe('rate_limit');
    expect(retries[0]?.error.retryAfterMs).toBe(12_000);
    expect(retries[0]?.error.message).toMatch(/slow down/);
  });

  it('ignores a malformed `event: retry` rather than failing the task', async () => {
    const body = [
      'event: retry\ndata: {not json\n\n',
      `event: retry\ndata: ${JSON.stringify({ status: 429, retry_after_ms: -5 })}\n\n`,
      `event: task\ndata: ${task('failed', { error: { code: 'generation_failed', message: 'no' } })}\n\n`,
    ].join('');
    const client = createToapisClient({ backendUrl: BASE, fetch: async () => streamOf(body) });
    const onRetry = vi.fn();
    const last = await client.watchTask('task_img_1', { onSnapshot: () => {}, onRetry });
    expect(last.phase).toBe('failed');
    expect(onRetry).not.toHaveBeenCalled();
  });
});
