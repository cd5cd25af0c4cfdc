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
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    await fs.writeFile(path.join(tmp, MODEL_FILES.weights), files.weights);
    await fs.writeFile(path.join(tmp, MODEL_FILES.docFreq), files.docFreq);
    await fs.writeFile(path.join(tmp, MODEL_FILES.manifest), files.manifest);
    await replaceDir(tmp, target);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts `fresh` where `target` is. A directory cannot be renamed over a non-empty one, so the old model is moved
 * aside first and deleted only once the new one is in place; if that rename fails the old one is put back.
 */
async function replaceDir(fresh: string, target: string): Promise<void> {
  const aside = `${fresh}.old`;
  const hadOld = await exists(target);
  if (hadOld) await fs.rename(target, aside);
  try {
    await fs.rename(fresh, target);
  } catch (error) {
    if (hadOld) await fs.rename(aside, target);
    throw error;
  }
  if (hadOld) await fs.rm(aside, { recursive: true, force: true });
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
  // Read in parallel, but report the first missing file in a fixed order (manifest first), not whichever read failed first.
  const reads = await Promise.allSettled([read(MODEL_FILES.manifest), read(MODEL_FILES.weights), read(MODEL_FILES.docFreq)]);
  const failed = reads.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [manifest, weights, docFreq] = reads.map((r) => (r as PromiseFulfilledResult<Buffer>).value);
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
