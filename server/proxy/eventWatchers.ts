/**
 * The stream hub's watchers (`events.ts`): one per task, polling upstream (or, with a shared
 * state, following the task's channel while one instance holds the poll lease) and fanning every
 * new state out to its subscribers.
 */
import { parseRetryAfter } from '../../src/core/protocol';
import { isRecord } from '../../src/core/util';
import { isLocalRefusal } from './budget';
import { GENERATIONS_PATH, NOT_FOUND_BODY } from './config';
import type { Json } from './context';
import { endSubscriber, write, type Subscriber } from './eventSubscribers';
import { isTerminal, present, type Ownership } from './ownership';
import type { Upstream, UpstreamResult } from './upstream';
import type { ProxyState } from '../state/types';

const MAX_BACKOFF_MS = 60_000;

export interface Watcher {
  taskId: string;
  ns: string;
  subscribers: Set<Subscriber>;
  lastText?: string;
  pollTimer?: ReturnType<typeof setTimeout>;
  heartbeat?: ReturnType<typeof setInterval>;
  inflight?: AbortController;
  failures: number;
  done: boolean;
  /** Fleet mode: leaves the task's channel. */
  unsubscribe?: Promise<(() => Promise<void>) | undefined>;
  /** Fleet mode: this instance held the poll lease at its last try. */
  leader?: boolean;
}

/**
 * A published change of a task: its raw body, the error that ended it, or a rate limit that delays
 * the next upstream read (`retry`: the `event: retry` payload, already JSON).
 */
export type FleetMessage = { body: Json } | { error: string } | { retry: string };

/** The hub's state and settings, shared by the functions below. */
export interface Hub {
  readonly watchers: Map<string, Watcher>;
  readonly streamsPerNs: Map<string, number>;
  readonly pollIntervalMs: number;
  readonly upstream: Upstream;
  readonly ownership: Ownership;
  readonly scrub: (text: string) => string;
  readonly isClosed: () => boolean;
  /** The shared state when it is shared across instances (fleet mode), else undefined. */
  readonly fleet: ProxyState | undefined;
  /** This instance's name on poll leases. */
  readonly instanceId: string;
  /** A lease outlives one renewal gap (interval + 10 % jitter); followers check twice per interval. */
  readonly leaseMs: number;
  /** Notes (once) that the shared state failed; the hub then polls per instance. */
  stateFailed(what: string): void;
}

export const channel = (taskId: string) => `task:${taskId}`;

export function jitter(ms: number): number {
  return Math.floor(Math.random() * ms * 0.1);
}

export function broadcast(watcher: Watcher, chunk: string): void {
  for (const sub of [...watcher.subscribers]) write(sub, chunk);
}

/** Fleet mode: sends a change to every instance's subscribers (this one's too, through the channel). */
export async function publish(hub: Hub, watcher: Watcher | undefined, taskId: string, message: FleetMessage): Promise<void> {
  if (hub.fleet) {
    try {
      await hub.fleet.publish(channel(taskId), JSON.stringify(message));
      return;
    } catch {
      hub.stateFailed('publish');
    }
  }
  if (watcher) deliver(hub, watcher, message);
}

export function deliver(hub: Hub, watcher: Watcher, message: FleetMessage): void {
  if ('body' in message) update(hub, watcher, message.body);
  else if ('retry' in message) broadcast(watcher, `event: retry\ndata: ${hub.scrub(message.retry)}\n\n`);
  else {
    broadcast(watcher, `event: error\ndata: ${hub.scrub(message.error)}\n\n`);
    stopWatcher(hub, watcher);
  }
}

export function dropSubscriber(hub: Hub, watcher: Watcher, sub: Subscriber): void {
  if (!watcher.subscribers.delete(sub)) return;
  const { streamsPerNs } = hub;
  streamsPerNs.set(watcher.ns, Math.max(0, (streamsPerNs.get(watcher.ns) ?? 1) - 1));
  if (streamsPerNs.get(watcher.ns) === 0) streamsPerNs.delete(watcher.ns);
  if (watcher.subscribers.size === 0) stopWatcher(hub, watcher);
}

