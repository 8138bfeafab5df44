/**
 * `createGeneratorStore(options)` — all state and actions of one generator, on zustand/vanilla.
 * One store per `GeneratorProvider`; no React, no DOM globals (browser bindings are injected).
 * Invariant: no error ever clears the prompt, the settings or the references.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createBusinessId, createToapisClient, type ToapisClient } from '../core/client';
import { ToapisError, toToapisError } from '../core/errors';
import { RESULT_TTL_MS, isExpired, resultExpiresAt } from '../core/expiry';
import { DEFAULT_MODEL_ID, buildGenerationRequest, resolveModel, type ModelCapabilities } from '../core/models';
import { pickParameters, sameParameters, type ModelParameters, type ParameterValue } from '../core/parameters';
import { createPoller, type Poller } from '../core/poller';
import { isSafeUrl, parseTask, type TaskSnapshot } from '../core/protocol';
import { deserialiseError, rawOfSnapshot, serialiseError } from './persistence';
import {
  downscaleToFit,
  formatBytes,
  hashReference,
  inspectReference,
  limitsForModel,
  type ReferenceInput,
} from '../core/references';
import { safeFileName } from '../core/util/image';
import { soloCoordinator, type TabCoordinator, type TabMessage } from './coordination';
import { loadPersisted, savePersisted, type PersistedState, type PersistOptions } from './persistence';
import type {
  GenerationTask,
  GeneratorState,
  GeneratorStoreOptions,
  ReferenceItem,
  TaskPhase,
  TrayNotice,
} from './types';

export type GeneratorStore = StoreApi<GeneratorState>;

type FileLike = ReferenceInput & Blob;

const TERMINAL: ReadonlySet<TaskPhase> = new Set(['completed', 'failed', 'cancelled']);

export function isTerminalPhase(phase: TaskPhase): boolean {
  return TERMINAL.has(phase);
}

export function createGeneratorStore(options: GeneratorStoreOptions = {}): GeneratorStore {
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const client: ToapisClient =
    options.client ??
    createToapisClient({
      backendUrl: options.backendUrl ?? '',
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      random,
    });
  const createPreview =
    options.createPreviewUrl ??
    ((blob: Blob) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : undefined));
  const revokePreview =
    options.revokePreviewUrl ??
    ((url: string) => {
      if (url.startsWith('blob:') && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
    });
  const uploadConcurrency = Math.max(1, options.uploadConcurrency ?? 3);
  const trayMax = options.maxReferences ?? 14;

  let seq = 0;
  const nextId = (prefix: string) => `${prefix}${(seq += 1).toString(36)}`;

  /* ---------------------------------------------------------------- private, per-store bookkeeping */
  const files = new Map<string, FileLike>(); // reference id -> (possibly downscaled) file, kept for retry
  const uploadAborts = new Map<string, AbortController>();
  const uploadWaiters = new Set<() => void>();
  const uploadedByHash = new Map<string, string>(); // content hash -> uploaded URL (upload once)
  const taskAborts = new Map<string, AbortController>();
  const queue: string[] = [];
  let activeUploads = 0;
  const coordinator: TabCoordinator = options.coordinator ?? soloCoordinator;
  const leads = new Map<string, { release: () => void }>(); // task id -> this tab's claim to follow it
  const persist: PersistOptions | undefined = options.persist || undefined;
  // Saved state is read now, or (server-rendered hosts) by `rehydrate()` once React has hydrated.
  let hydrated = !persist?.skipHydration;
  const restored = persist && hydrated ? loadPersisted(persist) : undefined;
  // Network activity allowed. A provider creates its store disconnected and connects it from an
  // effect, so a store React discards (StrictMode double render) never touches the network.
  let connected = options.connected !== false;
  let disposed = false; // for good: thumbnails revoked

  const store = createStore<GeneratorState>()((set, get) => {
    const initial = { ...options.initial, ...restored?.settings };
    const initialModel = resolveModel(initial.model ?? options.model ?? DEFAULT_MODEL_ID);

    /* -------------------------------------------------------------- helpers that read/write state */
    const patchReference = (id: string, patch: Partial<ReferenceItem>) =>
      set((s) => ({ references: s.references.map((r) => (r.id === id ? { ...r, ...patch } : r)) }));

    const patchTask = (id: string, patch: Partial<GenerationTask>) =>
      set((s) => ({ tasks: s.tasks.map((t) => (t.id === id ? { ...t, ...patch, updatedAt: now() } : t)) }));

    const findTask = (id: string) => get().tasks.find((t) => t.id === id);
    const findByTaskId = (taskId: string) => get().tasks.find((t) => t.taskId === taskId);
    /** The URL is a result of a task whose results have expired (the file host no longer serves it). */
    const isExpiredResult = (url: string | undefined, tasks: readonly Pick<GenerationTask, 'expiresAt' | 'images'>[] = get().tasks) =>
      url !== undefined && tasks.some((t) => isExpired(t.expiresAt, now()) && t.images.some((i) => i.url === url));

    const addNotice = (code: TrayNotice['code'], fileName: string, message: string, params?: TrayNotice['params']) =>
      set((s) => ({ notices: [...s.notices, { id: nextId('n'), code, fileName, message, ...(params && { params }) }].slice(-8) }));

    const notifyUploadWaiters = () => {
      for (const w of [...uploadWaiters]) w();
    };

    const capabilities = (): ModelCapabilities => resolveModel(get().model);

    const reportError = (error: ToapisError, task?: GenerationTask) => {
      try {
        options.onError?.(error, task);
      } catch {
        // a host callback must never break the store
      }
    };

    /* ------------------------------------------------------------------------- uploads */
    const pump = () => {
      while (connected && activeUploads < uploadConcurrency && queue.length > 0) {
        const id = queue.shift()!;
        const ref = get().references.find((r) => r.id === id);
        const file = files.get(id);
        if (!ref || !file) continue;
        activeUploads += 1;
        void upload(ref, file).finally(() => {
          activeUploads -= 1;
          pump();
        });
      }
    };

    const upload = async (ref: ReferenceItem, file: FileLike) => {
      if (ref.hash && uploadedByHash.has(ref.hash)) {
        patchReference(ref.id, { state: 'ready', url: uploadedByHash.get(ref.hash), progress: 100, error: undefined });
        notifyUploadWaiters();
        return;
      }
      const controller = new AbortController();
      uploadAborts.set(ref.id, controller);
      patchReference(ref.id, { state: 'uploading', progress: null, error: undefined });
      try {
        const result = await client.uploadImage(file, { signal: controller.signal, filename: safeFileName(ref.name, file.type) });
        if (!get().references.some((r) => r.id === ref.id)) return;
        if (ref.hash) uploadedByHash.set(ref.hash, result.url);
        patchReference(ref.id, { state: 'ready', url: result.url, progress: 100 });
      } catch (raw) {
        const error = toToapisError(raw);
        if (error.kind === 'aborted' || !get().references.some((r) => r.id === ref.id)) return;
        patchReference(ref.id, { state: 'error', error, progress: null });
        reportError(error);
      } finally {
        uploadAborts.delete(ref.id);
        notifyUploadWaiters();
      }
    };

    const admitFile = async (id: string, file: FileLike) => {
      const caps = capabilities();
      const limits = limitsForModel(caps, get().maxReferences);
      let inspected: Awaited<ReturnType<typeof inspectReference>>;
      try {
        inspected = await inspectReference(file, limits);
      } catch {
        inspected = { ok: false, problem: { code: 'corrupt', message: `"${file.name}" could not be read.` } };
      }
      if (!get().references.some((r) => r.id === id)) return;
      if (!inspected.ok) {
        rejectPending(id, inspected.problem.code, file.name, inspected.problem.message, inspected.problem.params);
        return;
      }
      let usable: FileLike = file;
      let downscaled = false;
      if (inspected.needsDownscale) {
        if (!options.imageCodec) {
          rejectPending(
            id,
            'too_large',
            file.name,
            `"${file.name}" is ${formatBytes(file.size)}; ${caps.label} accepts at most ${formatBytes(limits.maxBytes)} per reference.`,
          );
          return;
        }
        try {
          const blob = await downscaleToFit(file, limits.maxBytes, options.imageCodec);
          usable = Object.assign(blob, { name: file.name }) as FileLike;
          downscaled = true;
        } catch (raw) {
          rejectPending(id, 'too_large', file.name, toToapisError(raw).message);
          return;
        }
      }
      let hash: string | undefined;
      try {
        hash = await hashReference(usable);
      } catch {
        hash = undefined;
      }
      if (!get().references.some((r) => r.id === id)) return;
      if (hash && get().references.some((r) => r.id !== id && r.hash === hash)) {
        rejectPending(id, 'duplicate', file.name, `"${file.name}" is already in the tray.`);
        return;
      }
      files.set(id, usable);
      const preview = createPreview(usable);
      patchReference(id, {
        hash,
        mimeType: inspected.mimeType,
        width: inspected.width,
        height: inspected.height,
        size: usable.size,
        ...(typeof preview === 'string' && { previewUrl: preview }),
        downscaled,
        state: 'uploading',
      });
      queue.push(id);
      pump();
      // A small thumbnail may be made asynchronously (off the main thread in browsers).
      if (preview && typeof preview !== 'string') {
        void preview.then(
          (url) => {
            if (!url) return;
            if (get().references.some((r) => r.id === id)) patchReference(id, { previewUrl: url });
            else revokePreview(url);
          },
          () => {},
        );
      }
    };

    const rejectPending = (id: string, code: TrayNotice['code'], fileName: string, message: string, params?: TrayNotice['params']) => {
      set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
      files.delete(id);
      addNotice(code, fileName, message, params);
      notifyUploadWaiters();
    };

    const waitForUploads = (signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (signal.aborted) {
            uploadWaiters.delete(check);
            reject(new ToapisError('aborted', 'Cancelled.'));
            return;
          }
          const busy = get().references.some((r) => r.state === 'checking' || r.state === 'uploading');
          if (!busy) {
            uploadWaiters.delete(check);
            resolve();
          }
        };
        uploadWaiters.add(check);
        signal.addEventListener('abort', check, { once: true });
        check();
      });

    /* ------------------------------------------------------------------------- tasks */
    const applySnapshot = (local: GenerationTask, snap: TaskSnapshot) => {
      const current = findTask(local.id);
      if (!current || isTerminalPhase(current.phase)) return;
      const phase: TaskPhase = snap.phase;
      const progress =
        snap.phase === 'completed'
          ? 100
          : snap.progress === null
            ? current.progress
            : Math.max(current.progress ?? 0, snap.progress);
      if (snap.phase === 'failed') {
        const message = snap.error?.message ?? 'The image could not be generated.';
        const code = snap.error?.code;
        const kind = code && /content|policy|safety|moderation/i.test(code) ? 'content_policy' : 'task_failed';
        const error = new ToapisError(kind, message, code === undefined ? {} : { code });
        patchTask(local.id, { phase: 'failed', status: snap.status, error, retry: undefined, taskId: snap.id });
        reportError(error, findTask(local.id));
        return;
      }
      patchTask(local.id, {
        phase,
        status: snap.status,
        progress: phase === 'queued' ? (current.progress ?? null) : progress,
        taskId: snap.id,
        retry: undefined,
        ...(snap.images.length > 0 && { images: snap.images }),
        ...(snap.revisedPrompt !== undefined && { revisedPrompt: snap.revisedPrompt }),
        ...(phase === 'completed' && { completedAt: now(), expiresAt: resultExpiresAt(snap) ?? now() + RESULT_TTL_MS }),
      });
      if (phase === 'completed') {
        const done = findTask(local.id);
        if (done) {
          try {
            options.onTaskComplete?.(done);
          } catch {
            // host callback errors are the host's
          }
        }
      }
    };

    const makePoller = (): Poller => createPoller({
      getTask: (id, o) => client.getTask(id, o),
      ...(options.stream !== false && {
        watchTask: (id, o) => client.watchTask(id, o),
        canWatch: () => client.capabilities().then((c) => c.stream),
      }),
      onUpdate: (taskId, snap) => {
        coordinator.publish({ type: 'task-snapshot', taskId, payload: snap });
        const local = findByTaskId(taskId);
        if (local) applySnapshot(local, snap);
        if (snap.phase === 'completed' || snap.phase === 'failed') unfollow(taskId);
      },
      onError: (taskId, error) => {
        coordinator.publish({ type: 'task-error', taskId, payload: serialiseError(error) });
        unfollow(taskId);
        const local = findByTaskId(taskId);
        if (!local || isTerminalPhase(local.phase)) return;
        patchTask(local.id, { phase: 'failed', error, retry: undefined });
        reportError(error, findTask(local.id));
      },
      onRetry: (taskId, error, delayMs) => {
        const local = findByTaskId(taskId);
        if (local) patchTask(local.id, { retry: { error, delayMs, at: now() + delayMs } });
      },
      ...(options.pollInterval !== undefined && { interval: options.pollInterval }),
      ...(options.cadence !== undefined && { cadence: options.cadence }),
      ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
      ...(options.environment !== undefined && { environment: options.environment }),
      random,
      now,
    });
    let poller = makePoller();

    /** Follows a task: this tab polls (or streams) it only while it leads; other tabs share updates. */
    const follow = (taskId: string, trackOptions: { immediate?: boolean; startedAt?: number } = {}) => {
      if (!connected || leads.has(taskId)) return;
      const holder = { release: () => {} };
      leads.set(taskId, holder);
      holder.release = coordinator.lead(`toapis-kit:task:${taskId}`, () => {
        if (connected && leads.get(taskId) === holder) poller.track(taskId, trackOptions);
      });
    };
    const unfollow = (taskId: string) => {
      poller.untrack(taskId);
      const holder = leads.get(taskId);
      leads.delete(taskId);
      holder?.release();
    };
    let unsubscribeTabs: (() => void) | undefined;
    const onTabMessage = (message: TabMessage) => {
      const local = findByTaskId(message.taskId);
      if (!local || isTerminalPhase(local.phase)) return;
      if (message.type === 'task-snapshot') {
        try {
          const snap = parseTask(message.payload && typeof message.payload === 'object' ? rawOfSnapshot(message.payload) : undefined);
          applySnapshot(local, snap);
          if (snap.phase === 'completed' || snap.phase === 'failed') unfollow(message.taskId);
        } catch {
          // a garbled message from another tab is ignored; our own follow-up still runs
        }
      } else if (message.type === 'task-error') {
        const error = deserialiseError(message.payload);
        unfollow(message.taskId);
        patchTask(local.id, { phase: 'failed', error, retry: undefined });
      }
    };
    const listenToTabs = () => {
      unsubscribeTabs ??= coordinator.subscribe(onTabMessage);
    };
    if (connected) listenToTabs();

    const send = async (localId: string, recover = false) => {
      const task = findTask(localId);
      if (!task) return;
      const controller = new AbortController();
      taskAborts.set(localId, controller);
      try {
        // One tab at a time per business id: a duplicated tab restoring the same submit waits, then
        // finds the task by lookup instead of creating a second one.
        const snap = await coordinator.exclusive(`toapis-kit:submit:${task.clientBusinessId}`, () =>
          client.createTask(task.request, {
            signal: controller.signal,
            mayExist: recover,
            onRetry: (error, delayMs) => patchTask(localId, { retry: { error, delayMs, at: now() + delayMs } }),
          }),
        );
        const current = findTask(localId);
        if (!current || current.phase === 'cancelled') return;
        patchTask(localId, { taskId: snap.id, retry: undefined });
        applySnapshot(current, snap);
        const after = findTask(localId);
        if (after && !isTerminalPhase(after.phase) && connected) follow(snap.id);
      } catch (raw) {
        const error = toToapisError(raw);
        const current = findTask(localId);
        if (!current || current.phase === 'cancelled' || error.kind === 'aborted') return;
        patchTask(localId, { phase: 'failed', error, retry: undefined });
        reportError(error, findTask(localId));
      } finally {
        taskAborts.delete(localId);
      }
    };

    /* ------------------------------------------------------------------------- saved state */
    // A saved reference that was a result of a saved task whose results have expired is not restored
    // (the file host no longer serves it); a notice says so instead.
    const expiredSavedReferences = (saved: PersistedState | undefined) =>
      (saved?.references ?? []).filter((r) => isExpiredResult(r.url, saved?.tasks ?? []));
    const expiredNotices = (saved: PersistedState | undefined): TrayNotice[] =>
      expiredSavedReferences(saved).map((r) => ({ id: nextId('n'), code: 'expired', fileName: r.name, message: EXPIRED_REFERENCE_MESSAGE }));
    const restoredReferences = (saved: PersistedState | undefined): ReferenceItem[] =>
      (saved?.references ?? []).filter((r) => !expiredSavedReferences(saved).includes(r)).map((r) => ({
        id: nextId('r'),
        name: r.name,
        size: 0,
        mimeType: undefined,
        state: 'ready' as const,
        progress: 100,
        url: r.url,
        previewUrl: r.url,
        hash: undefined,
        width: r.width,
        height: r.height,
        error: undefined,
        downscaled: false,
      }));
    const restoredTasks = (saved: PersistedState | undefined): GenerationTask[] =>
      (saved?.tasks ?? []).map((t) => ({ ...t, id: nextId('t') }));

    /* ------------------------------------------------------------------------- state + actions */
    return {
      prompt: initial.prompt ?? '',
      model: initialModel.id,
      aspectRatio: pickRatio(initialModel, initial.aspectRatio),
      resolution: pickResolution(initialModel, initial.resolution),
      n: clampN(initialModel, initial.n ?? 1),
      // Saved values win over the initial ones, which stay for the parameters not saved.
      parameters: pickParameters(initialModel.params ?? [], { ...options.initial?.parameters, ...restored?.settings.parameters }),
      references: restoredReferences(restored),
      tasks: restoredTasks(restored),
      notices: expiredNotices(restored),
      issues: [],
      submitState: 'idle',
      maxReferences: Math.min(trayMax, initialModel.maxReferences),

      setPrompt: (prompt) =>
        set((s) => ({ prompt, issues: s.issues.length ? s.issues.filter((i) => i.field !== 'prompt') : s.issues })),

      setModel: (model) => {
        const caps = resolveModel(model);
        set((s) => ({
          model: caps.id,
          aspectRatio: pickRatio(caps, s.aspectRatio),
          resolution: pickResolution(caps, s.resolution),
          n: clampN(caps, s.n),
          parameters: keepSame(s.parameters, pickParameters(caps.params ?? [], s.parameters)),
          maxReferences: Math.min(trayMax, caps.maxReferences),
          issues: [],
        }));
      },

      setAspectRatio: (aspectRatio) =>
        set((s) => ({ aspectRatio, issues: s.issues.filter((i) => i.field !== 'aspectRatio') })),

      setResolution: (resolution) =>
        set((s) => ({ resolution, issues: s.issues.filter((i) => i.field !== 'resolution') })),

      setN: (n) => set((s) => ({ n: clampN(capabilities(), n), issues: s.issues.filter((i) => i.field !== 'n') })),

      setParameter: (name, value) =>
        set((s) => {
          if (name === '__proto__') return s;
          const next = { ...s.parameters };
          if (value === undefined) delete next[name];
          else next[name] = value;
          return withParameters(s, next);
        }),

      setParameters: (values) => set((s) => withParameters(s, definedOnly(values))),

      resetParameters: () => set((s) => withParameters(s, {})),

      setMaxReferences: (max) =>
        set({ maxReferences: Math.max(0, Math.min(Math.floor(max), capabilities().maxReferences)) }),

      addReferences: async (input) => {
        if (!connected) return;
        const list = Array.from(input as ArrayLike<FileLike>);
        const { maxReferences, references } = get();
        const room = Math.max(0, maxReferences - references.length);
        const accepted = list.slice(0, room);
        const refused = list.slice(room);
        for (const f of refused) {
          addNotice(
            'too_many',
            String(f.name || 'file'),
            `"${String(f.name || 'The file')}" was not added: the tray holds at most ${maxReferences} reference images.`,
          );
        }
        const pending: ReferenceItem[] = accepted.map((f) => ({
          id: nextId('r'),
          name: String(f.name || 'image'),
          size: Number(f.size) || 0,
          mimeType: undefined,
          state: 'checking',
          progress: null,
          url: undefined,
          previewUrl: undefined,
          hash: undefined,
          width: undefined,
          height: undefined,
          error: undefined,
          downscaled: false,
        }));
        if (pending.length) set((s) => ({ references: [...s.references, ...pending] }));
        set((s) => ({ issues: s.issues.filter((i) => i.field !== 'references') }));
        await Promise.all(pending.map((p, i) => admitFile(p.id, accepted[i]!)));
      },

      addReferenceUrl: (url, name) => {
        if (!connected || !isSafeUrl(url)) return false;
        if (isExpiredResult(url)) {
          addNotice('expired', name ?? url, EXPIRED_REFERENCE_MESSAGE);
          return false;
        }
        const { references, maxReferences } = get();
        if (references.some((r) => r.url === url)) {
          addNotice('duplicate', name ?? url, `This image is already in the tray.`);
          return false;
        }
        if (references.length >= maxReferences) {
          addNotice('too_many', name ?? url, `The tray holds at most ${maxReferences} reference images.`);
          return false;
        }
        const item: ReferenceItem = {
          id: nextId('r'),
          name: name ?? 'Generated image',
          size: 0,
          mimeType: undefined,
          state: 'ready',
          progress: 100,
          url,
          previewUrl: url,
          hash: undefined,
          width: undefined,
          height: undefined,
          error: undefined,
          downscaled: false,
        };
        set((s) => ({ references: [...s.references, item] }));
        return true;
      },

      removeReference: (id) => {
        const ref = get().references.find((r) => r.id === id);
        if (!ref) return;
        uploadAborts.get(id)?.abort();
        uploadAborts.delete(id);
        files.delete(id);
        const qi = queue.indexOf(id);
        if (qi >= 0) queue.splice(qi, 1);
        if (ref.previewUrl && ref.previewUrl !== ref.url) revokePreview(ref.previewUrl);
        set((s) => ({ references: s.references.filter((r) => r.id !== id) }));
        notifyUploadWaiters();
      },

      moveReference: (id, toIndex) =>
        set((s) => {
          const from = s.references.findIndex((r) => r.id === id);
          if (from < 0) return s;
          const to = Math.max(0, Math.min(s.references.length - 1, Math.floor(toIndex)));
          if (from === to) return s;
          const next = [...s.references];
          const [item] = next.splice(from, 1);
          next.splice(to, 0, item!);
          return { references: next };
        }),

      retryReference: (id) => {
        const ref = get().references.find((r) => r.id === id);
        if (!ref || ref.state !== 'error' || !files.has(id)) return;
        patchReference(id, { state: 'uploading', error: undefined, progress: null });
        queue.push(id);
        pump();
      },

      dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
      clearNotices: () => set({ notices: [] }),

      submit: async () => {
        if (!connected || get().submitState !== 'idle') return undefined;
        const controller = new AbortController();
        const first = validate(get(), capabilities());
        if (first.length) {
          set({ issues: first });
          return undefined;
        }
        if (get().references.some((r) => r.state === 'checking' || r.state === 'uploading')) {
          set({ submitState: 'waiting' });
          try {
            await waitForUploads(controller.signal);
          } catch {
            set({ submitState: 'idle' });
            return undefined;
          }
          if (!connected) {
            set({ submitState: 'idle' });
            return undefined;
          }
        }
        const state = get();
        const failedRefs = state.references.filter((r) => r.state === 'error');
        if (failedRefs.length) {
          set({
            submitState: 'idle',
            issues: [
              {
                field: 'references',
                code: 'invalid_url',
                message:
                  failedRefs.length === 1
                    ? `"${failedRefs[0]!.name}" did not upload. Retry or remove it.`
                    : `${failedRefs.length} references did not upload. Retry or remove them.`,
              },
            ],
          });
          return undefined;
        }
        // A result used as a reference whose results expired meanwhile: the service could not fetch it.
        const expiredRefs = state.references.filter((r) => isExpiredResult(r.url));
        if (expiredRefs.length) {
          set({
            submitState: 'idle',
            issues: [
              {
                field: 'references',
                code: 'invalid_url',
                message:
                  expiredRefs.length === 1
                    ? `"${expiredRefs[0]!.name}" has expired (results are kept 24 hours). Remove it to generate.`
                    : `${expiredRefs.length} references have expired (results are kept 24 hours). Remove them to generate.`,
              },
            ],
          });
          return undefined;
        }
        const built = buildGenerationRequest({
          model: state.model,
          prompt: state.prompt,
          aspectRatio: state.aspectRatio,
          ...(state.resolution !== undefined && { resolution: state.resolution }),
          n: state.n,
          referenceUrls: state.references.map((r) => r.url).filter((u): u is string => !!u),
          parameters: state.parameters,
          clientBusinessId: createBusinessId(random),
        });
        if (!built.ok) {
          set({ submitState: 'idle', issues: built.issues });
          return undefined;
        }
        const t = now();
        const task: GenerationTask = {
          id: nextId('t'),
          taskId: undefined,
          clientBusinessId: built.request.client_business_id!,
          phase: 'submitting',
          progress: null,
          status: undefined,
          request: built.request,
          prompt: built.request.prompt,
          model: state.model,
          aspectRatio: state.aspectRatio,
          resolution: state.resolution,
          n: state.n,
          parameters: { ...state.parameters },
          images: [],
          revisedPrompt: undefined,
          error: undefined,
          retry: undefined,
          createdAt: t,
          updatedAt: t,
          completedAt: undefined,
        };
        set((s) => ({ tasks: [...s.tasks, task], issues: [], submitState: 'submitting' }));
        try {
          await send(task.id);
        } finally {
          set({ submitState: 'idle' });
        }
        return findTask(task.id);
      },

      retry: async (localId) => {
        const task = findTask(localId);
        if (!task || !connected || (task.phase !== 'failed' && task.phase !== 'cancelled')) return;
        const kind = task.error?.kind;
        const resumable =
          task.taskId !== undefined &&
          task.phase === 'failed' &&
          (kind === 'network' || kind === 'server' || kind === 'rate_limit' || kind === 'timeout' || kind === 'protocol');
        if (resumable) {
          patchTask(localId, { phase: task.progress ? 'generating' : 'queued', error: undefined });
          follow(task.taskId!, { immediate: true });
          return;
        }
        // A new attempt is a new task upstream: fresh business id, same settings.
        const request = { ...task.request, client_business_id: createBusinessId(random) };
        patchTask(localId, {
          phase: 'submitting',
          error: undefined,
          retry: undefined,
          progress: null,
          images: [],
          taskId: undefined,
          request,
          clientBusinessId: request.client_business_id,
          createdAt: now(),
        });
        await send(localId);
      },

      cancel: (localId) => {
        const task = findTask(localId);
        if (!task || isTerminalPhase(task.phase)) return;
        taskAborts.get(localId)?.abort();
        if (task.taskId) unfollow(task.taskId);
        patchTask(localId, { phase: 'cancelled', retry: undefined });
      },

      dismissTask: (localId) => {
        const task = findTask(localId);
        if (!task) return;
        taskAborts.get(localId)?.abort();
        if (task.taskId) unfollow(task.taskId);
        set((s) => ({ tasks: s.tasks.filter((x) => x.id !== localId) }));
      },

      fetchResultImage: async (localId, index, opts = {}) => {
        const task = findTask(localId);
        if (!task?.taskId || task.phase !== 'completed' || isExpired(task.expiresAt, now()) || !client.downloadImage) return undefined;
        try {
          if (!(await client.capabilities()).downloads) return undefined;
          return await client.downloadImage(task.taskId, index, opts);
        } catch {
          return undefined;
        }
      },

      resumeTask: (record) => {
        if (!connected || !record.taskId || findByTaskId(record.taskId)) return;
        const t = now();
        const model = record.model ?? get().model;
        const task: GenerationTask = {
          id: nextId('t'),
          taskId: record.taskId,
          clientBusinessId: record.clientBusinessId ?? '',
          phase: 'queued',
          progress: null,
          status: undefined,
          request: { model, prompt: record.prompt ?? '' },
          prompt: record.prompt ?? '',
          model,
          aspectRatio: record.aspectRatio,
          resolution: record.resolution,
          n: record.n ?? 1,
          images: [],
          revisedPrompt: undefined,
          error: undefined,
          retry: undefined,
          createdAt: record.createdAt ?? t,
          updatedAt: t,
          completedAt: undefined,
        };
        set((s) => ({ tasks: [...s.tasks, task] }));
        follow(record.taskId, { immediate: true, startedAt: record.createdAt ?? t });
      },

      rehydrate: () => {
        if (hydrated || !persist) return;
        hydrated = true;
        const saved = loadPersisted(persist);
        if (saved) {
          const s = get();
          const caps = resolveModel(saved.settings.model ?? s.model);
          set({
            prompt: s.prompt !== '' ? s.prompt : (saved.settings.prompt ?? ''),
            model: caps.id,
            aspectRatio: pickRatio(caps, saved.settings.aspectRatio ?? s.aspectRatio),
            resolution: pickResolution(caps, saved.settings.resolution ?? s.resolution),
            n: clampN(caps, saved.settings.n ?? s.n),
            // Saved values win over the initial ones (a provider's `defaultParameters`), as at creation.
            parameters: pickParameters(caps.params ?? [], { ...s.parameters, ...saved.settings.parameters }),
            maxReferences: Math.min(trayMax, caps.maxReferences),
            references: [...restoredReferences(saved), ...s.references],
            tasks: [...restoredTasks(saved), ...s.tasks],
            notices: [...expiredNotices(saved), ...s.notices].slice(-8),
          });
        }
        startSaving();
        // Saved running tasks resume at once (polling or streaming); a saved submit is looked up.
        if (connected && saved?.tasks.some((t) => !isTerminalPhase(t.phase))) {
          get().disconnect();
          get().connect();
        }
      },

      connect: () => {
        if (connected || disposed) return;
        connected = true;
        poller = makePoller();
        listenToTabs();
        for (const t of get().tasks) {
          if (t.phase === 'submitting' && !t.taskId) void send(t.id, true); // the lost submit may have landed
          else if ((t.phase === 'queued' || t.phase === 'generating') && t.taskId) {
            follow(t.taskId, { immediate: true, startedAt: t.createdAt });
          }
        }
        for (const r of get().references) if (r.state === 'uploading' && files.has(r.id) && !queue.includes(r.id)) queue.push(r.id);
        pump();
        // Thumbnails released while unmounted come back from the files the store still holds.
        for (const r of get().references) {
          const file = files.get(r.id);
          if (r.previewUrl || !file) continue;
          const preview = createPreview(file);
          if (typeof preview === 'string') patchReference(r.id, { previewUrl: preview });
          else if (preview) void preview.then((url) => url && patchReference(r.id, { previewUrl: url }), () => {});
        }
      },

      releasePreviews: () => {
        for (const r of get().references) {
          if (r.previewUrl && r.previewUrl !== r.url && files.has(r.id)) {
            revokePreview(r.previewUrl);
            patchReference(r.id, { previewUrl: undefined });
          }
        }
      },

      disconnect: () => {
        if (!connected) return;
        connected = false;
        poller.stop();
        for (const holder of leads.values()) holder.release();
        leads.clear();
        unsubscribeTabs?.();
        unsubscribeTabs = undefined;
        for (const c of taskAborts.values()) c.abort();
        for (const c of uploadAborts.values()) c.abort();
        taskAborts.clear();
        uploadAborts.clear();
        queue.length = 0;
        notifyUploadWaiters();
      },

      dispose: () => {
        if (disposed) return;
        get().disconnect();
        disposed = true;
        for (const r of get().references) if (r.previewUrl && r.previewUrl !== r.url) revokePreview(r.previewUrl);
      },
    };
  });
  function startSaving() {
    if (!persist) return;
    let last = '';
    const write = (state: GeneratorState) => {
      last = savePersisted(persist, state, last);
    };
    store.subscribe(write);
    write(store.getState());
  }
  if (hydrated) startSaving();
  // Restored running tasks resume at once (polling or streaming), and a restored submit is looked up.
  if (connected && restored?.tasks.some((t) => !isTerminalPhase(t.phase))) {
    const st = store.getState();
    st.disconnect();
    st.connect();
  }
  return store;
}

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

