#!/usr/bin/env node
/**
 * Gets examples/nextjs ready for its real-browser test (test/e2e/nextjs.e2e.test.ts): builds the
 * kit (`npm run build`), installs the example's own dependencies from its lock file into
 * examples/nextjs/node_modules (once; again only when its package.json or lock changes), and puts
 * the freshly built kit there as a packed copy — the files `npm install @toapis/image-kit` gives a
 * user, not the repository's sources. The library's own install stays light: Next.js is never a
 * dependency of the kit.
 *
 *   node scripts/prepare-nextjs-example.mjs [--no-build]   (--no-build: use the dist/ already built)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples/nextjs');
const INSTALLED_KIT = join(EXAMPLE, 'node_modules/@toapis/image-kit');
const STAMP = join(EXAMPLE, 'node_modules/.install-stamp');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, cwd) {
  console.log(`$ (${cwd === ROOT ? '.' : 'examples/nextjs'}) npm ${args.join(' ')}`);
  execFileSync(npm, args, { cwd, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
}

const hashOf = (...files) => {
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  return hash.digest('hex');
};

// 1. The kit, as published.
if (!process.argv.includes('--no-build')) run(['run', 'build', '--silent'], ROOT);
else if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('--no-build, but dist/ is not built (npm run build)');

// 2. The example's own dependencies (Next.js, React, and the kit's runtime dependencies).
const wanted = hashOf(join(EXAMPLE, 'package.json'), join(EXAMPLE, 'package-lock.json'), join(ROOT, 'package.json'));
const have = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : '';
if (have !== wanted || !existsSync(INSTALLED_KIT)) {
  run(['ci', '--no-audit', '--no-fund', '--loglevel=error'], EXAMPLE);
  writeFileSync(STAMP, wanted);
} else {
  console.log('examples/nextjs: dependencies up to date');
}

// 3. The fresh build, in place of whatever copy of the kit the install left there.
for (const entry of ['dist', 'package.json', 'README.md']) {
  rmSync(join(INSTALLED_KIT, entry), { recursive: true, force: true });
  cpSync(join(ROOT, entry), join(INSTALLED_KIT, entry), { recursive: true });
}
console.log('examples/nextjs: kit copied from dist/');
