/** `forwardRequestHeaders`: named headers reach the upstream; credentials never do. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../server/simulator';
import { createToapisProxy } from '../../../server/proxy';

describe('forwardRequestHeaders', () => {
  it('forwards x-simulator-fault (so the playground can inject faults) and never authorization or cookie', async () => {
    const simulator = createSimulator({ seed: 2 });
    const seen: Headers[] = [];
    const proxy = createToapisProxy({
      apiKey: 'sk-test-forward-0123456789',
      upstream: 'http://127.0.0.1:8787/__sim',
      fetch: (r) => {
        seen.push(r.headers);
        return simulator.fetch(r);
      },
      authenticate: () => ({ id: 'v' }),
      forwardRequestHeaders: ['x-simulator-fault', 'Authorization', 'cookie'],
      log: () => {},
    });
    try {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], { type: 'image/png' }), 'a.png');
      const res = await proxy.fetch(
        new Request('http://127.0.0.1:8787/v1/uploads/images', {
          method: 'POST',
          body: form,
          headers: { 'x-simulator-fault': 'upload_rejected', authorization: 'Bearer from-browser', cookie: 'a=b' },
        }),
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { success: boolean }).success).toBe(false);
      expect(seen[0]!.get('x-simulator-fault')).toBe('upload_rejected');
      expect(seen[0]!.get('authorization')).toBe('Bearer sk-test-forward-0123456789');
      expect(seen[0]!.get('cookie')).toBeNull();
    } finally {
      await proxy.close();
    }
  });
});
