/**
 * Download saves a file even when the image lives on another host: `<a download>` is ignored
 * cross-origin, so the kit fetches the image (straight, else through the backend's download route
 * when `/v1/capabilities` announces it), saves it under a name made from the prompt, task and
 * index, and when neither works opens the image in a new tab and says so.
 */
import * as React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { vi } from 'vitest';
import { useSimulatorServer } from '../msw/server';
import { completedTask as sharedCompletedTask, expectNoSeriousA11yViolations, renderKit } from './render';
import { TaskProgress } from '../../src/components/TaskProgress';
import { saveImage } from '../../src/browser/download';
import { renderPlaceholder } from '../../server/simulator';
import type { GenerationTask } from '../../src/store/types';

const sim = useSimulatorServer({ seed: 4 });

const URL_1 = 'https://files.toapis.com/generated/1767001150_5be07d.png';
const URL_2 = 'https://files.toapis.com/generated/1767001150_77aa01';
const PNG = renderPlaceholder(8, 8, 42);
const OPENED = 'Could not download; the image opened in a new tab — save it from there.';

function completedTask(): GenerationTask {
  return sharedCompletedTask({ taskId: 'task_01dl', prompt: 'A lighthouse at dusk!', images: [{ url: URL_1 }, { url: URL_2 }] });
}

interface Click {
  href: string;
  download: string;
  target: string;
}

let clicks: Click[];
let created: Blob[];
let revoked: string[];

beforeEach(() => {
  clicks = [];
  created = [];
  revoked = [];
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
      revokeObjectURL: (url: string) => void revoked.push(url),
    });
  }
});

/** Requests that reached the backend's download route. */
function useDownloadRoute(answer: (n: string) => Response, capabilities: object = { stream: false, proxy: true, downloads: true }) {
  const seen: URL[] = [];
  sim.server.use(
    http.get('*/v1/capabilities', () => HttpResponse.json(capabilities)),
    http.get('*/v1/images/generations/:id/images/:n', ({ request, params }) => {
      seen.push(new URL(request.url));
      return answer(String(params.n));
    }),
  );
  return seen;
}

function image(type: string) {
  return new HttpResponse(PNG, { headers: { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' } });
}

function showTask() {
  const kit = renderKit(<TaskProgress />);
  act(() => kit.store.setState({ tasks: [kit.store.getState().tasks, completedTask()].flat() }));
  return kit;
}

describe('TaskProgress Download', () => {
  it('fetches the image from its host and saves it as <prompt>-<task>-<n>.<ext>, busy meanwhile', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    sim.server.use(
      http.get(URL_1, async () => {
        await held;
        return image('image/png');
      }),
      http.get(URL_2, () => image('image/jpeg')),
    );
    const route = useDownloadRoute(() => image('image/png'));
    const { container } = showTask();
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Download image 1' });
    expect(button.tagName).toBe('BUTTON');

    await user.click(button);
    expect(button).toHaveAttribute('aria-busy', 'true');
    const status = within(button.parentElement!).getByRole('status');
    expect(status).toHaveTextContent('Downloading…');
    await expectNoSeriousA11yViolations(container);
    release();

    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0]).toEqual({ href: 'blob:http://localhost/1', download: 'a-lighthouse-at-dusk-task_01dl-1.png', target: '' });
    expect(created[0]!.type).toBe('image/png');
    expect(created[0]!.size).toBe(PNG.byteLength);
    await waitFor(() => expect(button).not.toHaveAttribute('aria-busy'));
    expect(status).toBeEmptyDOMElement();

    // The extension follows the type the host sent, whatever the URL says.
    await user.click(screen.getByRole('button', { name: 'Download image 2' }));
    await waitFor(() => expect(clicks).toHaveLength(2));
    expect(clicks[1]!.download).toBe('a-lighthouse-at-dusk-task_01dl-2.jpg');
    expect(route).toEqual([]); // the backend was not needed
    expect(document.querySelector('a[download]')).toBeNull(); // the temporary link is gone
  });

  it('when the host refuses (CORS), fetches through the backend download route it announces', async () => {
    sim.server.use(http.get(URL_1, () => HttpResponse.error()));
    const route = useDownloadRoute(() => image('image/webp'));
    showTask();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download image 1' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(route).toHaveLength(1);
    expect(route[0]!.pathname).toBe('/v1/images/generations/task_01dl/images/1');
    expect(route[0]!.searchParams.get('filename')).toBe('a-lighthouse-at-dusk-task_01dl-1.png');
    expect(clicks[0]).toEqual({ href: 'blob:http://localhost/1', download: 'a-lighthouse-at-dusk-task_01dl-1.webp', target: '' });
    expect(screen.queryByText(OPENED)).not.toBeInTheDocument();
  });

  it('when neither works, opens the image in a new tab and says so', async () => {
    sim.server.use(http.get(URL_1, () => new HttpResponse('Forbidden', { status: 403 })));
    const route = useDownloadRoute(() => HttpResponse.json({ error: { code: 'upstream_unreachable', message: 'no' } }, { status: 502 }));
    const { container } = showTask();
    const button = screen.getByRole('button', { name: 'Download image 1' });
    await userEvent.setup().click(button);
    const status = within(button.parentElement!).getByRole('status');
    await waitFor(() => expect(status).toHaveTextContent(OPENED));
    expect(route).toHaveLength(1);
    expect(clicks).toEqual([{ href: URL_1, download: '', target: '_blank' }]);
    expect(created).toEqual([]);
    expect(button).not.toHaveAttribute('aria-busy');
    expect(button).toHaveAttribute('data-state', 'opened');
    await expectNoSeriousA11yViolations(container);
  });

  it('does not call a download route the backend does not announce', async () => {
    sim.server.use(http.get(URL_1, () => HttpResponse.error()));
    const route = useDownloadRoute(() => image('image/png'), { stream: false });
    showTask();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download image 1' }));
    await screen.findByText(OPENED);
    expect(route).toEqual([]);
    expect(clicks).toEqual([{ href: URL_1, download: '', target: '_blank' }]);
  });
});

describe('saveImage', () => {
  it('revokes the object URL it made, after the browser had time to read it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fetchImage = vi.fn(async () => new Response(PNG, { headers: { 'Content-Type': 'image/png' } }));
      const outcome = await saveImage({ url: URL_1, fileName: () => 'x.png', fetch: fetchImage, revokeAfterMs: 5000 });
      expect(outcome).toBe('saved');
      expect(fetchImage).toHaveBeenCalledWith(URL_1, expect.objectContaining({ mode: 'cors', credentials: 'omit' }));
      expect(revoked).toEqual([]);
      vi.advanceTimersByTime(5000);
      expect(revoked).toEqual(['blob:http://localhost/1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never throws, even when every way fails', async () => {
    vi.mocked(HTMLAnchorElement.prototype.click).mockImplementation(() => {
      throw new Error('blocked');
    });
    const outcome = await saveImage({
      url: URL_1,
      fileName: () => 'x.png',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      viaBackend: () => Promise.reject(new Error('boom')),
    });
    expect(outcome).toBe('failed');
  });
});
