import fc from 'fast-check';
import { ToapisError } from '../../src/core/errors';
import { MODELS, resolveModel, type ModelCapabilities } from '../../src/core/models';
import {
  UPLOAD_MAX_BYTES,
  describeReferenceProblem,
  downscaleToFit,
  formatBytes,
  hashReference,
  inspectReference,
  limitsForModel,
  planAdditions,
  sniffImageType,
  type ImageCodec,
  type ReferenceInput,
  type ReferenceLimits,
} from '../../src/core/references';
import { jpegOrientation } from '../../src/core/util/image-size';
import { en } from '../../src/labels/en';
import { formatMessage } from '../../src/labels/format';

const MB = 1024 * 1024;
const LIMITS: ReferenceLimits = { maxCount: 14, maxBytes: 10 * MB, formats: ['image/jpeg', 'image/png', 'image/webp'] };

/* -------------------------------------------------------------------------------------------------
 * Byte builders: real headers, built by hand
 * -----------------------------------------------------------------------------------------------*/

function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((p) =>
    typeof p === 'string' ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : p instanceof Uint8Array ? p : Uint8Array.from(p),
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le24 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array | number[]): Uint8Array {
  const body = bytes(type, data instanceof Uint8Array ? data : Uint8Array.from(data));
  return bytes(be32(body.length - 4), body, be32(crc32(body)));
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(width: number, height: number): Uint8Array {
  return bytes(PNG_SIG, pngChunk('IHDR', [...be32(width), ...be32(height), 8, 2, 0, 0, 0]), pngChunk('IDAT', [0x78, 0x9c, 0x03, 0, 0, 0, 0, 1]), pngChunk('IEND', []));
}

/** The classic 1×1 PNG as browsers and tools write it. */
const PNG_1X1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

function segment(marker: number, payload: number[] | Uint8Array): Uint8Array {
  const data = payload instanceof Uint8Array ? payload : Uint8Array.from(payload);
  return bytes([0xff, marker, ...be16(data.length + 2)], data);
}

const JFIF = segment(0xe0, [...'JFIF\0'].map((c) => c.charCodeAt(0)).concat([1, 1, 0, 0, 1, 0, 1, 0, 0]));
const DQT = segment(0xdb, [0, ...new Array<number>(64).fill(1)]);

function jpeg(width: number, height: number, sofMarker = 0xc0, extra: Uint8Array[] = []): Uint8Array {
  return bytes(
    [0xff, 0xd8],
    JFIF,
    ...extra,
    DQT,
    segment(sofMarker, [8, ...be16(height), ...be16(width), 1, 1, 0x11, 0]),
    segment(0xc4, [0, ...new Array<number>(16).fill(0)]),
    segment(0xda, [1, 1, 0, 0, 0x3f, 0]),
    [0x12, 0x34, 0xff, 0xd9],
  );
}

function gif(width: number, height: number, version = 'GIF89a'): Uint8Array {
  return bytes(version, le16(width), le16(height), [0, 0, 0], [0x3b]);
}

function riff(chunk: string, payload: number[]): Uint8Array {
  const body = bytes('WEBP', chunk, le32(payload.length), payload);
  return bytes('RIFF', le32(body.length), body);
}

function webpLossy(width: number, height: number): Uint8Array {
  return riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0, 0, 0]);
}

function webpLossless(width: number, height: number): Uint8Array {
  const w = width - 1;
  const h = height - 1;
  const bits = w | (h << 14); // 14 + 14 bits, then alpha and version bits (0)
  return riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0]);
}

function webpExtended(width: number, height: number): Uint8Array {
  return riff('VP8X', [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1), 0, 0]);
}

function file(content: Uint8Array, name = 'image.bin', type = ''): File {
  return new File([new Uint8Array(content)], name, { type });
}

async function inspect(content: Uint8Array, name = 'image.bin', limits = LIMITS) {
  return inspectReference(file(content, name), limits);
}

/* -------------------------------------------------------------------------------------------------
 * sniffImageType
 * -----------------------------------------------------------------------------------------------*/

