/**
 * Bad input, kit side: every kind of invalid choice, hostile file and broken submit reply, through
 * the store against the simulator (MSW at the network edge), on fake timers.
 *
 * Each case checks three things: a clear, specific message that names the problem; nothing already
 * typed or added is lost; and nothing invalid is sent upstream (the simulator's counters).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { buildGenerationRequest } from '../../src/core/models';
import { useSimulatorServer } from '../msw/server';
import { emptyFile, hugePng, pngFile, renamedPdf } from '../fixtures/files';
import { until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 11, queuedMs: 400, generatingMs: 1600 });

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, random: () => 0.5, ...options });
  stores.push(store);
  return store;
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

/** What the user has typed and added so far: must survive every case. */
interface Snapshot {
  prompt: string;
  model: string;
  aspectRatio: string;
  resolution: string | undefined;
  n: number;
  refs: Array<[string, string | undefined]>;
}

function snapshot(store: GeneratorStore): Snapshot {
  const s = store.getState();
  return {
    prompt: s.prompt,
    model: s.model,
    aspectRatio: s.aspectRatio,
    resolution: s.resolution,
    n: s.n,
    refs: s.references.map((r) => [r.id, r.url]),
  };
}

function expectNothingLost(store: GeneratorStore, before: Snapshot) {
  expect(snapshot(store)).toEqual(before);
  expect(store.getState().references.every((r) => r.state === 'ready')).toBe(true);
}

/** A typed prompt and one uploaded reference, the state every case starts from (unless it says). */
async function prefill(store: GeneratorStore, prompt = 'A quiet harbour at dusk') {
  store.getState().setPrompt(prompt);
  await store.getState().addReferences([pngFile('harbour.png', 20, 14, 3)]);
  await until(store, (s) => s.references.length === 1 && s.references[0]!.state === 'ready');
  return snapshot(store);
}

function expectNothingSent(uploadsBefore = sim.simulator.stats.uploads) {
  expect(sim.simulator.stats.submits).toBe(0);
  expect(sim.simulator.stats.tasksCreated).toBe(0);
  expect(sim.simulator.stats.uploads).toBe(uploadsBefore);
}

/** The only message about `field`, after a Generate press. */
function issueFor(store: GeneratorStore, field: string) {
  const issues = store.getState().issues.filter((i) => i.field === field);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

/** A PNG signature followed by an IHDR chunk whose length and size fields are garbage. */
function corruptPng(name = 'broken.png'): File {
  const bytes = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, // signature
    0xff, 0xff, 0xff, 0xff, 0x49, 0x48, 0x44, 0x52, // IHDR with an impossible length
    0, 0, 0, 0, 0, 0, 0, 0, 8, 6, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef,
  ]);
  return new File([bytes], name, { type: 'image/png' });
}

function gifFile(name = 'loop.gif'): File {
  const bytes = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b]);
  return new File([bytes], name, { type: 'image/gif' });
}

/** Records the multipart file name of every upload that reaches the network edge. */
function recordUploadNames(): string[] {
  const names: string[] = [];
  sim.server.use(
    http.post('*/v1/uploads/images', async ({ request }) => {
      const form = await request.clone().formData();
      const file = form.get('file');
      names.push(typeof file === 'string' || file === null ? `<${String(file)}>` : file.name);
      return undefined; // the simulator answers
    }),
  );
  return names;
}

/* -------------------------------------------------------------------------------------------------
 * The form's choices
 * -----------------------------------------------------------------------------------------------*/

