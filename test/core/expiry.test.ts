/** When result URLs stop working: `expires_at`, else `completed_at` + 24 h. */
import { RESULT_TTL_MS, epochMs, isExpired, resultExpiresAt } from '../../src/core/expiry';
import { parseTask } from '../../src/core/protocol';

describe('resultExpiresAt', () => {
  it('reads expires_at (seconds) as epoch milliseconds', () => {
    const snap = parseTask({ id: 't', status: 'completed', completed_at: 1767001151, expires_at: 1767087551, result: { data: [{ url: 'https://f/x.png' }] } });
    expect(resultExpiresAt(snap)).toBe(1767087551_000);
  });

  it('falls back to completed_at + 24 h, and to nothing', () => {
    expect(resultExpiresAt({ completedAt: 1767001151 })).toBe(1767001151_000 + RESULT_TTL_MS);
    expect(resultExpiresAt({})).toBeUndefined();
    expect(resultExpiresAt({ expiresAt: 0 })).toBeUndefined();
  });

  it('takes a value that is clearly milliseconds as it is', () => {
    expect(epochMs(1767087551)).toBe(1767087551_000);
    expect(epochMs(1767087551_000)).toBe(1767087551_000);
  });
});

describe('isExpired', () => {
  it('is true from the expiry on, never for an unknown expiry', () => {
    expect(isExpired(1000, 999)).toBe(false);
    expect(isExpired(1000, 1000)).toBe(true);
    expect(isExpired(undefined, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
