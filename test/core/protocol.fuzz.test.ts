/**
 * Property tests: the protocol parsers turn ANY input into a value or a ToapisError of the documented
 * kind — never a TypeError, never an unsafe URL, never a NaN progress. Set FC_SEED to replay a run.
 */
import fc from 'fast-check';
import { ERROR_KINDS, ToapisError } from '../../src/core/errors';
import { isSafeUrl, parseErrorResponse, parseTask, parseUpload, type TaskSnapshot } from '../../src/core/protocol';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(seed !== undefined && { seed }) });

/* -------------------------------------------------------------------------------------------------
 * Hostile building blocks
 * -----------------------------------------------------------------------------------------------*/

const HUGE = 'A'.repeat(1_000_000);
const HUGE_URL = `https://files.toapis.com/${'a'.repeat(20_000)}.png`;

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    HUGE,
    HUGE_URL,
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/png;base64,AAAA',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://files.toapis.com/a.png',
    '//evil.test/a.png',
    '/relative/a.png',
    'http://',
    'https://files.toapis.com/ok.png',
    'blob:http://localhost/5d1e90ab',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'completed',
    'failed',
    'SUCCESS',
    'FAILURE',
    'in_progress',
    'queued',
    '50%',
    'NaN',
    '-0',
    '1e309',
    '\u0000',
    '\uD800',
    '<html>',
  ),
);

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 100, 101, -1, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53),
);

const hostileLeaf = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'url')), tie('value'), {
      maxKeys: 4,
    }),
    // deeply nested arrays
    fc.integer({ min: 1, max: 200 }).map((depth) => {
      let v: unknown = 'https://files.toapis.com/deep.png';
      for (let i = 0; i < depth; i += 1) v = [v];
      return v;
    }),
  ),
})).value;

/** A JSON text with prototype-pollution keys, parsed the way `response.json()` would. */
const pollutedJson = fc
  .record({
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    inner: fc.constantFrom(
      '{"id":"evil","status":"completed","url":"javascript:alert(1)"}',
      '{"polluted":true,"url":"https://evil.test/x.png"}',
      '{"prototype":{"polluted":true}}',
      '5',
      'null',
    ),
    where: fc.constantFrom('top', 'result', 'item', 'error', 'data'),
  })
  .map(({ key, inner, where }) => {
    const p = `"${key}":${inner}`;
    switch (where) {
      case 'top':
        return JSON.parse(`{${p},"status":"queued"}`) as unknown;
      case 'result':
        return JSON.parse(`{"id":"t","status":"completed","result":{${p},"data":[{"url":"https://a.test/a.png"}]}}`) as unknown;
      case 'item':
        return JSON.parse(`{"id":"t","status":"completed","result":{"data":[{${p},"url":"https://a.test/a.png"}]}}`) as unknown;
      case 'error':
        return JSON.parse(`{"id":"t","status":"failed","error":{${p}}}`) as unknown;
      default:
        return JSON.parse(`{"success":true,"data":{${p},"url":"https://a.test/a.png"}}`) as unknown;
    }
  });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const resultItem = fc.oneof(
  fc.record({ url: fc.oneof(hostileString, hostileValue) }, { requiredKeys: [] }),
  fc.record({ url: fc.webUrl(), size: maybe(hostileValue), z_index: maybe(hostileNumber), bounding_box: maybe(hostileValue) }),
  hostileValue,
);

const statusArb = fc.oneof(
  fc.constantFrom('queued', 'submitted', 'pending', 'in_progress', 'completed', 'failed', 'SUCCESS', 'FAILURE', 'unknown'),
  hostileString,
  hostileValue,
);

/** Objects shaped like tasks whose every field may be hostile. */
const taskLike = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1 }), hostileValue),
    task_id: hostileValue,
    object: hostileValue,
    model: hostileValue,
    status: statusArb,
    progress: fc.oneof(hostileNumber, hostileString, hostileValue),
    created_at: hostileValue,
    completed_at: hostileNumber,
    expires_at: hostileNumber,
    client_business_id: hostileValue,
    revised_prompt: hostileValue,
    url: fc.oneof(hostileString, fc.webUrl(), hostileValue),
    result: fc.oneof(
      fc.record({ type: hostileValue, data: fc.oneof(fc.array(resultItem, { maxLength: 6 }), hostileValue) }, { requiredKeys: [] }),
      hostileValue,
    ),
    error: fc.oneof(fc.record({ code: fc.oneof(hostileString, hostileNumber, hostileValue), message: hostileValue }, { requiredKeys: [] }), hostileValue),
    fail_reason: hostileValue,
    queue_position: fc.oneof(hostileNumber, hostileString, hostileValue),
    __proto__: hostileValue,
    constructor: hostileValue,
  },
  { requiredKeys: [] },
);

