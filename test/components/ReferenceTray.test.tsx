import * as React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useSimulatorServer } from '../msw/server';
import { expectNoSeriousA11yViolations, renderKit } from './render';
import { emptyFile, pngFile, renamedPdf } from '../fixtures/files';
import {
  ReferenceTray,
  ReferenceTrayDropzone,
  ReferenceTrayList,
  ReferenceTrayRoot,
} from '../../src/components/ReferenceTray';
import type { ReferenceItem } from '../../src/store/types';

const sim = useSimulatorServer({ seed: 1, queuedMs: 200, generatingMs: 600 });

const READY_TIMEOUT = { timeout: 5000 };

function input() {
  return screen.getByLabelText('Add reference images') as HTMLInputElement;
}

function list() {
  return screen.getByRole('list', { name: 'Reference images' });
}

function items() {
  return within(list()).queryAllByRole('listitem');
}

function item(name: string) {
  const found = items().find((li) => li.querySelector('.gen-ReferenceTray-name')?.textContent === name);
  if (!found) throw new Error(`no item named ${name}`);
  return found;
}

function tray(container: HTMLElement) {
  return container.querySelector('.gen-ReferenceTray') as HTMLElement;
}

function announcer(container: HTMLElement) {
  return container.querySelector('[aria-live="polite"]') as HTMLElement;
}

async function allReady(count: number) {
  await waitFor(() => {
    expect(items()).toHaveLength(count);
    for (const li of items()) expect(li).toHaveAttribute('data-state', 'ready');
  }, READY_TIMEOUT);
}

/** Distinct images (different seeds give different bytes, so no duplicates). */
function pngs(count: number, prefix = 'img') {
  return Array.from({ length: count }, (_, i) => pngFile(`${prefix}${i + 1}.png`, 16, 16, i + 11));
}

