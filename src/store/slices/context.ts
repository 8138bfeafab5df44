/**
 * What every slice of the store shares: the store's `set`/`get`, the injected clock, client and
 * coordinator, per-store flags, and the few helpers more than one slice needs.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ToapisClient } from '../../core/client';
import { createLazyClient } from '../../core/lazyClient';
import type { ToapisError } from '../../core/errors';
import { isExpired } from '../../core/expiry';
import type { ModelCapabilities } from '../../core/models/types';
import { storeModel } from '../models';
import type { GenerationTask } from '../../core/task';
import { soloCoordinator, type TabCoordinator } from '../coordination';
import { MAX_NOTICES, newNotice, type NoticeFields } from '../records';
import type { GeneratorState, GeneratorStoreOptions } from '../types';

export interface StoreContext {
  readonly options: GeneratorStoreOptions;
  readonly set: StoreApi<GeneratorState>['setState'];
  readonly get: () => GeneratorState;
  readonly now: () => number;
  readonly random: () => number;
  readonly client: ToapisClient;
  readonly coordinator: TabCoordinator;
  /** Tray maximum before the model's cap. */
  readonly trayMax: number;
  /**
   * `connected`: network activity allowed. A provider creates its store disconnected and connects it
   * from an effect, so a store React discards (StrictMode double render) never touches the network.
   * `disposed`: for good, thumbnails revoked.
   */
  readonly runtime: { connected: boolean; disposed: boolean };
  nextId(prefix: string): string;
  addNotice(fields: NoticeFields): void;
  /** Tells the host (`onError`); a host callback never breaks the store. */
  reportError(error: ToapisError, task?: GenerationTask): void;
  capabilities(): ModelCapabilities;
  /** The URL is a result of a task whose results have expired (the file host no longer serves it). */
  isExpiredResult(url: string | undefined, tasks?: readonly Pick<GenerationTask, 'expiresAt' | 'images'>[]): boolean;
}

export function createContext(
  options: GeneratorStoreOptions,
  set: StoreContext['set'],
  get: StoreContext['get'],
  runtime: StoreContext['runtime'],
): StoreContext {
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const client =
    options.client ??
    createLazyClient({
      backendUrl: options.backendUrl ?? '',
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      random,
    });
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}${(seq += 1).toString(36)}`;
  return {
    options,
    set,
    get,
    now,
    random,
    client,
    coordinator: options.coordinator ?? soloCoordinator,
    trayMax: options.maxReferences ?? 14,
    runtime,
    nextId,
    addNotice: (fields) => set((s) => ({ notices: [...s.notices, newNotice(nextId('n'), fields)].slice(-MAX_NOTICES) })),
    reportError: (error, task) => {
      try {
        options.onError?.(error, task);
      } catch {
        // a host callback must never break the store
      }
    },
    capabilities: () => storeModel(get().model),
    isExpiredResult: (url, tasks = get().tasks) =>
      url !== undefined && tasks.some((t) => isExpired(t.expiresAt, now()) && t.images.some((i) => i.url === url)),
  };
}
