/** GeneratorProvider's lifecycle: StrictMode-safe, unmount stops the network and frees thumbnails. */
import * as React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeneratorProvider, PromptForm, ReferenceTray, TaskProgress } from '../../src';
import { SIMULATOR_BASE_URL, useSimulatorServer } from '../msw/server';
import { pngFile } from '../fixtures/files';

const sim = useSimulatorServer({ seed: 8, queuedMs: 200, generatingMs: 4000 });

const created: string[] = [];
const revoked: string[] = [];
const urlStatics = URL as unknown as { createObjectURL?: (b: Blob) => string; revokeObjectURL?: (u: string) => void };
const original = { create: urlStatics.createObjectURL, revoke: urlStatics.revokeObjectURL };
function stubObjectUrls() {
  let n = 0;
  urlStatics.createObjectURL = () => {
    const url = `blob:http://127.0.0.1/thumb-${(n += 1)}`;
    created.push(url);
    return url;
  };
  urlStatics.revokeObjectURL = (url: string) => void revoked.push(url);
}
afterEach(() => {
  urlStatics.createObjectURL = original.create;
  urlStatics.revokeObjectURL = original.revoke;
  created.length = 0;
  revoked.length = 0;
  sessionStorage.clear();
});

describe('GeneratorProvider lifecycle', () => {
  it('under StrictMode one task is sent; unmount stops polling and revokes every thumbnail', async () => {
    stubObjectUrls();
    const user = userEvent.setup();
    const view = render(
      <React.StrictMode>
        <GeneratorProvider backendUrl={SIMULATOR_BASE_URL} pollInterval={100} persistKey={false}>
          <PromptForm />
          <ReferenceTray />
          <TaskProgress />
        </GeneratorProvider>
      </React.StrictMode>,
    );
    await user.upload(screen.getByLabelText('Add reference images'), [pngFile('one.png', 10, 10, 1), pngFile('two.png', 11, 10, 2)]);
    const list = screen.getByRole('list', { name: 'Reference images' });
    await waitFor(() => expect(within(list).getAllByRole('img')).toHaveLength(2));
    // The two files are checked concurrently, so their thumbnails may be made in either order.
    expect(within(list).getAllByRole('img').map((i) => i.getAttribute('src')).sort()).toEqual(created.slice(-2).sort());
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'strict mode');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('progressbar', { name: 'Generation progress' });
    await waitFor(() => expect(sim.simulator.stats.polls).toBeGreaterThan(0), { timeout: 3000 });
    expect(sim.simulator.stats.submits).toBe(1);

    const thumbs = within(list).getAllByRole('img').map((i) => i.getAttribute('src'));
    view.unmount();
    const polls = sim.simulator.stats.polls;
    await new Promise((r) => setTimeout(r, 600));
    expect(sim.simulator.stats.polls).toBe(polls); // no network after unmount
    expect(revoked).toEqual(expect.arrayContaining(thumbs as string[]));
    expect(vi.isFakeTimers()).toBe(false);
  });
});