const uploadLike = fc.record(
  {
    success: fc.oneof(fc.boolean(), hostileValue),
    message: hostileValue,
    data: fc.oneof(
      fc.record(
        { id: hostileValue, url: fc.oneof(fc.webUrl(), hostileString, hostileValue), mime_type: hostileValue, size: hostileNumber },
        { requiredKeys: [] },
      ),
      hostileValue,
    ),
  },
  { requiredKeys: [] },
);

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/* -------------------------------------------------------------------------------------------------
 * Invariants
 * -----------------------------------------------------------------------------------------------*/

/** How often each parser returned a value vs threw, so a property cannot pass vacuously. */
const outcomes = { task: { ok: 0, threw: 0 }, upload: { ok: 0, threw: 0 } };

function checkTask(body: unknown): void {
  let snapshot: TaskSnapshot;
  try {
    snapshot = parseTask(body);
  } catch (e) {
    expect(e).toBeInstanceOf(ToapisError);
    expect((e as ToapisError).kind).toBe('protocol');
    outcomes.task.threw += 1;
    return;
  }
  outcomes.task.ok += 1;
  expect(typeof snapshot.id).toBe('string');
  expect(snapshot.id.length).toBeGreaterThan(0);
  expect(['queued', 'generating', 'completed', 'failed']).toContain(snapshot.phase);
  expect(typeof snapshot.status).toBe('string');
  expect(snapshot.status.length).toBeLessThanOrEqual(64);
  expect(Array.isArray(snapshot.images)).toBe(true);
  for (const image of snapshot.images) {
    expect(typeof image.url).toBe('string');
    expect(image.url).toMatch(/^(https?:|blob:)/i);
    expect(['http:', 'https:', 'blob:']).toContain(new URL(image.url).protocol);
  }
  if (snapshot.progress !== null) {
    expect(Number.isInteger(snapshot.progress)).toBe(true);
    expect(snapshot.progress).toBeGreaterThanOrEqual(0);
    expect(snapshot.progress).toBeLessThanOrEqual(100);
  }
  if (snapshot.phase === 'completed') {
    expect(snapshot.images.length).toBeGreaterThan(0);
    expect(snapshot.progress).toBe(100);
  }
  if (snapshot.phase === 'failed') {
    expect(typeof snapshot.error?.code).toBe('string');
    expect(snapshot.error?.message.length).toBeGreaterThan(0);
  } else {
    expect(snapshot.error).toBeUndefined();
  }
  if (snapshot.queuePosition !== undefined) {
    expect(Number.isSafeInteger(snapshot.queuePosition)).toBe(true);
    expect(snapshot.queuePosition).toBeGreaterThanOrEqual(0);
  }
  // no prototype pollution leaked into the normalised value or the global Object prototype
  expect(Object.getPrototypeOf(snapshot)).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

function checkUpload(body: unknown): void {
  let result;
  try {
    result = parseUpload(body);
  } catch (e) {
    expect(e).toBeInstanceOf(ToapisError);
    const kind = (e as ToapisError).kind;
    const refused =
      typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
    // invalid_request only for an explicit {success:false}; everything else unreadable is protocol
    if (kind === 'invalid_request') expect(refused).toBe(true);
    else expect(kind).toBe('protocol');
    outcomes.upload.threw += 1;
    return;
  }
  outcomes.upload.ok += 1;
  expect(isSafeUrl(result.url)).toBe(true);
  expect(['http:', 'https:', 'blob:']).toContain(new URL(result.url).protocol);
  if (result.size !== undefined) expect(Number.isFinite(result.size)).toBe(true);
  if (result.id !== undefined) expect(typeof result.id).toBe('string');
  if (result.mimeType !== undefined) expect(typeof result.mimeType).toBe('string');
}

function checkError(status: number, body: unknown, retryAfter: string | null): void {
  let e: ToapisError | undefined;
  expect(() => {
    e = parseErrorResponse(status, body, { get: (name) => (name.toLowerCase() === 'retry-after' ? retryAfter : null) });
  }).not.toThrow();
  expect(e).toBeInstanceOf(ToapisError);
  expect(ERROR_KINDS).toContain(e!.kind);
  expect(typeof e!.message).toBe('string');
  expect(e!.message.length).toBeGreaterThan(0);
  expect(e!.message.length).toBeLessThanOrEqual(501);
  expect(e!.status).toBe(status);
  if (e!.code !== undefined) expect(typeof e!.code).toBe('string');
  if (e!.retryAfterMs !== undefined) {
    expect(Number.isFinite(e!.retryAfterMs)).toBe(true);
    expect(e!.retryAfterMs).toBeGreaterThanOrEqual(0);
    expect(e!.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  }
}

/* -------------------------------------------------------------------------------------------------
 * Properties
 * -----------------------------------------------------------------------------------------------*/

describe('parseTask never throws anything but a protocol ToapisError', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => checkTask(body)), params(3000));
  });

  it('on arbitrary JS values (boxed, Map, Set, typed arrays, null prototypes…)', () => {
    fc.assert(fc.property(anything, (body) => checkTask(body)), params(3000));
  });

  it('on task-shaped objects with hostile field values', () => {
    const before = { ...outcomes.task };
    fc.assert(fc.property(taskLike, (body) => checkTask(body)), params(4000));
    // the generator must reach both outcomes, or the property says nothing
    expect(outcomes.task.ok - before.ok).toBeGreaterThan(200);
    expect(outcomes.task.threw - before.threw).toBeGreaterThan(200);
  });

  it('on JSON with prototype-pollution keys', () => {
    fc.assert(fc.property(pollutedJson, (body) => checkTask(body)), params(1000));
  });

  it('a valid id plus a safe URL on a completed task always parses, with that URL', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.webUrl(), fc.array(hostileValue, { maxLength: 3 }), (id, url, junk) => {
        const t = parseTask({ id, status: 'completed', result: { data: [...junk, { url }] } });
        expect(t.id).toBe(id);
        expect(t.images.map((i) => i.url)).toContain(url);
      }),
      params(2000),
    );
  });

  it('any non-terminal status string stays non-final', () => {
    const terminal = new Set(['completed', 'success', 'succeeded', 'failed', 'failure', 'error']);
    fc.assert(
      fc.property(hostileString, (status) => {
        fc.pre(!terminal.has(status.slice(0, 64).trim().toLowerCase()));
        const t = parseTask({ id: 'x', status });
        expect(['queued', 'generating']).toContain(t.phase);
      }),
      params(2000),
    );
  });
});

