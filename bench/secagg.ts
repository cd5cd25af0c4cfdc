import { encodeUpdate } from '../shared/codecs/registry.ts';
import { flatLayout } from '../shared/codecs/layout.ts';
import { Rng } from '../shared/random/rng.ts';
import { runInMemoryRound } from '../shared/secagg/in-memory-round.ts';
import { expandMask } from '../shared/secagg/prg.ts';
import { validateUpdate } from '../server/federation/engine/validated-update.ts';
import { WeightedMeanAggregator } from '../server/federation/aggregation/weighted-mean.ts';
import { emit, progress, significant } from './report.ts';

/** The demo's model (2^16 hashed buckets and a bias) and the production one (2^20 + 1). */
const SIZES = [(1 << 16) + 1, (1 << 20) + 1];
const COHORTS = [10, 50, 100];
const CLIP_NORM = 100;

/**
 * Secure aggregation's cost against plain aggregation, in one process, side by side on the same deltas: per
 * client, the CPU time of its part of the round (plain: encoding float32; secure: keys, sharing, opening the
 * neighbours' shares, clipping, quantizing, masking, revealing) and the payload bytes it sends and receives beyond
 * the model download (plain: the float32 update; secure: keys, sealed shares, the masked update, revealed shares;
 * JSON and socket framing left out in both); and the server's time (plain: decoding, validating and adding every
 * update; secure: forming the cohort, and unmasking the sum, with no dropouts and with 30 % of the cohort dropped
 * after sharing). Clients and server run in turn, so each time is that party's own. Also the two mask generators'
 * speed (AES-256-CTR through Web Crypto, ChaCha20 from @noble/ciphers), the best of 5.
 */
export async function secagg(): Promise<void> {
  await prgSpeed();
  for (const length of SIZES) {
    for (const n of COHORTS) {
      const rng = new Rng(n);
      const inputs = Array.from({ length: n }, () => Float32Array.from({ length }, () => (rng.next() - 0.5) * 0.01));
      const plain = plainRound(inputs);
      emit({ bench: 'secagg-plain-client', value: significant(plain.clientMs), unit: 'ms/client', clients: n, length, bytesUp: plain.bytesUp, bytesDown: 0 });
      emit({ bench: 'secagg-plain-server', value: significant(plain.serverMs), unit: 'ms/round', clients: n, length });
      for (const dropout of [0, 0.3]) {
        progress(`secagg: ${n} clients, ${length} values, ${dropout * 100}% dropped`);
        const dropped = new Set(Array.from({ length: Math.floor(n * dropout) }, (_, i) => (i * 7) % n));
        const clientMs = new Array<number>(n).fill(0);
        let serverMs = 0;
        const round = await runInMemoryRound({
          roundId: `bench-${n}`,
          inputs,
          clipNorm: CLIP_NORM,
          minCohort: 2,
          crypto: globalThis.crypto,
          dropAfterSharing: dropped,
          random: () => () => rng.next(),
          time: async (party, client, work) => {
            const started = performance.now();
            await work();
            const ms = performance.now() - started;
            if (party === 'server') serverMs += ms;
            else clientMs[client as number] += ms;
          },
        });
        const survivors = round.survivors;
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        const context = { clients: n, length, dropped: dropped.size, neighbours: round.plan.setups[0].neighbours.length, threshold: round.plan.threshold, prg: round.plan.prg };
        emit({
          bench: 'secagg-secure-client',
          value: significant(mean(survivors.map((i) => clientMs[i]))),
          unit: 'ms/client',
          ratioToPlain: significant(mean(survivors.map((i) => clientMs[i])) / plain.clientMs),
          bytesUp: Math.round(mean(survivors.map((i) => round.bytesUp[i]))),
          bytesDown: Math.round(mean(survivors.map((i) => round.bytesDown[i]))),
          ...context,
        });
        emit({ bench: 'secagg-secure-server', value: significant(serverMs), unit: 'ms/round', ratioToPlain: significant(serverMs / plain.serverMs), ...context });
      }
    }
  }
}

function plainRound(inputs: readonly Float32Array[]): { clientMs: number; serverMs: number; bytesUp: number } {
  const length = inputs[0].length;
  const layout = flatLayout(length);
  let clientMs = 0;
  const payloads = inputs.map((x) => {
    const started = performance.now();
    const payload = encodeUpdate('float32', x, layout);
    clientMs += performance.now() - started;
    return payload;
  });
  const started = performance.now();
  const sum = new WeightedMeanAggregator(length);
  payloads.forEach((delta, i) => sum.add(validateUpdate({ clientId: `c${i}`, kind: 'edge', delta, codec: 'float32', numExamples: 1, loss: 0, bytes: delta.byteLength }, layout, 1)));
  sum.result();
  return { clientMs: clientMs / inputs.length, serverMs: performance.now() - started, bytesUp: payloads[0].byteLength };
}

async function prgSpeed(): Promise<void> {
  const seed = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const words = 1 << 20;
  for (const prg of ['aes-ctr', 'chacha20'] as const) {
    let best = Infinity;
    for (let rep = 0; rep < 6; rep++) {
      const started = performance.now();
      await expandMask(prg, seed, words, globalThis.crypto);
      // The first expansion warms the JIT (and Web Crypto's key set-up): not counted.
      if (rep > 0) best = Math.min(best, performance.now() - started);
    }
    emit({ bench: 'secagg-prg', value: significant((words * 4) / best / 1000), unit: 'MB/s', prg, ms: significant(best), words });
  }
}
