/**
 * Ownership: every task is bound to the namespace of the identity that submitted it. A foreign task
 * id or business id gets the same 404 as an unknown one. Records live in the proxy's `state`
 * (memory by default; Redis when several instances serve one site), so any instance knows who owns
 * a task another one handed out, also after a restart. A task no record knows of (records expired,
 * or the state is unreachable) is still served when its upstream business id is in the caller's
 * namespace.
 */
import { statusToPhase } from '../../src/core/protocol';
import { isRecord } from '../../src/core/util';
import type { ProxyState, StoredTask } from '../state/types';
import { BoundedMap } from './boundedMap';
import { encoder, toHex } from './crypto';
import { BUSY_RETRY_AFTER_S, GENERATIONS_PATH } from './config';
import type { Json } from './context';
import type { Responses } from './responses';
import type { Upstream } from './upstream';

/** Records outlive the upstream's 24 h result expiry by a day. */
export const TASK_RECORD_TTL_MS = 48 * 60 * 60 * 1000;

export interface TaskRecord {
  ns: string;
  /** Namespaced business id, when known. */
  businessId?: string;
  /** The terminal task body (raw, namespaced), once seen. */
  final?: Json;
  /** The last task body seen (raw, namespaced). */
  last?: Json;
}

export type Resolution = (
  | { kind: 'task'; taskId: string }
  | { kind: 'lookup'; wireId: string }
  | { kind: 'probe'; taskId: string; wireId: string }
  | { kind: 'none' }
) & {
  /**
   * The state could not be reached while resolving: a task not found upstream may still be the
   * caller's, so "not found" is answered as 503 (try again) rather than 404 (which ends the task).
   */
  unverified?: true;
};

export interface Ownership {
  /** What the state knows of a task (undefined also when the state cannot be reached). */
  record(taskId: string): Promise<TaskRecord | undefined>;
  /** Records the task in a submit or status answer for `ns`; returns its id. */
  rememberFromBody(body: Json, ns: string): Promise<string | undefined>;
  /** Keeps a newer body of a known task (poll, webhook) as its last snapshot. */
  noteBody(taskId: string, body: Json): Promise<void>;
  /** A task id the caller owns, one of their business ids, or a business-id lookup in their namespace. */
  resolve(id: string, ns: string): Promise<Resolution>;
  /**
   * Records an upload URL the upload route handed to `ns` (issue 15: a `mask_url` must be one). Kept
   * with the task records, under a key no task id can take (`upload/<sha-256 of the URL>`).
   */
  rememberUpload(url: string, ns: string): Promise<void>;
  /** Whether the upload route handed `url` to `ns` (false too when the state cannot be reached). */
  ownsUpload(url: string, ns: string): Promise<boolean>;
  /** Reads a task upstream for the caller; records ownership when found by business id. */
  readTask(resolution: Resolution, ns: string, client: Request): Promise<{ taskId: string; body: Json } | Response>;
}

export function createOwnership(upstream: Upstream, responses: Responses, state: ProxyState, log: (line: string) => void = () => {}): Ownership {
  const records = createTaskRecords(state, log);
  return { ...records, readTask: createTaskReader(upstream, responses, records) };
}

type TaskRecords = Omit<Ownership, 'readTask'>;

