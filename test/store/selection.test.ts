/**
 * The image selection (issue 14): ticks are kept as they are and read through selectors that leave
 * out what is no longer there (a dismissed or cleared task, an expired result), so nothing has to
 * be cleaned up when tasks go; and the zip's file names are unique.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import {
  selectIsImageSelected,
  selectSelectedImageCount,
  selectSelectedImageFiles,
  selectSelectedImages,
  taskImageFiles,
} from '../../src/store/selectors';
import { newTask } from '../../src/core/task';
import type { GenerationTask } from '../../src/store/types';
import { selectionZipName, taskZipName, uniqueFileNames } from '../../src/core/util/download-name';

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const HOUR = 3_600_000;
let clock = T0;
let stores: GeneratorStore[] = [];

function makeStore(): GeneratorStore {
  const store = createGeneratorStore({ backendUrl: 'http://sim.invalid', connected: false, now: () => clock });
  stores.push(store);
  return store;
}

function task(id: string, fields: Partial<GenerationTask> & { prompt?: string; urls?: string[] } = {}): GenerationTask {
  const { urls = ['https://files.example/a.png', 'https://files.example/b.png'], prompt = 'A lighthouse at dusk', ...rest } = fields;
  const model = 'gemini-3.1-flash-image-preview';
  const base = newTask({ id, taskId: `task_${id}`, phase: 'queued', model, request: { model, prompt }, n: urls.length, at: T0 });
  return {
    ...base,
    phase: 'completed',
    progress: 100,
    images: urls.map((url) => ({ url })),
    completedAt: T0,
    expiresAt: T0 + 24 * HOUR,
    ...rest,
  };
}

afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  clock = T0;
});

describe('image selection', () => {
  it('starts empty; toggling ticks and unticks, in the order ticked', () => {
    const store = makeStore();
    store.setState({ tasks: [task('a'), task('b')] });
    expect(store.getState().selectedImages).toEqual([]);
    const { toggleImageSelection } = store.getState();
    toggleImageSelection('b', 2);
    toggleImageSelection('a', 1);
    expect(store.getState().selectedImages).toEqual([
      { task: 'b', index: 2 },
      { task: 'a', index: 1 },
    ]);
    expect(selectIsImageSelected('a', 1)(store.getState())).toBe(true);
    expect(selectIsImageSelected('a', 2)(store.getState())).toBe(false);
    toggleImageSelection('b', 2);
    expect(store.getState().selectedImages).toEqual([{ task: 'a', index: 1 }]);
    expect(selectSelectedImageCount(store.getState())).toBe(1);
  });

  it('ignores images that do not exist or have expired', () => {
    const store = makeStore();
    store.setState({ tasks: [task('a'), task('old', { expiresAt: T0 - 1 }), task('bad', { urls: ['javascript:alert(1)'] })] });
    const { toggleImageSelection } = store.getState();
    toggleImageSelection('nope', 1);
    toggleImageSelection('a', 0);
    toggleImageSelection('a', 3);
    toggleImageSelection('a', 1.5);
    toggleImageSelection('old', 1);
    toggleImageSelection('bad', 1);
    expect(store.getState().selectedImages).toEqual([]);
  });

  it('clearImageSelection unticks everything (and leaves an empty selection as it is)', () => {
    const store = makeStore();
    store.setState({ tasks: [task('a')] });
    store.getState().toggleImageSelection('a', 1);
    store.getState().toggleImageSelection('a', 2);
    store.getState().clearImageSelection();
    const empty = store.getState().selectedImages;
    expect(empty).toEqual([]);
    store.getState().clearImageSelection();
    expect(store.getState().selectedImages).toBe(empty);
  });

  it('derives, not syncs: a dismissed or cleared task and an expired result drop out of the selection', () => {
    const store = makeStore();
    store.setState({ tasks: [task('a'), task('b'), task('c', { expiresAt: T0 + HOUR })] });
    const { toggleImageSelection } = store.getState();
    toggleImageSelection('a', 1);
    toggleImageSelection('b', 2);
    toggleImageSelection('c', 1);
    const all = store.getState().selectedImages;
    // Nothing left out: the very same array (a stable reference for components).
    expect(selectSelectedImages(store.getState(), T0)).toBe(all);

    store.setState({ tasks: store.getState().tasks.filter((t) => t.id !== 'b') }); // dismissed / cleared
    expect(selectSelectedImages(store.getState(), T0)).toEqual([
      { task: 'a', index: 1 },
      { task: 'c', index: 1 },
    ]);
    expect(selectSelectedImages(store.getState(), T0 + HOUR)).toEqual([{ task: 'a', index: 1 }]); // c expired
    expect(selectSelectedImageFiles(store.getState(), T0 + HOUR)).toEqual([
      { task: 'a', index: 1, url: 'https://files.example/a.png', prompt: 'A lighthouse at dusk', taskId: 'task_a' },
    ]);
    // The ticks themselves are untouched: nothing had to be cleaned up.
    expect(store.getState().selectedImages).toBe(all);
  });

  it('lists a task’s images as files, none once expired', () => {
    const t = task('a');
    expect(taskImageFiles(t, T0).map((f) => [f.index, f.url])).toEqual([
      [1, 'https://files.example/a.png'],
      [2, 'https://files.example/b.png'],
    ]);
    expect(taskImageFiles(t, T0 + 24 * HOUR)).toEqual([]);
  });
});

describe('zip file names', () => {
  it('names a selection’s files from prompt, task and index, never twice', () => {
    const store = makeStore();
    store.setState({
      tasks: [
        task('a', { taskId: 'task_01', prompt: 'A lighthouse at dusk' }),
        // the same prompt and no backend id yet: would collide without the uniqueness pass
        task('b', { taskId: undefined, prompt: 'Red fox', urls: ['https://files.example/x.png', 'https://files.example/y.png'] }),
        task('c', { taskId: undefined, prompt: 'red fox!', urls: ['https://files.example/z.webp'] }),
      ],
    });
    const { toggleImageSelection } = store.getState();
    toggleImageSelection('a', 1);
    toggleImageSelection('a', 2);
    toggleImageSelection('b', 1);
    toggleImageSelection('c', 1);
    toggleImageSelection('b', 2);
    const files = selectSelectedImageFiles(store.getState(), T0);
    const names = uniqueFileNames(files.map((f) => ({ prompt: f.prompt, taskId: f.taskId, index: f.index, url: f.url, contentType: 'image/png' })));
    expect(names).toEqual([
      'a-lighthouse-at-dusk-task_01-1.png',
      'a-lighthouse-at-dusk-task_01-2.png',
      'red-fox-1.png',
      'red-fox-1-2.png',
      'red-fox-2.png',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never collides, whatever the inputs (case-insensitively)', () => {
    const parts = Array.from({ length: 30 }, (_, i) => ({ prompt: i % 2 ? 'Fox' : 'fox', taskId: i % 3 ? 'T1' : 't1', index: (i % 4) + 1 }));
    const names = uniqueFileNames(parts);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(parts.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_-]+\.png$/i);
  });

  it('names the zips', () => {
    expect(taskZipName('A lighthouse at dusk!', 'task_01')).toBe('a-lighthouse-at-dusk-task_01.zip');
    expect(taskZipName('灯塔', undefined)).toBe('image.zip');
    expect(selectionZipName(new Date(2026, 0, 5, 12).getTime())).toBe('images-2026-01-05.zip');
  });
});
