/** Uploads: magic-byte types, refusals, the size limit, eviction and mount prefixes. */
import { createSimulator } from '../../../server/simulator';
import { BASE, upload, json, PNG_BYTES, JPEG_BYTES, GIF_BYTES, WEBP_BYTES, PDF_BYTES } from './harness';

afterEach(() => {
  vi.useRealTimers();
});

/* -------------------------------------------------------------------------------------------------
 * Uploads
 * -----------------------------------------------------------------------------------------------*/

describe('uploads', () => {
  it.each([
    ['PNG', PNG_BYTES, 'image/png', 'png'],
    ['JPEG', JPEG_BYTES, 'image/jpeg', 'jpg'],
    ['GIF', GIF_BYTES, 'image/gif', 'gif'],
    ['WebP', WEBP_BYTES, 'image/webp', 'webp'],
  ])('round-trips a %s by its magic bytes', async (_label, bytes, mimeType, ext) => {
    const sim = createSimulator({ seed: 3 });
    const res = await upload(sim, bytes, {}, 'misleading-name.pdf');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      success: true,
      message: '',
      data: {
        id: expect.stringMatching(/^upload_[0-9a-f]{8}$/),
        url: expect.stringMatching(new RegExp(`^${BASE}/sim/uploads/upload_[0-9a-f]{8}\\.${ext}$`)),
        mime_type: mimeType,
        size: bytes.byteLength,
      },
    });
    const back = await sim.fetch(new Request((body.data as { url: string }).url));
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe(mimeType);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
  });

  it('rejects a PDF, an empty file, a missing field and a non-multipart body', async () => {
    const sim = createSimulator({ seed: 3 });
    const pdf = await upload(sim, PDF_BYTES);
    expect(pdf.status).toBe(400);
    expect(await json(pdf)).toEqual({ success: false, message: 'Unsupported file type; use JPEG, PNG, WebP or GIF.' });

    const empty = await upload(sim, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(await json(empty)).toEqual({ success: false, message: expect.stringMatching(/empty/i) });

    const form = new FormData();
    form.set('purpose', 'generation');
    const missing = await sim.fetch(new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: form }));
    expect(await json(missing)).toMatchObject({ success: false });

    const jsonBody = await sim.fetch(
      new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }),
    );
    expect(jsonBody.status).toBe(400);
    expect(await json(jsonBody)).toMatchObject({ success: false });
    expect(sim.stats.uploads).toBe(4);
  });

  it('rejects a file over 10MB with a 400 (not 413) naming the limit', async () => {
    const sim = createSimulator({ seed: 3 });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PNG_BYTES);
    const res = await upload(sim, big);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.success).toBe(false);
    expect(body.message).toContain('10MB');

    const small = createSimulator({ seed: 3, maxUploadBytes: 2 * 1024 * 1024 });
    const twoMb = new Uint8Array(2 * 1024 * 1024 + 1);
    twoMb.set(PNG_BYTES);
    expect((await json(await upload(small, twoMb))).message).toContain('2MB');
  });

  it('keeps a bounded number of uploads and evicts the oldest', async () => {
    const sim = createSimulator({ seed: 3, maxUploads: 2 });
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = await json(await upload(sim, PNG_BYTES));
      urls.push((body.data as { url: string }).url);
    }
    const statuses = await Promise.all(urls.map(async (url) => (await sim.fetch(new Request(url))).status));
    expect(statuses).toEqual([404, 200, 200]);
  });

  it('builds upload URLs under the mount prefix', async () => {
    const sim = createSimulator({ seed: 3 });
    const form = new FormData();
    form.set('file', new Blob([JPEG_BYTES]), 'a.jpg');
    const res = await sim.fetch(new Request(`${BASE}/api/v1/uploads/images`, { method: 'POST', body: form }));
    const url = ((await json(res)).data as { url: string }).url;
    expect(url).toMatch(new RegExp(`^${BASE}/api/sim/uploads/upload_[0-9a-f]{8}\\.jpg$`));
    expect((await sim.fetch(new Request(url))).status).toBe(200);
  });
});
