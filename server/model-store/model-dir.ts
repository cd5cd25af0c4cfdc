import fs from 'node:fs/promises';
import path from 'node:path';
import { fromModelFiles, toModelFiles, type ModelBundle } from '../../shared/model/model-bundle.ts';

/**
 * A model on disk: `manifest.json`, `weights.bin` (float32 LE), `docfreq.bin` (uint32 LE document counts).
 * Written into a temporary sibling directory and renamed into place, so a crash never leaves half a model.
 */
export const MODEL_FILES = { manifest: 'manifest.json', weights: 'weights.bin', docFreq: 'docfreq.bin' } as const;

export async function saveModelDir(dir: string, bundle: ModelBundle): Promise<void> {
  const files = toModelFiles(bundle);
  const parent = path.dirname(path.resolve(dir));
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    await fs.writeFile(path.join(tmp, MODEL_FILES.weights), files.weights);
    await fs.writeFile(path.join(tmp, MODEL_FILES.docFreq), files.docFreq);
    await fs.writeFile(path.join(tmp, MODEL_FILES.manifest), files.manifest);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

export class ModelDirError extends Error {}

export async function loadModelDir(dir: string): Promise<ModelBundle> {
  // `chorus train --out D` writes D/model; accept either D or D/model.
  const nested = path.join(dir, 'model');
  const base = (await exists(path.join(nested, MODEL_FILES.manifest))) ? nested : dir;
  const read = async (name: string) => {
    try {
      return await fs.readFile(path.join(base, name));
    } catch {
      throw new ModelDirError(`${path.join(base, name)}: not found (is ${dir} a Chorus model directory?)`);
    }
  };
  const [manifest, weights, docFreq] = await Promise.all([read(MODEL_FILES.manifest), read(MODEL_FILES.weights), read(MODEL_FILES.docFreq)]);
  try {
    return fromModelFiles({ manifest: manifest.toString('utf8'), weights: new Uint8Array(weights), docFreq: new Uint8Array(docFreq) });
  } catch (error) {
    throw new ModelDirError(`${base}: ${(error as Error).message}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