describe('bad choices are refused before anything is sent', () => {
  it('an empty prompt', async () => {
    const store = makeStore();
    await store.getState().addReferences([pngFile('kept.png')]);
    await until(store, (s) => s.references[0]?.state === 'ready');
    const before = snapshot(store);
    const uploads = sim.simulator.stats.uploads;
    expect(await store.getState().submit()).toBeUndefined();
    const issue = issueFor(store, 'prompt');
    expect(issue.code).toBe('required');
    expect(issue.message).toMatch(/enter a prompt/i);
    expectNothingSent(uploads);
    expectNothingLost(store, before);
    expect(store.getState().tasks).toEqual([]);
  });

  it('a whitespace-only prompt', async () => {
    const store = makeStore();
    const before = await prefill(store, ' \n\t  \u00a0 ');
    const uploads = sim.simulator.stats.uploads;
    await store.getState().submit();
    expect(issueFor(store, 'prompt')).toMatchObject({ code: 'required', message: expect.stringMatching(/prompt/i) });
    expectNothingSent(uploads);
    expectNothingLost(store, before); // the whitespace itself is kept, not "cleaned"
  });

  it('an over-long prompt for a model with a limit (kept whole, never cut)', async () => {
    const store = makeStore({ model: 'gpt-4o-image' });
    const long = `${'a'.repeat(1000)}!`;
    const before = await prefill(store, long);
    const uploads = sim.simulator.stats.uploads;
    await store.getState().submit();
    const issue = issueFor(store, 'prompt');
    expect(issue).toMatchObject({ code: 'too_long', limit: 1000 });
    expect(issue.message).toContain('1,001 characters');
    expect(issue.message).toContain('at most 1,000');
    expectNothingSent(uploads);
    expectNothingLost(store, before);
    expect(store.getState().prompt).toHaveLength(1001);

    // Counted as a person counts: 1,000 emoji (2,000 UTF-16 units) fit exactly.
    store.getState().setPrompt('🌊'.repeat(1000));
    await store.getState().submit();
    expect(store.getState().issues).toEqual([]);
    expect(sim.simulator.stats.tasksCreated).toBe(1);
  });

  it('an unsupported aspect ratio for the model', async () => {
    const store = makeStore({ model: 'gpt-4o-image' });
    const before0 = await prefill(store);
    store.getState().setAspectRatio('16:9'); // a host or a stale session can set what the picker does not offer
    const before = { ...before0, aspectRatio: '16:9' };
    const uploads = sim.simulator.stats.uploads;
    await store.getState().submit();
    const issue = issueFor(store, 'aspectRatio');
    expect(issue.code).toBe('unsupported');
    expect(issue.message).toContain('16:9');
    expect(issue.message).toContain('gpt-4o-image');
    expectNothingSent(uploads);
    expectNothingLost(store, before);
  });

  it('a reference-only ratio with no reference', async () => {
    const store = makeStore({ model: 'flux-kontext-pro' });
    store.getState().setPrompt('same scene, at night');
    store.getState().setAspectRatio('match_input_image');
    const before = snapshot(store);
    await store.getState().submit();
    expect(issueFor(store, 'aspectRatio').message).toMatch(/match_input_image.*needs at least one reference image/);
    expectNothingSent(0);
    expectNothingLost(store, before);
  });

  it('an unsupported resolution for the model', async () => {
    const store = makeStore();
    const before0 = await prefill(store);
    store.getState().setResolution('8K');
    const before = { ...before0, resolution: '8K' };
    const uploads = sim.simulator.stats.uploads;
    await store.getState().submit();
    const issue = issueFor(store, 'resolution');
    expect(issue.code).toBe('unsupported');
    expect(issue.message).toContain('8K');
    expect(issue.message).toMatch(/choose 0\.5K, 1K, 2K or 4K/);
    expectNothingSent(uploads);
    expectNothingLost(store, before);
  });

  it('a resolution the model allows only with other ratios', async () => {
    const store = makeStore({ model: 'gpt-image-2-official' });
    store.getState().setPrompt('poster');
    store.getState().setAspectRatio('1:1');
    store.getState().setResolution('4K');
    const before = snapshot(store);
    await store.getState().submit();
    const issue = issueFor(store, 'resolution');
    expect(issue.message).toContain('4K only for the');
    expect(issue.message).toContain('16:9');
    expectNothingSent(0);
    expectNothingLost(store, before);
  });

  it('n out of range: the store clamps to what the model allows, and the request builder says why', async () => {
    const store = makeStore({ model: 'gpt-4o-image' }); // n ∈ {1, 2, 4}
    store.getState().setPrompt('three cats');
    for (const [wanted, kept] of [[99, 4], [3, 2], [0, 1], [-5, 1], [Number.NaN, 1], [2.7, 2]] as const) {
      store.getState().setN(wanted);
      expect(store.getState().n, `setN(${wanted})`).toBe(kept);
    }
    store.getState().setN(99);
    await store.getState().submit();
    const t = await until(store, (s) => s.tasks[0]?.phase === 'completed');
    expect(t.tasks[0]!.request.n).toBe(4); // never out of range on the wire
    expect(t.prompt).toBe('three cats');

    const built = buildGenerationRequest({ model: 'gpt-4o-image', prompt: 'x', n: 3 });
    expect(built.ok).toBe(false);
    const issue = !built.ok ? built.issues.find((i) => i.field === 'n') : undefined;
    expect(issue).toMatchObject({ code: 'out_of_range' });
    expect(issue!.message).toContain('1, 2 or 4 images per request');
    expect(buildGenerationRequest({ model: 'gpt-image-2', prompt: 'x', n: 11 })).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ field: 'n', message: expect.stringContaining('1 to 10') })],
    });
  });

  it('garbage settings restored from storage fall back to the model defaults', () => {
    const store = makeStore({ initial: { prompt: 'restored', model: 'gpt-4o-image', aspectRatio: '7:3', resolution: '9K', n: 1e9 } });
    const s = store.getState();
    expect(s.prompt).toBe('restored');
    expect(s.model).toBe('gpt-4o-image');
    expect(s.aspectRatio).toBe('1:1');
    expect(s.resolution).toBeUndefined(); // this model has no resolution setting
    expect(s.n).toBe(4);
  });

  it('more references than a newly chosen model accepts: refused with the number to remove, none dropped', async () => {
    const store = makeStore();
    store.getState().setPrompt('collage');
    await store.getState().addReferences(Array.from({ length: 7 }, (_, i) => pngFile(`m${i}.png`, 10 + i, 9, 40 + i)));
    await until(store, (s) => s.references.length === 7 && s.references.every((r) => r.state === 'ready'));
    store.getState().setModel('gpt-4o-image'); // at most 5
    const before = snapshot(store);
    const uploads = sim.simulator.stats.uploads;
    await store.getState().submit();
    const issue = issueFor(store, 'references');
    expect(issue.code).toBe('too_many');
    expect(issue.message).toContain('at most 5 reference images');
    expect(issue.message).toContain('remove 2');
    expectNothingSent(uploads);
    expectNothingLost(store, before);
  });

  it('a reference that failed to upload blocks Generate with a message naming it', async () => {
    const store = makeStore();
    store.getState().setPrompt('with a bad upload');
    sim.server.use(
      http.post('*/v1/uploads/images', () =>
        HttpResponse.json({ success: false, message: 'The upload was rejected; please try another image.' }, { status: 400 }),
      ),
    );
    await store.getState().addReferences([pngFile('rejected.png')]);
    await until(store, (s) => s.references[0]?.state === 'error');
    expect(store.getState().references[0]!.error?.message).toContain('rejected');
    await store.getState().submit();
    expect(issueFor(store, 'references').message).toBe('"rejected.png" did not upload. Retry or remove it.');
    expect(sim.simulator.stats.submits).toBe(0);
    expect(store.getState().prompt).toBe('with a bad upload');
    expect(store.getState().references).toHaveLength(1); // kept for Retry
  });
});

