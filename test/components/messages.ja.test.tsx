/**
 * With the Japanese pack, every message a user can trigger is Japanese: validation messages, tray
 * notices, a failed upload, every task error kind and the name of a result used as a reference.
 * Each shown text is the ja pack's text for the message's code, and none of it is an English
 * sentence (the server's own words after the "server said" prefix excepted).
 */
import { UPLOAD_MAX_BYTES } from '../../src/core/util';
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSimulatorServer } from '../msw/server';
import { renderKit } from './render';
import { emptyFile, hugePng, pngFile, renamedPdf } from '../fixtures/files';
import { PromptForm } from '../../src/components/PromptForm';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import { TaskProgress } from '../../src/components/TaskProgress';
import { ERROR_KINDS, ToapisError } from '../../src/core/errors';
import { ja } from '../../src/labels';
import type { GenerationTask } from '../../src/store/types';

const sim = useSimulatorServer({ seed: 1, queuedMs: 50, generatingMs: 150 });

const READY = { timeout: 5000 };
/** Two English words in a row: what an untranslated sentence looks like. */
const ENGLISH = /[A-Za-z]{4,} [A-Za-z]{4,}/;

function expectJapanese(shown: string | null | undefined, expected: string) {
  expect(shown).toBe(expected);
  expect(shown).not.toMatch(ENGLISH);
}

const kit = { provider: { labels: ja } };

function promptMessages() {
  return Array.from(document.querySelectorAll('.gen-PromptForm-message[role="alert"]'), (el) => el.textContent);
}

function formErrors() {
  return Array.from(document.querySelectorAll('.gen-PromptForm-error'), (el) => el.textContent);
}

function notices() {
  return Array.from(document.querySelectorAll('.gen-ReferenceTray-notice-message'), (el) => el.textContent);
}

async function press(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: ja.generate }));
}

