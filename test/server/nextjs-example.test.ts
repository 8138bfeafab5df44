/**
 * examples/nextjs installs the kit from the repository (`file:../..`) with its own lock file. When
 * the kit's runtime dependencies change, that lock must change with them, or the example's
 * `npm ci` (run by `npm test`) installs a kit without them. Fix: `npm install --prefix examples/nextjs`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const json = (path: string) => JSON.parse(readFileSync(resolve(root, path), 'utf8'));

it("examples/nextjs/package-lock.json records the kit's current runtime and peer dependencies", () => {
  const kit = json('package.json');
  const locked = json('examples/nextjs/package-lock.json').packages['node_modules/@toapis/image-kit'];
  expect(locked?.dependencies ?? {}).toEqual(kit.dependencies);
  expect(locked?.peerDependencies ?? {}).toEqual(kit.peerDependencies);
});
