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

type Links = Pick<ClockSettings, 'downlinkMbps' | 'uplinkMbps'>;
const transfer = (bytes: number, mbps: number) => (bytes * 8) / (mbps * 1e6);

/** Simulated seconds from asking for work to having trained: fetching the model, then `epochs` passes over the client's examples. */
export function readySeconds(work: { examples: number; epochs: number; throughput: number; bytesDown: number }, links: Links): number {
  return transfer(work.bytesDown, links.downlinkMbps) + (work.examples * work.epochs) / work.throughput;
}

/** Simulated seconds to send an update of `bytesUp` bytes (the codec's payload and the message's fields). */
export function uploadSeconds(bytesUp: number, links: Links): number {
  return transfer(bytesUp, links.uplinkMbps);
}

/**
 * Simulated seconds from asking for work to the update arriving: fetching the model, training, and sending the
 * update at the size the run's codec gives it. The links are the same for every client.
 */
export function workSeconds(work: { examples: number; epochs: number; throughput: number; bytesDown: number; bytesUp: number }, links: Links): number {
  return readySeconds(work, links) + uploadSeconds(work.bytesUp, links);
}