export function stopWatcher(hub: Hub, watcher: Watcher): void {
  watcher.done = true;
  if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
  if (watcher.heartbeat !== undefined) clearInterval(watcher.heartbeat);
  watcher.pollTimer = undefined;
  watcher.heartbeat = undefined;
  watcher.inflight?.abort();
  watcher.inflight = undefined;
  for (const sub of [...watcher.subscribers]) {
    endSubscriber(sub);
    dropSubscriber(hub, watcher, sub);
  }
  if (hub.watchers.get(watcher.taskId) === watcher) hub.watchers.delete(watcher.taskId);
  const { fleet } = hub;
  if (fleet) {
    void watcher.unsubscribe?.then((off) => off?.()).catch(() => {});
    if (watcher.leader) void fleet.releaseLease(`poll:${watcher.taskId}`, hub.instanceId).catch(() => {});
  }
}

/** A new upstream state: sent when it differs from the last one; a terminal state ends the streams. */
export function update(hub: Hub, watcher: Watcher, raw: Json): void {
  if (watcher.done) return;
  const text = hub.scrub(JSON.stringify(present(raw, watcher.ns)));
  if (text !== watcher.lastText) {
    watcher.lastText = text;
    broadcast(watcher, `event: task\ndata: ${text}\n\n`);
  }
  if (isTerminal(raw)) {
    void hub.ownership.noteBody(watcher.taskId, raw);
    stopWatcher(hub, watcher);
  }
}

/** Fleet mode: subscribes `w` to its task's channel (`w.unsubscribe` resolves undefined when that failed). */
export function follow(hub: Hub, w: Watcher, fleet: ProxyState): void {
  w.unsubscribe = fleet
    .subscribe(channel(w.taskId), (text) => {
      if (w.done) return;
      try {
        deliver(hub, w, JSON.parse(text) as FleetMessage);
      } catch {
        // not a message of ours
      }
    })
    .catch(() => {
      hub.stateFailed('subscribe');
      return undefined;
    });
}

export function schedule(hub: Hub, watcher: Watcher, delayMs: number): void {
  if (watcher.done || hub.isClosed()) return;
  if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
  watcher.pollTimer = setTimeout(() => {
    watcher.pollTimer = undefined;
    void poll(hub, watcher);
  }, delayMs);
}

/**
 * Fleet mode: whether this instance reads the task upstream: when it holds the task's poll lease
 * (else it checks again in half an interval), or when it cannot hear the fleet's changes (its
 * subscription failed, e.g. Redis was away when the stream opened, and failed again just now).
 */
async function holdsLease(hub: Hub, watcher: Watcher, fleet: ProxyState): Promise<boolean> {
  // Subscribed before anything is published, so no change is missed here.
  if (!(await watcher.unsubscribe) && !watcher.done) {
    follow(hub, watcher, fleet);
    if (!(await watcher.unsubscribe)) return !watcher.done && !hub.isClosed();
  }
  // One poll loop per task across the fleet: only the lease holder reads upstream.
  let leader = true;
  try {
    leader = await fleet.lease(`poll:${watcher.taskId}`, hub.instanceId, hub.leaseMs);
  } catch {
    hub.stateFailed('lease');
  }
  watcher.leader = leader;
  if (watcher.done || hub.isClosed()) return false;
  if (!leader) schedule(hub, watcher, Math.floor(hub.pollIntervalMs / 2) + jitter(hub.pollIntervalMs));
  return leader;
}

