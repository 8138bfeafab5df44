/**
 * Ownership: every task is bound to the namespace of the identity that submitted it. A foreign task
 * id or business id gets the same 404 as an unknown one. A task this instance never saw (another
 * instance, a restart) is served only when its upstream business id is in the caller's namespace,
 * so several instances sharing `sessionSecret` need no shared state.
 */
import { statusToPhase } from '../../src/core/protocol';
import { isRecord } from '../../src/core/util';
import { BoundedMap } from './boundedMap';
import { GENERATIONS_PATH, MAX_RECORDS } from './config';
import type { Json } from './context';
import type { Responses } from './responses';
import type { Upstream } from './upstream';

export interface TaskRecord {
  ns: string;
  /** Namespaced business id, when known. */
  businessId?: string;
  /** The terminal task body (raw, namespaced), once seen. */
  final?: Json;
}

export type Resolution =
  | { kind: 'task'; taskId: string }
  | { kind: 'lookup'; wireId: string }
  | { kind: 'probe'; taskId: string; wireId: string }
  | { kind: 'none' };

export interface Ownership {
  /** What this instance knows of a task. */
  record(taskId: string): TaskRecord | undefined;
  /** Records the task in a submit or status answer for `ns`; returns its id. */
  rememberFromBody(body: Json, ns: string): string | undefined;
  /** A task id the caller owns, one of their business ids, or a business-id lookup in their namespace. */
  resolve(id: string, ns: string): Resolution;
  /** Reads a task upstream for the caller; records ownership when found by business id. */
  readTask(resolution: Resolution, ns: string, client: Request): Promise<{ taskId: string; body: Json } | Response>;
}

export function createOwnership(upstream: Upstream, responses: Responses): Ownership {
  const tasks = new BoundedMap<string, TaskRecord>(MAX_RECORDS);
  const businessIndex = new BoundedMap<string, string>(MAX_RECORDS);

  function remember(taskId: string, ns: string, businessId: string | undefined): TaskRecord {
    const existing = tasks.get(taskId);
    // A task keeps its first owner; namespaced business ids make a second one impossible anyway.
    if (existing && existing.ns !== ns) return existing;
    const record: TaskRecord = existing ?? { ns };
    if (businessId && businessId.startsWith(`${ns}:`)) {
      record.businessId = businessId;
      businessIndex.set(businessId, taskId);
    }
    tasks.set(taskId, record);
    return record;
  }

  function rememberFromBody(body: Json, ns: string): string | undefined {
    const taskId = asId(body.id) ?? asId(body.task_id);
    if (!taskId) return undefined;
    const record = remember(taskId, ns, typeof body.client_business_id === 'string' ? body.client_business_id : undefined);
    if (isTerminal(body)) record.final = body;
    return taskId;
  }

  function resolve(id: string, ns: string): Resolution {
    const record = tasks.get(id);
    if (record?.ns === ns) return { kind: 'task', taskId: id };
    const wireId = `${ns}:${id}`;
    const viaBusiness = businessIndex.get(wireId);
    if (viaBusiness !== undefined) return { kind: 'task', taskId: viaBusiness };
    // Unknown here (another instance, or a restart): ownership is proven by the upstream task's own
    // namespaced business id, so several instances sharing `sessionSecret` need no shared state.
    // Someone else's task takes exactly the same path (and the same upstream calls) as an unknown
    // id, so neither the answer nor its cost or timing tells a foreign id from a made-up one.
    return wireId.length <= 128 ? { kind: 'probe', taskId: id, wireId } : { kind: 'none' };
  }

  async function readTask(resolution: Resolution, ns: string, client: Request): Promise<{ taskId: string; body: Json } | Response> {
    if (resolution.kind === 'none') return responses.notFound();
    if (resolution.kind === 'probe') {
      const byId = await upstream.call('GET', `${GENERATIONS_PATH}/${encodeURIComponent(resolution.taskId)}`, { client });
      if (!byId.ok) return responses.upstreamFailed(byId.reason);
      if (byId.status === 200 && isRecord(byId.body)) {
        const cbid = byId.body.client_business_id;
        if (typeof cbid === 'string' && cbid.startsWith(`${ns}:`)) {
          const taskId = rememberFromBody(byId.body, ns);
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
      const taskId = rememberFromBody({ ...body, client_business_id: resolution.wireId }, ns);
      if (!taskId) return responses.badUpstream();
      return { taskId, body };
    }
    const record = tasks.get(resolution.taskId);
    if (record && isTerminal(body)) record.final = body;
    return { taskId: resolution.taskId, body };
  }

  return { record: (taskId) => tasks.get(taskId), rememberFromBody, resolve, readTask };
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
