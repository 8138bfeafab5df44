/**
 * The code the kit loads on demand (src/core/util/lazy.ts), before it has loaded: this file sets
 * `kitOnDemand`, so test/setup.dom.ts does not preload it. Each part renders nothing for a moment,
 * then exactly what the loaded kit renders; a ref reaches the real element; the client and the
 * poller work from their first call.
 */
(globalThis as { kitOnDemand?: boolean }).kitOnDemand = true;

import * as React from 'react';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TaskProgress } from '../../src/components/TaskProgress';
import { ReferenceTray } from '../../src/components/ReferenceTray';
import { PromptForm } from '../../src/components/PromptForm';
import { taskRows } from '../../src/components/TaskProgress/lazy';
import { referenceItems } from '../../src/components/ReferenceTray/lazy';
import { preloadAll } from '../../src/core/util/lazy';
import { completedTask, renderKit } from './render';

describe('before the on-demand code has loaded', () => {
  it('a task row appears once its code arrives, with its status and images', async () => {
    expect(taskRows.get()).toBeUndefined();
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask({ images: [{ url: 'https://cdn.example/a.png' }] })] }));
    // The list is there at once; the row's code is on its way.
    const list = screen.getByRole('list', { name: 'Generations' });
    expect(list.querySelector('.gen-TaskProgress-item')).toBeNull();
    await waitFor(() => expect(list.querySelector('.gen-TaskProgress-item')).toHaveAttribute('data-state', 'completed'));
    expect(screen.getByRole('img', { name: /lighthouse/ })).toHaveAttribute('src', 'https://cdn.example/a.png');
    expect(taskRows.get()).toBeDefined();
  });

  it('a reference item appears once its code arrives; TaskProgress.Item forwards its ref', async () => {
    const { store } = renderKit(
      <>
        <ReferenceTray />
        <PromptForm />
      </>,
    );
    act(() => store.getState().addReferenceUrl('https://cdn.example/ref.png'));
    expect(await screen.findByRole('listitem')).toHaveAttribute('data-reference-id');
    expect(referenceItems.get()).toBeDefined();

    const ref = React.createRef<HTMLLIElement>();
    const second = renderKit(<TaskProgress.Root><ul><TaskProgress.Item taskId="tx" ref={ref} /></ul></TaskProgress.Root>);
    act(() => second.store.setState({ tasks: [completedTask()] }));
    await screen.findAllByRole('listitem');
    expect(ref.current?.tagName).toBe('LI');
    expect(ref.current).toHaveClass('gen-TaskProgress-item');
  });

  it('preloadAll loads every declared module; parts then render in the first pass', async () => {
    await preloadAll();
    const { store } = renderKit(<TaskProgress />);
    act(() => store.setState({ tasks: [completedTask()] }));
    expect(screen.getByRole('list', { name: 'Generations' }).querySelector('.gen-TaskProgress-item')).toHaveAttribute('data-state', 'completed');
  });
});
