/** Inpainting masks (issue 15): the PNG alpha decoder, tinted results where the mask is transparent, strict refusals. */
import { deflateSync } from 'node:zlib';
import { encodeRgbaPng, renderPlaceholder } from '../../../server/simulator';
import { decodePngAlpha, repaintArea } from '../../../server/simulator/mask';
import { BASE, clocked, crc32, decodePng, json, JPEG_BYTES, submit, upload, type Json } from './harness';

/** An RGBA mask: transparent (alpha 0) where `repaint(x, y)`, opaque black elsewhere. */
function maskPng(width: number, height: number, repaint: (x: number, y: number) => boolean): Uint8Array<ArrayBuffer> {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba[(y * width + x) * 4 + 3] = repaint(x, y) ? 0 : 255;
  return encodeRgbaPng(width, height, rgba);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A PNG with the given colour type whose rows use PNG filter `filters[y % filters.length]` (a real encoder's choices). */
function filteredPng(width: number, height: number, colourType: number, channels: number, pixels: Uint8Array, filters: number[], depth = 8): Uint8Array {
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length]!;
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const v = pixels[y * stride + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      raw[y * (stride + 1) + 1 + i] = (v - predictor) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = depth;
  header[9] = colourType;
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]),
  );
}

async function uploadUrl(sim: ReturnType<typeof clocked>['sim'], bytes: Uint8Array<ArrayBuffer>, name: string): Promise<string> {
  const res = await upload(sim, bytes, { Authorization: 'Bearer sk-test' }, name);
  expect(res.status).toBe(200);
  return ((await json(res)).data as { url: string }).url;
}

/** Tinted: close to the mask tint (magenta), which no placeholder gradient comes near. */
const tinted = (px: Buffer, i: number) => px[i]! >= 191 && px[i + 1]! <= 64 && px[i + 2]! >= 150;

/** Share of tinted pixels in the columns `from`..`to` (fractions of the width) of the first result. */
async function tintedShare(sim: ReturnType<typeof clocked>['sim'], body: Json, from: number, to: number): Promise<number> {
  const url = ((body.result as { data: Array<{ url: string }> }).data[0]!).url;
  const { width, height, pixels } = decodePng(new Uint8Array(await (await sim.fetch(new Request(url))).arrayBuffer()));
  let hits = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = Math.floor(from * width); x < Math.floor(to * width); x++) {
      count++;
      if (tinted(pixels, y * (1 + width * 3) + 1 + x * 3)) hits++;
    }
  }
  return hits / count;
}