describe('sniffImageType', () => {
  it('recognises the four formats by magic bytes', () => {
    expect(sniffImageType(PNG_1X1)).toBe('image/png');
    expect(sniffImageType(png(3, 2))).toBe('image/png');
    expect(sniffImageType(jpeg(3, 2))).toBe('image/jpeg');
    expect(sniffImageType(gif(1, 1))).toBe('image/gif');
    expect(sniffImageType(gif(1, 1, 'GIF87a'))).toBe('image/gif');
    expect(sniffImageType(webpLossy(4, 4))).toBe('image/webp');
  });

  it('returns null for everything else', () => {
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
    expect(sniffImageType(bytes('%PDF-1.7\n'))).toBeNull();
    expect(sniffImageType(bytes([0xff, 0xd8]))).toBeNull(); // too short for JPEG
    expect(sniffImageType(bytes(PNG_SIG.slice(0, 7)))).toBeNull();
    expect(sniffImageType(bytes('GIF88a'))).toBeNull();
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull(); // a WAV file
    expect(sniffImageType(bytes('hello world'))).toBeNull();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const t = sniffImageType(b);
        expect([null, 'image/jpeg', 'image/png', 'image/gif', 'image/webp']).toContain(t);
      }),
    );
  });
});

/* -------------------------------------------------------------------------------------------------
 * inspectReference
 * -----------------------------------------------------------------------------------------------*/