/* -------------------------------------------------------------------------------------------------
 * Hostile and broken files
 * -----------------------------------------------------------------------------------------------*/

describe('bad files are refused with a notice naming the file; nothing is uploaded', () => {
  async function addAndSettle(store: GeneratorStore, files: File[], notices: number) {
    await store.getState().addReferences(files);
    await until(store, (s) => s.notices.length >= notices && s.references.every((r) => r.state === 'ready' || r.state === 'error'));
  }

  it('a 15th reference', async () => {
    const store = makeStore();
    store.getState().setPrompt('fifteen');
    await addAndSettle(store, Array.from({ length: 14 }, (_, i) => pngFile(`p${i}.png`, 8 + i, 8, 60 + i)), 0);
    const before = snapshot(store);
    const uploads = sim.simulator.stats.uploads;
    await addAndSettle(store, [pngFile('one-too-many.png', 30, 8, 99)], 1);
    expect(store.getState().notices).toEqual([expect.objectContaining({ code: 'too_many', fileName: 'one-too-many.png' })]);
    expect(store.getState().notices[0]!.message).toContain('one-too-many.png');
    expect(store.getState().notices[0]!.message).toContain('at most 14');
    expect(sim.simulator.stats.uploads).toBe(uploads);
    expectNothingLost(store, before);
  });

  it.each([
    { label: 'a renamed PDF', file: () => renamedPdf('invoice.png'), code: 'not_image', says: [/"invoice\.png" is not an image/, /PDF/] },
    { label: 'a zero-byte file', file: () => emptyFile('blank.png'), code: 'empty', says: [/"blank\.png" is empty/] },
    { label: 'a 50 MB photo (padded PNG)', file: () => hugePng(50 * 1024 * 1024, 'holiday.png'), code: 'too_large', says: [/"holiday\.png" is 50 MB/, /at most 10 MB/] },
    { label: 'a corrupt PNG (signature, broken IHDR)', file: () => corruptPng('broken.png'), code: 'corrupt', says: [/"broken\.png" is damaged or incomplete/] },
    { label: 'a GIF for a model that refuses GIF', file: () => gifFile('loop.gif'), code: 'unsupported_format', says: [/"loop\.gif" is a GIF image/, /use JPEG, PNG or WebP/] },
    { label: 'a nameless non-image', file: () => renamedPdf(''), code: 'not_image', says: [/^The file is not an image/] },
  ])('$label', async ({ file, code, says }) => {
    const store = makeStore();
    const before = await prefill(store);
    const uploads = sim.simulator.stats.uploads;
    await addAndSettle(store, [file()], 1);
    const notices = store.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]!.code).toBe(code);
    for (const pattern of says) expect(notices[0]!.message).toMatch(pattern);
    expect(sim.simulator.stats.uploads).toBe(uploads);
    expectNothingLost(store, before);
    // The form still works after the refusal: Generate sends the kept reference.
    await store.getState().submit();
    expect(store.getState().tasks[0]!.request.image_urls).toEqual([before.refs[0]![1]]);
  });

  it('a file whose name holds markup: kept as inert text, never sent as a file name', async () => {
    const names = recordUploadNames();
    const store = makeStore();
    const before = await prefill(store);
    const hostile = '<img src=x onerror=alert(1)>"; rm -rf ..\\..\\x <script>alert(2)</script>.png';
    await store.getState().addReferences([pngFile(hostile, 17, 17, 8), emptyFile(`<b>${hostile}`)]);
    await until(store, (s) => s.references.length === 2 && s.references[1]!.state === 'ready' && s.notices.length === 1);
    const added = store.getState().references[1]!;
    expect(added.name).toBe(hostile); // the data is the user's; the UI renders it as text
    expect(store.getState().notices[0]!.message).toContain('<b><img src=x onerror=alert(1)>');
    expect(store.getState().notices[0]!.message).toMatch(/is empty\.$/);
    expect(names).toHaveLength(2);
    for (const sent of names) expect(sent).toMatch(/^[\w.-]+\.png$/); // no <, >, quotes, slashes or spaces on the wire
    expect(snapshot(store).prompt).toBe(before.prompt);
  });

  it('a file with no name: a nameless Blob and a File named "" upload under a safe name', async () => {
    const names = recordUploadNames();
    const store = makeStore();
    const before = await prefill(store);
    const blob = new Blob([pngFile('x.png', 12, 9, 21)], { type: 'image/png' });
    const nameless = new File([pngFile('y.png', 13, 9, 22)], '', { type: 'image/png' });
    await store.getState().addReferences([blob as File, nameless]);
    await until(store, (s) => s.references.length === 3 && s.references.every((r) => r.state === 'ready'));
    const refs = store.getState().references;
    expect(refs[1]!.name).toBe('image');
    expect(refs[2]!.name).toBe('image'); // never an empty name ("Remove " would be a useless button)
    expect(names.slice(-2)).toEqual(['image.png', 'image.png']);
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().prompt).toBe(before.prompt);
    expect(refs[0]!.id).toBe(before.refs[0]![0]);
  });
});

