/**
 * Several images per task and saving several at once (issue 14): a running task of n > 1 shows a
 * placeholder per image still to come; "Download all" saves a task's images as one zip
 * `<prompt slug>-<task id>.zip`; "Download selected" saves one image as its file and several as
 * `images-<yyyy-mm-dd>.zip`. A failed fetch saves nothing and says so in an alert; the selection is
 * kept. The zip is made in the browser by client-zip, loaded on demand.
 */
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { completedTask, expectNoSeriousA11yViolations, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';
import { renderPlaceholder } from '../../server/simulator';
import { selectionZipName } from '../../src/core/util/download-name';

const sim = useSimulatorServer({ seed: 15 });

const URL_1 = 'https://files.toapis.com/generated/1.png';
const URL_2 = 'https://files.toapis.com/generated/2';
const URL_3 = 'https://files.toapis.com/generated/3.webp';
const PNG = renderPlaceholder(8, 8, 42);
const PNG_2 = renderPlaceholder(9, 9, 7);

let clicks: Array<{ href: string; download: string; target: string }>;
let created: Blob[];

beforeEach(() => {
  clicks = [];
  created = [];
  // jsdom neither makes object URLs nor navigates: record what the kit asks for instead.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push({ href: this.getAttribute('href') ?? '', download: this.getAttribute('download') ?? '', target: this.target });
  });
  for (const target of new Set([URL, window.URL])) {
    Object.assign(target, {
      createObjectURL: (blob: Blob) => {
        created.push(blob);
        return `blob:http://localhost/${created.length}`;
      },
      revokeObjectURL: () => {},
    });
  }
});

function image(bytes: Uint8Array, type: string) {
  return new HttpResponse(bytes, { headers: { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' } });
}

/** The files a zip holds (name and size), read from its central directory. */
async function zipEntries(blob: Blob): Promise<Array<{ name: string; size: number }>> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: Array<{ name: string; size: number }> = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('bad central directory entry');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    entries.push({ name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)), size: view.getUint32(at + 24, true) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function show(...tasks: ReturnType<typeof completedTask>[]) {
  const kit = renderKit(<TaskProgress />);
  act(() => kit.store.setState({ tasks }));
  return kit;
}

const twoImages = () =>
  completedTask({ id: 'fox', taskId: 'task_01fox', prompt: 'A red fox!', images: [{ url: URL_1 }, { url: URL_2 }] });

describe('Several images per task', () => {
  it('n = 4: a placeholder per image while generating, each replaced as its image arrives', async () => {
    const generating = { ...completedTask({ id: 'four', prompt: 'four owls', n: 4 }), phase: 'generating' as const, progress: 10, images: [], completedAt: undefined, expiresAt: undefined };
    const { store, container } = show(generating);
    const gallery = () => container.querySelector('.gen-TaskProgress-gallery')!;
    const pending = () => Array.from(gallery().querySelectorAll('[data-state="pending"]'));
    expect(pending()).toHaveLength(4);
    expect(pending().map((p) => p.textContent)).toEqual([
      'Image 1 of 4, generating',
      'Image 2 of 4, generating',
      'Image 3 of 4, generating',
      'Image 4 of 4, generating',
    ]);
    // Plain text, no live region: nothing is announced as time passes.
    expect(gallery().querySelector('[aria-live], [role="status"], [role="alert"]')).toBeNull();
    expect(within(gallery() as HTMLElement).queryAllByRole('img')).toHaveLength(0);
    await expectNoSeriousA11yViolations(container);

    act(() => store.setState({ tasks: [{ ...generating, progress: 40, images: [{ url: URL_1 }] }] }));
    expect(within(gallery() as HTMLElement).getAllByRole('img')).toHaveLength(1);
    expect(within(gallery() as HTMLElement).getByRole('img')).toHaveAttribute('alt', 'Generated image 1 of 4: four owls');
    expect(pending().map((p) => p.textContent)).toEqual(['Image 2 of 4, generating', 'Image 3 of 4, generating', 'Image 4 of 4, generating']);

    act(() =>
      store.setState({
        tasks: [completedTask({ id: 'four', prompt: 'four owls', n: 4, images: [URL_1, URL_2, URL_3, `${URL_1}?4`].map((url) => ({ url })) })],
      }),
    );
    expect(within(gallery() as HTMLElement).getAllByRole('img')).toHaveLength(4);
    expect(pending()).toHaveLength(0);
  });

  it('with the simulator (kind profile): the four images arrive one by one, each taking its placeholder’s place', async () => {
    const { store, container } = renderKit(<TaskProgress />, { store: { model: 'gpt-image-2' } });
    act(() => store.getState().setN(4));
    expect(store.getState().n).toBe(4);
    await act(async () => {
      store.getState().setPrompt('four owls');
      await store.getState().submit();
    });
    const gallery = () => container.querySelector<HTMLElement>('.gen-TaskProgress-gallery');
    const count = () => ({
      images: gallery() ? within(gallery()!).queryAllByRole('img').length : 0,
      pending: gallery()?.querySelectorAll('[data-state="pending"]').length ?? 0,
    });
    await waitFor(() => expect(count()).toEqual({ images: 0, pending: 4 }), { timeout: 5000, interval: 20 });
    await waitFor(() => expect(count()).toEqual({ images: 1, pending: 3 }), { timeout: 5000, interval: 20 });
    await waitFor(() => expect(count()).toEqual({ images: 4, pending: 0 }), { timeout: 8000, interval: 20 });
    expect(store.getState().tasks[0]!.phase).toBe('completed');
  });

  it('a single image has no placeholder gallery (the bar says it is working) and no Download all', () => {
    const one = { ...completedTask({ id: 'one', n: 1 }), phase: 'generating' as const, images: [], completedAt: undefined, expiresAt: undefined };
    const { container, store } = show(one);
    expect(container.querySelector('.gen-TaskProgress-gallery')).toBeNull();
    act(() => store.setState({ tasks: [completedTask({ id: 'one', n: 1, images: [{ url: URL_1 }] })] }));
    expect(screen.queryByRole('button', { name: 'Download all' })).toBeNull();
  });
});

describe('Download all', () => {
  it('saves the task’s images as one zip <prompt>-<task>.zip, "Preparing…" meanwhile', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    sim.server.use(
      http.get(URL_1, async () => {
        await held;
        return image(PNG, 'image/png');
      }),
      http.get(URL_2, () => image(PNG_2, 'image/jpeg')),
    );
    const { container } = show(twoImages());
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Download all' });
    expect(button).toHaveAccessibleDescription('A red fox!');
    await user.click(button);
    expect(button).toHaveTextContent('Preparing…');
    expect(button).toHaveAttribute('aria-busy', 'true');
    await expectNoSeriousA11yViolations(container);
    await user.click(button); // a second press while it works does nothing
    release();

    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0]).toEqual({ href: 'blob:http://localhost/1', download: 'a-red-fox-task_01fox.zip', target: '' });
    expect(created).toHaveLength(1);
    expect(created[0]!.type).toBe('application/zip');
    expect(await zipEntries(created[0]!)).toEqual([
      { name: 'a-red-fox-task_01fox-1.png', size: PNG.byteLength },
      { name: 'a-red-fox-task_01fox-2.jpg', size: PNG_2.byteLength },
    ]);
    await waitFor(() => expect(button).toHaveTextContent('Download all'));
    expect(button).not.toHaveAttribute('aria-busy');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a failed fetch saves nothing and says so in an alert; the next try works', async () => {
    let refuse = true;
    sim.server.use(
      http.get(URL_1, () => image(PNG, 'image/png')),
      http.get(URL_2, () => (refuse ? new HttpResponse('Forbidden', { status: 403 }) : image(PNG_2, 'image/png'))),
    );
    const { container } = show(twoImages());
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Download all' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('1 image could not be downloaded, so nothing was saved.');
    expect(clicks).toEqual([]);
    await expectNoSeriousA11yViolations(container);

    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Download all' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('results that expired after the row last rendered: nothing is fetched, an alert says why', async () => {
    const fetched: string[] = [];
    sim.server.use(http.get('https://files.toapis.com/*', ({ request }) => void fetched.push(request.url)));
    const task = twoImages();
    show(task);
    const button = screen.getByRole('button', { name: 'Download all' });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(task.expiresAt! + 1);
      button.click();
      expect(await screen.findByRole('alert')).toHaveTextContent('These images have expired and can no longer be downloaded.');
    } finally {
      vi.useRealTimers();
    }
    expect(fetched).toEqual([]);
    expect(clicks).toEqual([]);
  });

  it('goes away once the results have expired', () => {
    const { store } = show(twoImages());
    expect(screen.getByRole('button', { name: 'Download all' })).toBeInTheDocument();
    act(() => store.setState({ tasks: [{ ...twoImages(), expiresAt: Date.now() - 1 }] }));
    expect(screen.queryByRole('button', { name: 'Download all' })).toBeNull();
  });
});

