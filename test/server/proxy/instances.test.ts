/**
 * Serverless and multi-instance deployments: two proxy instances sharing `sessionSecret` (and no
 * memory) serve one visitor — a task submitted through A is readable and streamable through B,
 * and still invisible to another visitor.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../server/simulator';
import { createToapisProxy } from '../../../server/proxy';

const ORIGIN = 'http://127.0.0.1:8787';

describe('proxy instances without shared memory', () => {
  it('a task submitted on instance A is read and streamed on instance B by the same visitor only', async () => {
    const simulator = createSimulator({ seed: 4, queuedMs: 0, generatingMs: 0 });
    const make = () =>
      createToapisProxy({ apiKey: 'sk-test-instances-0123', upstream: `${ORIGIN}/__sim`, fetch: (r) => simulator.fetch(r), sessionSecret: 'shared-secret-for-tests', log: () => {} });
    const a = make();
    const b = make();
    try {
      const submit = await a.fetch(
        new Request(`${ORIGIN}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'two instances', size: '1:1', n: 1 }),
        }),
      );
      expect(submit.status).toBe(200);
      const cookie = submit.headers.get('set-cookie')!.split(';')[0]!;
      const { id } = (await submit.json()) as { id: string };

      const read = await b.fetch(new Request(`${ORIGIN}/v1/images/generations/${id}`, { headers: { cookie } }));
      expect(read.status).toBe(200);
      expect(((await read.json()) as { status: string }).status).toBe('completed');

      const events = await b.fetch(new Request(`${ORIGIN}/v1/images/generations/${id}/events`, { headers: { cookie } }));
      expect(events.status).toBe(200);
      expect(await events.text()).toContain('"status":"completed"');

      const stranger = await b.fetch(new Request(`${ORIGIN}/v1/images/generations/${id}`));
      expect(stranger.status).toBe(404);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