const EXPIRED_REFERENCE_MESSAGE = 'This image has expired (results are kept 24 hours); generate it again to use it as a reference.';

function validate(state: GeneratorState, caps: ModelCapabilities) {
  const built = buildGenerationRequest({
    model: caps.id,
    prompt: state.prompt,
    aspectRatio: state.aspectRatio,
    ...(state.resolution !== undefined && { resolution: state.resolution }),
    n: state.n,
    referenceUrls: [],
    parameters: state.parameters,
  });
  const issues = built.ok ? [] : built.issues.filter((i) => i.field !== 'references');
  if (state.references.length > caps.maxReferences) {
    issues.push({
      field: 'references',
      code: 'too_many',
      message: `${caps.label} accepts at most ${caps.maxReferences} reference images; remove ${state.references.length - caps.maxReferences}.`,
      limit: caps.maxReferences,
    });
  }
  return issues;
}

/** `next` unless it holds the same values as `current` (then `current`, so selectors stay stable). */
function keepSame(current: ModelParameters, next: ModelParameters): ModelParameters {
  return sameParameters(current, next) ? current : next;
}

/** New parameters with their messages cleared; the same state (no update at all) when nothing changes. */
function withParameters(s: GeneratorState, next: ModelParameters): GeneratorState | Pick<GeneratorState, 'parameters' | 'issues'> {
  const parameters = keepSame(s.parameters, next);
  const issues = withoutParameterIssues(s.issues);
  return parameters === s.parameters && issues === s.issues ? s : { parameters, issues };
}