/** The state side of ownership: what is recorded of each task, and whose a given id is. */
function createTaskRecords(shared: ProxyState, log: (line: string) => void): TaskRecords {
  let warned = false;
  /** State reads and writes never fail a request: without the state, ownership is proven upstream. */
  async function safely<T>(what: string, op: () => Promise<T>, fallback: T, onFailure?: () => void): Promise<T> {
    try {
      return await op();
    } catch {
      onFailure?.();
      if (!warned) log(`state unavailable (${what}); task ownership falls back to this instance's own records, then the upstream business id`);
      warned = true;
      return fallback;
    }
  }
  const state = shared.shared ? withLocalCopy(shared) : shared;
  const toRecord = (stored: StoredTask | undefined): TaskRecord | undefined =>
    stored && {
      ns: stored.ns,
      ...(stored.businessId !== undefined && { businessId: stored.businessId }),
      ...(stored.last && { last: stored.last }),
      ...(stored.last && isTerminal(stored.last) && { final: stored.last }),
    };

  async function record(taskId: string): Promise<TaskRecord | undefined> {
    return toRecord(await safely('read', () => state.getTask(taskId), undefined));
  }

  async function rememberFromBody(body: Json, ns: string): Promise<string | undefined> {
    const taskId = asId(body.id) ?? asId(body.task_id);
    if (!taskId) return undefined;
    const existing = await safely('read', () => state.getTask(taskId), undefined);
    // A task keeps its first owner; namespaced business ids make a second one impossible anyway.
    if (existing && existing.ns !== ns) return taskId;
    const businessId = typeof body.client_business_id === 'string' && body.client_business_id.startsWith(`${ns}:`) ? body.client_business_id : existing?.businessId;
    const stored: StoredTask = {
      ns,
      createdAt: existing?.createdAt ?? Date.now(),
      ...(businessId !== undefined && { businessId }),
      ...(typeof body.model === 'string' && { model: body.model }),
      last: body,
    };
    await safely('write', () => state.putTask(taskId, stored, TASK_RECORD_TTL_MS), undefined);
    return taskId;
  }

  async function noteBody(taskId: string, body: Json): Promise<void> {
    const existing = await safely('read', () => state.getTask(taskId), undefined);
    if (!existing) return;
    await safely('write', () => state.putTask(taskId, { ...existing, last: body }, TASK_RECORD_TTL_MS), undefined);
  }

  async function resolve(id: string, ns: string): Promise<Resolution> {
    let unverified = false;
    const read = <T>(op: () => Promise<T>) =>
      safely('read', op, undefined, () => {
        unverified = true;
      });
    const stored = await read(() => state.getTask(id));
    if (stored?.ns === ns) return { kind: 'task', taskId: id };
    const wireId = `${ns}:${id}`;
    const viaBusiness = wireId.length <= 128 ? await read(() => state.taskForBusinessId(wireId)) : undefined;
    if (viaBusiness !== undefined) return { kind: 'task', taskId: viaBusiness };
    // Unknown to the state (expired, or the state is unreachable): ownership is proven by the
    // upstream task's own namespaced business id. Someone else's task takes exactly the same path
    // (and the same upstream calls) as an unknown id, so neither the answer nor its cost or timing
    // tells a foreign id from a made-up one.
    const flag = unverified ? { unverified: true as const } : {};
    return wireId.length <= 128 ? { kind: 'probe', taskId: id, wireId, ...flag } : { kind: 'none', ...flag };
  }

  /** Task ids are `[A-Za-z0-9_.:-]`: a `/` keeps upload records apart from them. */
  async function uploadKey(url: string): Promise<string> {
    return `upload/${toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(url))))}`;
  }

  async function rememberUpload(url: string, ns: string): Promise<void> {
    const key = await uploadKey(url);
    await safely('write', () => state.putTask(key, { ns, createdAt: Date.now() }, TASK_RECORD_TTL_MS), undefined);
  }

  async function ownsUpload(url: string, ns: string): Promise<boolean> {
    const key = await uploadKey(url);
    return (await safely('read', () => state.getTask(key), undefined))?.ns === ns;
  }

  return { record, rememberFromBody, noteBody, resolve, rememberUpload, ownsUpload };
}

/** Records this instance keeps of its own, for while a shared state cannot be reached. */
const LOCAL_RECORDS = 10_000;

/**
 * A shared state (Redis) with a copy of what this instance wrote in it, most recent first: while
 * the state cannot be reached, a task this instance submitted or has seen is still known to be its
 * owner's, so reading it or following it does not depend on the upstream echoing the business id.
 */
function withLocalCopy(state: ProxyState): Pick<ProxyState, 'getTask' | 'putTask' | 'taskForBusinessId'> {
  const tasks = new BoundedMap<string, StoredTask>(LOCAL_RECORDS);
  const byBusinessId = new BoundedMap<string, string>(LOCAL_RECORDS);
  return {
    async getTask(taskId) {
      let stored: StoredTask | undefined;
      try {
        stored = await state.getTask(taskId);
      } catch (error) {
        return orThrow(tasks.get(taskId), error);
      }
      const mine = stored ? undefined : tasks.get(taskId);
      // The state lost a record this instance wrote (Redis restarted without persistence): put it
      // back, so the other instances know the task again.
      if (mine) await state.putTask(taskId, mine, TASK_RECORD_TTL_MS).catch(() => {});
      return stored ?? mine;
    },
    async putTask(taskId, task, ttlMs) {
      tasks.set(taskId, task);
      if (task.businessId !== undefined) byBusinessId.set(task.businessId, taskId);
      await state.putTask(taskId, task, ttlMs);
    },
    taskForBusinessId: (businessId) =>
      state.taskForBusinessId(businessId).then(
        (taskId) => taskId ?? byBusinessId.get(businessId),
        (error: unknown) => orThrow(byBusinessId.get(businessId), error),
      ),
  };
}

