/** The simulator tests' shared helpers: a clocked simulator, request shorthands, file fixtures and a PNG decoder. */
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../server/simulator';

export const BASE = 'http://127.0.0.1:4010';
export const T0 = Date.UTC(2026, 7, 20, 12, 0, 0);

export type Json = Record<string, unknown>;

export interface Clocked {
  sim: Simulator;
  advance(ms: number): void;
}

export function clocked(options: SimulatorOptions = {}): Clocked {
  let t = T0;
  const sim = createSimulator({ seed: 7, now: () => t, ...options });
  return { sim, advance: (ms) => void (t += ms) };
}

export function submit(sim: Simulator, body: unknown, headers: Record<string, string> = {}, base = BASE): Promise<Response> {
  return sim.fetch(
    new Request(`${base}/v1/images/generations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-test', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export function poll(sim: Simulator, id: string, headers: Record<string, string> = {}, base = BASE): Promise<Response> {
  return sim.fetch(new Request(`${base}/v1/images/generations/${encodeURIComponent(id)}`, { headers }));
}

export function upload(sim: Simulator, bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}, name = 'ref.bin'): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([bytes]), name);
  form.set('purpose', 'generation');
  return sim.fetch(new Request(`${BASE}/v1/uploads/images`, { method: 'POST', body: form, headers }));
}

export async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

export async function submitOk(sim: Simulator, body: Json = {}, headers: Record<string, string> = {}): Promise<Json> {
  const res = await submit(sim, { model: 'gemini-3.1-flash-image-preview', prompt: 'a lighthouse', size: '1:1', ...body }, headers);
  expect(res.status).toBe(200);
  return json(res);
}

export function bytesOf(...parts: Array<number[] | string>): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

export const PNG_BYTES = bytesOf([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR');
export const JPEG_BYTES = bytesOf([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF');
export const GIF_BYTES = bytesOf('GIF89a', [1, 0, 1, 0]);
export const WEBP_BYTES = bytesOf('RIFF', [26, 0, 0, 0], 'WEBPVP8 ');
export const PDF_BYTES = bytesOf('%PDF-1.7\n%âãÏÓ\n');

let crcTable: Uint32Array | undefined;
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = (crcTable[(crc ^ b) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Walks the chunks, checks every CRC, inflates IDAT and returns the IHDR fields. */
export function decodePng(bytes: Uint8Array): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length)).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    types.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      colorType = bytes[offset + 17] ?? -1;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const pixels = inflateSync(Buffer.concat(idat)); // also verifies the adler32
  expect(pixels.length).toBe(height * (1 + width * 3));
  return { width, height, colorType, pixels };
}
