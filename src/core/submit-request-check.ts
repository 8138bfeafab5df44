/**
 * The check of a saved submit body that a page runs while restoring a session (src/store/
 * persistence.ts). It accepts exactly what `SubmitRequestSchema` (./submit-request.ts) accepts —
 * test/core/submit-request-check.test.ts holds the two to the same answers — without zod's runtime,
 * which would otherwise be 6.5 kB of every page's first load for this one check; the reply parsers
 * that do use zod load with the client, on demand.
 */
import type { SubmitRequest } from './submit-request';

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** What zod's `record` takes: a plain object (no Date, Map or class instance). */
const isPlainRecord = (v: unknown): v is Record<string, unknown> => {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);

/** Whether `value` is a submit body: `model` a non-empty string, `prompt` a string, the known optional fields of their types; other keys pass. */
export function isSubmitRequest(value: unknown): value is SubmitRequest {
  if (!isObject(value)) return false;
  const v = value;
  return (
    isString(v.model) &&
    v.model.length > 0 &&
    isString(v.prompt) &&
    optional(v.size, isString) &&
    optional(v.n, (n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) &&
    optional(v.image_urls, isStringArray) &&
    optional(v.reference_images, isStringArray) &&
    optional(v.mask_url, isString) &&
    optional(v.resolution, isString) &&
    optional(v.metadata, isPlainRecord) &&
    optional(v.client_business_id, isString) &&
    optional(v.callback_url, isString)
  );
}
