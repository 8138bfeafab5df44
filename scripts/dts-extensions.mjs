#!/usr/bin/env node
/**
 * Gives every relative import in the emitted declarations (dist/types) the file it means:
 * `./core` → `./core/index.js`, `./errors` → `./errors.js`. `tsc` copies the sources' extensionless
 * specifiers as they are; a bundler resolves them, but a TypeScript user on `moduleResolution:
 * node16`/`nodenext` (an ESM Node server importing `@toapis/image-kit/server`, say) does not, and
 * would see every re-exported name as missing. `@arethetypeswrong/cli` in `npm test` catches a
 * declaration this step missed.
 *
 *   node scripts/dts-extensions.mjs [dir]   (default dist/types; run by `npm run build`)
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = resolve(ROOT, process.argv[2] ?? 'dist/types');

/** Every `.d.ts` file under `dir`. */
function declarations(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarations(path);
    return name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The specifier with the extension Node's ESM resolution needs, or the same one if it has it already. */
function withExtension(file, specifier) {
  if (/\.(m?js|json|css)$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${file}: cannot find the declaration for '${specifier}'`);
}

// `from './x'`, `import './x'`, `import('./x')` — the three places a relative specifier appears in a
// declaration file. Comments never hold one in this form.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g;

if (!existsSync(DIR)) {
  console.error(`dts-extensions: ${DIR} does not exist (run tsc -p tsconfig.build.json first)`);
  process.exit(1);
}
let changed = 0;
for (const file of declarations(DIR)) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (_, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier)}${quote}`);
  if (next !== text) {
    writeFileSync(file, next);
    changed += 1;
  }
}
console.log(`dts-extensions: ${changed} declaration file(s) under ${DIR.slice(ROOT.length + 1)} now name their imports' files`);
