/**
 * Result expiry in the store: a completed task keeps when its result URLs expire (and keeps it
 * across a reload); an expired result is refused as a reference and, when one expired in the tray,
 * the submit says so instead of sending a URL the service can no longer fetch.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createGeneratorStore, type GeneratorStore } from '../../src/store';
import type { StorageLike } from '../../src/store/persistence';
import type { GeneratorStoreOptions } from '../../src/store/types';
import { useSimulatorServer } from '../msw/server';
import { until, useFakeClock } from './harness';

const sim = useSimulatorServer({ seed: 5, queuedMs: 100, generatingMs: 200 });
const DAY = 24 * 60 * 60 * 1000;

let stores: GeneratorStore[] = [];
function makeStore(options: Partial<GeneratorStoreOptions> = {}) {
  const store = createGeneratorStore({ backendUrl: sim.baseUrl, pollInterval: 100, stream: false, ...options });
  stores.push(store);
  return store;
}

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

async function completedTask(store: GeneratorStore) {
  store.getState().setPrompt('a lighthouse at dusk');
  await store.getState().submit();
  const s = await until(store, (st) => st.tasks[0]?.phase === 'completed');
  return s.tasks[0]!;
}

beforeEach(() => useFakeClock());
afterEach(() => {
  for (const s of stores) s.getState().dispose();
  stores = [];
  vi.useRealTimers();
});

describe('result expiry in the store', () => {
  it('keeps expires_at with the completed task, and across a reload', async () => {
    let expiresAt: number | undefined;
    sim.server.use(
      http.get('*/v1/images/generations/:id', async ({ request }) => {
        const res = await sim.simulator.fetch(request);
        const body = (await res.json()) as Record<string, unknown>;
        if (typeof body.expires_at === 'number') expiresAt = body.expires_at * 1000;
        return HttpResponse.json(body, { status: res.status });
      }),
    );
    const storage = memoryStorage();
    const a = makeStore({ persist: { storage, key: 'k' } });
    const task = await completedTask(a);
    expect(expiresAt).toBeDefined();
    expect(task.expiresAt).toBe(expiresAt);
    expect(task.expiresAt! - Date.now()).toBeGreaterThan(DAY - 5000);
    a.getState().dispose();
    const b = makeStore({ persist: { storage, key: 'k' } });
    expect(b.getState().tasks[0]!.expiresAt).toBe(expiresAt);
  });

  it('uses 24 h from completion when the backend sends no expires_at', async () => {
    sim.server.use(
      http.get('*/v1/images/generations/:id', async ({ request }) => {
        const body = (await (await sim.simulator.fetch(request)).json()) as Record<string, unknown>;
        delete body.expires_at;
        delete body.completed_at;
        return HttpResponse.json(body);
      }),
    );
    const task = await completedTask(makeStore());
    expect(task.expiresAt).toBe(task.completedAt! + DAY);
  });

  it('refuses an expired result as a reference, with a notice', async () => {
    const store = makeStore();
    const task = await completedTask(store);
    const url = task.images[0]!.url;
    vi.setSystemTime(task.expiresAt!);
    expect(store.getState().addReferenceUrl(url, 'Result 1')).toBe(false);
    expect(store.getState().references).toEqual([]);
    expect(store.getState().notices).toEqual([expect.objectContaining({ code: 'expired', fileName: 'Result 1' })]);
    vi.setSystemTime(task.expiresAt! - 1);
    expect(store.getState().addReferenceUrl(url, 'Result 1')).toBe(true);
  });

  it('does not send a reference whose result expired while in the tray; the issue says so', async () => {
    const store = makeStore();
    const task = await completedTask(store);
    expect(store.getState().addReferenceUrl(task.images[0]!.url, 'Result 1')).toBe(true);
    vi.setSystemTime(task.expiresAt! + 1);
    const submits = sim.simulator.stats.submits;
    store.getState().setPrompt('again, like this');
    expect(await store.getState().submit()).toBeUndefined();
    expect(sim.simulator.stats.submits).toBe(submits);
    expect(store.getState().issues).toEqual([expect.objectContaining({ field: 'references', message: expect.stringContaining('"Result 1" has expired') })]);
    // Removing it lets the next submit go.
    store.getState().removeReference(store.getState().references[0]!.id);
    expect(await store.getState().submit()).toBeDefined();
    expect(sim.simulator.stats.submits).toBe(submits + 1);
  });

  it('fetchResultImage uses the download route only when the backend announces it, and never for expired results', async () => {
    const routeHits: string[] = [];
    let downloads = false;
    sim.server.use(
      http.get('*/v1/capabilities', () => HttpResponse.json({ stream: false, downloads })),
      http.get('*/v1/images/generations/:id/images/:n', ({ request }) => {
        routeHits.push(new URL(request.url).pathname);
        return new HttpResponse(new Uint8Array([1, 2]), { headers: { 'Content-Type': 'image/png' } });
      }),
    );
    const none = makeStore();
    const t1 = await completedTask(none);
    expect(await none.getState().fetchResultImage(t1.id, 1)).toBeUndefined();
    expect(routeHits).toEqual([]);

    downloads = true;
    const store = makeStore();
    const task = await completedTask(store);
    const blob = await store.getState().fetchResultImage(task.id, 1);
    expect(blob?.size).toBe(2);
    expect(routeHits).toEqual([`/v1/images/generations/${task.taskId}/images/1`]);
    vi.setSystemTime(task.expiresAt!);
    expect(await store.getState().fetchResultImage(task.id, 1)).toBeUndefined();
    expect(routeHits).toHaveLength(1);
  });
});
