/**
 * Bundle size, min+gzip (gzip level 9 of Vite's minified ES output), measured like
 * `scripts/size.mjs` — which is also spawned, as a cross-check — but with `publicDir: false`:
 * size.mjs's builds copy `public/mockServiceWorker.js` into the output folder and count it.
 * The breakdown — which
 * modules and packages the bytes come from — is a second build of the typical host import with
 * `preserveModules`, each output module minified and gzipped on its own. Per-module gzip sums to
 * more than the whole bundle's gzip (small files compress worse), so shares are scaled to the
 * whole-bundle figure.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './page';

export interface SizePair {
  minBytes: number;
  gzipBytes: number;
}
export interface SizeEntry {
  own: SizePair;
  withDeps: SizePair;
}
export interface SizeReport {
  typical: SizeEntry;
  index: SizeEntry;
  core: SizeEntry;
  labels: SizeEntry;
  stylesCssGzipBytes: number;
}

export interface BreakdownRow {
  /** `src/components/PromptForm`, `src/core/models`, `zod`, `@radix-ui/react-select`… */
  group: string;
  /** Whether the group is the kit's own code. */
  own: boolean;
  minBytes: number;
  /** This group's share of the whole typical bundle's gzip bytes (with deps). */
  gzipShareBytes: number;
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${err}`));
    });
  });
}

const REACT_ONLY = [/^react($|\/)/, /^react-dom($|\/)/];
const ALL_DEPS = [...REACT_ONLY, /^zustand($|\/)/, /^zod($|\/)/, /^@radix-ui\//];

function typicalEntry(dir: string): string {
  const entry = join(dir, 'typical.ts');
  writeFileSync(
    entry,
    `export { GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress } from ${JSON.stringify(resolve(ROOT, 'src/index.ts'))};\n`,
  );
  return entry;
}

/** The same build as `scripts/size.mjs`, but without Vite's public-folder copy (`publicDir: false`). */
async function measureOne(entry: string, external: RegExp[]): Promise<SizePair> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'kit-size-'));
  try {
    await build({
      root: ROOT,
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        write: true,
        reportCompressedSize: false,
        lib: { entry, formats: ['es'], fileName: 'bundle' },
        rolldownOptions: { external },
      },
    });
    let minBytes = 0;
    let gzipBytes = 0;
    for (const file of listJs(outDir)) {
      const buf = readFileSync(file);
      minBytes += buf.length;
      gzipBytes += gzipSync(buf, { level: 9 }).length;
    }
    return { minBytes, gzipBytes };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The typical host import of the built package (`dist/index.js`), bundled the way size-limit's
 * esbuild plugin does (esbuild `bundle`, minified, tree-shaken, every `.js` output gzipped at level 9):
 * `firstLoad` is what a page loads up front — every dynamic `import()` left external, so chunks the
 * kit loads on demand are not counted; `total` is the same with every dynamic import bundled in.
 * `withDeps` bundles every dependency but React; `own` keeps every bare import external (the kit's
 * own code only). kB in the report = 1000 bytes, as size-limit prints.
 */
export interface DistLoad {
  firstLoad: SizeEntry;
  total: SizeEntry;
  /** Dynamic `import()`s of the kit's own files reached from the typical import. */
  dynamicImports: string[];
}

export interface BundleMeasurement {
  /** The bench's own measurement: size.mjs's settings, public folder excluded. */
  report: SizeReport;
  /** First load and total of the typical import of `dist/index.js` (issue 13's bundle budgets). */
  dist: DistLoad;
  /** `node scripts/size.mjs` as printed. */
  sizeMjs: SizeReport;
  /** Gzip bytes of `.js` files in `public/` that Vite copies into every size.mjs output folder. */
  publicJsGzipBytes: number;
}

const TYPICAL_NAMES = 'GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress';

/** Newest modification time under `dir` (files only), 0 when absent. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/** esbuild, as size-limit's esbuild plugin runs it, of `import { …typical } from 'dist/index.js'`. */
async function esbuildSize(entry: string, names: string, dynamicExternal: boolean, ownOnly: boolean, dynamicSeen: Set<string>): Promise<SizePair> {
  const { build } = await import('esbuild');
  const outdir = mkdtempSync(join(tmpdir(), 'kit-size-esbuild-'));
  try {
    const result = await build({
      stdin: {
        // size-limit's `import` option writes the same entry (processImport in size-limit/process-import.js).
        contents: `import { ${names} } from ${JSON.stringify(entry)};\nconsole.log(${names});\n`,
        resolveDir: ROOT,
        loader: 'js',
      },
      absWorkingDir: ROOT,
      bundle: true,
      minifyIdentifiers: true,
      minifySyntax: true,
      minifyWhitespace: true,
      treeShaking: true,
      outdir,
      write: true,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'kit-first-load',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'dynamic-import') {
                dynamicSeen.add(args.path);
                if (dynamicExternal) return { path: args.path, external: true };
              }
              if (/^react(-dom)?($|\/)/.test(args.path)) return { path: args.path, external: true };
              if (ownOnly && /^[^./]/.test(args.path) && !args.path.startsWith('/')) return { path: args.path, external: true };
              return undefined;
            });
          },
        },
      ],
    });
    let minBytes = 0;
    let gzipBytes = 0;
    for (const file of Object.keys(result.metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      const buf = readFileSync(resolve(ROOT, file));
      minBytes += buf.length;
      gzipBytes += gzipSync(buf, { level: 9 }).length;
    }
    return { minBytes, gzipBytes };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** First load and total of `import { names } from entry` (default: the typical import of dist/index.js). */
export async function measureDistLoad(entry = resolve(ROOT, 'dist/index.js'), names = TYPICAL_NAMES): Promise<DistLoad> {
  const dynamic = new Set<string>();
  const size = (dynamicExternal: boolean, ownOnly: boolean) => esbuildSize(entry, names, dynamicExternal, ownOnly, dynamic);
  const firstLoad = { own: await size(true, true), withDeps: await size(true, false) };
  const total = { own: await size(false, true), withDeps: await size(false, false) };
  return { firstLoad, total, dynamicImports: [...dynamic].sort() };
}

/** Runs `npm run build` first when `dist/` is missing or older than `src/` (the budgets measure what ships). */
export async function measureBundle(): Promise<BundleMeasurement> {
  const distAt = existsSync(resolve(ROOT, 'dist/styles.css')) && existsSync(resolve(ROOT, 'dist/index.js')) ? statSync(resolve(ROOT, 'dist/index.js')).mtimeMs : 0;
  if (distAt === 0 || distAt < newestMtime(resolve(ROOT, 'src'))) {
    console.log(distAt === 0 ? 'dist/ is missing: running npm run build first' : 'dist/ is older than src/: running npm run build first');
    await run('npm', ['run', 'build'], 300_000);
  }
  const sizeMjs = JSON.parse(await run(process.execPath, ['scripts/size.mjs'], 300_000)) as SizeReport;
  const work = mkdtempSync(join(tmpdir(), 'kit-size-entry-'));
  try {
    const entries = {
      typical: typicalEntry(work),
      index: resolve(ROOT, 'src/index.ts'),
      core: resolve(ROOT, 'src/core/index.ts'),
      labels: resolve(ROOT, 'src/labels/index.ts'),
    };
    const report = { stylesCssGzipBytes: sizeMjs.stylesCssGzipBytes } as SizeReport;
    for (const [name, entry] of Object.entries(entries) as Array<[keyof typeof entries, string]>) {
      report[name] = { own: await measureOne(entry, ALL_DEPS), withDeps: await measureOne(entry, REACT_ONLY) };
    }
    const publicDir = resolve(ROOT, 'public');
    const publicJsGzipBytes = existsSync(publicDir)
      ? listJs(publicDir).reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0)
      : 0;
    return { report, dist: await measureDistLoad(), sizeMjs, publicJsGzipBytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function groupOf(file: string): { group: string; own: boolean } {
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 'node_modules/'.length).split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    return { group: name, own: false };
  }
  const src = /(?:^|\/)src\/(.+?)\.js$/.exec(file);
  if (src) {
    const parts = src[1]!.split('/');
    // components/<Name>/… per component; everything else per file (core/models, store/createGeneratorStore…)
    const group = parts[0] === 'components' ? `src/components/${parts[1]}` : `src/${parts.join('/')}`;
    return { group, own: true };
  }
  return { group: `other (${file})`, own: false };
}

function listJs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listJs(full));
    else if (name.endsWith('.js')) out.push(full);
  }
  return out;
}

/** Which modules the typical host import's bytes come from (every dependency but React bundled). */
export async function bundleBreakdown(wholeGzipBytes: number): Promise<BreakdownRow[]> {
  const { build } = await import('vite');
  const work = mkdtempSync(join(tmpdir(), 'kit-size-breakdown-'));
  try {
    const entry = typicalEntry(work);
    const outDir = join(work, 'out');
    await build({
      root: ROOT,
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        write: true,
        reportCompressedSize: false,
        lib: { entry, formats: ['es'], fileName: (_format, name) => `${name}.js` },
        rolldownOptions: {
          external: REACT_ONLY,
          output: { preserveModules: true, preserveModulesRoot: ROOT },
        },
      },
    });
    const groups = new Map<string, BreakdownRow & { gz: number }>();
    for (const file of listJs(outDir)) {
      const rel = relative(outDir, file);
      const buf = readFileSync(file);
      const { group, own } = groupOf(rel);
      const row = groups.get(group) ?? { group, own, minBytes: 0, gzipShareBytes: 0, gz: 0 };
      row.minBytes += buf.length;
      row.gz += gzipSync(buf, { level: 9 }).length;
      groups.set(group, row);
    }
    const totalGz = [...groups.values()].reduce((a, r) => a + r.gz, 0) || 1;
    return [...groups.values()]
      .map(({ gz, ...row }) => ({ ...row, gzipShareBytes: Math.round((gz / totalGz) * wholeGzipBytes) }))
      .sort((a, b) => b.gzipShareBytes - a.gzipShareBytes);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
