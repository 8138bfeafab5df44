/** The simulator's options after defaults, and its seedable randomness. */
import { UPLOAD_MAX_BYTES } from '../../src/core/util';
import { isFault } from './faults';
import type { SimulatorFault, SimulatorOptions, SimulatorProfile } from './types';

export interface SimSettings {
  profile: SimulatorProfile;
  seed: number;
  queuedMs: number;
  generatingMs: number;
  /** Whether `queuedMs` / `generatingMs` were given (the strict profile draws the others per task). */
  explicitQueuedMs: boolean;
  explicitGeneratingMs: boolean;
  slowFactor: number;
  /** Faults applied to every task and request. */
  faults: readonly SimulatorFault[];
  retryAfterSeconds: number;
  explicitRetryAfter: boolean;
  rateLimitCount: number;
  maxUploads: number;
  maxUploadBytes: number;
  now: () => number;
  statusWord: NonNullable<SimulatorOptions['statusWord']>;
  /** Kind profile: a task of several images reports each as it is ready, not all at the end. */
  partialResults: boolean;
  secretFileUrls: boolean;
  /** Strict profile: the only accepted bearer key; undefined accepts any non-empty key. */
  apiKey: string | undefined;
  echoBusinessId: boolean;
  /** `filesOrigin` without a trailing slash. */
  filesOrigin: string | undefined;
  longTasks: boolean;
  resultTtlSeconds: number;
  webhooks: boolean;
  webhookSecret: string | undefined;
  webhookFetch: typeof fetch | undefined;
}

export function resolveSettings(options: SimulatorOptions): SimSettings {
  const profile: SimulatorProfile = options.profile === 'strict' ? 'strict' : 'kind';
  const given = (value: number | undefined) => nonNegative(value, -1) >= 0;
  return {
    profile,
    explicitQueuedMs: given(options.queuedMs),
    explicitGeneratingMs: given(options.generatingMs),
    explicitRetryAfter: given(options.retryAfterSeconds),
    apiKey: options.apiKey || undefined,
    echoBusinessId: profile === 'kind' || options.echoBusinessId === true,
    filesOrigin: options.filesOrigin?.trim().replace(/\/+$/, '') || undefined,
    longTasks: options.longTasks === true,
    resultTtlSeconds: nonNegative(options.resultTtlSeconds, 86_400),
    webhooks: options.webhooks === true,
    webhookSecret: options.webhookSecret || undefined,
    webhookFetch: options.webhookFetch,
    seed: (options.seed ?? randomSeed()) >>> 0,
    queuedMs: nonNegative(options.queuedMs, 600),
    generatingMs: nonNegative(options.generatingMs, 2400),
    slowFactor: nonNegative(options.slowFactor, 10),
    faults: (options.faults ?? []).filter(isFault),
    retryAfterSeconds: nonNegative(options.retryAfterSeconds, 1),
    rateLimitCount: Math.floor(nonNegative(options.rateLimitCount, 2)),
    maxUploads: Math.max(1, Math.floor(nonNegative(options.maxUploads, 64))),
    maxUploadBytes: nonNegative(options.maxUploadBytes, UPLOAD_MAX_BYTES),
    now: options.now ?? (() => Date.now()),
    statusWord: options.statusWord ?? (profile === 'strict' ? 'submitted' : 'queued'),
    partialResults: profile === 'kind',
    secretFileUrls: options.secretFileUrls === true,
  };
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/* -------------------------------------------------------------------------------------------------
 * Randomness
 * -----------------------------------------------------------------------------------------------*/

/** 32 hex characters from the platform's CSPRNG (file URL tokens; never from the seeded PRNG). */
export function secretToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0x2545f491;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