/* -------------------------------------------------------------------------------------------------
 * A backend that answers the submit with garbage
 * -----------------------------------------------------------------------------------------------*/

describe('a broken submit reply fails the task with a specific message; nothing typed is lost', () => {
  function countSubmits(respond: () => Response): { count: number } {
    const seen = { count: 0 };
    sim.server.use(
      http.post('*/v1/images/generations', () => {
        seen.count += 1;
        return respond();
      }),
    );
    return seen;
  }

  /**
   * An unreadable 2xx reply to a submit may hide a task that was created (and charged): the kit
   * looks it up by its business id before sending again, always with the SAME id, and gives up
   * after its bounded attempts with a specific message.
   */
  async function expectLookedUpThenFailed(respond: () => Response, message: RegExp) {
    const store = makeStore();
    const before = await prefill(store);
    const seen = countSubmits(respond);
    const bodies: string[] = [];
    sim.server.use(
      http.get('*/v1/images/generations/:id', ({ params }) => {
        bodies.push(String(params.id));
        return undefined; // fall through to the simulator (which has no such task: 404)
      }),
    );
    const submitting = store.getState().submit();
    const done = await until(store, (s) => s.tasks[0]?.phase === 'failed', { maxMs: 120_000, stepMs: 250 });
    await submitting;
    const task = done.tasks[0]!;
    expect(task.error?.kind).toBe('protocol');
    expect(task.error?.message).toMatch(message);
    expect(seen.count).toBeGreaterThanOrEqual(2);
    expect(seen.count).toBeLessThanOrEqual(4); // bounded
    expect(bodies.length).toBe(seen.count - 1); // a lookup before every re-send
    expect(new Set(bodies)).toEqual(new Set([task.clientBusinessId])); // always the same business id
    expect(store.getState().submitState).toBe('idle');
    expectNothingLost(store, before);
    return task;
  }

  it('a garbled reply (200 with an HTML page)', async () => {
    await expectLookedUpThenFailed(
      () => new HttpResponse('<html><body><h1>Bad gateway</h1></body></html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
      /not JSON/,
    );
  });

  it('a 200 reply without a task id', async () => {
    await expectLookedUpThenFailed(() => HttpResponse.json({ object: 'generation.task', status: 'queued', progress: 0 }), /without an id/);
  });

  it('a 200 reply that says completed with only unsafe image URLs', async () => {
    const task = await expectLookedUpThenFailed(
      () => HttpResponse.json({ id: 'task_x', status: 'completed', progress: 100, result: { data: [{ url: 'javascript:alert(1)' }, { url: 'data:text/html,<script>alert(1)</script>' }] } }),
      /no usable image URL/,
    );
    expect(task.images).toEqual([]);
  });

  it('a 429 storm (always 429 with Retry-After): bounded attempts, then rate_limit with a message', async () => {
    const store = makeStore();
    const before = await prefill(store);
    const seen = countSubmits(() =>
      HttpResponse.json(
        { error: { code: 'rate_limit_exceeded', message: 'Too many task submissions; slow down' } },
        { status: 429, headers: { 'Retry-After': '3' } },
      ),
    );
    const started = Date.now();
    const submitting = store.getState().submit();
    const waiting = await until(store, (s) => s.tasks[0]?.retry !== undefined);
    expect(waiting.tasks[0]!.retry!.error.kind).toBe('rate_limit');
    expect(waiting.tasks[0]!.retry!.delayMs).toBeGreaterThanOrEqual(3000); // Retry-After honoured
    const done = await until(store, (s) => s.tasks[0]?.phase === 'failed', { maxMs: 120_000, stepMs: 250 });
    await submitting;
    const task = done.tasks[0]!;
    expect(task.error?.kind).toBe('rate_limit');
    expect(task.error?.message).toMatch(/slow down/i);
    expect(task.retry).toBeUndefined(); // no "retrying in…" left on a failed task
    expect(seen.count).toBe(4); // the client's bounded attempts, no more
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 3000);
    expect(sim.simulator.stats.submits).toBe(0);
    expect(sim.simulator.stats.tasksCreated).toBe(0);
    expect(store.getState().submitState).toBe('idle');
    expectNothingLost(store, before);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen.count).toBe(4); // and nothing later either
  });

  it('a 400 with a bare-string error body keeps the server’s words', async () => {
    const store = makeStore();
    const before = await prefill(store);
    countSubmits(() => HttpResponse.json({ error: 'prompt contains unsupported characters' }, { status: 400 }));
    await store.getState().submit();
    const task = store.getState().tasks[0]!;
    expect(task.error?.kind).toBe('invalid_request');
    expect(task.error?.message).toContain('prompt contains unsupported characters');
    expectNothingLost(store, before);
  });
});
