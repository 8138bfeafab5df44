import * as React from 'react';
import { render, screen } from '@testing-library/react';
import { GeneratorProvider, PromptForm } from '../../src';
import { en, ja, ko, labelPacks, zh, type Labels } from '../../src/labels';
import { ERROR_KINDS } from '../../src/core/errors';
import { MODELS } from '../../src/core/models';
import { MESSAGE_CODES } from '../../src/core/messages';
import type { TaskPhase } from '../../src/store/types';

type FnKey = { [K in keyof Labels]: Labels[K] extends (...args: never[]) => string ? K : never }[keyof Labels];

const PHASES: readonly TaskPhase[] = ['idle', 'submitting', 'queued', 'generating', 'completed', 'failed', 'cancelled'];
/** Phases `phaseAnnouncement` keeps silent about (the failure is announced by its alert). */
const SILENT_PHASES: readonly TaskPhase[] = ['idle', 'submitting', 'failed'];

/** Sample calls per function label; every call must give a non-empty string in every pack. */
const samples: { [K in FnKey]: Array<Parameters<Labels[K]>> } = {
  waitingForUploads: [[0], [1], [3]],
  characterCount: [[0, undefined], [1, 4000], [3, undefined], [1234, 32000]],
  submitShortcut: [[true], [false]],
  estimatedPrice: [[0], [0.04], [1.5]],
  promptTooLong: [[4001, 4000], [4003, 4000]],
  aspectRatioOption: [['16:9', [2048, 1152]], ['1:1', undefined]],
  aspectRatioName: [['auto'], ['match_input_image'], ['16:9']],
  referenceCount: [[0, 14], [3, 14]],
  removeReference: [['a.png']],
  moveReferenceEarlier: [['a.png']],
  moveReferenceLater: [['a.png']],
  referenceMoved: [['a.png', 1, 3]],
  referenceAdded: [[1], [3]],
  referenceRemoved: [['a.png']],
  retryUpload: [['a.png']],
  uploadProgress: [['a.png']],
  progressValueText: [[42, 'generating'], [null, 'queued'], [null, 'generating'], [0, 'queued']],
  resultAlt: [['a red fox', 1, 1], ['a red fox', 2, 3]],
  retrying: [['rate_limit', 3], ['network', 1], ['server', 0]],
  openImageAt: [[1, 1], [2, 3]],
  downloadImageAt: [[1, 1], [2, 3]],
  useAsReferenceAt: [[1, 1], [2, 3]],
  resultName: [[1], [12]],
  expiresIn: [[86_400_000], [23 * 3_600_000 + 59 * 60_000], [3_600_000], [12 * 60_000], [30_000], [0]],
  taskMeta: [['16:9', '2K', 3], ['1:1', undefined, 1], [undefined, '4K', 1]],
  phaseAnnouncement: PHASES.filter((p) => !SILENT_PHASES.includes(p)).flatMap((p) => [
    [p, 1] as [TaskPhase, number],
    [p, 3] as [TaskPhase, number],
  ]),
  serverSaid: [['quota exceeded']],
  taskIdText: [['task_img_01abc']],
  parameterDefault: [[undefined], ['png']],
  parameterRange: [[0, 2], [0, 2 ** 31 - 1]],
  parameterRequires: [['Google web search', undefined], ['Output format', 'JPEG']],
  /* ---- ETA and queue position (issue 14) */
  etaSeconds: [[1], [20], [59]],
  etaMinutes: [[1], [2], [45]],
  progressWithEta: [['40%', 'About 20 s left']],
  queuePosition: [[0], [1], [3], [1200]],
  /* ---- Many jobs (issue 14) */
  settingsRestored: [[0], [1], [2]],
  tasksCleared: [[1], [3]],
  /* ---- several images, compare, downloads (issue 14) */
  selectImage: [[1], [4]],
  imagePending: [[2, 4]],
  selectedCount: [[1], [2]],
  compareImageAlt: [[1, 'a red fox']],
  zipFailed: [[0], [1], [3]],
  /* ---- prompt history (issue 14) */
  historyNoMatch: [['fox'], ['a much longer search']],
  /* ---- presets (issue 14) */
  presetApplied: [['Brand poster']],
  presetSaved: [['Mine']],
  presetDeleted: [['Mine']],
  presetsImported: [[1], [2]],
  /* ---- mask editor (issue 15) */
  maskBrushSizeValue: [[2], [32]],
  maskCanvas: [['a.png']],
  maskKeyboardHint: [[true], [false]],
  maskSelection: [[0, 0, 10, 20]],
  maskAside: [['model'], ['reference']],
};

