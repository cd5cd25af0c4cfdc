import * as tf from './tfjs.ts';
import { Rng } from '../random/rng.ts';
import { paramCount, paramSpecs, type Architecture, type ParamSpec } from './architecture.ts';
import type { SparseBatch } from './featurized-set.ts';

/**
 * The sentiment model as tfjs variables. A document's score is
 *   linear:        sigmoid( Σ_j value_j · w[id_j] + b )
 *   embedding-bag: sigmoid( (Σ_j value_j · E[id_j]) · h + b )
 * computed with a gather of the ids and a per-document segment sum, so cost follows the number of tokens.
 */
export class SentimentModel {
  readonly specs: ParamSpec[];
  readonly size: number;
  private readonly vars: tf.Variable[];

  constructor(
    readonly architecture: Architecture,
    readonly buckets: number,
    initial?: Float32Array,
  ) {
    this.specs = paramSpecs(architecture, buckets);
    this.size = paramCount(this.specs);
    const flat = initial ?? initialParams(architecture, buckets, 0);
    if (flat.length !== this.size) throw new Error(`expected ${this.size} parameters, got ${flat.length}`);
    let offset = 0;
    this.vars = this.specs.map((spec) => {
      const length = spec.shape.reduce((a, b) => a * b, 1);
      const value = tf.tensor(flat.slice(offset, offset + length), spec.shape, 'float32');
      offset += length;
      // A variable shares its initial tensor's data; the tensor itself must still be disposed, or every model
      // made (one per round on a client) leaks a full copy of its tables.
      const variable = tf.variable(value, true, undefined, 'float32');
      value.dispose();
      return variable;
    });
  }

  get variables(): readonly tf.Variable[] {
    return this.vars;
  }

  /** Logits, shape [batch.size]. The caller disposes the result (or runs this inside tf.tidy). */
  logits(batch: SparseBatch): tf.Tensor1D {
    return tf.tidy(() => {
      const ids = tf.tensor1d(batch.ids, 'int32');
      const values = tf.tensor2d(batch.values, [batch.values.length, 1]);
      const segments = tf.tensor1d(batch.segments, 'int32');
      const rows = tf.gather(this.vars[0], ids);
      const bag = tf.unsortedSegmentSum(tf.mul(rows, values), segments, batch.size);
      const bias = this.vars[this.vars.length - 1];
      const out = this.architecture.kind === 'linear' ? bag : tf.matMul(bag, this.vars[1]);
      return tf.reshape(tf.add(out, bias), [batch.size]) as tf.Tensor1D;
    });
  }

  /** Positive-class probabilities for a batch. */
  async predict(batch: SparseBatch): Promise<Float32Array> {
    const probs = tf.tidy(() => tf.sigmoid(this.logits(batch)));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }

  /** All parameters flattened in spec order (a copy). */
  async getParams(): Promise<Float32Array> {
    const flat = new Float32Array(this.size);
    let offset = 0;
    for (const v of this.vars) {
      flat.set((await v.data()) as Float32Array, offset);
      offset += v.size;
    }
    return flat;
  }

  setParams(flat: Float32Array): void {
    if (flat.length !== this.size) throw new Error(`expected ${this.size} parameters, got ${flat.length}`);
    let offset = 0;
    for (let i = 0; i < this.vars.length; i++) {
      const v = this.vars[i];
      // A copy: the cpu backend keeps the array it is given, so a subarray would tie the model to the caller's buffer.
      const values = tf.tensor(flat.slice(offset, offset + v.size), this.specs[i].shape, 'float32');
      v.assign(values);
      values.dispose();
      offset += v.size;
    }
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

/**
 * Starting parameters. The linear model starts at zero (a convex problem: nothing to break symmetry);
 * the embedding bag starts small and random, from the seed, so every client and run agrees.
 */
export function initialParams(architecture: Architecture, buckets: number, seed: number): Float32Array {
  const specs = paramSpecs(architecture, buckets);
  const flat = new Float32Array(paramCount(specs));
  if (architecture.kind === 'linear') return flat;
  const rng = new Rng(seed);
  const d = architecture.dims;
  const tableSize = buckets * d;
  for (let i = 0; i < tableSize; i++) flat[i] = rng.normal() * 0.01;
  const headScale = Math.sqrt(1 / d);
  for (let i = 0; i < d; i++) flat[tableSize + i] = rng.normal() * headScale;
  return flat;
}
