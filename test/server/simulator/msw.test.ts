/** The simulator through MSW, driven by plain fetch. */
import { useSimulatorServer } from '../../msw/server';
import { T0, type Json, PNG_BYTES, decodePng } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Through MSW
 * -----------------------------------------------------------------------------------------------*/

describe('through MSW with plain fetch', () => {
  let t = T0;
  const env = useSimulatorServer({ seed: 5, now: () => t, queuedMs: 100, generatingMs: 200 });

  it('uploads, submits, polls to completion and downloads the image', async () => {
    t = T0;
    const health = await fetch(`${env.baseUrl}/v1/simulator/health`);
    expect(await health.json()).toEqual({ ok: true, simulator: true });

    const form = new FormData();
    form.set('file', new Blob([PNG_BYTES], { type: 'image/png' }), 'ref.png');
    const uploaded = (await (await fetch(`${env.baseUrl}/api/v1/uploads/images`, { method: 'POST', body: form })).json()) as Json;
    const refUrl = (uploaded.data as { url: string }).url;
    expect(refUrl.startsWith(`${env.baseUrl}/api/sim/uploads/`)).toBe(true);
    expect(new Uint8Array(await (await fetch(refUrl)).arrayBuffer())).toEqual(PNG_BYTES);

    const res = await fetch(`${env.baseUrl}/api/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-image-2', prompt: 'a fox', size: '2:1', n: 2, image_urls: [refUrl] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { id } = (await res.json()) as Json;
    t += 300;
    const done = (await (await fetch(`${env.baseUrl}/api/v1/images/generations/${id as string}`)).json()) as Json;
    expect(done.status).toBe('completed');
    const urls = (done.result as { data: Array<{ url: string }> }).data.map((d) => d.url);
    expect(urls).toHaveLength(2);
    const png = new Uint8Array(await (await fetch(urls[1] ?? '')).arrayBuffer());
    expect(decodePng(png)).toMatchObject({ width: 256, height: 128 });
    expect(env.simulator.stats).toMatchObject({ submits: 1, polls: 1, uploads: 1, tasksCreated: 1 });
  });

  it('surfaces Response.error() as a rejected fetch (TypeError)', async () => {
    t = T0;
    const submitLost = fetch(`${env.baseUrl}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-simulator-fault': 'lost_submit' },
      body: JSON.stringify({ model: 'm', prompt: 'a fox', client_business_id: 'msw-lost' }),
    });
    await expect(submitLost).rejects.toBeInstanceOf(TypeError);
    const found = (await (await fetch(`${env.baseUrl}/v1/images/generations/msw-lost`)).json()) as Json;
    expect(found.client_business_id).toBe('msw-lost');

    const { id } = (await (
      await fetch(`${env.baseUrl}/v1/images/generations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'm', prompt: 'a fox [sim:drop_poll]' }),
      })
    ).json()) as Json;
    await expect(fetch(`${env.baseUrl}/v1/images/generations/${id as string}`)).rejects.toBeInstanceOf(TypeError);
    expect((await fetch(`${env.baseUrl}/v1/images/generations/${id as string}`)).status).toBe(200);
  });

  it('starts each test from a fresh simulator', () => {
    expect(env.simulator.stats.submits).toBe(0);
    expect(env.simulator.tasks()).toEqual([]);
  });
});
