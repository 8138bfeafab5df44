import {
  errorHint,
  ERROR_KINDS,
  ToapisError,
  isAbortError,
  isRetryableKind,
  isToapisError,
  kindForStatus,
  toToapisError,
  type ToapisErrorKind,
} from '../../src/core/errors';

describe('kindForStatus', () => {
  // docs/toapis-api.md §5.2, status alone.
  it.each<[number, ToapisErrorKind]>([
    [400, 'invalid_request'],
    [401, 'authentication'],
    [402, 'quota'],
    [403, 'authentication'],
    [404, 'not_found'],
    [410, 'not_found'],
    [413, 'invalid_request'],
    [415, 'invalid_request'],
    [422, 'content_policy'],
    [429, 'rate_limit'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [504, 'server'],
    [599, 'server'],
    [418, 'invalid_request'],
    [0, 'invalid_request'],
  ])('HTTP %i -> %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  // §5.2 documented code / type strings, each with the status it is documented under.
  it.each<[number, string, ToapisErrorKind]>([
    [400, 'invalid_request', 'invalid_request'],
    [400, 'invalid_request_error', 'invalid_request'],
    [400, 'webhook_not_configured', 'invalid_request'],
    [400, 'invalid_reference_images', 'invalid_request'],
    [401, 'unauthorized', 'authentication'],
    [401, 'authentication_error', 'authentication'],
    [401, '401', 'authentication'],
    [402, 'insufficient_quota', 'quota'],
    [404, 'task_not_found', 'not_found'],
    [404, 'not_found_error', 'not_found'],
    [404, '404', 'not_found'],
    [422, 'content_policy_violation', 'content_policy'],
    [429, 'rate_limit_exceeded', 'rate_limit'],
    [429, 'rate_limit_error', 'rate_limit'],
    [429, '429', 'rate_limit'],
    [500, 'internal_error', 'server'],
    [503, 'rate_limit_unavailable', 'rate_limit'],
  ])('HTTP %i with code %s -> %s', (status, code, kind) => {
    expect(kindForStatus(status, code)).toBe(kind);
  });

  it('lets a specific code win over a generic status', () => {
    expect(kindForStatus(400, 'content_policy_violation')).toBe('content_policy');
    expect(kindForStatus(400, 'moderation_blocked')).toBe('content_policy');
    expect(kindForStatus(400, 'SAFETY_FILTER')).toBe('content_policy');
    expect(kindForStatus(403, 'insufficient_quota')).toBe('quota');
    expect(kindForStatus(400, 'insufficient_balance')).toBe('quota');
    expect(kindForStatus(500, 'rate_limit_exceeded')).toBe('rate_limit');
    expect(kindForStatus(400, 'task_not_found')).toBe('not_found');
    expect(kindForStatus(400, 'not_found')).toBe('not_found');
    expect(kindForStatus(500, 'Unauthorized')).toBe('authentication');
  });

  it('falls back to the status for unknown codes and empty codes', () => {
    expect(kindForStatus(429, 'something_else')).toBe('rate_limit');
    expect(kindForStatus(500, '')).toBe('server');
    expect(kindForStatus(402, undefined)).toBe('quota');
  });

  it('always returns one of ERROR_KINDS', () => {
    for (let status = 0; status < 700; status += 1) {
      expect(ERROR_KINDS).toContain(kindForStatus(status));
    }
  });
});

describe('retryable', () => {
  const expected: Record<ToapisErrorKind, boolean> = {
    invalid_request: false,
    authentication: false,
    quota: false,
    not_found: false,
    content_policy: false,
    rate_limit: true,
    server: true,
    network: true,
    protocol: false,
    task_failed: false,
    timeout: false,
    aborted: false,
  };

  it('ERROR_KINDS lists every kind exactly once', () => {
    expect([...ERROR_KINDS].sort()).toEqual(Object.keys(expected).sort());
    expect(new Set(ERROR_KINDS).size).toBe(12);
  });

  it.each(Object.entries(expected) as [ToapisErrorKind, boolean][])('%s -> retryable %s', (kind, retryable) => {
    expect(isRetryableKind(kind)).toBe(retryable);
    expect(new ToapisError(kind, 'x').retryable).toBe(retryable);
  });

  it('429 / 503 / other 5xx are retryable; 400/401/402/403/404/422 are not (§5.4)', () => {
    const retry = (s: number, c?: string) => new ToapisError(kindForStatus(s, c), 'x').retryable;
    expect([429, 500, 502, 503].map((s) => retry(s))).toEqual([true, true, true, true]);
    expect(retry(503, 'rate_limit_unavailable')).toBe(true);
    expect([400, 401, 402, 403, 404, 422].map((s) => retry(s))).toEqual([false, false, false, false, false, false]);
  });
});

describe('ToapisError', () => {
  it('is an Error with name, kind and the optional fields', () => {
    const cause = new Error('root');
    const e = new ToapisError('rate_limit', 'Slow down', {
      status: 429,
      code: 'rate_limit_exceeded',
      param: 'prompt',
      retryAfterMs: 3000,
      cause,
    });
    expect(e).toBeInstanceOf(ToapisError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ToapisError');
    expect(e.message).toBe('Slow down');
    expect(e.kind).toBe('rate_limit');
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.param).toBe('prompt');
    expect(e.retryAfterMs).toBe(3000);
    expect(e.cause).toBe(cause);
    expect(String(e)).toBe('ToapisError: Slow down');
    expect(typeof e.stack).toBe('string');
  });

  it('leaves optional fields undefined and has no cause when none was given', () => {
    const e = new ToapisError('server', 'boom');
    expect(e.status).toBeUndefined();
    expect(e.code).toBeUndefined();
    expect(e.param).toBeUndefined();
    expect(e.retryAfterMs).toBeUndefined();
    expect('cause' in e).toBe(false);
  });

  it('isToapisError uses instanceof, not the name', () => {
    expect(isToapisError(new ToapisError('network', 'x'))).toBe(true);
    const impostor = Object.assign(new Error('x'), { name: 'ToapisError', kind: 'network' });
    expect(isToapisError(impostor)).toBe(false);
    expect(isToapisError({ name: 'ToapisError', kind: 'network', message: 'x' })).toBe(false);
    expect(isToapisError(null)).toBe(false);
  });
});

describe('toToapisError', () => {
  it('returns an existing ToapisError unchanged', () => {
    const e = new ToapisError('quota', 'Top up');
    expect(toToapisError(e)).toBe(e);
    expect(toToapisError(e, 'server')).toBe(e);
  });

  it('maps an AbortError (DOMException) to aborted, keeping the cause', () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const e = toToapisError(abort);
    expect(e).toBeInstanceOf(ToapisError);
    expect(e.kind).toBe('aborted');
    expect(e.cause).toBe(abort);
    expect(e.retryable).toBe(false);
  });

  it('maps the reason of AbortController.abort() and a TimeoutError to aborted', () => {
    const c = new AbortController();
    c.abort();
    expect(toToapisError(c.signal.reason).kind).toBe('aborted');
    expect(toToapisError(new DOMException('t', 'TimeoutError')).kind).toBe('aborted');
    expect(toToapisError({ name: 'AbortError' }).kind).toBe('aborted');
  });

  it('maps a fetch TypeError to network with its message and cause', () => {
    const t = new TypeError('fetch failed');
    const e = toToapisError(t);
    expect(e.kind).toBe('network');
    expect(e.message).toBe('fetch failed');
    expect(e.cause).toBe(t);
    expect(e.retryable).toBe(true);
  });

  it('uses the fallback kind and a default message for non-errors', () => {
    expect(toToapisError('nope', 'protocol').kind).toBe('protocol');
    expect(toToapisError('nope').message).toBe('The request failed.');
    expect(toToapisError(new Error('')).message).toBe('The request failed.');
    expect(toToapisError(undefined).kind).toBe('network');
    expect(toToapisError(42).cause).toBe(42);
  });
});

describe('isAbortError', () => {
  it('recognises AbortError and TimeoutError by name only', () => {
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new DOMException('x', 'TimeoutError'))).toBe(true);
    expect(isAbortError(new TypeError('x'))).toBe(false);
    expect(isAbortError(null)).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
    expect(isAbortError({})).toBe(false);
  });
});

describe('errorHint', () => {
  it('an "invalid apitype" answer (code or message, any spelling) points at the endpoint or base URL', () => {
    expect(errorHint({ kind: 'invalid_request', message: 'invalid apitype' }, false)).toBe('wrong_endpoint');
    expect(errorHint({ kind: 'not_found', code: 'invalid_api_type' }, false)).toBe('wrong_endpoint');
    expect(errorHint({ kind: 'task_failed', message: 'Error: Invalid ApiType for channel' }, true)).toBe('wrong_endpoint');
  });

  it('a task the service created and then failed gets the billing hint; one refused before it existed does not', () => {
    expect(errorHint({ kind: 'task_failed', code: 'generation_failed', message: 'upstream provider rejected' }, true)).toBe('billed_failure');
    expect(errorHint({ kind: 'timeout', message: 'did not finish' }, true)).toBe('billed_failure');
    expect(errorHint({ kind: 'content_policy', message: 'refused' }, false)).toBeUndefined();
    expect(errorHint({ kind: 'authentication', message: 'bad key' }, true)).toBeUndefined();
    expect(errorHint(undefined, true)).toBeUndefined();
  });
});
