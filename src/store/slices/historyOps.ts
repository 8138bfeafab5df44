/**
 * Prompt history, the part that loads on demand (./history.ts declares it): the prompts Generate
 * sent, newest first, at most {@link HISTORY_LIMIT}, each once (compared trimmed; using one again
 * moves it to the front). Kept in the store's long-lived storage (`keep`, name `history`,
 * `{ v: 1, prompts }`), so it outlives the session; without `keep` it lives in memory for the
 * store's life. Also Alt+ArrowUp / Alt+ArrowDown in the prompt (`stepHistory`), which keep the draft.
 * Only loaded when the history is on (`history: false` reads, writes and records nothing).
 */
import { readKept, writeKept } from '../keep';
import type { StoreContext } from './context';

/** How many prompts the history keeps. */
export const HISTORY_LIMIT = 100;
/**
 * Longest prompt the history keeps (characters, trimmed). Longer ones are not recorded rather than
 * cut: a cut prompt would silently differ from the one sent. 100 of them stay well inside the few
 * megabytes a browser gives `localStorage`.
 */
export const HISTORY_ENTRY_MAX = 4000;

const KEPT_NAME = 'history';

export interface HistoryOps {
  /** Reads the kept history into the store's `promptHistory`. */
  load(): void;
  /** Puts a prompt Generate sent at the front (nothing for an empty or over-long prompt). */
  record(prompt: string): void;
  clear(): void;
  step(direction: -1 | 1): boolean;
}

/** Puts `prompt` (trimmed) at the front of `history`, once, capped; `history` itself when there is nothing to record. */
export function withPrompt(history: string[], prompt: string): string[] {
  const text = prompt.trim();
  if (text === '' || text.length > HISTORY_ENTRY_MAX) return history;
  if (history[0] === text) return history;
  return [text, ...history.filter((p) => p !== text)].slice(0, HISTORY_LIMIT);
}

/** A kept history as read back: anything that is not `{ v: 1, prompts: string[] }` is refused; bad entries are dropped. */
export function parseHistory(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, prompts } = value as { v?: unknown; prompts?: unknown };
  if (v !== 1 || !Array.isArray(prompts)) return undefined;
  let out: string[] = [];
  // Oldest first through `withPrompt`, so duplicates, blanks and over-long entries go as on recording.
  for (let i = Math.min(prompts.length, HISTORY_LIMIT * 2) - 1; i >= 0; i -= 1) {
    const p: unknown = prompts[i];
    if (typeof p === 'string') out = withPrompt(out, p);
  }
  return out.slice(0, HISTORY_LIMIT);
}

export function createHistoryOps(ctx: StoreContext): HistoryOps {
  const { set, get } = ctx;
  const keep = ctx.options.keep || undefined;

  // Alt+ArrowUp / Alt+ArrowDown: -1 is the draft (what the user typed), 0 the newest entry. The
  // position holds only while the prompt still shows what stepping put there: typing (or any other
  // change to the prompt) starts again from the draft.
  let position = -1;
  let draft = '';
  let shown: string | undefined;

  const save = (prompts: string[]) => {
    position = -1;
    shown = undefined;
    set({ promptHistory: prompts });
    writeKept(keep, KEPT_NAME, { v: 1, prompts });
  };

  return {
    load: () => {
      const kept = readKept(keep, KEPT_NAME, parseHistory);
      if (kept) set({ promptHistory: kept });
    },

    record: (prompt) => {
      // Another tab may have recorded since this store read the storage: start from what it holds,
      // then this store's entries it lacks (a full storage that refused a write loses nothing).
      const kept = readKept(keep, KEPT_NAME, parseHistory);
      const mine = get().promptHistory;
      const base = kept ? [...kept, ...mine.filter((p) => !kept.includes(p))].slice(0, HISTORY_LIMIT) : mine;
      const next = withPrompt(base, prompt);
      if (next !== mine) save(next);
    },

    clear: () => save([]),

    step: (direction) => {
      const { prompt, promptHistory } = get();
      if (promptHistory.length === 0) return false;
      if (shown === undefined || prompt !== shown) {
        position = -1;
        draft = prompt;
      }
      const to = Math.max(-1, Math.min(promptHistory.length - 1, position - direction));
      if (to === position) return false;
      position = to;
      shown = to === -1 ? undefined : promptHistory[to]!;
      get().setPrompt(to === -1 ? draft : shown!);
      return true;
    },
  };
}
