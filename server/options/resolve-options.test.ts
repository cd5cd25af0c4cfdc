import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsToConfig } from './option-table.ts';
import { deepMerge, parseSetOverrides, readConfigFile } from './resolve-options.ts';

describe('parseSetOverrides', () => {
  it('parses JSON values and keeps other text as strings', () => {
    expect(parseSetOverrides(['a=1', 'b.c=true', 'b.d=iid', 'e="7"', 'f=[1,2]', 'g= 0.5 '])).toEqual({
      a: 1,
      b: { c: true, d: 'iid' },
      e: '7',
      f: [1, 2],
      g: 0.5,
    });
  });

  it('rejects malformed keys and prototype keys', () => {
    expect(() => parseSetOverrides(['novalue'])).toThrow(/expected key=value/);
    expect(() => parseSetOverrides(['a..b=1'])).toThrow(/expected key=value/);
    expect(() => parseSetOverrides(['=1'])).toThrow(/expected key=value/);
    expect(() => parseSetOverrides(['__proto__.x=1'])).toThrow(/expected key=value|not an allowed key/);
    expect(() => parseSetOverrides(['a.constructor=1'])).toThrow(/not an allowed key/);
  });
});

describe('flagsToConfig and deepMerge', () => {
  it('nests flags by their config path and ignores unset ones', () => {
    expect(flagsToConfig('simulate', { localEpochs: '5', batch: '0', classBalance: true, saveModel: true, data: undefined })).toEqual({
      local: { epochs: 5, batchSize: 0, classBalance: true },
      saveModel: true,
    });
    expect(flagsToConfig('simulate', { logitAdjust: '2', lrDecay: '0.9', adamEpsilon: '1e-3' })).toEqual({
      local: { logitAdjust: 2, learningRateDecay: 0.9, adamEpsilon: 1e-3 },
    });
  });

  it('merges objects deeply and replaces everything else', () => {
    expect(deepMerge({ a: { x: 1, y: 2 }, b: [1], c: 1 }, { a: { y: 3 }, b: [2, 3], c: { z: 1 } })).toEqual({ a: { x: 1, y: 3 }, b: [2, 3], c: { z: 1 } });
  });
});

describe('readConfigFile', () => {
  it('reads JSON and names the file when it is missing or malformed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'chorus-config-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    await writeFile(good, '{"rounds": 3}');
    await writeFile(bad, '{"rounds": ');
    expect(await readConfigFile(good)).toEqual({ rounds: 3 });
    await expect(readConfigFile(bad)).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(readConfigFile(path.join(dir, 'none.json'))).rejects.toThrow(/cannot read config file .*none\.json: ENOENT/);
  });
});