describe('ReferenceTray', () => {
  it('has a real, multiple, images-only file input and an empty count', () => {
    renderKit(<ReferenceTray />);
    const el = input();
    expect(el.type).toBe('file');
    expect(el.multiple).toBe(true);
    expect(el.accept).toBe('image/jpeg,image/png,image/webp,image/gif');
    expect(el.closest('label')).toHaveClass('gen-ReferenceTray-dropzone');
    expect(screen.getByText('0 / 14')).toBeInTheDocument();
    expect(items()).toHaveLength(0);
  });

  it('adds picked files, uploads them, and counts them', async () => {
    const user = userEvent.setup();
    const { container, store } = renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png', 16, 16, 1), pngFile('b.png', 16, 16, 2)]);
    await allReady(2);
    expect(screen.getByText('2 / 14')).toBeInTheDocument();
    expect(tray(container)).toHaveAttribute('data-state', 'filled');
    expect(item('a.png')).toHaveTextContent('Ready');
    expect(store.getState().references.every((r) => r.url?.startsWith('http'))).toBe(true);
    expect(sim.simulator.stats.uploads).toBe(2);
    expect(input().value).toBe(''); // reset so the same file can be picked again
    await waitFor(() => expect(announcer(container)).toHaveTextContent('2 reference images added'));
  });

  it('keeps 14 of 15 files and names the 15th in an alert', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<ReferenceTray />);
    await user.upload(input(), pngs(15));
    await waitFor(() => expect(items()).toHaveLength(14));
    expect(screen.getByRole('alert')).toHaveTextContent('img15.png');
    expect(screen.getByText('14 / 14')).toBeInTheDocument();
    expect(tray(container)).toHaveAttribute('data-state', 'full');
    await allReady(14);
  });

  it('refuses a renamed PDF without losing what is already in the tray', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png')]);
    await allReady(1);
    await user.upload(input(), [renamedPdf('invoice.png')]);
    const alert = await screen.findByRole('alert', {}, READY_TIMEOUT);
    await waitFor(() => expect(alert).toHaveTextContent('invoice.png'));
    expect(items()).toHaveLength(1);
    expect(item('a.png')).toHaveAttribute('data-state', 'ready');
    expect(screen.getByText('1 / 14')).toBeInTheDocument();
  });

  it('refuses an empty file and lets the notice be dismissed', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray />);
    await user.upload(input(), [emptyFile('empty.png')]);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('empty.png'));
    expect(items()).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(input()).toHaveFocus();
  });

  it('recognises a duplicate by content, whatever its name', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png', 16, 16, 5)]);
    await allReady(1);
    await user.upload(input(), [pngFile('copy of a.png', 16, 16, 5)]);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('copy of a.png'));
    expect(items()).toHaveLength(1);
    expect(sim.simulator.stats.uploads).toBe(1);
  });

  it('caps the tray at `max`', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray max={3} />);
    expect(screen.getByText('0 / 3')).toBeInTheDocument();
    await user.upload(input(), pngs(4));
    await waitFor(() => expect(screen.getByText('3 / 3')).toBeInTheDocument());
    expect(items()).toHaveLength(3);
    expect(screen.getByRole('alert')).toHaveTextContent('img4.png');
  });

  it("caps `max` by the model's limit", () => {
    renderKit(<ReferenceTray />, { store: { model: 'gpt-4o-image' } });
    expect(screen.getByText('0 / 5')).toBeInTheDocument();
  });

  it('re-applies `max` after the model changes', () => {
    const { store } = renderKit(<ReferenceTray max={3} />);
    expect(screen.getByText('0 / 3')).toBeInTheDocument();
    act(() => store.getState().setModel('gpt-4o-image'));
    expect(screen.getByText('0 / 3')).toBeInTheDocument();
    expect(store.getState().maxReferences).toBe(3);
  });

  it('adds dropped files and flags the drop target while dragging', async () => {
    const { container } = renderKit(<ReferenceTray />);
    const root = tray(container);
    const file = pngFile('dropped.png');
    const dataTransfer = {
      files: [file],
      types: ['Files'],
      items: [{ kind: 'file', type: 'image/png', getAsFile: () => file }],
      dropEffect: 'none',
    };
    fireEvent.dragEnter(root, { dataTransfer });
    expect(root).toHaveAttribute('data-drop-target');
    expect(screen.getByText('Drop to add')).toBeInTheDocument();
    const over = fireEvent.dragOver(root, { dataTransfer });
    expect(over).toBe(false); // default prevented: the browser must not open the file
    fireEvent.drop(root, { dataTransfer });
    expect(root).not.toHaveAttribute('data-drop-target');
    await allReady(1);
    expect(item('dropped.png')).toBeInTheDocument();
  });

  it('clears the drop target when the drag leaves', () => {
    const { container } = renderKit(<ReferenceTray />);
    const root = tray(container);
    const dataTransfer = { files: [], types: ['Files'], items: [] };
    fireEvent.dragEnter(root, { dataTransfer });
    expect(root).toHaveAttribute('data-drop-target');
    fireEvent.dragLeave(root, { dataTransfer });
    expect(root).not.toHaveAttribute('data-drop-target');
  });

  it('adds pasted images, on the tray and on the page, but not over text pasted into a field', async () => {
    const { container } = renderKit(
      <>
        <textarea aria-label="Notes" />
        <ReferenceTray />
      </>,
    );
    fireEvent.paste(tray(container), {
      clipboardData: { files: [pngFile('pasted.png', 16, 16, 1)], types: ['Files'], items: [] },
    });
    await waitFor(() => expect(items()).toHaveLength(1));

    fireEvent.paste(document.body, {
      clipboardData: { files: [pngFile('page.png', 16, 16, 2)], types: ['Files'], items: [] },
    });
    await waitFor(() => expect(items()).toHaveLength(2));

    const notPrevented = fireEvent.paste(screen.getByRole('textbox', { name: 'Notes' }), {
      clipboardData: { files: [pngFile('mixed.png', 16, 16, 3)], types: ['text/plain', 'Files'], items: [] },
    });
    expect(notPrevented).toBe(true);
    await allReady(2);
  });

  it('removes a reference and moves focus to the next Remove button, then to the picker', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png', 16, 16, 1), pngFile('b.png', 16, 16, 2)]);
    await allReady(2);
    await user.click(screen.getByRole('button', { name: /^Remove a\.png/ }));
    expect(items()).toHaveLength(1);
    expect(screen.queryByText('a.png')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Remove b\.png/ })).toHaveFocus();
    expect(announcer(container)).toHaveTextContent('a.png removed');
    expect(screen.getByText('1 / 14')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(items()).toHaveLength(0);
    expect(input()).toHaveFocus();
    expect(tray(container)).toHaveAttribute('data-state', 'empty');
  });

  it('reorders with Alt+Arrow keys, keeps focus on the moved item and announces it', async () => {
    const user = userEvent.setup();
    const { container, store } = renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png', 16, 16, 1), pngFile('b.png', 16, 16, 2)]);
    await allReady(2);
    const a = item('a.png');
    act(() => a.focus());
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(store.getState().references.map((r) => r.name)).toEqual(['b.png', 'a.png']);
    expect(items().map((li) => li.querySelector('.gen-ReferenceTray-name')?.textContent)).toEqual(['b.png', 'a.png']);
    expect(a).toHaveFocus();
    expect(announcer(container)).toHaveTextContent('a.png moved to position 2 of 2');
    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(store.getState().references.map((r) => r.name)).toEqual(['a.png', 'b.png']);
    expect(a).toHaveFocus();
    expect(announcer(container)).toHaveTextContent('a.png moved to position 1 of 2');
    await user.keyboard('{ArrowDown}'); // without Alt: nothing moves
    expect(store.getState().references.map((r) => r.name)).toEqual(['a.png', 'b.png']);
    expect(a).toHaveAccessibleDescription('Use Alt+Arrow keys to reorder');
  });

  it('reorders by dragging one item onto another', async () => {
    const user = userEvent.setup();
    const { store } = renderKit(<ReferenceTray />);
    await user.upload(input(), [pngFile('a.png', 16, 16, 1), pngFile('b.png', 16, 16, 2), pngFile('c.png', 16, 16, 3)]);
    await allReady(3);
    const data = new Map<string, string>();
    const types: string[] = [];
    const dataTransfer = {
      types,
      files: [],
      items: [],
      effectAllowed: 'none',
      dropEffect: 'none',
      setData: (type: string, value: string) => {
        data.set(type, value);
        types.push(type);
      },
      getData: (type: string) => data.get(type) ?? '',
    };
    fireEvent.dragStart(item('c.png'), { dataTransfer });
    expect(item('c.png')).toHaveAttribute('data-dragging');
    fireEvent.dragOver(item('a.png'), { dataTransfer });
    expect(item('a.png')).toHaveAttribute('data-drop-target');
    fireEvent.drop(item('a.png'), { dataTransfer });
    fireEvent.dragEnd(item('c.png'), { dataTransfer });
    expect(store.getState().references.map((r) => r.name)).toEqual(['c.png', 'a.png', 'b.png']);
    expect(item('c.png')).not.toHaveAttribute('data-dragging');
    expect(item('a.png')).not.toHaveAttribute('data-drop-target');
  });

  it('shows why an upload failed and retries it', async () => {
    const user = userEvent.setup();
    renderKit(<ReferenceTray />, { store: { headers: { 'x-simulator-fault': 'upload_rejected' } } });
    await user.upload(input(), [pngFile('a.png')]);
    await waitFor(() => expect(item('a.png')).toHaveAttribute('data-state', 'error'), READY_TIMEOUT);
    expect(item('a.png')).toHaveTextContent('Upload failed');
    expect(item('a.png')).toHaveTextContent(/rejected/i);
    const retry = screen.getByRole('button', { name: 'Retry upload of a.png' });
    expect(sim.simulator.stats.uploads).toBe(1);
    await user.click(retry);
    await waitFor(() => expect(sim.simulator.stats.uploads).toBe(2), READY_TIMEOUT);
    await waitFor(() => expect(item('a.png')).toHaveAttribute('data-state', 'error'), READY_TIMEOUT);
  });

  it('shows an indeterminate progress bar while uploading', async () => {
    const user = userEvent.setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    renderKit(<ReferenceTray />, {
      store: {
        fetch: async (url, init) => {
          if (url.includes('/uploads/')) await gate;
          return fetch(url, init);
        },
      },
    });
    await user.upload(input(), [pngFile('slow.png')]);
    const bar = await screen.findByRole('progressbar', { name: 'Uploading slow.png' }, READY_TIMEOUT);
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(item('slow.png')).toHaveAttribute('data-state', 'uploading');
    release();
    await allReady(1);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('renders a file name with markup as plain text', async () => {
    const user = userEvent.setup();
    const name = '<img src=x onerror=alert(1)>.png';
    const { container } = renderKit(<ReferenceTray />, { store: { createPreviewUrl: () => 'blob:test/preview' } });
    await user.upload(input(), [pngFile(name)]);
    await allReady(1);
    const imgs = container.querySelectorAll('img');
    expect(imgs).toHaveLength(1);
    expect(imgs[0]).toHaveAttribute('src', 'blob:test/preview');
    expect(imgs[0]).toHaveAttribute('alt', name);
    expect(container.querySelector('img[src="x"]')).toBeNull();
    expect(item(name)).toHaveTextContent(name);
    expect(screen.getByRole('button', { name: `Remove ${name}` })).toBeInTheDocument();
  });

  it('shows the injected thumbnailer’s image, decoded asynchronously, and never an object URL of the original file', async () => {
    const user = userEvent.setup();
    const objectUrl = vi.fn(() => 'blob:test/original');
    const had = Object.getOwnPropertyDescriptor(URL, 'createObjectURL');
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, writable: true, value: objectUrl });
    try {
      const asked: Blob[] = [];
      const file = pngFile('thumb.png', 40, 30, 2);
      const { container } = renderKit(<ReferenceTray />, {
        store: { createPreviewUrl: (blob) => (asked.push(blob), Promise.resolve('blob:test/small')) },
      });
      await user.upload(input(), [file]);
      await allReady(1);
      await waitFor(() => expect(container.querySelector('img')).not.toBeNull());
      const img = container.querySelector('img')!;
      expect(img).toHaveAttribute('src', 'blob:test/small');
      expect(img).toHaveAttribute('decoding', 'async');
      expect(asked).toHaveLength(1);
      expect(objectUrl).not.toHaveBeenCalled();
    } finally {
      if (had) Object.defineProperty(URL, 'createObjectURL', had);
      else delete (URL as { createObjectURL?: unknown }).createObjectURL;
    }
  });

  it('shows a neutral placeholder when there is no thumbnail', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<ReferenceTray />, { store: { createPreviewUrl: () => undefined } });
    await user.upload(input(), [pngFile('a.png')]);
    await allReady(1);
    expect(container.querySelector('img')).toBeNull();
    expect(item('a.png').querySelector('.gen-ReferenceTray-placeholder')).not.toBeNull();
  });

  it('refuses everything when disabled', async () => {
    const { container, store } = renderKit(<ReferenceTray disabled />);
    expect(tray(container)).toHaveAttribute('data-disabled');
    expect(input()).toBeDisabled();
    const file = pngFile('x.png');
    const dataTransfer = { files: [file], types: ['Files'], items: [] };
    fireEvent.dragEnter(tray(container), { dataTransfer });
    expect(tray(container)).not.toHaveAttribute('data-drop-target');
    expect(fireEvent.drop(tray(container), { dataTransfer })).toBe(false);
    fireEvent.paste(tray(container), { clipboardData: { files: [file], types: ['Files'], items: [] } });
    await new Promise((r) => setTimeout(r, 50));
    expect(store.getState().references).toHaveLength(0);
  });

  it('reports changes through onReferencesChange', async () => {
    const user = userEvent.setup();
    const seen: ReferenceItem[][] = [];
    renderKit(<ReferenceTray onReferencesChange={(refs) => seen.push(refs)} />);
    await user.upload(input(), [pngFile('a.png')]);
    await allReady(1);
    expect(seen.at(-1)?.map((r) => [r.name, r.state])).toEqual([['a.png', 'ready']]);
  });

  it('merges className and style, and composes from parts', async () => {
    const user = userEvent.setup();
    const onDrop = vi.fn((e: React.DragEvent) => e.preventDefault());
    const { container } = renderKit(
      <ReferenceTrayRoot className="host" style={{ margin: 3 }} onDrop={onDrop}>
        <ReferenceTrayList />
        <ReferenceTrayDropzone />
      </ReferenceTrayRoot>,
    );
    const root = tray(container);
    expect(root).toHaveClass('gen-ReferenceTray', 'host');
    expect(root.style.margin).toBe('3px');
    expect(ReferenceTray.Root).toBe(ReferenceTrayRoot);
    // The host's handler ran first and prevented ours.
    fireEvent.drop(root, { dataTransfer: { files: [pngFile('x.png')], types: ['Files'], items: [] } });
    expect(onDrop).toHaveBeenCalledTimes(1);
    await user.upload(input(), [pngFile('a.png')]);
    await allReady(1);
  });

  it('does not re-render ready items when another reference is added', async () => {
    const user = userEvent.setup();
    const rendered: string[] = [];
    renderKit(<ReferenceTray />, {
      provider: {
        labels: {
          removeReference: (name) => {
            rendered.push(name);
            return `Remove ${name}`;
          },
        },
      },
    });
    await user.upload(input(), [pngFile('a.png', 16, 16, 1)]);
    await allReady(1);
    rendered.length = 0;
    await user.upload(input(), [pngFile('b.png', 16, 16, 2)]);
    await allReady(2);
    expect(rendered).toContain('b.png');
    expect(rendered).not.toContain('a.png');
  });

  it('has no serious accessibility violations', async () => {
    const user = userEvent.setup();
    const { container } = renderKit(<ReferenceTray />, {
      store: { createPreviewUrl: () => 'blob:test/preview', headers: { 'x-simulator-fault': 'upload_rejected' } },
    });
    await expectNoSeriousA11yViolations(container);
    await user.upload(input(), [pngFile('a.png', 16, 16, 1), emptyFile('empty.png')]);
    await waitFor(() => expect(item('a.png')).toHaveAttribute('data-state', 'error'), READY_TIMEOUT);
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('empty.png'));
    await expectNoSeriousA11yViolations(container);
  });
});