function definedOnly(values: Readonly<Record<string, ParameterValue | undefined>>): ModelParameters {
  const out: ModelParameters = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined && name !== '__proto__') out[name] = value;
  return out;
}

function withoutParameterIssues(issues: GeneratorState['issues']): GeneratorState['issues'] {
  return issues.some((i) => i.field === 'parameters') ? issues.filter((i) => i.field !== 'parameters') : issues;
}

function pickRatio(caps: ModelCapabilities, wanted: string | undefined): string {
  return wanted && caps.aspectRatios.includes(wanted) ? wanted : caps.defaultAspectRatio;
}

function pickResolution(caps: ModelCapabilities, wanted: string | undefined): string | undefined {
  if (caps.resolutions.length === 0) return undefined;
  const match = wanted && caps.resolutions.find((r) => r.toLowerCase() === wanted.toLowerCase());
  return match || caps.defaultResolution || caps.resolutions[0];
}

function clampN(caps: ModelCapabilities, n: number): number {
  const v = Number.isFinite(n) ? Math.floor(n) : 1;
  if (caps.n.allowed?.length) {
    return caps.n.allowed.includes(v) ? v : (caps.n.allowed.filter((a) => a <= v).pop() ?? caps.n.allowed[0]!);
  }
  return Math.max(caps.n.min, Math.min(caps.n.max, v));
}