describe('parseUpload returns a safe URL or throws protocol / invalid_request (for success:false only)', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => checkUpload(body)), params(2000));
  });

  it('on arbitrary JS values', () => {
    fc.assert(fc.property(anything, (body) => checkUpload(body)), params(2000));
  });

  it('on upload-shaped objects with hostile field values', () => {
    const before = { ...outcomes.upload };
    fc.assert(fc.property(uploadLike, (body) => checkUpload(body)), params(3000));
    expect(outcomes.upload.ok - before.ok).toBeGreaterThan(100);
    expect(outcomes.upload.threw - before.threw).toBeGreaterThan(100);
  });

  it('on JSON with prototype-pollution keys', () => {
    fc.assert(fc.property(pollutedJson, (body) => checkUpload(body)), params(500));
  });

  it('{success:false, message} always becomes invalid_request', () => {
    fc.assert(
      fc.property(hostileValue, (message) => {
        try {
          parseUpload({ success: false, message });
        } catch (e) {
          expect((e as ToapisError).kind).toBe('invalid_request');
          expect((e as ToapisError).message.length).toBeGreaterThan(0);
          return;
        }
        throw new Error('expected parseUpload to throw');
      }),
      params(1000),
    );
  });
});

describe('parseErrorResponse never throws', () => {
  const status = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(0, 400, 401, 402, 403, 404, 422, 429, 500, 503));
  const retryAfter = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.nat().map(String),
    fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    fc.constantFrom('9999999999999', '1.5', '-1', 'Infinity', ''),
  );
  const envelope = fc.oneof(
    fc.record(
      {
        error: fc.oneof(
          fc.record(
            { code: fc.oneof(hostileString, hostileNumber, hostileValue), message: fc.oneof(hostileString, hostileValue), type: hostileValue, param: hostileValue },
            { requiredKeys: [] },
          ),
          hostileString,
          hostileValue,
        ),
        success: hostileValue,
        message: fc.oneof(hostileString, hostileValue),
        code: hostileValue,
      },
      { requiredKeys: [] },
    ),
    hostileString,
  );

  it('on arbitrary JSON bodies', () => {
    fc.assert(fc.property(status, fc.jsonValue(), retryAfter, checkError), params(3000));
  });

  it('on arbitrary JS values', () => {
    fc.assert(fc.property(status, anything, retryAfter, checkError), params(2000));
  });

  it('on envelope-shaped bodies with hostile fields', () => {
    fc.assert(fc.property(status, envelope, retryAfter, checkError), params(4000));
  });

  it('on JSON with prototype-pollution keys', () => {
    fc.assert(fc.property(status, pollutedJson, retryAfter, checkError), params(500));
  });
});
