/**
 * The simulator answers in the shapes of the service's documented samples (test/fixtures/toapis/):
 * the same keys with the same JSON types, in every state. (Values differ: ids, times, URLs.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { clocked, json, PNG_BYTES, poll, submit, upload, type Json } from './harness';

const DIR = resolve(import.meta.dirname, '../../fixtures/toapis');
const fixture = (name: string): Json => JSON.parse(readFileSync(resolve(DIR, name), 'utf8')) as Json;

/** `{ key: type }`, recursively for objects and the first item of arrays. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Json)[k])]));
  }
  return value === null ? 'null' : typeof value;
}

describe('simulator replies have the documented shapes', () => {
  it('submit, queued, in progress, completed', async () => {
    const c = clocked({ queuedMs: 1000, generatingMs: 2000 });
    const sample = fixture('submit-request.json');
    const submitted = await submit(c.sim, sample);
    expect(submitted.status).toBe(200);
    const task = await json(submitted);
    expect(shape(task)).toEqual(shape(fixture('submit-response.json')));
    const id = String(task.id);

    // The status samples carry no client_business_id (the English status page does not show it).
    const withoutBusinessId = (body: Json) => {
      const { client_business_id: _ignored, ...rest } = body;
      return rest;
    };
    expect(shape(withoutBusinessId(await json(await poll(c.sim, id))))).toEqual(shape(fixture('status-queued.json')));
    c.advance(1500);
    expect(shape(withoutBusinessId(await json(await poll(c.sim, id))))).toEqual(shape(fixture('status-in-progress.json')));
    c.advance(2000);
    const done = withoutBusinessId(await json(await poll(c.sim, id)));
    expect(shape(done)).toEqual(shape(fixture('status-completed.json')));
    expect((done.expires_at as number) - (done.completed_at as number)).toBe(86_400);
  });

  it('failed', async () => {
    const c = clocked({ queuedMs: 0, generatingMs: 10 });
    const task = await json(await submit(c.sim, { model: 'gemini-3.1-flash-image-preview', prompt: '[sim:task_failed] x', size: '1:1', n: 1 }));
    c.advance(50);
    expect(shape(await json(await poll(c.sim, String(task.id))))).toEqual(shape(fixture('status-failed.json')));
  });

  it('upload, and the error envelopes', async () => {
    const c = clocked();
    expect(shape(await json(await upload(c.sim, PNG_BYTES, {}, 'ref.png')))).toEqual(shape(fixture('upload-response.json')));

    const bad = await submit(c.sim, { model: 'gemini-3.1-flash-image-preview', prompt: '[sim:bad_request] x', size: '7:5', n: 1 });
    expect(bad.status).toBe(400);
    expect(shape(await json(bad))).toEqual(shape(fixture('error-400.json')));

    const auth = await submit(c.sim, { model: 'gemini-3.1-flash-image-preview', prompt: '[sim:auth] x', size: '1:1', n: 1 });
    expect(auth.status).toBe(401);
    expect(shape(await json(auth))).toEqual(shape(fixture('error-401.json')));

    const limited = await submit(c.sim, { model: 'gemini-3.1-flash-image-preview', prompt: '[sim:rate_limit] x', size: '1:1', n: 1 });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(shape(await json(limited))).toEqual(shape(fixture('error-429.json')));
  });
});
