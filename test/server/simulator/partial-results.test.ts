/**
 * Several images per task (issue 14): the kind profile hands a task's images out one by one while it
 * runs (image k of n once progress passed k/n, the last on completion), so the kit's placeholders
 * can be seen filling in; the strict profile, like the real service, only at the end.
 */
import { BASE, clocked, json, poll, submitOk } from './harness';

async function images(sim: ReturnType<typeof clocked>['sim'], id: string): Promise<{ status: unknown; urls: string[] }> {
  const body = await json(await poll(sim, id, { Authorization: 'Bearer sk-test' }));
  const data = (body.result as { data?: Array<{ url: string }> } | undefined)?.data ?? [];
  return { status: body.status, urls: data.map((d) => d.url) };
}

describe('results of a task of several images', () => {
  it('kind profile: one by one while generating, each image fetchable once handed out', async () => {
    const { sim, advance } = clocked({ queuedMs: 1000, generatingMs: 4000 });
    const id = (await submitOk(sim, { n: 4 })).id as string;
    expect(await images(sim, id)).toEqual({ status: 'queued', urls: [] });
    advance(1000 + 500); // 12 %
    expect((await images(sim, id)).urls).toEqual([]);
    const early = `${BASE}/sim/images/${id}/0.png`;
    expect((await sim.fetch(new Request(early))).status).toBe(404);
    advance(600); // 27 %: the first of four
    expect(await images(sim, id)).toEqual({ status: 'in_progress', urls: [early] });
    expect((await sim.fetch(new Request(early))).status).toBe(200);
    expect((await sim.fetch(new Request(`${BASE}/sim/images/${id}/1.png`))).status).toBe(404);
    advance(2000); // 77 %: three of four, never the last before completion
    expect((await images(sim, id)).urls).toHaveLength(3);
    advance(850); // 98 %
    expect((await images(sim, id)).urls).toHaveLength(3);
    advance(50);
    const done = await images(sim, id);
    expect(done.status).toBe('completed');
    expect(done.urls).toHaveLength(4);
  });

  it('kind profile: a single image still arrives only at the end', async () => {
    const { sim, advance } = clocked({ queuedMs: 0, generatingMs: 1000 });
    const id = (await submitOk(sim, { n: 1 })).id as string;
    advance(990);
    expect(await images(sim, id)).toEqual({ status: 'in_progress', urls: [] });
  });

  it('strict profile: all at once at the end, like the service', async () => {
    const { sim, advance } = clocked({ profile: 'strict', queuedMs: 1000, generatingMs: 4000 });
    const id = (await submitOk(sim, { model: 'gpt-image-2', prompt: 'x', size: '1:1', n: 4 }, { Authorization: 'Bearer sk-test' })).id as string;
    advance(4900);
    expect(await images(sim, id)).toEqual({ status: 'in_progress', urls: [] });
    advance(100);
    expect((await images(sim, id)).urls).toHaveLength(4);
  });
});