describe('inspectReference', () => {
  it('accepts images and reads their dimensions from the header', async () => {
    expect(await inspect(PNG_1X1, 'dot.png')).toEqual({ ok: true, mimeType: 'image/png', width: 1, height: 1, needsDownscale: false });
    expect(await inspect(png(640, 480))).toMatchObject({ ok: true, mimeType: 'image/png', width: 640, height: 480 });
    expect(await inspect(jpeg(1920, 1080))).toMatchObject({ ok: true, mimeType: 'image/jpeg', width: 1920, height: 1080 });
    expect(await inspect(jpeg(300, 4000, 0xc2))).toMatchObject({ ok: true, mimeType: 'image/jpeg', width: 300, height: 4000 });
    expect(await inspect(webpLossy(1024, 768))).toMatchObject({ ok: true, mimeType: 'image/webp', width: 1024, height: 768 });
    expect(await inspect(webpLossless(16383, 1))).toMatchObject({ ok: true, mimeType: 'image/webp', width: 16383, height: 1 });
    expect(await inspect(webpLossless(517, 311))).toMatchObject({ ok: true, width: 517, height: 311 });
    expect(await inspect(webpExtended(5000, 3000))).toMatchObject({ ok: true, mimeType: 'image/webp', width: 5000, height: 3000 });
  });

  it('reads GIF when the limits allow it, and refuses it otherwise', async () => {
    const withGif: ReferenceLimits = { ...LIMITS, formats: [...LIMITS.formats, 'image/gif'] };
    expect(await inspect(gif(320, 200), 'anim.gif', withGif)).toMatchObject({ ok: true, mimeType: 'image/gif', width: 320, height: 200 });
    expect(await inspect(gif(320, 200), 'anim.gif')).toEqual({
      ok: false,
      problem: { code: 'unsupported_format', params: { name: 'anim.gif', formats: 'JPEG, PNG, WebP', format: 'GIF' }, message: expect.any(String) },
    });
    const seedream = limitsForModel(MODELS['doubao-seedream-4-0'] as ModelCapabilities);
    expect(await inspect(webpLossy(8, 8), 'x.webp', seedream)).toMatchObject({
      ok: false,
      problem: { code: 'unsupported_format', params: { name: 'x.webp', formats: 'JPEG, PNG', format: 'WebP' } },
    });
  });

  it('says what a non-image looks like', async () => {
    expect(await inspect(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'report.png')).toEqual({
      ok: false,
      problem: { code: 'not_image', params: { name: 'report.png', kind: 'pdf' }, message: expect.any(String) },
    });
    expect(await inspect(bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), 'a.jpg')).toMatchObject({
      ok: false,
      problem: { code: 'not_image', params: { kind: 'archive' } },
    });
    expect(await inspect(bytes('Dear team,\nplease find attached…\n'), 'notes.png')).toMatchObject({
      ok: false,
      problem: { code: 'not_image', params: { name: 'notes.png', kind: 'text' } },
    });
    expect(await inspect(bytes('<!DOCTYPE html><html></html>'), 'page.png')).toMatchObject({
      problem: { code: 'not_image', params: { kind: 'web_page' } },
    });
    expect(await inspect(bytes([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0]), 'clip.png')).toMatchObject({
      problem: { code: 'not_image', params: { kind: 'video' } },
    });
    expect(await inspect(bytes([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x7f, 0x80]), 'noise.png')).toEqual({
      ok: false,
      problem: { code: 'not_image', params: { name: 'noise.png' }, message: expect.any(String) },
    });
  });

  it('names images the kit cannot send as unsupported formats', async () => {
    const cases: [Uint8Array, string][] = [
      [bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]), 'HEIC'],
      [bytes([0, 0, 0, 0x18], 'ftypavif', [0, 0, 0, 0]), 'AVIF'],
      [bytes('II*\0', [8, 0, 0, 0]), 'TIFF'],
      [bytes('BM', [0x46, 0, 0, 0], [0, 0, 0, 0], [0x36, 0, 0, 0]), 'BMP'],
      [bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'SVG'],
      [bytes('  <svg viewBox="0 0 1 1"/>'), 'SVG'],
    ];
    for (const [content, what] of cases) {
      const result = await inspect(content, `pic.${what.toLowerCase()}`);
      expect(result).toMatchObject({ ok: false, problem: { code: 'unsupported_format' } });
      if (!result.ok) expect(result.problem.message).toMatch(new RegExp(`is an? ${what} image; use JPEG, PNG or WebP\\.$`));
    }
  });

  it('reports an empty file', async () => {
    expect(await inspect(new Uint8Array(0), 'blank.png')).toEqual({ ok: false, problem: { code: 'empty', params: { name: 'blank.png' }, message: expect.any(String) } });
    // A size that lies (claims bytes, has none) is empty too.
    const liar: ReferenceInput = { name: 'x.png', size: 10, type: '', slice: () => new Blob([]), arrayBuffer: async () => new ArrayBuffer(0) };
    expect(await inspectReference(liar, LIMITS)).toMatchObject({ ok: false, problem: { code: 'empty' } });
  });

  it('finds corrupt headers', async () => {
    const badIhdr = png(10, 10);
    badIhdr.set(bytes('IHDX'), 12);
    const zeroWidth = png(0, 10);
    const truncatedPng = png(10, 10).subarray(0, 20);
    const truncatedJpeg = jpeg(100, 100).subarray(0, 30); // ends inside DQT, before SOF
    const scanFirst = bytes([0xff, 0xd8], JFIF, segment(0xda, [1, 1, 0, 0, 0x3f, 0]), [0xff, 0xd9]);
    const noMarker = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], new Array<number>(14).fill(0), [0x00, 0x00]);
    const zeroLength = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
    const zeroSof = jpeg(0, 100);
    const shortSof = bytes([0xff, 0xd8], segment(0xc0, [8, 0, 1, 0, 1]));
    const badVp8 = webpLossy(10, 10);
    badVp8[23] = 0;
    const badVp8l = webpLossless(10, 10);
    badVp8l[20] = 0;
    const unknownChunk = riff('ALPH', new Array<number>(20).fill(1));
    const shortWebp = bytes('RIFF', le32(8), 'WEBPVP8 ');
    const shortVp8l = bytes('RIFF', le32(12), 'WEBPVP8L', [1, 0, 0, 0]);
    const shortVp8x = webpExtended(10, 10).subarray(0, 28);
    const shortGif = bytes('GIF89a', [1]);
    const zeroGif = gif(0, 0);
    for (const [label, content] of Object.entries({
      badIhdr, zeroWidth, truncatedPng, truncatedJpeg, scanFirst, noMarker, zeroLength, zeroSof, shortSof, badVp8, badVp8l, unknownChunk, shortWebp, shortVp8l, shortVp8x, shortGif, zeroGif,
    })) {
      const result = await inspect(content, `${label}.img`, { ...LIMITS, formats: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] });
      expect(result, label).toEqual({
        ok: false,
        problem: { code: 'corrupt', params: { name: `${label}.img` }, message: expect.any(String) },
      });
    }
  });

  it('skips JPEG fill bytes and standalone markers', async () => {
    const content = bytes([0xff, 0xd8, 0xff, 0xff, 0xff, 0x01], JFIF, segment(0xc1, [8, ...be16(7), ...be16(9), 1, 1, 0x11, 0]));
    expect(await inspect(content)).toMatchObject({ ok: true, width: 9, height: 7 });
  });

  it('reads only the first 64 KiB, and accepts a JPEG whose frame header lies beyond it', async () => {
    const app = (n: number) => segment(0xe1, new Uint8Array(n));
    const big = jpeg(800, 600, 0xc0, [app(40_000), app(40_000)]);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const f = file(big, 'big.jpg');
    const slice = vi.spyOn(f, 'slice');
    const arrayBuffer = vi.spyOn(f, 'arrayBuffer');
    expect(await inspectReference(f, LIMITS)).toEqual({ ok: true, mimeType: 'image/jpeg', needsDownscale: false });
    expect(slice).toHaveBeenCalledWith(0, 64 * 1024);
    expect(arrayBuffer).not.toHaveBeenCalled();
    // The same header inside 64 KiB is still read.
    expect(await inspect(jpeg(800, 600, 0xc0, [app(30_000)]))).toMatchObject({ ok: true, width: 800, height: 600 });
    // Cut inside the APP segment in a short file: corrupt.
    expect(await inspect(big.subarray(0, 20_000))).toMatchObject({ ok: false, problem: { code: 'corrupt' } });
  });

  it('flags files over the size limit for downscaling instead of refusing them', async () => {
    const small: ReferenceLimits = { ...LIMITS, maxBytes: 50 };
    const content = png(2000, 1000);
    expect(content.length).toBeGreaterThan(50);
    expect(await inspect(content, 'a.png', small)).toMatchObject({ ok: true, needsDownscale: true, width: 2000 });
    expect(await inspect(content, 'a.png', { ...small, maxBytes: content.length })).toMatchObject({ ok: true, needsDownscale: false });
  });

  it('names the file as plain, single-line, bounded text', async () => {
    const result = await inspect(bytes('%PDF-1.4'), '<img src=x onerror=alert(1)>\n\u202eevil.png');
    expect(result).toMatchObject({
      ok: false,
      problem: { message: '"<img src=x onerror=alert(1)> evil.png" is not an image (it looks like a PDF).' },
    });
    const long = await inspect(new Uint8Array(0), `${'a'.repeat(300)}.png`);
    if (long.ok) throw new Error('expected a problem');
    expect(long.problem.message).toBe(`"${'a'.repeat(79)}…" is empty.`);
    const unnamed = await inspect(new Uint8Array(0), '\u0000\u0007 ');
    expect(unnamed).toMatchObject({ problem: { message: 'The file is empty.' } });
  });

  it('resolves with a problem when reading fails', async () => {
    const broken: ReferenceInput = {
      name: 'gone.png',
      size: 100,
      type: 'image/png',
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }) as unknown as Blob,
      arrayBuffer: () => Promise.reject(new Error('NotReadableError')),
    };
    expect(await inspectReference(broken, LIMITS)).toEqual({ ok: false, problem: { code: 'corrupt', params: { name: 'gone.png' }, message: expect.any(String) } });
    const hostile = {
      get name(): string {
        throw new Error('boom');
      },
      size: 10,
      type: '',
      slice: () => new Blob([bytes('%PDF')]),
      arrayBuffer: async () => new ArrayBuffer(0),
    } satisfies ReferenceInput;
    expect(await inspectReference(hostile, LIMITS)).toMatchObject({ ok: false, problem: { code: 'corrupt' } });
  });

  it('never rejects, whatever the bytes (property)', async () => {
    const prefixes = [[], [0xff, 0xd8, 0xff], PNG_SIG, [...'GIF89a'].map((c) => c.charCodeAt(0)), [...bytes('RIFF', [0, 0, 0, 0], 'WEBP')]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 96 }), async (prefix, tail) => {
        const content = bytes(prefix, tail);
        const result = await inspect(content, 'fuzz.png', { ...LIMITS, formats: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] });
        if (result.ok) {
          expect(sniffImageType(content)).toBe(result.mimeType);
          if (result.width !== undefined) expect(result.width).toBeGreaterThan(0);
        } else {
          expect(result.problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/* -------------------------------------------------------------------------------------------------
 * Limits and counting
 * -----------------------------------------------------------------------------------------------*/

describe('limitsForModel', () => {
  it('caps the count by tray and model, and bytes by the upload limit', () => {
    const def = resolveModel('gemini-3.1-flash-image-preview');
    expect(limitsForModel(def)).toEqual({ maxCount: 14, maxBytes: 10 * MB, formats: ['image/jpeg', 'image/png', 'image/webp'] });
    expect(limitsForModel(def, 3).maxCount).toBe(3);
    expect(limitsForModel(def, 20).maxCount).toBe(14);
    expect(limitsForModel(MODELS['gpt-4o-image'] as ModelCapabilities).maxCount).toBe(5);
    expect(limitsForModel(MODELS['grok-imagine-1.0'] as ModelCapabilities).maxCount).toBe(0);
    const gpt2 = limitsForModel(MODELS['gpt-image-2'] as ModelCapabilities);
    expect(gpt2).toEqual({ maxCount: 14, maxBytes: UPLOAD_MAX_BYTES, formats: ['image/jpeg', 'image/png'] });
    expect(limitsForModel(MODELS['gpt-image-2'] as ModelCapabilities, 16).maxCount).toBe(16);
  });
});

describe('planAdditions', () => {
  it('accepts what fits and rejects the rest', () => {
    expect(planAdditions(0, 3, 14)).toEqual({ accept: 3, reject: 0 });
    expect(planAdditions(12, 5, 14)).toEqual({ accept: 2, reject: 3 });
    expect(planAdditions(14, 2, 14)).toEqual({ accept: 0, reject: 2 });
    expect(planAdditions(20, 2, 14)).toEqual({ accept: 0, reject: 2 }); // model switched to a smaller limit
    expect(planAdditions(0, 0, 14)).toEqual({ accept: 0, reject: 0 });
    expect(planAdditions(0, 3, 0)).toEqual({ accept: 0, reject: 3 });
    expect(planAdditions(Number.NaN, 2, 1)).toEqual({ accept: 1, reject: 1 });
  });

  it('always accounts for every incoming file (property)', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), (existing, incoming, max) => {
        const { accept, reject } = planAdditions(existing, incoming, max);
        expect(accept + reject).toBe(incoming);
        expect(accept).toBeGreaterThanOrEqual(0);
        expect(existing + accept <= max || accept === 0).toBe(true);
      }),
    );
  });
});

