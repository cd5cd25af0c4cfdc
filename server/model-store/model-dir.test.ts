import fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBundle, toModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';
import { initialParams } from '../../shared/model/sentiment-model.ts';
import { featurizerSettings } from '../../shared/text/settings.ts';
import type { Architecture } from '../../shared/model/architecture.ts';
import { loadModelDir, MODEL_FILES, ModelDirError, saveModelDir } from './model-dir.ts';

/** A small model whose weights and version both depend on `version`, so two saves are told apart. */
function bundle(architecture: Architecture, version: number): ModelBundle {
  const fill = version / 4;
  const params = initialParams(architecture, 256, 5).map((v, i) => v + fill * ((i % 7) - 3));
  const counts = Float64Array.from({ length: 256 }, (_, i) => i % 11);
  return createBundle({ architecture, featurizer: featurizerSettings({ buckets: 256 }), params, docFreq: { numDocs: 11, counts }, modelVersion: version });
}

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'chorus-model-dir-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(root, { recursive: true, force: true });
});

async function readFiles(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const name of Object.values(MODEL_FILES)) out[name] = await fs.readFile(path.join(dir, name));
  return out;
}

describe.each<Architecture>([{ kind: 'linear' }, { kind: 'embedding-bag', dims: 3 }])('saveModelDir / loadModelDir ($kind)', (architecture) => {
  it('writes exactly the bytes of toModelFiles and loads the same model back', async () => {
    const original = bundle(architecture, 5);
    const dir = path.join(root, 'nested', 'model');
    await saveModelDir(dir, original);

    const files = toModelFiles(original);
    const onDisk = await readFiles(dir);
    expect(onDisk[MODEL_FILES.manifest].toString('utf8')).toBe(files.manifest);
    expect(onDisk[MODEL_FILES.weights].equals(Buffer.from(files.weights))).toBe(true);
    expect(onDisk[MODEL_FILES.docFreq].equals(Buffer.from(files.docFreq))).toBe(true);

    const loaded = await loadModelDir(dir);
    expect(loaded.manifest).toEqual(original.manifest);
    expect(loaded.params).toEqual(original.params);
    expect(Array.from(loaded.docFreq.counts)).toEqual(Array.from(original.docFreq.counts));
  });
});

describe('saveModelDir', () => {
  it('replaces an existing model and leaves no temporary directories behind', async () => {
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    await saveModelDir(dir, bundle({ kind: 'linear' }, 2));
    expect((await loadModelDir(dir)).manifest.modelVersion).toBe(2);
    expect(await fs.readdir(root)).toEqual(['model']);
  });

  it('leaves the old model intact when writing the new one fails', async () => {
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    const before = await readFiles(dir);
    const realWrite = fs.writeFile;
    vi.spyOn(fs, 'writeFile').mockImplementation(async (file, data) => {
      if (String(file).endsWith(MODEL_FILES.manifest)) throw new Error('ENOSPC: no space left on device');
      return realWrite(file, data);
    });
    await expect(saveModelDir(dir, bundle({ kind: 'linear' }, 2))).rejects.toThrow('ENOSPC');
    expect(await readFiles(dir)).toEqual(before);
    expect(await fs.readdir(root)).toEqual(['model']);
  });

  it('puts the old model back when moving the new one into place fails', async () => {
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    const before = await readFiles(dir);
    const realRename = fs.rename;
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (String(from).includes('.tmp-') && !String(from).endsWith('.old')) throw new Error('EXDEV: cross-device link');
      return realRename(from, to);
    });
    await expect(saveModelDir(dir, bundle({ kind: 'linear' }, 2))).rejects.toThrow('EXDEV');
    expect(await readFiles(dir)).toEqual(before);
    expect(await fs.readdir(root)).toEqual(['model']);
  });
});

describe('loadModelDir', () => {
  it('accepts the output directory of `chorus train` (the model is in its model/ subdirectory)', async () => {
    await saveModelDir(path.join(root, 'model'), bundle({ kind: 'linear' }, 3));
    expect((await loadModelDir(root)).manifest.modelVersion).toBe(3);
  });

  it('says which file is missing', async () => {
    const error = await loadModelDir(path.join(root, 'nope')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelDirError);
    expect((error as Error).message).toBe(`${path.join(root, 'nope', MODEL_FILES.manifest)}: not found (is ${path.join(root, 'nope')} a Chorus model directory?)`);
  });

  it('names the manifest first when the directory holds no model, and then any other missing file', async () => {
    for (let i = 0; i < 5; i++) await expect(loadModelDir(root)).rejects.toThrow(`${path.join(root, MODEL_FILES.manifest)}: not found`);
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    await fs.rm(path.join(dir, MODEL_FILES.docFreq));
    await expect(loadModelDir(dir)).rejects.toThrow(`${path.join(dir, MODEL_FILES.docFreq)}: not found`);
  });

  it('names the directory when a file is corrupt', async () => {
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    const weights = await fs.readFile(path.join(dir, MODEL_FILES.weights));
    weights[100] ^= 0xff;
    await fs.writeFile(path.join(dir, MODEL_FILES.weights), weights);
    const error = await loadModelDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelDirError);
    expect((error as Error).message).toBe(`${dir}: weights do not match the manifest hash (corrupt or mismatched file)`);
  });

  it('reports a manifest that is not JSON', async () => {
    const dir = path.join(root, 'model');
    await saveModelDir(dir, bundle({ kind: 'linear' }, 1));
    await fs.writeFile(path.join(dir, MODEL_FILES.manifest), 'not json');
    await expect(loadModelDir(dir)).rejects.toThrow(new RegExp(`^${dir}: manifest is not valid JSON`));
  });
});
