/**
 * The stream hub behind `GET /v1/images/generations/:id/events`: one watcher per task, however
 * many browsers follow it, fanning each new state out as `event: task` with a `: ping` every 15 s.
 * A watcher polls upstream every `pollIntervalMs` (with jitter, and backoff on errors and on
 * `Retry-After`), or is fed by webhooks through {@link StreamHub.update}. A terminal state ends
 * its streams; so does the last subscriber leaving, or `close()`. A stream lives at most
 * `maxStreamMs`: then it gets `event: reconnect` (with a `retry:` hint for EventSource clients) and
 * is closed cleanly; the kit reads the task once and opens a new stream.
 *
 * With a shared state (Redis, several instances) the hub works fleet-wide: a lease per task decides
 * which instance polls upstream, every change (from that poll or from a webhook on any instance) is
 * published once on the task's channel, and every instance with subscribers relays it to them. If
 * the polling instance dies, its lease runs out and another instance with subscribers takes over.
 * Should the state fail, each instance polls for its own subscribers again (nothing is lost, only
 * more upstream reads are made).
 */
import type { Json } from './context';
import { RECONNECT_EVENT, endSubscriber, eventStreamResponse, openSubscriberStream, write } from './eventSubscribers';
import {
  broadcast,
  dropSubscriber,
  follow,
  jitter,
  poll,
  publish,
  schedule,
  stopWatcher,
  update,
  type Hub,
  type Watcher,
} from './eventWatchers';
import { isTerminal, type Ownership } from './ownership';
import type { Upstream } from './upstream';
import type { ProxyState } from '../state/types';

const HEARTBEAT_MS = 15_000;

export interface StreamHub {
  /**
   * Opens an event stream on the task for a caller in `ns`; `initial` is sent first when the task
   * has no watcher yet. With a shared state, `snapshot` (the last state the fleet saw) is sent at
   * once too, before this instance's first poll or the next published change.
   */
  subscribe(taskId: string, ns: string, initial: Json | undefined, signal: AbortSignal, snapshot?: Json): Response;
  /** A new upstream state of the task (from a webhook); ignored when nobody watches it. */
  update(taskId: string, raw: Json): void;
  isWatching(taskId: string): boolean;
  /** Streams open right now for the namespace. */
  streamsOf(ns: string): number;
  /** Streams open right now, in total. */
  subscriberCount(): number;
  /** Stops every watcher and ends every stream. */
  close(): void;
}

export interface StreamHubDeps {
  pollIntervalMs: number;
  /** Longest life of one stream, in milliseconds. */
  maxStreamMs: number;
  upstream: Upstream;
  ownership: Ownership;
  scrub: (text: string) => string;
  isClosed: () => boolean;
  /** Shared state; when `state.shared`, polling and fan-out are coordinated across instances. */
  state?: ProxyState;
  /** Notable events (state failures). */
  log?: (line: string) => void;
}

export function createStreamHub({ pollIntervalMs, maxStreamMs, upstream, ownership, scrub, isClosed, state, log }: StreamHubDeps): StreamHub {
  let stateWarned = false;
  const hub: Hub = {
    watchers: new Map(),
    streamsPerNs: new Map(),
    pollIntervalMs,
    upstream,
    ownership,
    scrub,
    isClosed,
    fleet: state?.shared ? state : undefined,
    instanceId: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    leaseMs: Math.ceil(pollIntervalMs * 1.5),
    stateFailed(what) {
      if (!stateWarned) log?.(`state unavailable (${what}); event streams poll upstream per instance until it is back`);
      stateWarned = true;
    },
  };
  const { watchers, streamsPerNs } = hub;

  return {
    subscribe: (taskId, ns, initial, signal, snapshot) => subscribe(hub, maxStreamMs, { taskId, ns, initial, signal, snapshot }),
    update(taskId, raw) {
      const watcher = watchers.get(taskId);
      // Fleet mode: a webhook on this instance reaches the subscribers on every instance.
      if (hub.fleet) void publish(hub, watcher, taskId, { body: raw });
      else if (watcher) update(hub, watcher, raw);
    },
    isWatching: (taskId) => watchers.has(taskId),
    streamsOf: (ns) => streamsPerNs.get(ns) ?? 0,
    subscriberCount() {
      let n = 0;
      for (const w of watchers.values()) n += w.subscribers.size;
      return n;
    },
    close() {
      for (const watcher of [...watchers.values()]) stopWatcher(hub, watcher);
      watchers.clear();
      streamsPerNs.clear();
    },
  };
}

/** The task's watcher; a new one starts its heartbeat and, in fleet mode, follows the task's channel. */
function watcherFor(hub: Hub, taskId: string, ns: string): { watcher: Watcher; isNew: boolean } {
  const existing = hub.watchers.get(taskId);
  if (existing) return { watcher: existing, isNew: false };
  const w: Watcher = { taskId, ns, subscribers: new Set(), failures: 0, done: false };
  hub.watchers.set(taskId, w);
  w.heartbeat = setInterval(() => broadcast(w, ': ping\n\n'), HEARTBEAT_MS);
  if (hub.fleet) follow(hub, w, hub.fleet);
  return { watcher: w, isNew: true };
}


interface SubscribeRequest {
  taskId: string;
  ns: string;
  initial: Json | undefined;
  signal: AbortSignal;
  snapshot: Json | undefined;
}

/** `StreamHub.subscribe`: one more stream on the task's watcher. */
function subscribe(hub: Hub, maxStreamMs: number, { taskId, ns, initial, signal, snapshot }: SubscribeRequest): Response {
  const { watcher: w, isNew } = watcherFor(hub, taskId, ns);
  const { stream, subscriber } = openSubscriberStream(signal, (sub) => dropSubscriber(hub, w, sub));
  if (subscriber) {
    subscriber.lifetime = setTimeout(() => {
      subscriber.lifetime = undefined;
      write(subscriber, RECONNECT_EVENT);
      endSubscriber(subscriber);
      dropSubscriber(hub, w, subscriber);
    }, maxStreamMs);
    w.subscribers.add(subscriber);
    hub.streamsPerNs.set(ns, (hub.streamsPerNs.get(ns) ?? 0) + 1);
    if (w.lastText !== undefined) write(subscriber, `event: task\ndata: ${w.lastText}\n\n`);
  }
  if (isNew) {
    if (initial) {
      update(hub, w, initial);
      schedule(hub, w, hub.pollIntervalMs + jitter(hub.pollIntervalMs));
    } else {
      if (hub.fleet && snapshot && !isTerminal(snapshot)) update(hub, w, snapshot);
      void poll(hub, w);
    }
  }
  if (signal.aborted && subscriber) {
    endSubscriber(subscriber);
    dropSubscriber(hub, w, subscriber);
  }
  return eventStreamResponse(stream);
}
