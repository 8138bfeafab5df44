/** What the simulator's handlers share: settings, counters, the tasks, webhooks and the seeded randomness. */
import type { SimSettings } from './settings';
import type { TaskStore } from './tasks';
import type { SimulatorStats } from './types';
import type { WebhookScheduler } from './webhooks';

export interface SimContext {
  settings: SimSettings;
  /** Mutable counters behind `Simulator.stats`. */
  stats: SimulatorStats;
  tasks: TaskStore;
  webhooks: WebhookScheduler;
  /** The seeded PRNG (re-seeded by `reset()`): a float in [0, 1). */
  random(): number;
  /** `prefix` plus `length` characters drawn from `alphabet` by {@link SimContext.random}. */
  randomId(prefix: string, length: number, alphabet?: string): string;
}
