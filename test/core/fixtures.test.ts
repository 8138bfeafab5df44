/**
 * The service's documented sample payloads (test/fixtures/toapis/, copied from the API pages) read
 * by the kit's parsers, and the kit's own submit body built to the documented sample's shape.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGenerationRequest } from '../../src/core/models';
import { parseErrorResponse, parseTask, parseUpload } from '../../src/core/protocol';

const DIR = resolve(import.meta.dirname, '../fixtures/toapis');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(DIR, name), 'utf8')) as Record<string, unknown>;
const headers = (h: Record<string, string>) => new Headers(h);

describe('documented sample payloads', () => {
  it('the kit builds the documented submit body from the same choices (field names, places and types)', () => {
    const sample = fixture('submit-request.json');
    const built = buildGenerationRequest({
      model: 'gemini-3.1-flash-image-preview',
      prompt: sample.prompt as string,
      aspectRatio: '4:3',
      resolution: '2k',
      n: 1,
      referenceUrls: sample.image_urls as string[],
      clientBusinessId: 'order-2026-0415-77',
    });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.request).toEqual(sample);
  });

  it('submit response: a queued task with the echoed business id', () => {
    const t = parseTask(fixture('submit-response.json'));
    expect(t).toMatchObject({ id: 'task_img_7Qm2Lx9Pa4', phase: 'queued', status: 'queued', progress: 0, images: [] });
    expect(t.clientBusinessId).toBe('order-2026-0415-77');
  });

  it.each([
    ['status-queued.json', 'queued', 0],
    ['status-in-progress.json', 'generating', 40],
  ])('%s → %s at %d %%', (name, phase, progress) => {
    expect(parseTask(fixture(name))).toMatchObject({ id: 'task_img_7Qm2Lx9Pa4', phase, progress });
  });

  it('completed: the image URL from result.data and the expiry', () => {
    const t = parseTask(fixture('status-completed.json'));
    expect(t.phase).toBe('completed');
    expect(t.progress).toBe(100);
    expect(t.images.map((i) => i.url)).toEqual(['https://files.toapis.com/generated/1767001150_5be07d.png']);
    expect(t.expiresAt).toBe(1767087551);
  });

  it("failed: the service's code and message, nothing invented", () => {
    const t = parseTask(fixture('status-failed.json'));
    expect(t.phase).toBe('failed');
    expect(t.error).toEqual({ code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' });
    expect(t.images).toEqual([]);
  });

  it('upload: the URL, id, type and size', () => {
    expect(parseUpload(fixture('upload-response.json'))).toEqual({
      id: 'upload_5d1e90ab',
      url: 'https://files.toapis.com/uploads/481/1767001122_f3a9c2.png',
      mimeType: 'image/png',
      size: 734112,
    });
  });

  it.each([
    ['error-400.json', 400, {}, 'invalid_request', 'invalid_request', /Unsupported aspect ratio 7:5/, 'size'],
    ['error-401.json', 401, {}, 'authentication', 'unauthorized', /API key missing/, undefined],
    ['error-429.json', 429, { 'Retry-After': '3', 'X-RateLimit-Category': 'async_query' }, 'rate_limit', 'rate_limit_exceeded', /slow down/, undefined],
    ['error-404-numeric.json', 404, {}, 'not_found', '404', /Task not found/, undefined],
    ['upload-error-too-large.json', 400, {}, 'invalid_request', undefined, /10MB/, undefined],
  ])('%s (HTTP %d) → kind, code, message', (name, status, h, kind, code, message, param) => {
    const e = parseErrorResponse(status, fixture(name), headers(h));
    expect(e.kind).toBe(kind);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.param).toBe(param);
    expect(e.status).toBe(status);
    if (status === 429) expect(e.retryAfterMs).toBe(3000);
  });
});
