#!/usr/bin/env node
// Import cycles among the kit's own modules (src/ and server/), type-only imports included:
// `node scripts/import-cycles.mjs` prints them; test/server/import-cycles.test.ts fails on any.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Every strongly connected group of two or more modules (or one that imports itself), as repo paths. */
export function importCycles(root = ROOT) {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
  if (!config) throw new Error('tsconfig.json could not be read');
  const files = new Set(config.fileNames.filter((f) => /\/(src|server)\//.test(f) && !f.endsWith('.d.ts')));
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
    const deps = [];
    for (const imported of info.importedFiles) {
      const resolved = ts.resolveModuleName(imported.fileName, file, config.options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport && files.has(resolved.resolvedFileName)) deps.push(resolved.resolvedFileName);
    }
    graph.set(file, deps);
  }
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      group.push(relative(root, w));
    } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return { modules: graph.size, cycles };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { modules, cycles } = importCycles();
  console.log(`${modules} modules; ${cycles.length} import cycle(s)`);
  for (const group of cycles) console.log(`  ${group.join(' <-> ')}`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
