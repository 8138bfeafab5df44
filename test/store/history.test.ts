/**
 * Prompt history (issue 14): what Generate records, the limit and de-duplication, the long-lived
 * storage (`keep`) and what is read back from it, `history: false`, and Alt+ArrowUp/Down stepping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGeneratorStore, searchPromptHistory, type GeneratorStore } from '../../src/store';
import { keptKey } from '../../src/store/keep';
import { HISTORY_LIMIT, parseHistory } from '../../src/store/slices/historyOps';
import type { GeneratorStoreOptions, KeepOptions, StorageLike } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';

const sim = useSimulatorServer({ seed: 14, queuedMs: 100, generatingMs: 200 });

function memoryStorage(initial?: Record<string, string>): StorageLike & { data: Map<string, string>; writes: number } {
  const data = new Map(Object.entries(initial ?? {}));
  const storage = {
    data,
    writes: 0,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      storage.writes += 1;
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
  return storage;
}

const SCOPE = 'https://api.example.com';
const KEY = keptKey({ storage: memoryStorage(), scope: SCOPE }, 'history');

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}) {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 250, ...options });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
});

/** Types `prompt` and presses Generate; resolves once the task was sent. */
async function generate(store: GeneratorStore, prompt: string) {
  store.getState().setPrompt(prompt);
  return store.getState().submit();
}

function kept(storage: StorageLike): unknown {
  const raw = storage.getItem(KEY);
  return raw === null ? undefined : JSON.parse(raw);
}

