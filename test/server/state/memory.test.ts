/** The memory state passes the shared contract (one process: both handles are the same object). */
import { createMemoryState } from '../../../server/state/memory';
import { describeStateContract } from './contract';

describeStateContract('memory', async () => {
  const state = createMemoryState();
  return [state, state];
});