describe('the Japanese pack', () => {
  it('words an empty prompt', async () => {
    const user = userEvent.setup();
    renderKit(<PromptForm />, kit);
    await press(user);
    await waitFor(() => expect(promptMessages()).toHaveLength(1));
    expectJapanese(promptMessages()[0], ja.messages['prompt.required']({}));
  });

  it('words a prompt that is too long', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />, { ...kit, store: { model: 'gpt-4o-image' } });
    act(() => store.getState().setPrompt('x'.repeat(1203)));
    expectJapanese(document.querySelector('.gen-PromptForm-message')?.textContent, ja.promptTooLong(1203, 1000));
    await press(user);
    await waitFor(() => expect(promptMessages()).toHaveLength(1));
    expectJapanese(promptMessages()[0], ja.messages['prompt.too_long']({ length: 1203, max: 1000 }));
  });

  it('words an unsupported ratio and resolution', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<PromptForm />, { ...kit, store: { model: 'flux-2-pro' } });
    act(() => {
      store.getState().setPrompt('a castle');
      store.getState().setAspectRatio('7:3');
      store.getState().setResolution('4K');
    });
    await press(user);
    await waitFor(() => expect(formErrors()).toHaveLength(2));
    expectJapanese(formErrors()[0], ja.messages['aspectRatio.unsupported']({ model: 'flux-2-pro', ratio: '7:3' }));
    expectJapanese(formErrors()[1], ja.messages['resolution.unsupported']({ model: 'flux-2-pro', resolution: '4K', allowed: '1K, 2K' }));
    expect(sim.simulator.stats.submits).toBe(0);
  });

  it('words the tray notices: 15th file, wrong type, empty, too large, duplicate', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray />, kit);
    const input = screen.getByLabelText(ja.addReferences) as HTMLInputElement;
    await user.upload(input, Array.from({ length: 15 }, (_, i) => pngFile(`img${i + 1}.png`, 16, 16, i + 11)));
    await waitFor(() => expect(notices()).toHaveLength(1));
    expectJapanese(notices()[0], ja.messages['reference.too_many']({ name: 'img15.png', max: 14 }));

    // Make room, then the refused kinds one by one.
    const items = () => within(screen.getByRole('list', { name: ja.referenceList })).queryAllByRole('listitem');
    await waitFor(() => expect(items().every((li) => li.getAttribute('data-state') === 'ready')).toBe(true), READY);
    for (const name of ['img1.png', 'img2.png', 'img3.png']) await user.click(screen.getByRole('button', { name: ja.removeReference(name) }));

    await user.upload(input, [renamedPdf('invoice.png')]);
    await waitFor(() => expect(notices()).toHaveLength(2));
    expectJapanese(notices()[1], ja.messages['reference.not_image']({ name: 'invoice.png', kind: 'pdf' }));

    await user.upload(input, [emptyFile('blank.png')]);
    await waitFor(() => expect(notices()).toHaveLength(3));
    expectJapanese(notices()[2], ja.messages['reference.empty']({ name: 'blank.png' }));

    await user.upload(input, [hugePng(11 * 1024 * 1024, 'huge.png')]);
    await waitFor(() => expect(notices()).toHaveLength(4));
    expectJapanese(notices()[3], ja.messages['reference.too_large']({ name: 'huge.png', size: 11 * 1024 * 1024, max: UPLOAD_MAX_BYTES }));

    await user.upload(input, [pngFile('copy of img4.png', 16, 16, 14)]);
    await waitFor(() => expect(notices()).toHaveLength(5));
    expectJapanese(notices()[4], ja.messages['reference.duplicate']({ name: 'copy of img4.png' }));
  });

  it('words a failed upload by its kind, with the server words after the prefix', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<ReferenceTray />, { ...kit, store: { headers: { 'x-simulator-fault': 'upload_rejected' } } });
    await user.upload(screen.getByLabelText(ja.addReferences), [pngFile('a.png')]);
    await waitFor(() => expect(store.getState().references[0]?.state).toBe('error'), READY);
    const error = store.getState().references[0]!.error!;
    const shown = document.querySelector('.gen-ReferenceTray-error')?.textContent ?? '';
    const prefix = ja.serverSaid('');
    expect(shown).toBe(`${ja.errors[error.kind]} ${ja.serverSaid(error.message)}`);
    expect(shown.slice(0, shown.indexOf(prefix))).not.toMatch(ENGLISH);
  });

  it('words every task error kind', () => {
    const { store } = renderKit(<TaskProgress />, kit);
    const now = Date.now();
    const tasks: GenerationTask[] = ERROR_KINDS.map((kind, i) => ({
      id: `t${i}`,
      taskId: kind === 'invalid_request' ? undefined : `task_${i}`,
      clientBusinessId: `b${i}`,
      phase: 'failed',
      progress: null,
      status: 'failed',
      request: { model: 'gemini-3.1-flash-image-preview', prompt: 'a castle', size: '1:1', n: 1 },
      prompt: 'a castle',
      model: 'gemini-3.1-flash-image-preview',
      aspectRatio: '1:1',
      resolution: '1K',
      n: 1,
      images: [],
      revisedPrompt: undefined,
      error: new ToapisError(kind, 'Upstream said something went wrong'),
      retry: undefined,
      createdAt: now,
      updatedAt: now,
      completedAt: now,
    }));
    act(() => store.setState({ tasks }));
    const alerts = screen.getAllByRole('alert');
    expect(alerts.map((a) => a.getAttribute('data-kind')).sort()).toEqual([...ERROR_KINDS].sort());
    for (const alert of alerts) {
      const kind = alert.getAttribute('data-kind') as (typeof ERROR_KINDS)[number];
      expectJapanese(alert.querySelector('.gen-TaskProgress-errorText')?.textContent, ja.errors[kind]);
      const hint = alert.querySelector('.gen-TaskProgress-hint')?.textContent;
      if (hint) expect(hint.replace(/TOAPIS_BASE_URL|https:\/\/\S+/g, '')).not.toMatch(ENGLISH);
      expect(alert.querySelector('.gen-TaskProgress-serverMessage')?.textContent).toBe(ja.serverSaid('Upstream said something went wrong'));
    }
  });

  it('names a result used as a reference in Japanese', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<TaskProgress />, kit);
    await act(async () => {
      store.getState().setPrompt('a castle');
      await store.getState().submit();
    });
    const use = await screen.findByRole('button', { name: ja.useAsReferenceAt(1, 1) }, READY);
    await user.click(use);
    expect(store.getState().references.map((r) => r.name)).toEqual([ja.resultName(1)]);
    expect(ja.resultName(1)).not.toMatch(/Result/);
  });
});