/** One upstream read of the task, then the next one scheduled, or the streams ended. */
export async function poll(hub: Hub, watcher: Watcher): Promise<void> {
  if (watcher.done || hub.isClosed()) return;
  if (hub.fleet && !(await holdsLease(hub, watcher, hub.fleet))) return;
  const { pollIntervalMs } = hub;
  const controller = new AbortController();
  watcher.inflight = controller;
  const result = await hub.upstream.call('GET', `${GENERATIONS_PATH}/${encodeURIComponent(watcher.taskId)}`, {
    poll: true,
    controller,
  });
  if (watcher.inflight === controller) watcher.inflight = undefined;
  if (watcher.done || hub.isClosed()) return;

  if (result.ok && result.status === 200 && isRecord(result.body)) {
    watcher.failures = 0;
    if (hub.fleet) {
      await publish(hub, watcher, watcher.taskId, { body: result.body });
      await hub.ownership.noteBody(watcher.taskId, result.body); // the fleet's last state, for new subscribers
    } else update(hub, watcher, result.body);
    schedule(hub, watcher, pollIntervalMs + jitter(pollIntervalMs));
    return;
  }
  const delay = retryDelay(result, watcher, pollIntervalMs);
  if (delay !== undefined) {
    // A rate limit is shown to the user as a countdown; other hiccups stay quiet (they are retried).
    if (result.ok && result.status === 429) await publish(hub, watcher, watcher.taskId, { retry: retryEvent(result, delay) });
    schedule(hub, watcher, delay);
    return;
  }
  if (!result.ok) return; // not reached: a call that failed always gets a retry delay above
  // 4xx other than 429: the task is gone or the key is refused; tell the watchers and stop.
  const errorBody =
    result.status === 404
      ? NOT_FOUND_BODY
      : JSON.stringify(
          isRecord(result.body) && 'error' in result.body
            ? { error: result.body.error }
            : { error: { code: 'upstream_error', message: `The image service answered HTTP ${result.status}.` } },
        );
  if (hub.fleet) await publish(hub, watcher, watcher.taskId, { error: errorBody });
  else {
    broadcast(watcher, `event: error\ndata: ${hub.scrub(errorBody)}\n\n`);
    stopWatcher(hub, watcher);
  }
}

/** How long to wait before reading again after a failed read; undefined when reading again is pointless. */
function retryDelay(result: UpstreamResult, watcher: Watcher, pollIntervalMs: number): number | undefined {
  // Refused here by the key-wide budget or an upstream-429 pause: wait exactly that long, without
  // escalating the backoff (the task is fine; every loop is told the same moment).
  if (isLocalRefusal(result)) {
    const wait = result.ok ? (parseRetryAfter(result.headers.get('retry-after')) ?? pollIntervalMs) : pollIntervalMs;
    return wait + jitter(pollIntervalMs);
  }
  const retryable = !result.ok || result.status === 429 || result.status >= 500 || result.status === 200;
  if (!retryable) return undefined;
  watcher.failures++;
  const retryAfter = result.ok ? (parseRetryAfter(result.headers.get('retry-after')) ?? 0) : 0;
  // Never faster than the normal cadence, whatever Retry-After says.
  const backoff = Math.min(pollIntervalMs * 2 ** watcher.failures, MAX_BACKOFF_MS);
  const base = Math.max(retryAfter, backoff);
  return base + jitter(base);
}

/**
 * `event: retry` data: why and for how long the next upstream read waits, so the browser can show a
 * countdown (the stream stays open; the next `event: task` clears it).
 */
function retryEvent(result: { ok: boolean; status?: number; body?: unknown }, delayMs: number): string {
  const body = result.ok && isRecord(result.body) && isRecord(result.body.error) ? result.body.error : undefined;
  const code = typeof body?.code === 'string' || typeof body?.code === 'number' ? body.code : 'rate_limit_exceeded';
  const message = typeof body?.message === 'string' ? body.message.slice(0, 300) : 'The image service is rate limiting status reads.';
  return JSON.stringify({ status: 429, retry_after_ms: Math.round(delayMs), error: { code, message } });
}
