import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetBuildConfig } from '../../vite.widget.config.ts';

/** The budget for what a page pays for api mode: widget.js and everything it imports statically. */
const API_MODE_GZIP_BUDGET = 15 * 1024;

describe('widget bundle size', () => {
  let outDir: string;
  let chunks: Rolldown.OutputChunk[];

  beforeAll(async () => {
    // Built from the real config into a scratch folder, so the test never sees a stale dist/web.
    outDir = mkdtempSync(join(tmpdir(), 'chorus-widget-size-'));
    const output = (await build({ ...widgetBuildConfig({ outDir }), configFile: false, logLevel: 'error' })) as Rolldown.RolldownOutput;
    chunks = output.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  });

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const gzipSize = (fileName: string) => gzipSync(readFileSync(join(outDir, fileName)), { level: 9 }).length;

  it('api mode is one file, widget.js, of at most 15 KB gzip', () => {
    const entry = chunks.find((c) => c.isEntry);
    expect(entry?.fileName).toBe('widget.js');
    // Nothing imported statically: api mode costs exactly one request.
    expect(entry!.imports).toEqual([]);
    const size = gzipSize('widget.js');
    console.info(`widget.js: ${(size / 1024).toFixed(1)} KB gzip (budget ${API_MODE_GZIP_BUDGET / 1024} KB)`);
    expect(size).toBeLessThanOrEqual(API_MODE_GZIP_BUDGET);
  });

  it('keeps TensorFlow.js and the model code in the local-mode chunk, loaded only by a dynamic import', () => {
    const entry = chunks.find((c) => c.isEntry)!;
    const local = chunks.find((c) => c.name === 'local-mode');
    expect(local?.fileName).toMatch(/^widget-chunks\/local-mode-[\w-]+\.js$/);
    expect(entry.dynamicImports).toEqual([local!.fileName]);
    expect(entry.moduleIds.filter((id) => /@tensorflow|zod|@noble|shared\/model/.test(id))).toEqual([]);
    expect(local!.moduleIds.some((id) => id.includes('@tensorflow/tfjs-backend-cpu'))).toBe(true);
    console.info(`${local!.fileName}: ${(gzipSize(local!.fileName) / 1024).toFixed(1)} KB gzip`);
  });
});
