/** No module of src/ or server/ imports itself back through others (type-only imports count). */
// @ts-expect-error -- a plain .mjs script without types
import { importCycles } from '../../scripts/import-cycles.mjs';

describe('import graph', () => {
  it('has no cycles among the kit’s own modules', () => {
    const { modules, cycles } = importCycles() as { modules: number; cycles: string[][] };
    expect(modules).toBeGreaterThan(100); // it really read the tree
    expect(cycles).toEqual([]);
  });
});
