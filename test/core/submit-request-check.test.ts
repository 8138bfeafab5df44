/**
 * `isSubmitRequest` (the zod-free check a page runs on saved requests) gives the same answer as
 * `SubmitRequestSchema` (the zod schema the proxy validates with) on every case here: valid bodies,
 * each field wrong in each way, and garbage.
 */
import { describe, expect, it } from 'vitest';
import { SubmitRequestSchema } from '../../src/core/submit-request';
import { isSubmitRequest } from '../../src/core/submit-request-check';

const valid = {
  model: 'gemini-3.1-flash-image-preview',
  prompt: 'a lighthouse at dusk',
  size: '16:9',
  n: 2,
  image_urls: ['https://cdn.example/a.png'],
  reference_images: [],
  mask_url: 'https://cdn.example/m.png',
  resolution: '2K',
  metadata: { resolution: '2K', google_search: true },
  client_business_id: 'kit-1',
  callback_url: 'https://host.example/hook',
  extra_field: { anything: [1, 2] },
};

/** Replacements for each field, good and bad: every one is checked in turn on the valid body. */
const variants: Record<string, unknown[]> = {
  model: ['', 'x', 1, null, undefined, ['m']],
  prompt: ['', 'p', 0, null, undefined, {}],
  size: ['1:1', '', 16, null, undefined],
  n: [1, 4, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '2', null, undefined],
  image_urls: [[], ['a'], ['a', 1], 'a', null, undefined, [null]],
  reference_images: [[], ['a'], [{}], {}, undefined],
  mask_url: ['m', 1, null, undefined],
  resolution: ['4K', 4, null, undefined],
  metadata: [{}, { a: 1 }, [], ['a'], 'x', null, undefined, new Date(0), new Map(), Object.create(null)],
  client_business_id: ['kit-2', 2, null, undefined],
  callback_url: ['u', true, null, undefined],
};

const cases: Array<[string, unknown]> = [
  ['the valid body', valid],
  ['only model and prompt', { model: 'm', prompt: '' }],
  ['null', null],
  ['a string', 'model'],
  ['an array', [valid]],
  ['an empty object', {}],
  ['a Date', new Date(0)],
  ['a body without a prototype', Object.assign(Object.create(null) as object, { model: 'm', prompt: 'p' })],
];
for (const [field, values] of Object.entries(variants)) {
  for (const value of values) {
    const body: Record<string, unknown> = { ...valid };
    if (value === undefined) delete body[field];
    else body[field] = value;
    cases.push([`${field} = ${String(JSON.stringify(value) ?? value)}`, body]);
  }
}

describe('isSubmitRequest agrees with SubmitRequestSchema', () => {
  it.each(cases)('%s', (_name, body) => {
    expect(isSubmitRequest(body)).toBe(SubmitRequestSchema.safeParse(body).success);
  });

  it('has both answers among the cases (a check that always says yes or no would fail)', () => {
    const answers = new Set(cases.map(([, body]) => isSubmitRequest(body)));
    expect([...answers].sort()).toEqual([false, true]);
  });
});
