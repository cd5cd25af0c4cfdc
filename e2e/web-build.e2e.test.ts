import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, webDist } from './support/paths.ts';

/** The production build made by the e2e global setup, checked for what the server and clients rely on. */
describe('production web build (dist/web)', () => {
  it('has the three pages', () => {
    for (const page of ['index.html', 'dashboard.html', 'widget.html']) expect(existsSync(join(webDist, page)), page).toBe(true);
  });

  it("serves tfjs-backend-wasm's binaries byte for byte at tfjs-wasm/", () => {
    const source = join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const expected = readdirSync(source).filter((name) => name.endsWith('.wasm')).sort();
    expect(expected).toContain('tfjs-backend-wasm-simd.wasm');
    expect(readdirSync(join(webDist, 'tfjs-wasm')).sort()).toEqual(expected);
    for (const name of expected) {
      expect(readFileSync(join(webDist, 'tfjs-wasm', name)).equals(readFileSync(join(source, name))), name).toBe(true);
    }
  });

  it('ships no test-only pages', () => {
    const html = readdirSync(webDist).filter((name) => name.endsWith('.html')).sort();
    expect(html).toEqual(['dashboard.html', 'index.html', 'widget.html']);
    const assets = readdirSync(join(webDist, 'assets'));
    expect(assets.filter((name) => /featurizer|tfjs-wasm/.test(name))).toEqual([]);
  });
});
