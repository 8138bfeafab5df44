/** The proxy accepts model ids as people write them and sends the registry's wire id upstream. */
import { afterEach, describe, expect, it } from 'vitest';
import { closeHarnesses, harness, submit, type Json } from './harness';

afterEach(closeHarnesses);

describe('model ids as people write them', () => {
  it.each(['gemini-3-1-flash-image-preview', 'Gemini 3.1 Flash Image Preview', 'nano-banana-2'])(
    '%s is accepted and goes upstream as gemini-3.1-flash-image-preview',
    async (written) => {
      const h = harness();
      const res = await submit(h.visitor(), { model: written });
      expect(res.status).toBe(200);
      const sent = h.upstream.find((r) => r.method === 'POST');
      expect(((await sent!.clone().json()) as Json).model).toBe('gemini-3.1-flash-image-preview');
    },
  );

  it('a model the registry does not know is refused with a clear 400 and nothing forwarded', async () => {
    const h = harness();
    const res = await submit(h.visitor(), { model: 'gemini-9-ultra' });
    expect(res.status).toBe(400);
    expect(h.upstream.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
