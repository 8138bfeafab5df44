/** `Labels` and the packs: strings, functions of their values, records keyed by the kit's unions. */
import { describe, expectTypeOf, test } from 'vitest';
import { en, mergeLabels, type Labels, type TaskPhase, type ToapisErrorKind } from '@toapis/image-kit';
import { ja, ko, labelPacks, zh } from '@toapis/image-kit/labels';

describe('Labels', () => {
  test('plain strings, message functions and records keyed by the kit’s unions', () => {
    expectTypeOf<Labels['generate']>().toEqualTypeOf<string>();
    expectTypeOf<Labels['characterCount']>().toEqualTypeOf<(count: number, max: number | undefined) => string>();
    expectTypeOf<Labels['phase']>().toEqualTypeOf<Record<TaskPhase, string>>();
    expectTypeOf<Labels['retrying']>().parameter(0).toEqualTypeOf<ToapisErrorKind>();
    expectTypeOf<Labels['referenceState']>().toHaveProperty('uploading').toEqualTypeOf<string>();
  });

  test('every shipped pack is a whole Labels', () => {
    expectTypeOf(en).toEqualTypeOf<Labels>();
    expectTypeOf(zh).toEqualTypeOf<Labels>();
    expectTypeOf(ja).toEqualTypeOf<Labels>();
    expectTypeOf(ko).toEqualTypeOf<Labels>();
    expectTypeOf(labelPacks).toEqualTypeOf<Record<string, Partial<Labels> | undefined>>();
  });

  test('a pack must be complete; a label keeps its signature', () => {
    // @ts-expect-error a pack with one label is not a Labels
    const incomplete: Labels = { generate: 'Go' };
    // @ts-expect-error characterCount is a function, not text
    const wrong: Partial<Labels> = { characterCount: '0 characters' };
    expectTypeOf(incomplete).toEqualTypeOf<Labels>();
    expectTypeOf(wrong).toEqualTypeOf<Partial<Labels>>();
  });
});

describe('mergeLabels', () => {
  test('takes a base pack and a partial override, gives a whole Labels', () => {
    expectTypeOf(mergeLabels).parameters.toEqualTypeOf<[base: Labels, overrides: Partial<Labels> | undefined]>();
    expectTypeOf(mergeLabels(en, { generate: 'Create' })).toEqualTypeOf<Labels>();
    expectTypeOf(mergeLabels(en, undefined)).toEqualTypeOf<Labels>();
  });

  test('refuses labels that do not exist and values of the wrong type', () => {
    // @ts-expect-error no such label
    mergeLabels(en, { generateButton: 'Create' });
    // @ts-expect-error generate is text
    mergeLabels(en, { generate: () => 'Create' });
  });
});