type AnyFn = (...args: unknown[]) => string;
const kindOf = (v: unknown) => (typeof v === 'function' ? 'function' : typeof v);

const packs = { zh, ja, ko } as const;

describe.each(Object.entries(packs))('label pack %s', (tag, pack) => {
  it('is exported in labelPacks', () => {
    expect(labelPacks[tag]).toBe(pack);
    expect(labelPacks.en).toBeUndefined();
  });

  it('has every key of en with the same type, and no extra keys', () => {
    expect(Object.keys(pack).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof Labels>) {
      expect(kindOf(pack[key]), key).toBe(kindOf(en[key]));
      if (typeof en[key] === 'function') {
        expect((pack[key] as AnyFn).length, `${key} arity`).toBe((en[key] as AnyFn).length);
      }
      if (typeof en[key] === 'string') expect((pack[key] as string).trim(), key).not.toBe('');
    }
  });

  it('words every message code (MESSAGE_CODES), with and without params, in its own words', () => {
    expect(Object.keys(pack.messages).sort()).toEqual([...MESSAGE_CODES].sort());
    const params = { name: 'a.png', model: 'gpt-4o-image', length: 1203, max: 1000, count: 6, ratio: '7:3', resolution: '4K', allowed: '1K, 2K', n: 3, min: 1, index: 2, parameter: 'quality', type: 'enum', values: 'low, high', value: 'ultra', requires: 'google_search', size: 12_000_000, formats: 'JPEG, PNG', format: 'GIF', kind: 'pdf' };
    for (const code of MESSAGE_CODES) {
      for (const p of [params, {}]) {
        const text = pack.messages[code](p);
        expect(typeof text === 'string' && text.trim() !== '', `${tag} ${code}`).toBe(true);
        expect(text, `${tag} ${code}`).not.toMatch(/undefined|NaN|[A-Za-z]{4,} [A-Za-z]{4,}/);
        expect(text, `${tag} ${code} is not English`).not.toBe(en.messages[code](p));
      }
    }
  });

  it('has the same keys in every nested record, all non-empty', () => {
    for (const key of ['phase', 'errors', 'referenceState', 'aspectRatioDescriptions', 'parameterLabels', 'parameterValues'] as const) {
      expect(Object.keys(pack[key]).sort(), key).toEqual(Object.keys(en[key]).sort());
      for (const [k, v] of Object.entries(pack[key])) expect(typeof v === 'string' && v.trim() !== '', `${key}.${k}`).toBe(true);
    }
    expect(Object.keys(pack.errors).sort()).toEqual([...ERROR_KINDS].sort());
    expect(Object.keys(pack.phase).sort()).toEqual([...PHASES].sort());
  });

  it('returns a non-empty string from every function for sample arguments', () => {
    const fnKeys = (Object.keys(en) as Array<keyof Labels>).filter((k) => typeof en[k] === 'function');
    expect(fnKeys.sort()).toEqual(Object.keys(samples).sort());
    for (const key of Object.keys(samples) as FnKey[]) {
      for (const args of samples[key] as unknown[][]) {
        const out = (pack[key] as AnyFn)(...args);
        expect(typeof out, `${key}(${JSON.stringify(args)})`).toBe('string');
        expect(out.trim(), `${key}(${JSON.stringify(args)})`).not.toBe('');
      }
    }
  });

  it('uses the values it is given', () => {
    expect(pack.removeReference('a.png')).toContain('a.png');
    expect(pack.uploadProgress('a.png')).toContain('a.png');
    expect(pack.referenceMoved('a.png', 2, 3)).toContain('a.png');
    expect(pack.referenceMoved('a.png', 2, 3)).toContain('2');
    expect(pack.referenceMoved('a.png', 2, 3)).toContain('3');
    expect(pack.waitingForUploads(3)).toContain('3');
    expect(pack.referenceAdded(3)).toContain('3');
    expect(pack.characterCount(12, 4000)).toContain('4,000');
    expect(pack.promptTooLong(4003, 4000)).toContain('3');
    expect(pack.estimatedPrice(0.04)).toContain('0.040');
    expect(pack.aspectRatioOption('16:9', [2048, 1152])).toContain('16:9');
    expect(pack.aspectRatioOption('16:9', [2048, 1152])).toContain('2048×1152');
    expect(pack.aspectRatioOption('16:9', undefined)).toBe('16:9');
    expect(pack.aspectRatioName('16:9')).toBe('16:9');
    expect(pack.submitShortcut(true)).toContain('⌘ Enter');
    expect(pack.submitShortcut(false)).toContain('Ctrl+Enter');
    expect(pack.progressValueText(42, 'generating')).toContain('42');
    expect(pack.retrying('rate_limit', 7)).toContain('7');
    expect(pack.retrying('rate_limit', 7)).not.toBe(pack.retrying('network', 7));
    expect(pack.resultAlt('a red fox', 2, 3)).toContain('a red fox');
    expect(pack.serverSaid('quota exceeded')).toContain('quota exceeded');
    expect(pack.taskMeta('16:9', '2K', 3)).toContain('3');
    expect(pack.phaseAnnouncement('completed', 3)).toContain('3');
    expect(pack.expiresIn(23 * 3_600_000 + 59 * 60_000)).toContain('23');
    expect(pack.expiresIn(12 * 60_000)).toContain('12');
    expect(pack.expiresIn(12 * 60_000)).not.toBe(pack.expiresIn(12 * 3_600_000)); // minutes and hours read apart
    expect(pack.expired).toContain('24');
    expect(pack.parameterDefault('png')).toContain('png');
    expect(pack.parameterRequires('Web', 'JPEG')).toContain('JPEG');
    expect(pack.parameterRequires('Web', undefined)).toContain('Web');
    expect(pack.parameterRange(0, 6)).toContain('6');
  });

  it('names every parameter of the registry and every value of its lists', () => {
    for (const model of Object.values(MODELS)) {
      for (const spec of model.params ?? []) {
        expect(pack.parameterLabels[spec.label], `${model.id} ${spec.name}`).toBeTruthy();
        if (spec.type === 'enum') for (const v of spec.values) expect(pack.parameterValues[v], `${spec.name}=${v}`).toBeTruthy();
      }
    }
  });

  it('keeps visible text inside the accessible names of result actions (label in name)', () => {
    expect(pack.openImageAt(1, 1)).toBe(pack.openImage);
    expect(pack.downloadImageAt(1, 1)).toBe(pack.downloadImage);
    expect(pack.useAsReferenceAt(1, 1)).toBe(pack.useAsReference);
    expect(pack.openImageAt(2, 3)).toContain(pack.openImage);
    expect(pack.downloadImageAt(2, 3)).toContain(pack.downloadImage);
    expect(pack.useAsReferenceAt(2, 3)).toContain(pack.useAsReference);
    expect(pack.openImageAt(2, 3)).toContain('2');
  });

  it('stays silent in the same phases as en, and words announcements apart from the visible status', () => {
    for (const phase of PHASES) {
      const said = pack.phaseAnnouncement(phase, 1);
      expect(said === '', phase).toBe(en.phaseAnnouncement(phase, 1) === '');
      if (said) expect(said, phase).not.toBe(pack.phase[phase]);
    }
  });

  it('is really translated', () => {
    for (const key of ['prompt', 'generate', 'resolution', 'aspectRatio', 'cancel', 'retry', 'addReferences', 'referenceList'] as const) {
      expect(pack[key], key).not.toBe(en[key]);
    }
    expect(pack.errors.network).not.toBe(en.errors.network);
    expect(pack.phase.queued).not.toBe(en.phase.queued);
    expect(pack.advancedOptions).not.toBe(en.advancedOptions);
    expect(pack.parameterLabels.google_search).not.toBe(en.parameterLabels.google_search);
    expect(pack.parameterValues.landscape).not.toBe(en.parameterValues.landscape);
  });
});

describe('label packs in components', () => {
  it('renders PromptForm with the Japanese pack', () => {
    render(
      <GeneratorProvider backendUrl="http://127.0.0.1:4010" labels={ja}>
        <PromptForm />
      </GeneratorProvider>,
    );
    expect(screen.getByRole('textbox', { name: ja.prompt })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: ja.generate })).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: en.prompt })).not.toBeInTheDocument();
  });
});

describe('messages', () => {
  it.each(Object.entries({ en, zh, ja, ko }))('%s has a text for every code in MESSAGE_CODES', (_tag, pack) => {
    for (const code of MESSAGE_CODES) expect(typeof pack.messages[code], code).toBe('function');
    expect(Object.keys(pack.messages).sort()).toEqual([...MESSAGE_CODES].sort());
  });
});