describe('recording', () => {
  it('records the prompt of each task Generate sends, newest first, trimmed', async () => {
    const store = makeStore();
    expect(store.getState().promptHistory).toEqual([]);
    expect(store.getState().historyEnabled).toBe(true);
    expect(await generate(store, '  a red fox  ')).toBeDefined();
    await generate(store, 'a lighthouse');
    expect(store.getState().promptHistory).toEqual(['a lighthouse', 'a red fox']);
  });

  it('moves a prompt used again to the front instead of keeping it twice', async () => {
    const store = makeStore();
    await generate(store, 'one');
    await generate(store, 'two');
    await generate(store, 'three');
    await generate(store, ' one ');
    expect(store.getState().promptHistory).toEqual(['one', 'three', 'two']);
  });

  it('records nothing when Generate sent nothing (empty prompt, whitespace only)', async () => {
    const store = makeStore();
    expect(await generate(store, '')).toBeUndefined();
    expect(await generate(store, '   \n ')).toBeUndefined();
    expect(store.getState().promptHistory).toEqual([]);
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it(`keeps the newest ${HISTORY_LIMIT}: the oldest goes when one more is sent`, async () => {
    const full = Array.from({ length: HISTORY_LIMIT }, (_, i) => `prompt ${HISTORY_LIMIT - i}`); // newest first
    const storage = memoryStorage({ [KEY]: JSON.stringify({ v: 1, prompts: full }) });
    const store = makeStore({ keep: { storage, scope: SCOPE } });
    expect(store.getState().promptHistory).toHaveLength(HISTORY_LIMIT);
    await generate(store, 'prompt 101');
    const history = store.getState().promptHistory;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toBe('prompt 101');
    expect(history.at(-1)).toBe('prompt 2');
    expect(history).not.toContain('prompt 1');
    expect((kept(storage) as { prompts: string[] }).prompts).toEqual(history);
  });

  it('leaves out prompts over 4,000 characters rather than cutting them', async () => {
    expect(parseHistory({ v: 1, prompts: ['x'.repeat(4001), 'ok', 'y'.repeat(4000)] })).toEqual(['ok', 'y'.repeat(4000)]);
  });
});

describe('long-lived storage (keep)', () => {
  it('round trip: a new store for the same backend reads what the last one recorded', async () => {
    const storage = memoryStorage();
    const keep: KeepOptions = { storage, scope: SCOPE };
    const first = makeStore({ keep });
    await generate(first, 'a castle');
    await generate(first, 'a moat');
    expect(kept(storage)).toEqual({ v: 1, prompts: ['a moat', 'a castle'] });

    const second = makeStore({ keep });
    expect(second.getState().promptHistory).toEqual(['a moat', 'a castle']);
    // Another backend keeps its own.
    expect(makeStore({ keep: { storage, scope: 'https://other.example.com' } }).getState().promptHistory).toEqual([]);
  });

  it('ignores garbled storage and never crashes on it', async () => {
    for (const raw of ['{not json', '"a string"', 'null', '[]', '{"v":2,"prompts":["future"]}', '{"v":1,"prompts":"nope"}']) {
      const storage = memoryStorage({ [KEY]: raw });
      expect(makeStore({ keep: { storage, scope: SCOPE } }).getState().promptHistory).toEqual([]);
    }
    const storage = memoryStorage({ [KEY]: '{oops' });
    const store = makeStore({ keep: { storage, scope: SCOPE } });
    await generate(store, 'after garbage');
    expect(kept(storage)).toEqual({ v: 1, prompts: ['after garbage'] });
  });

  it('drops what is not a prompt from what it reads: non-strings, blanks, duplicates, beyond 100', () => {
    const prompts = ['b', 3, null, { p: 'x' }, '  ', 'a', ' b ', ...Array.from({ length: 150 }, (_, i) => `old ${i}`)];
    const storage = memoryStorage({ [KEY]: JSON.stringify({ v: 1, prompts }) });
    const history = makeStore({ keep: { storage, scope: SCOPE } }).getState().promptHistory;
    expect(history.slice(0, 3)).toEqual(['b', 'a', 'old 0']);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.every((p) => typeof p === 'string')).toBe(true);
  });

  it('keeps recording in memory when the storage throws (full, private mode)', async () => {
    const storage: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const store = makeStore({ keep: { storage, scope: SCOPE } });
    await generate(store, 'first');
    await generate(store, 'second');
    expect(store.getState().promptHistory).toEqual(['second', 'first']);
    store.getState().clearHistory();
    expect(store.getState().promptHistory).toEqual([]);
  });

  it('history: false records nothing and neither reads nor writes the storage', async () => {
    const storage = memoryStorage({ [KEY]: JSON.stringify({ v: 1, prompts: ['kept before'] }) });
    let reads = 0;
    // Other kept data (presets, learned durations) may be read; the history's key never is.
    const counting: StorageLike = { ...storage, getItem: (k) => ((reads += k === KEY ? 1 : 0), storage.getItem(k)) };
    const store = makeStore({ keep: { storage: counting, scope: SCOPE }, history: false });
    expect(store.getState().historyEnabled).toBe(false);
    expect(store.getState().promptHistory).toEqual([]);
    expect(await generate(store, 'not recorded')).toBeDefined();
    store.getState().clearHistory();
    expect(store.getState().stepHistory(-1)).toBe(false);
    expect(store.getState().promptHistory).toEqual([]);
    expect(reads).toBe(0);
    expect(storage.writes).toBe(0); // (nothing else writes either: no preset saved, no task learned)
    expect(kept(storage)).toEqual({ v: 1, prompts: ['kept before'] });
  });

  it('clearHistory empties it in memory and in the storage', async () => {
    const storage = memoryStorage();
    const store = makeStore({ keep: { storage, scope: SCOPE } });
    await generate(store, 'to forget');
    store.getState().clearHistory();
    expect(store.getState().promptHistory).toEqual([]);
    expect(kept(storage)).toEqual({ v: 1, prompts: [] });
    expect(makeStore({ keep: { storage, scope: SCOPE } }).getState().promptHistory).toEqual([]);
  });

  it('keeps what another tab recorded meanwhile', async () => {
    const storage = memoryStorage();
    const keep: KeepOptions = { storage, scope: SCOPE };
    const a = makeStore({ keep });
    const b = makeStore({ keep });
    await generate(a, 'from tab a');
    await generate(b, 'from tab b');
    expect(b.getState().promptHistory).toEqual(['from tab b', 'from tab a']);
    expect(kept(storage)).toEqual({ v: 1, prompts: ['from tab b', 'from tab a'] });
  });
});

describe('stepping (Alt+ArrowUp / Alt+ArrowDown)', () => {
  function seeded(prompts: string[]) {
    const storage = memoryStorage({ [KEY]: JSON.stringify({ v: 1, prompts }) });
    return makeStore({ keep: { storage, scope: SCOPE } });
  }

  it('steps older and newer, and puts the draft back past the newest', () => {
    const store = seeded(['newest', 'middle', 'oldest']);
    const { stepHistory } = store.getState();
    store.getState().setPrompt('my draft');
    expect(stepHistory(1)).toBe(false); // already at the draft
    expect(stepHistory(-1)).toBe(true);
    expect(store.getState().prompt).toBe('newest');
    stepHistory(-1);
    stepHistory(-1);
    expect(store.getState().prompt).toBe('oldest');
    expect(stepHistory(-1)).toBe(false); // the oldest is the end
    expect(store.getState().prompt).toBe('oldest');
    stepHistory(1);
    expect(store.getState().prompt).toBe('middle');
    stepHistory(1);
    stepHistory(1);
    expect(store.getState().prompt).toBe('my draft');
    expect(stepHistory(1)).toBe(false);
  });

  it('typing starts again from the draft: the edited text is the new draft', () => {
    const store = seeded(['newest', 'older']);
    const { stepHistory, setPrompt } = store.getState();
    setPrompt('draft');
    stepHistory(-1);
    stepHistory(-1);
    expect(store.getState().prompt).toBe('older');
    setPrompt('older, edited');
    stepHistory(-1);
    expect(store.getState().prompt).toBe('newest');
    stepHistory(1);
    expect(store.getState().prompt).toBe('older, edited');
  });

  it('does nothing with an empty history', () => {
    const store = makeStore();
    store.getState().setPrompt('draft');
    expect(store.getState().stepHistory(-1)).toBe(false);
    expect(store.getState().prompt).toBe('draft');
  });
});

describe('searchPromptHistory', () => {
  const history = ['A Red Fox in snow', 'a lighthouse', 'red sky at night'];
  it('matches a case-insensitive substring, newest first', () => {
    expect(searchPromptHistory(history, 'RED')).toEqual(['A Red Fox in snow', 'red sky at night']);
    expect(searchPromptHistory(history, '  light ')).toEqual(['a lighthouse']);
    expect(searchPromptHistory(history, 'zebra')).toEqual([]);
  });
  it('returns everything for an empty query', () => {
    expect(searchPromptHistory(history, '')).toEqual(history);
  });
});
