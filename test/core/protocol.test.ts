import { ToapisError } from '../../src/core/errors';
import {
  SubmitRequestSchema,
  isSafeUrl,
  parseErrorResponse,
  parseProgress,
  parseRetryAfter,
  parseTask,
  parseUpload,
  statusToPhase,
} from '../../src/core/protocol';

/** Runs `fn`, expects it to throw a ToapisError, and returns it. */
function thrown(fn: () => unknown): ToapisError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ToapisError);
    return e as ToapisError;
  }
  throw new Error('expected a ToapisError to be thrown');
}

function headers(values: Record<string, string>) {
  return new Headers(values);
}

const ID = 'task_img_7Qm2Lx9Pa4';
const MODEL = 'gemini-3.1-flash-image-preview';
const IMG = 'https://files.toapis.com/generated/1767001150_5be07d.png';

/* -------------------------------------------------------------------------------------------------
 * §7 sample payloads
 * -----------------------------------------------------------------------------------------------*/

describe('parseTask: §7 samples', () => {
  it('submit response', () => {
    const t = parseTask({
      id: ID,
      object: 'generation.task',
      model: MODEL,
      status: 'queued',
      progress: 0,
      created_at: 1767001130,
      metadata: {},
      client_business_id: 'order-2026-0415-77',
    });
    expect(t).toEqual({
      id: ID,
      status: 'queued',
      phase: 'queued',
      progress: 0,
      model: MODEL,
      clientBusinessId: 'order-2026-0415-77',
      createdAt: 1767001130,
      images: [],
    });
  });

  it('status queued', () => {
    const t = parseTask({ id: ID, object: 'generation.task', model: MODEL, status: 'queued', progress: 0, created_at: 1767001130 });
    expect(t).toEqual({ id: ID, status: 'queued', phase: 'queued', progress: 0, model: MODEL, createdAt: 1767001130, images: [] });
  });

  it('status in progress', () => {
    const t = parseTask({ id: ID, object: 'generation.task', model: MODEL, status: 'in_progress', progress: 40, created_at: 1767001130 });
    expect(t.phase).toBe('generating');
    expect(t.status).toBe('in_progress');
    expect(t.progress).toBe(40);
    expect(t.images).toEqual([]);
    expect(t.error).toBeUndefined();
  });

  it('status completed', () => {
    const t = parseTask({
      id: ID,
      object: 'generation.task',
      model: MODEL,
      status: 'completed',
      progress: 100,
      created_at: 1767001130,
      completed_at: 1767001151,
      expires_at: 1767087551,
      result: { type: 'image', data: [{ url: IMG }] },
    });
    expect(t).toEqual({
      id: ID,
      status: 'completed',
      phase: 'completed',
      progress: 100,
      model: MODEL,
      createdAt: 1767001130,
      completedAt: 1767001151,
      expiresAt: 1767087551,
      images: [{ url: IMG }],
    });
  });

  it('status failed', () => {
    const t = parseTask({
      id: 'task_img_9Rt4Kc1Wd8',
      object: 'generation.task',
      model: MODEL,
      status: 'failed',
      progress: 0,
      created_at: 1767002200,
      error: { code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' },
    });
    expect(t.phase).toBe('failed');
    expect(t.progress).toBe(0);
    expect(t.images).toEqual([]);
    expect(t.error).toEqual({ code: 'generation_failed', message: 'upstream provider rejected the request (status 422)' });
  });
});

/* -------------------------------------------------------------------------------------------------
 * §8 tolerances
 * -----------------------------------------------------------------------------------------------*/

describe('parseTask: §8 tolerances', () => {
  it('accepts task_id when id is missing, prefers id when both are present, stringifies numeric ids', () => {
    expect(parseTask({ task_id: 'tsk_img_1', status: 'queued' }).id).toBe('tsk_img_1');
    expect(parseTask({ id: 'a', task_id: 'b' }).id).toBe('a');
    expect(parseTask({ id: '', task_id: 'b' }).id).toBe('b');
    expect(parseTask({ id: 123 }).id).toBe('123');
  });

  it('throws protocol when there is no usable id', () => {
    for (const body of [{}, { id: '' }, { id: null }, { id: {} }, { id: Number.NaN }, { task_id: [] }]) {
      expect(thrown(() => parseTask(body)).kind).toBe('protocol');
    }
  });

  it('throws protocol for bodies that are not objects', () => {
    for (const body of [null, undefined, 'task', 42, true, [], [{ id: 'x' }]]) {
      const e = thrown(() => parseTask(body));
      expect(e.kind).toBe('protocol');
    }
  });

  it.each(['queued', 'submitted', 'pending', 'unknown', 'QUEUED', 'mystery_state', 'SUBMITTED'])(
    'status %s -> non-final queued, raw status kept',
    (status) => {
      const t = parseTask({ id: 'x', status });
      expect(t.phase).toBe('queued');
      expect(t.status).toBe(status);
      expect(t.error).toBeUndefined();
    },
  );

  it.each(['in_progress', 'IN_PROGRESS', 'processing', 'running', 'generating'])('status %s -> generating', (status) => {
    expect(parseTask({ id: 'x', status }).phase).toBe('generating');
  });

  it('missing / empty / non-string status is queued', () => {
    expect(parseTask({ id: 'x' })).toMatchObject({ status: 'queued', phase: 'queued' });
    expect(parseTask({ id: 'x', status: '' })).toMatchObject({ status: 'queued', phase: 'queued' });
    expect(parseTask({ id: 'x', status: 7 })).toMatchObject({ status: 'queued', phase: 'queued' });
  });

  it('truncates an absurdly long status to 64 characters', () => {
    expect(parseTask({ id: 'x', status: 'q'.repeat(10_000) }).status).toHaveLength(64);
  });

  it('webhook vocabulary SUCCESS / FAILURE is terminal', () => {
    expect(statusToPhase('SUCCESS')).toBe('completed');
    expect(statusToPhase(' succeeded ')).toBe('completed');
    expect(statusToPhase('FAILURE')).toBe('failed');
    expect(statusToPhase('error')).toBe('failed');
    const t = parseTask({ id: 'x', status: 'SUCCESS', progress: '100%', result: { data: [{ url: IMG }] } });
    expect(t).toMatchObject({ phase: 'completed', progress: 100, status: 'SUCCESS' });
  });

  it.each([
    ['cancelled', 'task_cancelled', /cancelled/],
    ['Canceled', 'task_cancelled', /cancelled/],
    ['EXPIRED', 'task_expired', /expired/],
    ['timeout', 'task_timeout', /too long/],
    ['timed_out', 'task_timeout', /too long/],
    ['rejected', 'task_rejected', /rejected/],
    ['error', 'task_error', /reported an error/],
  ])('an unlisted ending status %s ends the task as failed with its own code and message', (status, code, message) => {
    const t = parseTask({ id: 'x', status });
    expect(t.phase).toBe('failed');
    expect(t.error?.code).toBe(code);
    expect(t.error?.message).toMatch(message);
  });

  it("an ending status keeps the service's own error message when it sends one", () => {
    const t = parseTask({ id: 'x', status: 'rejected', error: { message: 'Prompt refused by the safety system.' } });
    expect(t.error).toEqual({ code: 'task_rejected', message: 'Prompt refused by the safety system.' });
  });

  it('any other unknown status keeps the task waiting (queued), never ended', () => {
    for (const status of ['submitted', 'pending', 'waiting_for_gpu', 'NOT_START']) expect(parseTask({ id: 'x', status }).phase).toBe('queued');
  });

  it('does not validate `object` strictly', () => {
    expect(parseTask({ id: 'x', object: 'image.generation', status: 'queued' }).phase).toBe('queued');
    expect(parseTask({ id: 'x', object: 42 }).id).toBe('x');
  });

  it('reads every result.data[].url, in order', () => {
    const t = parseTask({
      id: 'x',
      status: 'completed',
      result: { type: 'image', data: [{ url: 'https://a.test/1.png' }, { url: 'https://a.test/2.png' }] },
      url: 'https://a.test/top.png',
    });
    expect(t.images.map((i) => i.url)).toEqual(['https://a.test/1.png', 'https://a.test/2.png']);
  });

  it('falls back to a top-level url when result.data is missing, empty or unusable', () => {
    expect(parseTask({ id: 'x', status: 'completed', url: IMG }).images).toEqual([{ url: IMG }]);
    expect(parseTask({ id: 'x', status: 'completed', result: { data: [] }, url: IMG }).images).toEqual([{ url: IMG }]);
    expect(parseTask({ id: 'x', status: 'completed', result: { data: 'nope' }, url: IMG }).images).toEqual([{ url: IMG }]);
    expect(parseTask({ id: 'x', status: 'completed', result: 'nope', url: IMG }).images).toEqual([{ url: IMG }]);
    expect(
      parseTask({ id: 'x', status: 'completed', result: { data: [{ url: 'javascript:alert(1)' }, null, 5] }, url: IMG }).images,
    ).toEqual([{ url: IMG }]);
  });

  it('keeps extra item fields (Seedream layers) in `extra`, untouched', () => {
    const bbox = { absolute: [0, 0, 100, 50], normalized: [0, 0, 500, 250] };
    const t = parseTask({
      id: 'x',
      status: 'completed',
      result: {
        type: 'image',
        data: [
          { url: 'https://files.toapis.com/a.jpeg', size: '2048x2048', output_format: 'jpeg', z_index: 0 },
          {
            url: 'https://files.toapis.com/b.png',
            size: '100x50',
            output_format: 'png',
            z_index: 1,
            bounding_box: bbox,
            name: 'sun',
            description: 'a sun',
          },
        ],
      },
    });
    expect(t.images).toEqual([
      { url: 'https://files.toapis.com/a.jpeg', extra: { size: '2048x2048', output_format: 'jpeg', z_index: 0 } },
      {
        url: 'https://files.toapis.com/b.png',
        extra: { size: '100x50', output_format: 'png', z_index: 1, bounding_box: bbox, name: 'sun', description: 'a sun' },
      },
    ]);
    expect(t.images[1]?.extra?.bounding_box).toEqual(bbox);
  });

  it('ignores unknown top-level keys and reads revised_prompt', () => {
    const t = parseTask({ id: 'x', status: 'queued', metadata: { a: 1 }, weird: [1, 2], revised_prompt: 'better' });
    expect(t.revisedPrompt).toBe('better');
    expect(t).not.toHaveProperty('weird');
    expect(t).not.toHaveProperty('metadata');
  });

  it('reads queue_position: a non-negative integer at the top level, nothing else', () => {
    expect(parseTask({ id: 'x', status: 'queued', queue_position: 3 }).queuePosition).toBe(3);
    expect(parseTask({ id: 'x', status: 'queued', queue_position: 0 }).queuePosition).toBe(0);
    for (const bad of [-1, 2.5, '3', Number.NaN, Infinity, 2 ** 53, null, {}, [3], true]) {
      expect(parseTask({ id: 'x', status: 'queued', queue_position: bad })).not.toHaveProperty('queuePosition');
    }
    // Only at the top level of the task reply.
    expect(parseTask({ id: 'x', status: 'queued', result: { queue_position: 2 }, metadata: { queue_position: 2 } })).not.toHaveProperty('queuePosition');
  });

  it('drops non-numeric timestamps and non-string model', () => {
    const t = parseTask({ id: 'x', created_at: '1767001130', completed_at: Number.NaN, expires_at: Infinity, model: {} });
    expect(t.createdAt).toBeUndefined();
    expect(t.completedAt).toBeUndefined();
    expect(t.expiresAt).toBeUndefined();
    expect(t.model).toBeUndefined();
  });

  describe('progress', () => {
    it.each<[unknown, number | null]>([
      [50, 50],
      ['50%', 50],
      ['100%', 100],
      [' 7 % ', 7],
      ['42', 42],
      ['33.6%', 34],
      [49.4, 49],
      [undefined, null],
      [null, null],
      [150, 100],
      ['250%', 100],
      [-5, 0],
      ['-20%', 0],
      [-0, 0],
      [Number.NaN, null],
      ['NaN', null],
      ['NaN%', null],
      [Infinity, null],
      [-Infinity, null],
      ['abc', null],
      ['', null],
      [{}, null],
      [[50], null],
      [true, null],
    ])('%j -> %j', (raw, expected) => {
      expect(parseProgress(raw)).toBe(expected);
      expect(parseTask({ id: 'x', status: 'in_progress', progress: raw }).progress).toBe(expected);
    });

    it('is forced to 100 on completed', () => {
      expect(parseTask({ id: 'x', status: 'completed', progress: 3, url: IMG }).progress).toBe(100);
      expect(parseTask({ id: 'x', status: 'completed', url: IMG }).progress).toBe(100);
    });

    it('is kept as sent on failed (0 in the docs)', () => {
      expect(parseTask({ id: 'x', status: 'failed', progress: 0 }).progress).toBe(0);
      expect(parseTask({ id: 'x', status: 'failed' }).progress).toBeNull();
    });
  });

  describe('failed tasks', () => {
    it('error object with string code', () => {
      expect(parseTask({ id: 'x', status: 'failed', error: { code: 'content_blocked', message: 'No.' } }).error).toEqual({
        code: 'content_blocked',
        message: 'No.',
      });
    });

    it('error object with numeric code', () => {
      expect(parseTask({ id: 'x', status: 'failed', error: { code: 422, message: 'Rejected' } }).error).toEqual({
        code: '422',
        message: 'Rejected',
      });
    });

    it('error as a plain string', () => {
      expect(parseTask({ id: 'x', status: 'failed', error: 'upstream timeout' }).error).toEqual({
        code: 'generation_failed',
        message: 'upstream timeout',
      });
    });

    it('fail_reason when error carries no message', () => {
      expect(parseTask({ id: 'x', status: 'failed', fail_reason: 'quota' }).error).toEqual({
        code: 'generation_failed',
        message: 'quota',
      });
      expect(parseTask({ id: 'x', status: 'failed', error: { code: 'e1' }, fail_reason: 'why' }).error).toEqual({
        code: 'e1',
        message: 'why',
      });
    });

    it('missing error gets a default code and message', () => {
      const t = parseTask({ id: 'x', status: 'failed' });
      expect(t.error?.code).toBe('generation_failed');
      expect(t.error?.message).toBe('The image could not be generated.');
    });

    it('error object with garbage fields gets defaults', () => {
      expect(parseTask({ id: 'x', status: 'failed', error: { code: null, message: 5 } }).error).toEqual({
        code: 'generation_failed',
        message: 'The image could not be generated.',
      });
    });

    it('non-failed tasks carry no error even if the body has one', () => {
      expect(parseTask({ id: 'x', status: 'queued', error: { code: 'x', message: 'y' } }).error).toBeUndefined();
    });
  });

  describe('unsafe URLs', () => {
    it.each([
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:image/png;base64,iVBORw0KGgo=',
      'data:text/html,<script>alert(1)</script>',
      '/generated/a.png',
      'generated/a.png',
      '//evil.test/a.png',
      'ftp://files.toapis.com/a.png',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      'http://',
      '',
    ])('drops %j', (url) => {
      expect(isSafeUrl(url)).toBe(false);
      const t = parseTask({ id: 'x', status: 'in_progress', result: { data: [{ url }] }, url });
      expect(t.images).toEqual([]);
    });

    it('drops non-string and over-long URLs', () => {
      expect(isSafeUrl(5)).toBe(false);
      expect(isSafeUrl(null)).toBe(false);
      expect(isSafeUrl({ toString: () => IMG })).toBe(false);
      expect(isSafeUrl(`https://a.test/${'a'.repeat(9000)}`)).toBe(false);
    });

    it('keeps http, https and blob URLs', () => {
      expect(isSafeUrl('http://localhost:4010/a.png')).toBe(true);
      expect(isSafeUrl(IMG)).toBe(true);
      expect(isSafeUrl('HTTPS://FILES.TOAPIS.COM/A.PNG')).toBe(true);
      expect(isSafeUrl('blob:http://localhost/5d1e90ab-1111-2222-3333-444455556666')).toBe(true);
    });

    it('keeps only the safe items of a mixed list', () => {
      const t = parseTask({
        id: 'x',
        status: 'completed',
        result: { data: [{ url: 'javascript:alert(1)' }, { url: IMG }, { url: 'data:image/png;base64,AA' }, { nourl: true }] },
      });
      expect(t.images).toEqual([{ url: IMG }]);
    });

    it('a completed task with no safe URL is a protocol error', () => {
      for (const body of [
        { id: 'x', status: 'completed' },
        { id: 'x', status: 'completed', result: { data: [{ url: 'javascript:alert(1)' }] } },
        { id: 'x', status: 'completed', url: 'data:image/png;base64,AA' },
        { id: 'x', status: 'completed', url: '/relative.png' },
        { id: 'x', status: 'completed', url: 'ftp://a.test/a.png' },
      ]) {
        const e = thrown(() => parseTask(body));
        expect(e.kind).toBe('protocol');
        expect(e.retryable).toBe(false);
      }
    });
  });
});

/* -------------------------------------------------------------------------------------------------
 * Upload
 * -----------------------------------------------------------------------------------------------*/

describe('parseUpload', () => {
  it('§7 upload sample', () => {
    expect(
      parseUpload({
        success: true,
        message: '',
        data: {
          id: 'upload_5d1e90ab',
          mime_type: 'image/png',
          size: 734112,
          url: 'https://files.toapis.com/uploads/481/1767001122_f3a9c2.png',
        },
      }),
    ).toEqual({
      id: 'upload_5d1e90ab',
      url: 'https://files.toapis.com/uploads/481/1767001122_f3a9c2.png',
      mimeType: 'image/png',
      size: 734112,
    });
  });

  it('keeps only the URL when the other fields are missing or of the wrong type', () => {
    expect(parseUpload({ data: { url: IMG } })).toEqual({ url: IMG });
    expect(parseUpload({ success: true, data: { url: IMG, id: {}, mime_type: 4, size: 'big' } })).toEqual({ url: IMG });
    expect(parseUpload({ success: true, data: { url: IMG, size: Number.NaN } })).toEqual({ url: IMG });
  });

  it('{success:false} becomes invalid_request with the server message', () => {
    const tooBig = thrown(() => parseUpload({ success: false, message: 'File exceeds the 10MB limit' }));
    expect(tooBig.kind).toBe('invalid_request');
    expect(tooBig.message).toBe('File exceeds the 10MB limit');
    const bare = thrown(() => parseUpload({ success: false }));
    expect(bare.kind).toBe('invalid_request');
    expect(bare.message).toBe('The upload was refused.');
  });

  it('throws protocol for a reply without a safe URL or of the wrong shape', () => {
    for (const body of [
      {},
      { success: true },
      { success: true, data: {} },
      { success: true, data: { url: 'javascript:alert(1)' } },
      { success: true, data: { url: 'data:image/png;base64,AA' } },
      { success: true, data: { url: '/uploads/a.png' } },
      { success: true, data: null },
      { success: true, data: 'https://a.test/a.png' },
      null,
      'ok',
      [],
    ]) {
      expect(thrown(() => parseUpload(body)).kind).toBe('protocol');
    }
  });
});

/* -------------------------------------------------------------------------------------------------
 * Error responses
 * -----------------------------------------------------------------------------------------------*/

describe('parseErrorResponse', () => {
  it('§5.1 shape 1: OpenAI-style envelope with string code, type and param', () => {
    const e = parseErrorResponse(400, {
      error: {
        code: 'invalid_request',
        type: 'invalid_request_error',
        param: 'size',
        message: 'Unsupported aspect ratio 7:5 for this model',
      },
    });
    expect(e).toBeInstanceOf(ToapisError);
    expect(e.kind).toBe('invalid_request');
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_request');
    expect(e.param).toBe('size');
    expect(e.message).toBe('Unsupported aspect ratio 7:5 for this model');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it('§5.1 shape 1: 401 unauthorized', () => {
    const e = parseErrorResponse(401, {
      error: { code: 'unauthorized', type: 'authentication_error', message: 'API key missing or not valid' },
    });
    expect(e).toMatchObject({ kind: 'authentication', code: 'unauthorized', message: 'API key missing or not valid' });
  });

  it('§5.1 shape 2: numeric code equal to the status', () => {
    const nf = parseErrorResponse(404, { error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
    expect(nf).toMatchObject({ kind: 'not_found', code: '404', message: 'Task not found', status: 404 });
    const rl = parseErrorResponse(429, { error: { code: 429, type: 'rate_limit_error', message: 'slow' } });
    expect(rl).toMatchObject({ kind: 'rate_limit', code: '429' });
    const auth = parseErrorResponse(401, { error: { code: 401, type: 'authentication_error' } });
    expect(auth).toMatchObject({ kind: 'authentication', code: '401', message: 'The request failed (HTTP 401).' });
  });

  it('§5.1 shape 3: envelope without type (async limiter), with Retry-After', () => {
    const e = parseErrorResponse(
      429,
      { error: { code: 'rate_limit_exceeded', message: 'Too many task status requests; slow down' } },
      headers({ 'Retry-After': '3', 'X-RateLimit-Category': 'async_query' }),
    );
    expect(e).toMatchObject({
      kind: 'rate_limit',
      code: 'rate_limit_exceeded',
      retryAfterMs: 3000,
      message: 'Too many task status requests; slow down',
    });
    expect(e.retryable).toBe(true);
    const u = parseErrorResponse(503, { error: { code: 'rate_limit_unavailable', message: 'limiter down' } });
    expect(u).toMatchObject({ kind: 'rate_limit', code: 'rate_limit_unavailable', status: 503 });
    expect(u.retryable).toBe(true);
  });

  it('§5.1 shape 4: upload envelope {success:false, message}', () => {
    const e = parseErrorResponse(400, { success: false, message: 'Only JPEG, PNG, WebP and GIF are allowed' });
    expect(e).toMatchObject({ kind: 'invalid_request', message: 'Only JPEG, PNG, WebP and GIF are allowed', status: 400 });
    expect(e.code).toBeUndefined();
  });

  it('§5.1 shape 5: task-level error object (e.g. echoed at a non-200 status)', () => {
    const e = parseErrorResponse(500, { error: { code: 'generation_failed', message: 'upstream provider rejected' } });
    expect(e).toMatchObject({ kind: 'server', code: 'generation_failed', message: 'upstream provider rejected' });
  });

  it('uses error.type as the code when code is missing', () => {
    const e = parseErrorResponse(400, { error: { type: 'content_policy_violation', message: 'nope' } });
    expect(e).toMatchObject({ kind: 'content_policy', code: 'content_policy_violation' });
  });

  it('maps §5.2 codes to kinds through the envelope', () => {
    expect(parseErrorResponse(402, { error: { code: 'insufficient_quota', message: 'Top up' } }).kind).toBe('quota');
    expect(parseErrorResponse(422, { error: { code: 'content_policy_violation', message: 'x' } }).kind).toBe('content_policy');
    expect(parseErrorResponse(404, { error: { code: 'task_not_found', message: 'x' } }).kind).toBe('not_found');
    expect(parseErrorResponse(500, { error: { code: 'internal_error', message: 'x' } }).kind).toBe('server');
    expect(parseErrorResponse(403, {}).kind).toBe('authentication');
  });

  it('reads a string error and a top-level code', () => {
    expect(parseErrorResponse(400, { error: 'bad prompt' })).toMatchObject({ message: 'bad prompt', kind: 'invalid_request' });
    expect(parseErrorResponse(400, { message: 'm', code: 'insufficient_quota' })).toMatchObject({
      message: 'm',
      code: 'insufficient_quota',
      kind: 'quota',
    });
  });

  it('HTML body: default message, kind from status, no markup leaked', () => {
    const e = parseErrorResponse(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(e.kind).toBe('server');
    expect(e.message).toBe('The server failed (HTTP 502).');
    expect(e.message).not.toContain('<');
    expect(parseErrorResponse(404, '  <!doctype html><p>nope</p>').message).toBe('The request failed (HTTP 404).');
  });

  it('plain-text body becomes the (whitespace-collapsed) message', () => {
    expect(parseErrorResponse(500, 'upstream\n\n  exploded ').message).toBe('upstream exploded');
  });

  it('empty / missing body gets a default message per status', () => {
    expect(parseErrorResponse(429, undefined).message).toBe('Too many requests.');
    expect(parseErrorResponse(503, '').message).toBe('The server failed (HTTP 503).');
    expect(parseErrorResponse(400, null).message).toBe('The request failed (HTTP 400).');
    expect(parseErrorResponse(400, { error: { message: '   ' } }).message).toBe('The request failed (HTTP 400).');
  });

  it('truncates long messages to 500 characters plus an ellipsis', () => {
    const long = 'x'.repeat(5000);
    const e = parseErrorResponse(400, { error: { message: long } });
    expect(e.message).toHaveLength(501);
    expect(e.message.endsWith('…')).toBe(true);
    expect(parseErrorResponse(400, long).message).toHaveLength(501);
    expect(parseErrorResponse(400, { error: { message: 'y'.repeat(500) } }).message).toHaveLength(500);
  });

  it('Retry-After in seconds, as an HTTP date, and garbage', () => {
    const now = Date.UTC(2026, 7, 20, 12, 0, 0);
    expect(parseErrorResponse(429, {}, headers({ 'retry-after': '7' }), now).retryAfterMs).toBe(7000);
    const date = new Date(now + 12_000).toUTCString();
    expect(parseErrorResponse(429, {}, headers({ 'Retry-After': date }), now).retryAfterMs).toBe(12_000);
    expect(parseErrorResponse(429, {}, headers({ 'Retry-After': 'soon' }), now).retryAfterMs).toBeUndefined();
    expect(parseErrorResponse(429, {}, headers({}), now).retryAfterMs).toBeUndefined();
    expect(parseErrorResponse(429, {}).retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 7, 20, 12, 0, 0);

  it('reads integer and fractional seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date relative to now; a past date is 0', () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
  });

  it('uses Date.now() by default', () => {
    const ms = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('caps at one hour', () => {
    expect(parseRetryAfter('3601', now)).toBe(3_600_000);
    expect(parseRetryAfter('9999999999', now)).toBe(3_600_000);
    expect(parseRetryAfter(new Date(now + 86_400_000).toUTCString(), now)).toBe(3_600_000);
  });

  it('returns undefined for missing or garbage values', () => {
    for (const v of [null, undefined, '', '   ', 'soon', '3s', '1e3', 'Infinity', 'NaN']) {
      expect(parseRetryAfter(v, now)).toBeUndefined();
    }
  });
});

/* -------------------------------------------------------------------------------------------------
 * Submit request
 * -----------------------------------------------------------------------------------------------*/

describe('SubmitRequestSchema', () => {
  const sample = {
    model: 'gemini-3.1-flash-image-preview',
    prompt: 'Watercolor lighthouse on a rocky coast at dawn, soft pastel sky',
    size: '4:3',
    n: 1,
    image_urls: ['https://files.toapis.com/uploads/481/1767001122_f3a9c2.png'],
    client_business_id: 'order-2026-0415-77',
    metadata: { resolution: '2K' },
  };

  it('accepts the §7 sample unchanged', () => {
    const r = SubmitRequestSchema.safeParse(sample);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(sample);
  });

  it('passes model-specific extra keys through', () => {
    const r = SubmitRequestSchema.safeParse({ model: 'gpt-image-2', prompt: 'p', resolution: '2k', quality: 'high' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ quality: 'high', resolution: '2k' });
  });

  it('rejects n as a string, a fraction or below 1', () => {
    expect(SubmitRequestSchema.safeParse({ ...sample, n: '1' }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ ...sample, n: 1.5 }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ ...sample, n: 0 }).success).toBe(false);
  });

  it('rejects a missing or empty model, a missing prompt and non-string references', () => {
    expect(SubmitRequestSchema.safeParse({ ...sample, model: '' }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ prompt: 'p' }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ model: 'm' }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ ...sample, image_urls: [{ url: 'https://a.test/a.png' }] }).success).toBe(false);
    expect(SubmitRequestSchema.safeParse({ ...sample, metadata: 'x' }).success).toBe(false);
  });
});
