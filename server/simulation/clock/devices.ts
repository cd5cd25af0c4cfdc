import { Rng } from '../../../shared/random/rng.ts';
import type { ClockSettings } from './clock-settings.ts';

/**
 * Each simulated client's training throughput (examples/s), log-uniform over [max / spread, max]: as many devices
 * 2× slower than the fastest as 2× faster than the slowest, the shape of a fleet that mixes WebGPU desktops, WASM
 * laptops and phones. Drawn once per client from the seed.
 */
export function deviceThroughputs(clients: number, settings: Pick<ClockSettings, 'speedMax' | 'speedSpread'>, seed: number): Float64Array {
  const rng = new Rng((seed ^ 0xde71ce) >>> 0);
  return Float64Array.from({ length: clients }, () => settings.speedMax / settings.speedSpread ** rng.next());
}

/**
 * Simulated seconds from asking for work to the update arriving: fetching the model, `epochs` passes over the
 * client's training examples at its throughput, and sending the update. The links are the same for every client;
 * the upload is counted at the size it will have (the caller's estimate before training: the dense float32 one).
 */
export function workSeconds(work: { examples: number; epochs: number; throughput: number; bytesDown: number; bytesUp: number }, links: Pick<ClockSettings, 'downlinkMbps' | 'uplinkMbps'>): number {
  const transfer = (bytes: number, mbps: number) => (bytes * 8) / (mbps * 1e6);
  return transfer(work.bytesDown, links.downlinkMbps) + (work.examples * work.epochs) / work.throughput + transfer(work.bytesUp, links.uplinkMbps);
}
