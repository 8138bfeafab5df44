import { describe, expect, it } from 'vitest';
import { createGeneratorStore } from '../../src/store';
import * as sel from '../../src/store/selectors';
import type { GenerationTask, GeneratorState, ReferenceItem } from '../../src/store/types';

const ref = (id: string, state: ReferenceItem['state']): ReferenceItem => ({
  id, name: `${id}.png`, size: 1, mimeType: 'image/png', state, progress: null, url: undefined, previewUrl: undefined,
  hash: undefined, width: undefined, height: undefined, error: undefined, downscaled: false,
});
const task = (id: string, phase: GenerationTask['phase']): GenerationTask => ({
  id, taskId: undefined, clientBusinessId: 'b', phase, progress: null, status: undefined, request: { model: 'm', prompt: 'p' },
  prompt: 'p', model: 'm', aspectRatio: '1:1', resolution: undefined, n: 1, images: [], revisedPrompt: undefined,
  error: undefined, retry: undefined, createdAt: 0, updatedAt: 0, completedAt: undefined,
});

describe('selectors', () => {
  const store = createGeneratorStore({ backendUrl: 'http://127.0.0.1:1' });
  const base = store.getState();
  const with_ = (patch: Partial<GeneratorState>): GeneratorState => ({ ...base, ...patch });

  it('read settings as primitives', () => {
    const s = with_({ prompt: 'hi', aspectRatio: '4:3', resolution: '2K', n: 2, model: 'gpt-image-2', submitState: 'waiting' });
    expect([sel.selectPrompt(s), sel.selectAspectRatio(s), sel.selectResolution(s), sel.selectN(s), sel.selectModel(s), sel.selectSubmitState(s)])
      .toEqual(['hi', '4:3', '2K', 2, 'gpt-image-2', 'waiting']);
    expect(sel.selectCanSubmit(s)).toBe(false);
    expect(sel.selectCanSubmit(with_({ prompt: '  ' }))).toBe(false);
    expect(sel.selectCanSubmit(with_({ prompt: 'go' }))).toBe(true);
  });

  it('capabilities are the same object for the same model (stable for React)', () => {
    const a = sel.selectCapabilities(with_({ model: 'some-new-model' }));
    const b = sel.selectCapabilities(with_({ model: 'some-new-model' }));
    expect(a).toBe(b);
    expect(a.id).toBe('some-new-model');
    expect(sel.selectCapabilities(base).id).toBe('gemini-3.1-flash-image-preview');
  });

  it('count references, pending uploads and tasks', () => {
    const s = with_({
      references: [ref('a', 'ready'), ref('b', 'uploading'), ref('c', 'checking'), ref('d', 'error')],
      tasks: [task('t1', 'completed'), task('t2', 'generating')],
      maxReferences: 5,
    });
    expect(sel.selectReferenceCount(s)).toBe(4);
    expect(sel.selectMaxReferences(s)).toBe(5);
    expect(sel.selectPendingUploads(s)).toBe(2);
    expect(sel.selectTaskIds(s)).toEqual(['t1', 't2']);
    expect(sel.selectLatestTask(s)?.id).toBe('t2');
    expect(sel.selectTaskById('t1')(s)?.phase).toBe('completed');
    expect(sel.selectReferenceById('d')(s)?.state).toBe('error');
    expect(sel.selectIsRunning(s)).toBe(true);
    expect(sel.selectIsRunning(with_({ tasks: [task('x', 'failed')] }))).toBe(false);
    expect(sel.selectReferences(s)).toBe(s.references);
    expect(sel.selectTasks(s)).toBe(s.tasks);
    expect(sel.selectNotices(s)).toBe(s.notices);
    expect(sel.selectIssues(s)).toBe(s.issues);
  });
});
