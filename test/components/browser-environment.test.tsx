/**
 * The browser image bindings (src/browser/environment.ts) with a fake Worker: one worker per page
 * shared by the codec and the thumbnailer, at most two decodes sent at a time (thumbnails first;
 * the worker runs them one by one) and one hash beside them; and a thumbnailer that never hands the
 * tray an object URL of the original file.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Posted {
  id: number;
  op: string;
  file: Blob;
}

class FakeWorker {
  static instances: FakeWorker[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  posted: Posted[] = [];
  answered = new Set<number>();
  constructor() {
    FakeWorker.instances.push(this);
  }
  postMessage(message: Posted) {
    this.posted.push(message);
  }
  terminate() {}
  /** Jobs sent and not answered yet. */
  inFlight() {
    return this.posted.filter((p) => !this.answered.has(p.id));
  }
  answer(job: Posted) {
    this.answered.add(job.id);
    const data = job.op === 'hash' ? { id: job.id, hash: 'ab'.repeat(32) } : { id: job.id, blob: new Blob(['small']) };
    this.onmessage?.({ data } as MessageEvent);
  }
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let objectUrl: ReturnType<typeof vi.fn>;
const hadObjectUrl = Object.getOwnPropertyDescriptor(URL, 'createObjectURL');

beforeEach(() => {
  vi.resetModules(); // the page's shared worker lives in the module
  FakeWorker.instances = [];
  objectUrl = vi.fn((blob: Blob) => `blob:test/${blob.size}`);
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, writable: true, value: objectUrl });
  vi.stubGlobal('OffscreenCanvas', class {});
});

afterEach(() => {
  vi.unstubAllGlobals();
  if (hadObjectUrl) Object.defineProperty(URL, 'createObjectURL', hadObjectUrl);
  else delete (URL as { createObjectURL?: unknown }).createObjectURL;
});

describe('the page image worker', () => {
  it('is one worker for the codec, shared with the thumbnailer, plus a second for thumbnails: two decodes sent at a time per worker (thumbnails first) and one hash beside them', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('createImageBitmap', vi.fn());
    const { createBrowserImageCodec, createBrowserThumbnailer } = await import('../../src/browser/environment');
    const codec = createBrowserImageCodec()!;
    const thumbnail = createBrowserThumbnailer()!;
    const file = (n: string) => new File([n], `${n}.jpg`, { type: 'image/jpeg' });

    const encoded = ['a', 'f', 'g'].map((n) => codec.encode({ file: file(n) }, 10, 10, 'image/jpeg', 0.9));
    const hashed = ['b', 'e'].map((n) => codec.hash!(file(n)));
    const thumbs = ['c', 'd'].map((n) => thumbnail(file(n)));
    await tick();
    // The page's worker (the codec's, shared) and the thumbnails' second one: never more.
    expect(FakeWorker.instances).toHaveLength(2);
    const [shared, second] = FakeWorker.instances as [FakeWorker, FakeWorker];

    for (let i = 0; i < 7; i += 1) {
      for (const worker of [shared, second]) {
        const running = worker.inFlight();
        expect(running.filter((j) => j.op !== 'hash').length).toBeLessThanOrEqual(2);
        expect(running.filter((j) => j.op === 'hash').length).toBeLessThanOrEqual(1);
      }
      const worker = shared.inFlight().length ? shared : second;
      const running = worker.inFlight();
      worker.answer(running.find((j) => j.op !== 'hash') ?? running[0]!);
      await tick();
    }
    expect([...shared.inFlight(), ...second.inFlight()]).toEqual([]);
    const sent = (worker: FakeWorker, lane: (op: string) => boolean) =>
      worker.posted.filter((j) => lane(j.op)).map((j) => `${j.op} ${(j.file as File).name}`);
    // a and f were sent at once; when a slot frees, the thumbnail goes before the waiting re-encode.
    expect(sent(shared, (op) => op !== 'hash')).toEqual(['encode a.jpg', 'encode f.jpg', 'thumbnail d.jpg', 'encode g.jpg']);
    expect(sent(shared, (op) => op === 'hash')).toEqual(['hash b.jpg', 'hash e.jpg']);
    // The other thumbnail decodes at the same time, in the second worker; nothing else goes there.
    expect(sent(second, () => true)).toEqual(['thumbnail c.jpg']);
    await expect(Promise.all(encoded)).resolves.toHaveLength(3);
    await expect(Promise.all(hashed)).resolves.toEqual(['ab'.repeat(32), 'ab'.repeat(32)]);
    await expect(Promise.all(thumbs)).resolves.toEqual(['blob:test/5', 'blob:test/5']);
  });

  it('a file no thread can decode gets no thumbnail, never an object URL of the original', async () => {
    vi.stubGlobal('Worker', undefined);
    vi.stubGlobal('createImageBitmap', vi.fn(() => Promise.reject(new Error('undecodable'))));
    const { createBrowserThumbnailer } = await import('../../src/browser/environment');
    const thumbnail = createBrowserThumbnailer()!;
    const original = new File(['not really a jpeg'], 'broken.jpg', { type: 'image/jpeg' });
    await expect(thumbnail(original)).resolves.toBeUndefined();
    expect(objectUrl).not.toHaveBeenCalled();
  });
});
