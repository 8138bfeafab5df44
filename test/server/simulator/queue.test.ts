/** The kind profile's queue position (several tasks of one model waiting); the strict profile sends none. */
import { clocked, json, poll, submitOk } from './harness';

describe('queue_position', () => {
  it('kind: each waiting task reports its place while several tasks of its model wait', async () => {
    const { sim, advance } = clocked({ queuedMs: 10_000, generatingMs: 5_000 });
    const first = await submitOk(sim);
    // Alone in the queue: no position.
    expect(first).not.toHaveProperty('queue_position');
    advance(1000);
    const second = await submitOk(sim);
    advance(1000);
    const third = await submitOk(sim);
    const other = await submitOk(sim, { model: 'gpt-image-1' });
    expect(second.queue_position).toBe(2);
    expect(third.queue_position).toBe(3);
    expect(await json(await poll(sim, first.id as string))).toMatchObject({ status: 'queued', queue_position: 1 });
    // Another model has a queue of its own (alone in it here).
    expect(other).not.toHaveProperty('queue_position');

    // The first starts generating: the others move up, and the generating one reports no position.
    advance(8_000);
    const running = await json(await poll(sim, first.id as string));
    expect(running.status).toBe('in_progress');
    expect(running).not.toHaveProperty('queue_position');
    expect(await json(await poll(sim, second.id as string))).toMatchObject({ status: 'queued', queue_position: 1 });
    expect(await json(await poll(sim, third.id as string))).toMatchObject({ status: 'queued', queue_position: 2 });
    // The last one waiting is alone again.
    advance(1_000);
    const last = await json(await poll(sim, third.id as string));
    expect(last.status).toBe('queued');
    expect(last).not.toHaveProperty('queue_position');
  });

  it('strict: never sends a position (the service documents none)', async () => {
    const { sim } = clocked({ profile: 'strict', queuedMs: 10_000, generatingMs: 5_000 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await submitOk(sim, {}, { Authorization: 'Bearer sk-test' })).id as string);
    for (const id of ids) {
      const body = await json(await poll(sim, id, { Authorization: 'Bearer sk-test' }));
      expect(body.status).toBe('submitted');
      expect(body).not.toHaveProperty('queue_position');
    }
  });
});
