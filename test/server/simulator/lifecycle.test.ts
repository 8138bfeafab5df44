/** Task timelines, idempotent business ids and seeded determinism. */
import { createSimulator } from '../../../server/simulator';
import { BASE, T0, clocked, submit, poll, upload, json, submitOk, PNG_BYTES, decodePng } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Task lifecycle
 * -----------------------------------------------------------------------------------------------*/

describe('task lifecycle', () => {
  it('goes queued → in_progress (moving progress) → completed with n image URLs, on the system clock', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    const sim = createSimulator({ seed: 1 });
    const submitted = await submitOk(sim, { size: '16:9', n: 3 });
    expect(submitted).toEqual({
      id: expect.stringMatching(/^task_img_[0-9A-Za-z]{10}$/),
      object: 'generation.task',
      model: 'gemini-3.1-flash-image-preview',
      status: 'queued',
      progress: 0,
      created_at: Math.floor(T0 / 1000),
      metadata: {},
    });
    const id = submitted.id as string;

    vi.advanceTimersByTime(599);
    expect(await json(await poll(sim, id))).toMatchObject({ status: 'queued', progress: 0 });

    const seen: number[] = [];
    for (let elapsed = 600; elapsed < 3000; elapsed += 300) {
      vi.setSystemTime(T0 + elapsed);
      const body = await json(await poll(sim, id));
      expect(body.status).toBe('in_progress');
      seen.push(body.progress as number);
    }
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(87);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    for (const p of seen) expect(p).toBeGreaterThanOrEqual(1);
    for (const p of seen) expect(p).toBeLessThanOrEqual(99);

    vi.setSystemTime(T0 + 3000);
    const done = await json(await poll(sim, id));
    const completedAt = Math.floor((T0 + 3000) / 1000);
    expect(done).toMatchObject({ status: 'completed', progress: 100, completed_at: completedAt, expires_at: completedAt + 86400 });
    expect(done).not.toHaveProperty('url');
    expect(done).not.toHaveProperty('error');
    const result = done.result as { type: string; data: Array<{ url: string }> };
    expect(result.type).toBe('image');
    expect(result.data).toHaveLength(3);

    const images: Uint8Array[] = [];
    for (const [i, item] of result.data.entries()) {
      expect(item.url).toBe(`${BASE}/sim/images/${id}/${i}.png`);
      const res = await sim.fetch(new Request(item.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const png = new Uint8Array(await res.arrayBuffer());
      const decoded = decodePng(png);
      expect([decoded.width, decoded.height, decoded.colorType]).toEqual([256, 144, 2]);
      images.push(png);
    }
    expect(Buffer.from(images[0] ?? []).equals(Buffer.from(images[1] ?? []))).toBe(false);
    expect((await sim.fetch(new Request(`${BASE}/sim/images/${id}/3.png`))).status).toBe(404);
    expect(sim.stats).toEqual({ submits: 1, polls: 10, uploads: 0, tasksCreated: 1 });
  });

  it('hands out images only once completed, and not after they expire', async () => {
    const { sim, advance } = clocked();
    const { id } = await submitOk(sim);
    const url = `${BASE}/sim/images/${id as string}/0.png`;
    expect((await sim.fetch(new Request(url))).status).toBe(404);
    advance(3000);
    expect((await sim.fetch(new Request(url))).status).toBe(200);
    advance(86_401_000);
    expect((await sim.fetch(new Request(url))).status).toBe(404);
  });

  it.each([
    ['1:1', 256, 256],
    ['21:9', 256, 110],
    ['1:8', 32, 256],
    ['9:16', 144, 256],
    ['auto', 256, 256],
    ['1536x1024', 256, 171],
  ])('renders size %s as a %ix%i PNG, under a mount prefix', async (size, width, height) => {
    const { sim, advance } = clocked({ queuedMs: 0, generatingMs: 10 });
    const base = `${BASE}/api`;
    const res = await submit(sim, { model: 'm', prompt: 'sunset', size }, {}, base);
    const { id } = await json(res);
    advance(10);
    const done = await json(await poll(sim, id as string, {}, base));
    const url = (done.result as { data: Array<{ url: string }> }).data[0]?.url ?? '';
    expect(url).toBe(`${base}/sim/images/${id as string}/0.png`);
    const decoded = decodePng(new Uint8Array(await (await sim.fetch(new Request(url))).arrayBuffer()));
    expect([decoded.width, decoded.height]).toEqual([width, height]);
  });

  it('reports the configured waiting word and stretches nothing by default', async () => {
    const { sim, advance } = clocked({ statusWord: 'submitted', queuedMs: 100, generatingMs: 100 });
    const { id } = await submitOk(sim);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'submitted' });
    advance(150);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'in_progress', progress: 50 });
    advance(50);
    expect(await json(await poll(sim, id as string))).toMatchObject({ status: 'completed' });
  });

  it('lists tasks with their current status and forgets everything on reset()', async () => {
    const { sim, advance } = clocked();
    await submitOk(sim, { prompt: 'one', client_business_id: 'order-1' });
    advance(1000);
    await submitOk(sim, { prompt: 'two' });
    expect(sim.tasks()).toEqual([
      { id: expect.any(String), clientBusinessId: 'order-1', prompt: 'one', status: 'in_progress' },
      { id: expect.any(String), prompt: 'two', status: 'queued' },
    ]);
    sim.reset();
    expect(sim.tasks()).toEqual([]);
    expect(sim.stats).toEqual({ submits: 0, polls: 0, uploads: 0, tasksCreated: 0 });
    expect((await poll(sim, 'order-1')).status).toBe(404);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Idempotency, lost submits, determinism
 * -----------------------------------------------------------------------------------------------*/

describe('client_business_id', () => {
  it('returns the existing task for a repeated client_business_id and finds it by that id', async () => {
    const { sim, advance } = clocked();
    const first = await submitOk(sim, { client_business_id: 'order 2026/77' });
    expect(first.client_business_id).toBe('order 2026/77');
    advance(1000);
    const second = await submitOk(sim, { client_business_id: 'order 2026/77', prompt: 'something else' });
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('in_progress');
    expect(sim.stats).toMatchObject({ submits: 2, tasksCreated: 1 });

    const byBusinessId = await json(await poll(sim, 'order 2026/77'));
    expect(byBusinessId).toMatchObject({ id: first.id, client_business_id: 'order 2026/77' });
    const viaMetadata = await submitOk(sim, { metadata: { client_business_id: 'meta-1' } });
    expect(viaMetadata.client_business_id).toBe('meta-1');
  });

  it('lost_submit: the task exists although the submit failed; lookup and re-submit recover it', async () => {
    const { sim } = clocked();
    const lost = await submit(
      sim,
      { model: 'm', prompt: 'harbour', client_business_id: 'order-lost' },
      { 'x-simulator-fault': 'lost_submit' },
    );
    expect(lost.type).toBe('error');
    expect(sim.stats.tasksCreated).toBe(1);

    const found = await json(await poll(sim, 'order-lost'));
    expect(found).toMatchObject({ id: expect.stringMatching(/^task_img_/), status: 'queued', client_business_id: 'order-lost' });

    const again = await submit(
      sim,
      { model: 'm', prompt: 'harbour', client_business_id: 'order-lost' },
      { 'x-simulator-fault': 'lost_submit' },
    );
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(found.id);
    expect(sim.stats).toMatchObject({ submits: 2, tasksCreated: 1 });
  });
});

describe('determinism', () => {
  async function run(seed: number): Promise<{ ids: unknown[]; image: Uint8Array }> {
    let t = T0;
    const sim = createSimulator({ seed, now: () => t });
    const ids: unknown[] = [];
    for (const prompt of ['a', 'b', 'c']) ids.push((await submitOk(sim, { prompt })).id);
    ids.push(((await json(await upload(sim, PNG_BYTES))).data as { id: string }).id);
    t += 3000;
    const image = new Uint8Array(await (await sim.fetch(new Request(`${BASE}/sim/images/${ids[0] as string}/0.png`))).arrayBuffer());
    return { ids, image };
  }

  it('gives the same ids and image bytes for the same seed, and different ones for another', async () => {
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(b.ids).toEqual(a.ids);
    expect(Buffer.from(b.image).equals(Buffer.from(a.image))).toBe(true);
    expect(c.ids).not.toEqual(a.ids);
    expect(Buffer.from(c.image).equals(Buffer.from(a.image))).toBe(false);
  });

  it('replays the same ids after reset()', async () => {
    const sim = createSimulator({ seed: 9 });
    const first = (await submitOk(sim)).id;
    sim.reset();
    expect((await submitOk(sim)).id).toBe(first);
  });
});