/** `value` when there is one; otherwise the state's error again. */
function orThrow<T>(value: T | undefined, error: unknown): T {
  if (value === undefined) throw error;
  return value;
}

/** The upstream side of ownership: {@link Ownership.readTask}, recording what it learns through the state side. */
function createTaskReader(upstream: Upstream, responses: Responses, { rememberFromBody, noteBody }: TaskRecords): Ownership['readTask'] {
  return async function readTaskOrRetry(resolution, ns, client) {
    const read = await readTask(resolution, ns, client);
    // Not found while the state was away: perhaps the caller's after all (a task another instance
    // recorded). Come back shortly, rather than a 404 that ends a paid task in the kit.
    if (resolution.unverified && read instanceof Response && read.status === 404) {
      return responses.busy('state_unavailable', 'The image proxy cannot check this task right now; please retry in a few seconds.', BUSY_RETRY_AFTER_S);
    }
    return read;
  };

  async function readTask(resolution: Resolution, ns: string, client: Request): Promise<{ taskId: string; body: Json } | Response> {
    if (resolution.kind === 'none') return responses.notFound();
    if (resolution.kind === 'probe') {
      const byId = await upstream.call('GET', `${GENERATIONS_PATH}/${encodeURIComponent(resolution.taskId)}`, { client });
      if (!byId.ok) return responses.upstreamFailed(byId.reason);
      if (byId.status === 200 && isRecord(byId.body)) {
        const cbid = byId.body.client_business_id;
        if (typeof cbid === 'string' && cbid.startsWith(`${ns}:`)) {
          const taskId = await rememberFromBody(byId.body, ns);
          if (taskId === resolution.taskId) return { taskId, body: byId.body };
        }
      } else if (byId.status !== 404) {
        return responses.relayError(byId);
      }
      return readTask({ kind: 'lookup', wireId: resolution.wireId }, ns, client);
    }
    const wireId = resolution.kind === 'task' ? resolution.taskId : resolution.wireId;
    const result = await upstream.call('GET', `${GENERATIONS_PATH}/${encodeURIComponent(wireId)}`, { client });
    if (!result.ok) return responses.upstreamFailed(result.reason);
    if (result.status === 404) return responses.notFound();
    if (result.status !== 200) return responses.relayError(result);
    if (!isRecord(result.body)) return responses.badUpstream();
    const body = result.body;
    if (resolution.kind === 'lookup') {
      // Only a task carrying this caller's namespaced business id counts as found.
      if (body.client_business_id !== undefined && body.client_business_id !== resolution.wireId) return responses.notFound();
      const taskId = await rememberFromBody({ ...body, client_business_id: resolution.wireId }, ns);
      if (!taskId) return responses.badUpstream();
      return { taskId, body };
    }
    await noteBody(resolution.taskId, body);
    return { taskId: resolution.taskId, body };
  };
}

/* -------------------------------------------------------------------------------------------------
 * Task bodies
 * -----------------------------------------------------------------------------------------------*/

/** A task or business id from a JSON value: a non-empty string (at most 256) or a finite number. */
export function asId(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function isTerminal(task: Json): boolean {
  const phase = statusToPhase(typeof task.status === 'string' ? task.status : '');
  return phase === 'completed' || phase === 'failed';
}

/** The task as the caller sees it: the business id without this caller's namespace (or not at all). */
export function present(task: Json, ns: string): Json {
  const out: Json = { ...task };
  const strip = (value: unknown): string | undefined =>
    typeof value === 'string' && value.startsWith(`${ns}:`) ? value.slice(ns.length + 1) : undefined;
  if ('client_business_id' in out) {
    const id = strip(out.client_business_id);
    if (id === undefined) delete out.client_business_id;
    else out.client_business_id = id;
  }
  if (isRecord(out.metadata) && 'client_business_id' in out.metadata) {
    const metadata = { ...out.metadata };
    const id = strip(metadata.client_business_id);
    if (id === undefined) delete metadata.client_business_id;
    else metadata.client_business_id = id;
    out.metadata = metadata;
  }
  return out;
}
