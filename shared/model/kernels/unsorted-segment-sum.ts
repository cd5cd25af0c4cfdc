import * as tf from '../tfjs.ts';
import type { KernelConfig, KernelFunc, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

/**
 * A scatter-add `UnsortedSegmentSum` for the `cpu` and `wasm` backends.
 *
 * It is the gradient of `tf.gather`, i.e. of every embedding lookup, and our forward pass sums the looked-up
 * rows per document with it. tfjs's `wasm` backend has no kernel for it at all, and the `cpu` one costs
 * O(segments × N) (about 60 ms per table row): with 2^20 rows a single step would take hours.
 * Scatter-add is O(N × rowSize) and gives the same sums as the webgl/webgpu kernels.
 */
export function segmentSum(x: TypedArray, rowSize: number, segmentIds: TypedArray, numSegments: number): Float32Array {
  const out = new Float32Array(numSegments * rowSize);
  const n = segmentIds.length;
  for (let i = 0; i < n; i++) {
    const s = segmentIds[i];
    // TensorFlow drops ids outside [0, numSegments); so do we, rather than writing out of bounds.
    if (s < 0 || s >= numSegments) continue;
    const src = i * rowSize;
    const dst = s * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j] += x[src + j];
  }
  return out;
}

interface Inputs {
  x: TensorInfo;
  segmentIds: TensorInfo;
}

function outputShape(x: TensorInfo, numSegments: number): number[] {
  return [numSegments, ...x.shape.slice(1)];
}

function rowSizeOf(x: TensorInfo): number {
  return x.shape.slice(1).reduce((a, b) => a * b, 1);
}

function checkInputs(x: TensorInfo, segmentIds: TensorInfo): void {
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum: only float32 is supported, got ${x.dtype}`);
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(`UnsortedSegmentSum: segmentIds must be 1-D with ${x.shape[0]} entries, got shape [${segmentIds.shape}]`);
  }
}

interface CpuBackendLike {
  data: { get(id: object): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const cpuKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as unknown as Inputs;
  const numSegments = attrs?.numSegments as number;
  checkInputs(x, segmentIds);
  const cpu = backend as unknown as CpuBackendLike;
  const out = segmentSum(cpu.data.get(x.dataId).values, rowSizeOf(x), cpu.data.get(segmentIds.dataId).values, numSegments);
  return cpu.makeTensorInfo(outputShape(x, numSegments), 'float32', out);
};

interface WasmBackendLike {
  typedArrayFromHeap(t: TensorInfo): TypedArray;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const wasmKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as unknown as Inputs;
  const numSegments = attrs?.numSegments as number;
  checkInputs(x, segmentIds);
  const wasm = backend as unknown as WasmBackendLike;
  const sums = segmentSum(wasm.typedArrayFromHeap(x), rowSizeOf(x), wasm.typedArrayFromHeap(segmentIds), numSegments);
  const out = wasm.makeOutput(outputShape(x, numSegments), 'float32');
  (wasm.typedArrayFromHeap(out) as Float32Array).set(sums);
  return out;
};

const kernels: Record<string, KernelFunc> = { cpu: cpuKernel, wasm: wasmKernel };

/** Installs the kernel for `backendName` if we have one for it (replacing tfjs's slow one on cpu). Idempotent. */
export function registerSegmentSumKernel(backendName: string): boolean {
  const kernelFunc = kernels[backendName];
  if (!kernelFunc) return false;
  const existing = tf.getKernel('UnsortedSegmentSum', backendName);
  if (existing?.kernelFunc === kernelFunc) return true;
  if (existing) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  const config: KernelConfig = { kernelName: 'UnsortedSegmentSum', backendName, kernelFunc };
  tf.registerKernel(config);
  return true;
}
