/** `src/core` must import and run in plain Node: no DOM, no React (the layering of README.md "Using the core without React"). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('src/core in plain Node', () => {
  it('imports without a DOM and builds a request', () => {
    const script = `
      const core = await import('./src/core/index.ts');
      const out = {
        hasWindow: typeof globalThis.window !== 'undefined',
        hasDocument: typeof globalThis.document !== 'undefined',
        exports: Object.keys(core).length,
        request: core.buildGenerationRequest({ model: core.DEFAULT_MODEL_ID, prompt: 'x', aspectRatio: '16:9' }),
        reactLoaded: Object.keys(await import('node:module').then(m => m.createRequire(import.meta.url).cache ?? {})).some(k => /node_modules\\/react\\//.test(k)),
      };
      console.log(JSON.stringify(out));
    `;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.hasWindow).toBe(false);
    expect(out.hasDocument).toBe(false);
    expect(out.reactLoaded).toBe(false);
    expect(out.exports).toBeGreaterThan(30);
    expect(out.request).toMatchObject({ ok: true, request: { model: 'gemini-3.1-flash-image-preview', size: '16:9', n: 1 } });
  });
});