describe('describeReferenceProblem', () => {
  it('words the caller-side problems with their limits', () => {
    expect(describeReferenceProblem('too_large', { name: 'huge.png', size: 23.5 * MB }, LIMITS)).toEqual({
      code: 'too_large',
      message: expect.any(String),
      params: { name: 'huge.png', size: 23.5 * MB, max: 10 * MB },
      limit: 10 * MB,
    });
    expect(describeReferenceProblem('too_large', { name: 'huge.png' }, LIMITS).params).toEqual({ name: 'huge.png', max: 10 * MB });
    expect(describeReferenceProblem('too_many', { name: 'b.png' }, LIMITS)).toEqual({
      code: 'too_many',
      message: expect.any(String),
      params: { name: 'b.png', max: 14 },
      limit: 14,
    });
    expect(describeReferenceProblem('duplicate', { name: 'a.png' }, LIMITS).params).toEqual({ name: 'a.png' });
    expect(describeReferenceProblem('unsupported_format', { name: 'a' }, { ...LIMITS, formats: ['image/png'] }).params).toEqual({
      name: 'a',
      formats: 'PNG',
    });
    expect(describeReferenceProblem('not_image', { name: '' }, LIMITS).params).toEqual({ name: '' });
  });

  it('gives the English pack what it needs to say what core says (names quoted, sizes, formats, look-alikes)', async () => {
    const problems = [
      describeReferenceProblem('too_large', { name: 'huge.png', size: 23.5 * MB }, LIMITS),
      describeReferenceProblem('too_large', { name: 'huge.png' }, LIMITS),
      describeReferenceProblem('unsupported_format', { name: 'a' }, { ...LIMITS, formats: ['image/png'] }),
      describeReferenceProblem('not_image', { name: '' }, LIMITS),
      describeReferenceProblem('corrupt', { name: 'c.png' }, LIMITS),
      describeReferenceProblem('empty', { name: 'e.png' }, LIMITS),
    ];
    for (const [content, name] of [
      [bytes('%PDF-1.7'), 'report.png'],
      [bytes('Dear team,\nplease\n'), 'notes.png'],
      [bytes([0, 0, 0, 0x18], 'ftypavif', [0, 0, 0, 0]), 'pic.png'],
      [gif(3, 3), 'anim.gif'],
    ] as const) {
      const result = await inspect(content, name);
      if (result.ok) throw new Error('expected a problem');
      problems.push(result.problem);
    }
    for (const problem of problems) {
      expect(formatMessage(en, { ...problem, field: 'reference' }), problem.code).toBe(problem.message);
    }
  });
});