describe('Download selected', () => {
  it('one image: saves that file under its usual name', async () => {
    sim.server.use(http.get(URL_2, () => image(PNG_2, 'image/jpeg')));
    show(twoImages());
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Select image 2' }));
    await user.click(within(screen.getByRole('group', { name: '1 selected' })).getByRole('button', { name: 'Download selected' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0]!.download).toBe('a-red-fox-task_01fox-2.jpg');
    expect(created[0]!.size).toBe(PNG_2.byteLength);
  });

  it('several images from several tasks: one zip images-<date>.zip; a failure keeps the selection', async () => {
    let refuse = true;
    sim.server.use(
      http.get(URL_1, () => image(PNG, 'image/png')),
      http.get(URL_2, () => image(PNG_2, 'image/png')),
      http.get(URL_3, () => (refuse ? HttpResponse.error() : image(PNG, 'image/webp'))),
    );
    const whale = completedTask({ id: 'whale', taskId: 'task_02whale', prompt: 'A blue whale', n: 1, images: [{ url: URL_3 }] });
    const { store } = show(twoImages(), whale);
    const user = userEvent.setup();
    const boxes = screen.getAllByRole('checkbox');
    for (const box of boxes) await user.click(box);
    const bar = screen.getByRole('group', { name: '3 selected' });
    const download = within(bar).getByRole('button', { name: 'Download selected' });
    await user.click(download);
    expect(await within(bar).findByRole('alert')).toHaveTextContent('1 image could not be downloaded');
    expect(clicks).toEqual([]);
    expect(store.getState().selectedImages).toHaveLength(3);

    refuse = false;
    await user.click(download);
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0]!.download).toBe(selectionZipName(Date.now()));
    expect(clicks[0]!.download).toMatch(/^images-\d{4}-\d{2}-\d{2}\.zip$/);
    // Newest task first on screen: the whale's checkbox was ticked first.
    expect((await zipEntries(created[0]!)).map((e) => e.name)).toEqual([
      'a-blue-whale-task_02whale-1.webp',
      'a-red-fox-task_01fox-1.png',
      'a-red-fox-task_01fox-2.png',
    ]);
    expect(within(bar).queryByRole('alert')).toBeNull();
  });
});