describe('mask PNG decoding', () => {
  it('reads the alpha of an 8-bit RGBA PNG', async () => {
    const decoded = await decodePngAlpha(maskPng(5, 3, (x, y) => x === y));
    expect(decoded).toMatchObject({ width: 5, height: 3 });
    expect(Array.from(decoded!.alpha)).toEqual([0, 255, 255, 255, 255, 255, 0, 255, 255, 255, 255, 255, 0, 255, 255]);
  });

  it('reads gray+alpha and RGBA PNGs whatever the row filters (None, Sub, Up, Average, Paeth)', async () => {
    const w = 7;
    const h = 10;
    const alpha = Array.from({ length: w * h }, (_, i) => (i * 37 + (i >> 3) * 11) % 256);
    const ga = new Uint8Array(w * h * 2);
    const rgba = new Uint8Array(w * h * 4);
    alpha.forEach((a, i) => {
      ga.set([(i * 13) % 256, a], i * 2);
      rgba.set([(i * 5) % 256, (i * 7) % 256, (i * 3) % 256, a], i * 4);
    });
    const gray = await decodePngAlpha(filteredPng(w, h, 4, 2, ga, [0, 1, 2, 3, 4]));
    expect(Array.from(gray!.alpha)).toEqual(alpha);
    const colour = await decodePngAlpha(filteredPng(w, h, 6, 4, rgba, [4, 3, 2, 1, 0]));
    expect(Array.from(colour!.alpha)).toEqual(alpha);
  });

  it('treats anything else as no mask without throwing: RGB, 16-bit, truncated, garbage, an unknown filter', async () => {
    const rgb = renderPlaceholder(4, 4, 1);
    expect(await decodePngAlpha(rgb)).toBeUndefined();
    expect(await decodePngAlpha(filteredPng(2, 2, 6, 8, new Uint8Array(32), [0], 16))).toBeUndefined();
    const good = maskPng(8, 8, () => true);
    expect(await decodePngAlpha(good.subarray(0, good.length - 30))).toBeUndefined();
    expect(await decodePngAlpha(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(await decodePngAlpha(JPEG_BYTES)).toBeUndefined();
    expect(await decodePngAlpha(filteredPng(2, 2, 6, 4, new Uint8Array(16), [7]))).toBeUndefined();
  });

  it('scales the transparent area to the output size', () => {
    const area = repaintArea({ width: 2, height: 1, alpha: Uint8Array.from([0, 255]) }, 4, 2);
    expect(Array.from(area)).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });
});

describe('masked requests', () => {
  it('tints the results where the mask is transparent (left half), not elsewhere', async () => {
    const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 100 });
    const ref = await uploadUrl(sim, renderPlaceholder(64, 64, 9), 'ref.png');
    const mask = await uploadUrl(sim, maskPng(64, 64, (x) => x < 32), 'mask.png');
    const res = await submit(sim, { model: 'gpt-image-2', prompt: 'a boat', size: '1:1', image_urls: [ref], mask_url: mask });
    expect(res.status).toBe(200);
    const id = (await json(res)).id as string;
    advance(1_000);
    const done = await json(await sim.fetch(new Request(`${BASE}/v1/images/generations/${id}`)));
    expect(done.status).toBe('completed');
    expect(await tintedShare(sim, done, 0, 0.45)).toBe(1);
    expect(await tintedShare(sim, done, 0.55, 1)).toBe(0);
  });

  it('ignores a mask for a model that takes none, and one that is not its own upload', async () => {
    const { sim, advance } = clocked({ queuedMs: 100, generatingMs: 100 });
    const mask = await uploadUrl(sim, maskPng(16, 16, () => true), 'mask.png');
    const a = await json(await submit(sim, { model: 'gemini-3.1-flash-image-preview', prompt: 'a boat', size: '1:1', mask_url: mask }));
    const b = await json(await submit(sim, { model: 'gpt-image-2', prompt: 'a boat', size: '1:1', mask_url: 'https://files.example/mask.png' }));
    advance(1_000);
    for (const id of [a.id, b.id] as string[]) {
      const done = await json(await sim.fetch(new Request(`${BASE}/v1/images/generations/${id}`)));
      expect(await tintedShare(sim, done, 0, 1)).toBe(0);
    }
  });

  it('strict: refuses a mask of another size than the first reference, and a mask that is not a PNG', async () => {
    const { sim } = clocked({ profile: 'strict' });
    const ref = await uploadUrl(sim, renderPlaceholder(64, 48, 9), 'ref.png');
    const body = { model: 'gpt-image-2', prompt: 'a boat', size: '1:1', image_urls: [ref] };

    const wrong = await submit(sim, { ...body, mask_url: await uploadUrl(sim, maskPng(32, 32, () => true), 'mask.png') });
    expect(wrong.status).toBe(400);
    const error = (await json(wrong)).error as Json;
    expect(error).toMatchObject({ param: 'mask_url', type: 'invalid_request_error', code: 'invalid_request' });
    expect(error.message).toBe('The mask must be the same size as the first reference image (64x48); it is 32x32');

    const jpeg = await submit(sim, { ...body, mask_url: await uploadUrl(sim, JPEG_BYTES, 'mask.jpg') });
    expect(jpeg.status).toBe(400);
    expect(((await json(jpeg)).error as Json).message).toBe('The mask must be a PNG image with an alpha channel');

    const right = await submit(sim, { ...body, mask_url: await uploadUrl(sim, maskPng(64, 48, () => true), 'mask.png') });
    expect(right.status).toBe(200);
    expect(sim.stats.tasksCreated).toBe(1);
  });
});