/* -------------------------------------------------------------------------------------------------
 * Hashing
 * -----------------------------------------------------------------------------------------------*/

describe('hashReference', () => {
  it('is SHA-256 hex', async () => {
    expect(await hashReference(bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is equal for equal content, whatever the name or wrapper, and differs otherwise', async () => {
    const a = png(10, 10);
    const b = png(10, 11);
    const h1 = await hashReference(file(a, 'one.png'));
    const h2 = await hashReference(file(a.slice(), 'copy of one.png', 'image/png'));
    const h3 = await hashReference(a);
    const h4 = await hashReference(file(b, 'one.png'));
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).toBe(h1);
    expect(h3).toBe(h1);
    expect(h4).not.toBe(h1);
  });

  it('hashes a view of a larger buffer by its own bytes only', async () => {
    const backing = bytes('xxabcxx');
    expect(await hashReference(backing.subarray(2, 5))).toBe(await hashReference(bytes('abc')));
  });
});

/* -------------------------------------------------------------------------------------------------
 * Downscaling
 * -----------------------------------------------------------------------------------------------*/

interface EncodeCall {
  width: number;
  height: number;
  type: string;
  quality: number;
}

/** Encoded size ≈ width × height × quality × bytesPerPixel, like a real encoder, roughly. */
function fakeCodec(width: number, height: number, bytesPerPixel = 0.5) {
  const calls: EncodeCall[] = [];
  const released: unknown[] = [];
  const source = { id: 'bitmap' };
  const codec: ImageCodec = {
    decode: vi.fn(async () => ({ width, height, source })),
    encode: async (_source, w, h, type, quality) => {
      calls.push({ width: w, height: h, type, quality });
      return new Blob([new Uint8Array(Math.round(w * h * quality * bytesPerPixel))], { type });
    },
    release: (s) => released.push(s),
  };
  return { codec, calls, released, source };
}

const bigFile = (size: number) => new Blob([new Uint8Array(size)], { type: 'image/png' });

describe('downscaleToFit', () => {
  it('returns a file that already fits untouched', async () => {
    const { codec, calls } = fakeCodec(100, 100);
    const f = bigFile(1000);
    expect(await downscaleToFit(f, 1000, codec)).toBe(f);
    expect(codec.decode).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('converges under the limit within 8 encodes, shrinking side and quality', async () => {
    const { codec, calls, released, source } = fakeCodec(8000, 6000);
    const limit = 2 * MB;
    const out = await downscaleToFit(bigFile(limit + 1), limit, codec);
    expect(out.size).toBeLessThanOrEqual(limit);
    expect(out.type).toBe('image/jpeg');
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(calls[0]).toMatchObject({ width: 4096, height: 3072 });
    for (let i = 1; i < calls.length; i += 1) {
      const prev = calls[i - 1] as EncodeCall;
      const cur = calls[i] as EncodeCall;
      expect(cur.width).toBeLessThanOrEqual(Math.ceil(prev.width * 0.75));
      expect(cur.quality).toBeLessThanOrEqual(prev.quality);
      expect(cur.width / cur.height).toBeCloseTo(8000 / 6000, 1);
    }
    expect(released).toEqual([source]);
  });

  it('honours maxSide and type and never upscales', async () => {
    const { codec, calls } = fakeCodec(1000, 2000, 4);
    const out = await downscaleToFit(bigFile(10 * MB), 6 * MB, codec, { maxSide: 1500, type: 'image/webp' });
    expect(calls[0]).toMatchObject({ width: 750, height: 1500, type: 'image/webp' });
    expect(out.type).toBe('image/webp');

    const small = fakeCodec(800, 600, 1);
    await downscaleToFit(bigFile(10 * MB), 1 * MB, small.codec);
    expect(small.calls[0]).toMatchObject({ width: 800, height: 600 });
  });

  it('fails clearly, after at most 8 attempts, when the image cannot fit', async () => {
    const calls: number[] = [];
    const released = vi.fn();
    const stubborn: ImageCodec = {
      decode: async () => ({ width: 4000, height: 4000, source: 'src' }),
      encode: async (_s, w) => {
        calls.push(w);
        return new Blob([new Uint8Array(2048)]);
      },
      release: released,
    };
    const error = await downscaleToFit(bigFile(5000), 1024, stubborn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToapisError);
    expect((error as ToapisError).kind).toBe('invalid_request');
    expect((error as ToapisError).message).toBe('The image could not be made smaller than 1 KB.');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(released).toHaveBeenCalledWith('src');
  });

  it('turns decode and encode failures into invalid_request errors', async () => {
    const cannotDecode: ImageCodec = {
      decode: () => Promise.reject(new Error('InvalidStateError')),
      encode: () => Promise.reject(new Error('unreachable')),
    };
    await expect(downscaleToFit(bigFile(100), 10, cannotDecode)).rejects.toMatchObject({ name: 'ToapisError', kind: 'invalid_request' });

    const released = vi.fn();
    const cannotEncode: ImageCodec = {
      decode: async () => ({ width: 10, height: 10, source: 's' }),
      encode: () => Promise.reject(new Error('EncodingError')),
      release: released,
    };
    const error = await downscaleToFit(bigFile(100), 10, cannotEncode).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('re-encoded') });
    expect((error as ToapisError).cause).toBeInstanceOf(Error);
    expect(released).toHaveBeenCalledOnce();

    const empty: ImageCodec = { decode: async () => ({ width: 0, height: 0, source: null }), encode: () => Promise.reject(new Error('x')) };
    await expect(downscaleToFit(bigFile(100), 10, empty)).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('rejects a non-positive limit', async () => {
    const { codec } = fakeCodec(10, 10);
    await expect(downscaleToFit(bigFile(100), 0, codec)).rejects.toBeInstanceOf(ToapisError);
    await expect(downscaleToFit(bigFile(100), Number.NaN, codec)).rejects.toBeInstanceOf(ToapisError);
  });
});

/* -------------------------------------------------------------------------------------------------
 * formatBytes
 * -----------------------------------------------------------------------------------------------*/

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [512, '512 bytes'],
    [1024, '1 KB'],
    [734 * 1024, '734 KB'],
    [734112, '717 KB'],
    [1024 * 1024 - 1, '1 MB'],
    [10 * MB, '10 MB'],
    [12.5 * MB, '12.5 MB'],
    [50 * MB, '50 MB'],
    [3 * 1024 * MB, '3 GB'],
    [-5, '0 bytes'],
    [Number.POSITIVE_INFINITY, '0 bytes'],
  ])('formats %d as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('jpegOrientation', () => {
  /** An APP1 Exif segment whose IFD0 holds an Orientation (0x0112) SHORT, in either byte order. */
  function exif(orientation: number, little: boolean, before: Array<[number, number]> = []): Uint8Array {
    const u16 = (v: number) => (little ? le16(v) : be16(v));
    const u32 = (v: number) => (little ? le32(v) : be32(v));
    const entries = [...before, [0x0112, orientation] as [number, number]];
    const ifd = [...u16(entries.length), ...entries.flatMap(([tag, value]) => [...u16(tag), ...u16(3), ...u32(1), ...u16(value), 0, 0]), ...u32(0)];
    const tiff = [...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8), ...ifd];
    return segment(0xe1, bytes('Exif', [0, 0], tiff));
  }

  it('reads the orientation in both byte orders, after other tags and segments', () => {
    expect(jpegOrientation(jpeg(40, 30, 0xc0, [exif(6, true)]))).toBe(6);
    expect(jpegOrientation(jpeg(40, 30, 0xc0, [exif(8, false, [[0x010f, 1]])]))).toBe(8);
    expect(jpegOrientation(jpeg(40, 30, 0xc2, [segment(0xe2, [1, 2, 3]), exif(3, false)]))).toBe(3);
  });

  it('is 1 without Exif, with an out-of-range value, or when the bytes end inside the segment', () => {
    expect(jpegOrientation(jpeg(40, 30))).toBe(1);
    expect(jpegOrientation(jpeg(40, 30, 0xc0, [exif(9, true)]))).toBe(1);
    const cut = jpeg(40, 30, 0xc0, [exif(6, true)]);
    expect(jpegOrientation(cut.subarray(0, 2 + JFIF.length + 20))).toBe(1);
    expect(jpegOrientation(new Uint8Array([0xff, 0xd8]))).toBe(1);
  });
});
