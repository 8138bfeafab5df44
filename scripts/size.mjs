#!/usr/bin/env node
// Bundle size of the browser kit, min+gzip: its own code (every dependency external) and what a
// host pays (every dependency bundled except react/react-dom). Prints JSON; used by `npm run bench`.
import { build } from 'vite';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = resolve(import.meta.dirname, '..');
import { writeFileSync } from 'node:fs';
// What a typical host imports: the provider and the four components (tree-shaken like a host's bundler would).
const typicalDir = mkdtempSync(resolve(tmpdir(), 'kit-entry-'));
const typical = resolve(typicalDir, 'typical.ts');
writeFileSync(typical, `export { GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress } from ${JSON.stringify(resolve(root, 'src/index.ts'))};\n`);
const entries = { typical, index: 'src/index.ts', core: 'src/core/index.ts', labels: 'src/labels/index.ts' };

async function measure(entry, external) {
  const outDir = mkdtempSync(resolve(tmpdir(), 'kit-size-'));
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      publicDir: false, // public/mockServiceWorker.js is not part of the kit
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        write: true,
        lib: { entry: resolve(root, entry), formats: ['es'], fileName: 'bundle' },
        rolldownOptions: { external },
      },
    });
    let raw = 0;
    let gz = 0;
    for (const f of readdirSync(outDir)) {
      if (!f.endsWith('.js')) continue;
      const buf = readFileSync(resolve(outDir, f));
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    return { minBytes: raw, gzipBytes: gz };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const reactOnly = [/^react($|\/)/, /^react-dom($|\/)/];
const allDeps = [...reactOnly, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//];
const result = {};
for (const [name, entry] of Object.entries(entries)) {
  result[name] = { own: await measure(entry, allDeps), withDeps: await measure(entry, reactOnly) };
}
const css = gzipSync(readFileSync(resolve(root, 'dist/styles.css')), { level: 9 }).length;
result.stylesCssGzipBytes = css;
rmSync(typicalDir, { recursive: true, force: true });
console.log(JSON.stringify(result, null, 2));
