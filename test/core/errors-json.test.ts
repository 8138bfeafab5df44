/** `ToapisError#toJSON` / `ToapisError.fromJSON`: what session storage and other tabs carry. */
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, ToapisError } from '../../src/core/errors';

describe('ToapisError JSON', () => {
  it('round-trips kind, message, status, code and param through JSON text', () => {
    for (const kind of ERROR_KINDS) {
      const error = new ToapisError(kind, `a ${kind} error`, { status: 429, code: 'rate_limit_exceeded', param: 'prompt', retryAfterMs: 3000, cause: new Error('x') });
      const back = ToapisError.fromJSON(JSON.parse(JSON.stringify(error)));
      expect(back).toBeInstanceOf(ToapisError);
      expect(back).toMatchObject({ kind, message: `a ${kind} error`, status: 429, code: 'rate_limit_exceeded', param: 'prompt' });
      expect(back.toJSON()).toEqual(error.toJSON());
    }
  });

  it('writes only the fields worth keeping (no cause, no retry delay), leaving out unset ones', () => {
    const error = new ToapisError('network', 'offline', { retryAfterMs: 5, cause: new Error('socket') });
    expect(error.toJSON()).toEqual({ kind: 'network', message: 'offline' });
  });

  it('reads garbled data without throwing: unknown kind → protocol, wrong types left out, long messages cut', () => {
    for (const junk of [undefined, null, 5, 'text', [], { kind: 'nope', message: 7, status: '500', code: 1, param: {} }]) {
      const error = ToapisError.fromJSON(junk);
      expect(error).toMatchObject({ kind: 'protocol', message: 'Unknown error.', status: undefined, code: undefined, param: undefined });
    }
    expect(ToapisError.fromJSON({ kind: 'quota', message: 'x'.repeat(2000) }).message).toHaveLength(500);
  });
});
