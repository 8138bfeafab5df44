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
import { parseRetryAfter } from '../../src/core/protocol';
import { isRecord } from '../../src/core/util';
import { isLocalRefusal } from './budget';
import { GENERATIONS_PATH, NOT_FOUND_BODY } from './config';
import type { Json } from './context';
import { encoder } from './crypto';
import { isTerminal, present, type Ownership } from './ownership';
import type { Upstream } from './upstream';
import type { ProxyState } from '../state/types';

const MAX_BACKOFF_MS = 60_000;
const HEARTBEAT_MS = 15_000;
/** A slow reader is dropped once this many events wait in its queue. */
const MAX_QUEUED_EVENTS = 64;

interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  open: boolean;
  detach: () => void;
  /** Ends the stream at `maxStreamMs`. */
  lifetime?: ReturnType<typeof setTimeout>;
}

/** Sent when a stream reaches its lifetime: not an error; the task goes on and may be followed again. */
const RECONNECT_EVENT = `retry: 1000
event: reconnect
data: ${JSON.stringify({ reason: 'stream_lifetime' })}

`;

interface Watcher {
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

/**
 * A published change of a task: its raw body, the error that ended it, or a rate limit that delays
 * the next upstream read (`retry`: the `event: retry` payload, already JSON).
 */
type FleetMessage = { body: Json } | { error: string } | { retry: string };

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

export function createStreamHub({ pollIntervalMs, maxStreamMs, upstream, ownership, scrub, isClosed, state, log }: StreamHubDeps): StreamHub {
  const watchers = new Map<string, Watcher>();
  const streamsPerNs = new Map<string, number>();
  const fleet = state?.shared ? state : undefined;
  /** This instance's name on poll leases. */
  const instanceId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  /** A lease outlives one renewal gap (interval + 10 % jitter); followers check twice per interval. */
  const leaseMs = Math.ceil(pollIntervalMs * 1.5);
  const channel = (taskId: string) => `task:${taskId}`;
  let stateWarned = false;
  const stateFailed = (what: string) => {
    if (!stateWarned) log?.(`state unavailable (${what}); event streams poll upstream per instance until it is back`);
    stateWarned = true;
  };

  /** Fleet mode: sends a change to every instance's subscribers (this one's too, through the channel). */
  async function publish(watcher: Watcher | undefined, taskId: string, message: FleetMessage): Promise<void> {
    if (fleet) {
      try {
        await fleet.publish(channel(taskId), JSON.stringify(message));
        return;
      } catch {
        stateFailed('publish');
      }
    }
    if (watcher) deliver(watcher, message);
  }

  function deliver(watcher: Watcher, message: FleetMessage): void {
    if ('body' in message) update(watcher, message.body);
    else if ('retry' in message) broadcast(watcher, `event: retry\ndata: ${scrub(message.retry)}\n\n`);
    else {
      broadcast(watcher, `event: error\ndata: ${scrub(message.error)}\n\n`);
      stopWatcher(watcher);
    }
  }

  function write(sub: Subscriber, chunk: string): void {
    if (!sub.open) return;
    try {
      const queued = sub.controller.desiredSize;
      if (queued !== null && queued < -MAX_QUEUED_EVENTS) {
        endSubscriber(sub);
        return;
      }
      sub.controller.enqueue(encoder.encode(chunk));
    } catch {
      sub.open = false;
    }
  }

  function broadcast(watcher: Watcher, chunk: string): void {
    for (const sub of [...watcher.subscribers]) write(sub, chunk);
  }

  function endSubscriber(sub: Subscriber): void {
    if (sub.lifetime !== undefined) clearTimeout(sub.lifetime);
    sub.lifetime = undefined;
    if (!sub.open) return;
    sub.open = false;
    sub.detach();
    try {
      sub.controller.close();
    } catch {
      // Already closed or errored by the reader.
    }
  }

  function dropSubscriber(watcher: Watcher, sub: Subscriber): void {
    if (!watcher.subscribers.delete(sub)) return;
    streamsPerNs.set(watcher.ns, Math.max(0, (streamsPerNs.get(watcher.ns) ?? 1) - 1));
    if (streamsPerNs.get(watcher.ns) === 0) streamsPerNs.delete(watcher.ns);
    if (watcher.subscribers.size === 0) stopWatcher(watcher);
  }

  function stopWatcher(watcher: Watcher): void {
    watcher.done = true;
    if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
    if (watcher.heartbeat !== undefined) clearInterval(watcher.heartbeat);
    watcher.pollTimer = undefined;
    watcher.heartbeat = undefined;
    watcher.inflight?.abort();
    watcher.inflight = undefined;
    for (const sub of [...watcher.subscribers]) {
      endSubscriber(sub);
      dropSubscriber(watcher, sub);
    }
    if (watchers.get(watcher.taskId) === watcher) watchers.delete(watcher.taskId);
    if (fleet) {
      void watcher.unsubscribe?.then((off) => off?.()).catch(() => {});
      if (watcher.leader) void fleet.releaseLease(`poll:${watcher.taskId}`, instanceId).catch(() => {});
    }
  }

  /** A new upstream state: sent when it differs from the last one; a terminal state ends the streams. */
  function update(watcher: Watcher, raw: Json): void {
    if (watcher.done) return;
    const text = scrub(JSON.stringify(present(raw, watcher.ns)));
    if (text !== watcher.lastText) {
      watcher.lastText = text;
      broadcast(watcher, `event: task\ndata: ${text}\n\n`);
    }
    if (isTerminal(raw)) {
      void ownership.noteBody(watcher.taskId, raw);
      stopWatcher(watcher);
    }
  }

  function schedule(watcher: Watcher, delayMs: number): void {
    if (watcher.done || isClosed()) return;
    if (watcher.pollTimer !== undefined) clearTimeout(watcher.pollTimer);
    watcher.pollTimer = setTimeout(() => {
      watcher.pollTimer = undefined;
      void poll(watcher);
    }, delayMs);
  }

  async function poll(watcher: Watcher): Promise<void> {
    if (watcher.done || isClosed()) return;
    if (fleet) {
      await watcher.unsubscribe; // subscribed before anything is published, so no change is missed here
      // One poll loop per task across the fleet: only the lease holder reads upstream.
      let leader = true;
      try {
        leader = await fleet.lease(`poll:${watcher.taskId}`, instanceId, leaseMs);
      } catch {
        stateFailed('lease');
      }
      watcher.leader = leader;
      if (watcher.done || isClosed()) return;
      if (!leader) {
        schedule(watcher, Math.floor(pollIntervalMs / 2) + jitter(pollIntervalMs));
        return;
      }
    }
    const controller = new AbortController();
    watcher.inflight = controller;
    const result = await upstream.call('GET', `${GENERATIONS_PATH}/${encodeURIComponent(watcher.taskId)}`, {
      poll: true,
      controller,
    });
    if (watcher.inflight === controller) watcher.inflight = undefined;
    if (watcher.done || isClosed()) return;

    if (result.ok && result.status === 200 && isRecord(result.body)) {
      watcher.failures = 0;
      if (fleet) {
        await publish(watcher, watcher.taskId, { body: result.body });
        await ownership.noteBody(watcher.taskId, result.body); // the fleet's last state, for new subscribers
      } else update(watcher, result.body);
      schedule(watcher, pollIntervalMs + jitter(pollIntervalMs));
      return;
    }
    // Refused here by the key-wide budget or an upstream-429 pause: wait exactly that long, without
    // escalating the backoff (the task is fine; every loop is told the same moment).
    if (isLocalRefusal(result)) {
      const wait = result.ok ? (parseRetryAfter(result.headers.get('retry-after')) ?? pollIntervalMs) : pollIntervalMs;
      const delay = wait + jitter(pollIntervalMs);
      if (result.ok && result.status === 429) await publish(watcher, watcher.taskId, { retry: retryEvent(result, delay) });
      schedule(watcher, delay);
      return;
    }
    const retryable = !result.ok || result.status === 429 || result.status >= 500 || result.status === 200;
    if (retryable) {
      watcher.failures++;
      const retryAfter = result.ok ? (parseRetryAfter(result.headers.get('retry-after')) ?? 0) : 0;
      // Never faster than the normal cadence, whatever Retry-After says.
      const backoff = Math.min(pollIntervalMs * 2 ** watcher.failures, MAX_BACKOFF_MS);
      const base = Math.max(retryAfter, backoff);
      const delay = base + jitter(base);
      // A rate limit is shown to the user as a countdown; other hiccups stay quiet (they are retried).
      if (result.ok && result.status === 429) await publish(watcher, watcher.taskId, { retry: retryEvent(result, delay) });
      schedule(watcher, delay);
      return;
    }
    // 4xx other than 429: the task is gone or the key is refused; tell the watchers and stop.
    const errorBody =
      result.status === 404
        ? NOT_FOUND_BODY
        : JSON.stringify(
            isRecord(result.body) && 'error' in result.body
              ? { error: result.body.error }
              : { error: { code: 'upstream_error', message: `The image service answered HTTP ${result.status}.` } },
          );
    if (fleet) await publish(watcher, watcher.taskId, { error: errorBody });
    else {
      broadcast(watcher, `event: error\ndata: ${scrub(errorBody)}\n\n`);
      stopWatcher(watcher);
    }
  }

  function subscribe(taskId: string, ns: string, initial: Json | undefined, signal: AbortSignal, snapshot?: Json): Response {
    let watcher = watchers.get(taskId);
    const isNew = watcher === undefined;
    if (!watcher) {
      watcher = { taskId, ns, subscribers: new Set(), failures: 0, done: false };
      watchers.set(taskId, watcher);
      const w = watcher;
      w.heartbeat = setInterval(() => broadcast(w, ': ping\n\n'), HEARTBEAT_MS);
      if (fleet) {
        w.unsubscribe = fleet
          .subscribe(channel(taskId), (text) => {
            if (w.done) return;
            try {
              deliver(w, JSON.parse(text) as FleetMessage);
            } catch {
              // not a message of ours
            }
          })
          .catch(() => {
            stateFailed('subscribe');
            return undefined;
          });
      }
    }
    const w = watcher;
    let sub: Subscriber | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const onAbort = () => {
            if (sub) {
              endSubscriber(sub);
              dropSubscriber(w, sub);
            }
          };
          sub = {
            controller,
            open: true,
            detach: () => signal.removeEventListener('abort', onAbort),
          };
          signal.addEventListener('abort', onAbort, { once: true });
        },
        cancel() {
          if (sub) {
            if (sub.lifetime !== undefined) clearTimeout(sub.lifetime);
            sub.open = false;
            sub.detach();
            dropSubscriber(w, sub);
          }
        },
      },
      { highWaterMark: 1 },
    );
    const subscriber = sub as Subscriber | undefined;
    if (subscriber) {
      subscriber.lifetime = setTimeout(() => {
        subscriber.lifetime = undefined;
        write(subscriber, RECONNECT_EVENT);
        endSubscriber(subscriber);
        dropSubscriber(w, subscriber);
      }, maxStreamMs);
      w.subscribers.add(subscriber);
      streamsPerNs.set(ns, (streamsPerNs.get(ns) ?? 0) + 1);
      if (w.lastText !== undefined) write(subscriber, `event: task\ndata: ${w.lastText}\n\n`);
    }
    if (isNew) {
      if (initial) {
        update(w, initial);
        schedule(w, pollIntervalMs + jitter(pollIntervalMs));
      } else {
        if (fleet && snapshot && !isTerminal(snapshot)) update(w, snapshot);
        void poll(w);
      }
    }
    if (signal.aborted && subscriber) {
      endSubscriber(subscriber);
      dropSubscriber(w, subscriber);
    }
    return new Response(stream, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  }

  return {
    subscribe,
    update(taskId, raw) {
      const watcher = watchers.get(taskId);
      // Fleet mode: a webhook on this instance reaches the subscribers on every instance.
      if (fleet) void publish(watcher, taskId, { body: raw });
      else if (watcher) update(watcher, raw);
    },
    isWatching: (taskId) => watchers.has(taskId),
    streamsOf: (ns) => streamsPerNs.get(ns) ?? 0,
    subscriberCount() {
      let n = 0;
      for (const w of watchers.values()) n += w.subscribers.size;
      return n;
    },
    close() {
      for (const watcher of [...watchers.values()]) stopWatcher(watcher);
      watchers.clear();
      streamsPerNs.clear();
    },
  };
}

function jitter(ms: number): number {
  return Math.floor(Math.random() * ms * 0.1);
}
