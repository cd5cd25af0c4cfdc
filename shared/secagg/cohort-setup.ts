import type { SecaggCrypto } from './crypto-source.ts';
import { neighbourCount, neighbourGraph, randomOrder, shareThreshold } from './neighbours.ts';
import { PRG_NAMES, type PrgName } from './prg.ts';
import { checkRingInput, type RingInput } from './ring-input.ts';
import type { AdvertisedKeys, RoundSetup } from './secagg-types.ts';

/** What the server keeps of a cohort after setup: each position's mask key and neighbours, to unmask later. */
export interface CohortPlan {
  prg: PrgName;
  threshold: number;
  input: RingInput;
  maskPublicKeys: Uint8Array[];
  neighbours: number[][];
  setups: RoundSetup[];
}

/**
 * The server's setup of a cohort once the keys are in (position p = the p-th advertiser): the mask generator every
 * member can run (AES-CTR when all can, measured faster; else ChaCha20), the neighbour graph over a permutation drawn
 * from `crypto`, and each member's setup message. `input` says what the round sums (ring-input.ts).
 */
export function planCohort(keys: readonly AdvertisedKeys[], input: RingInput, crypto: SecaggCrypto): CohortPlan {
  const n = keys.length;
  const prg = PRG_NAMES.find((name) => keys.every((k) => k.prgs.includes(name)));
  if (!prg) throw new Error('the cohort shares no mask generator');
  checkRingInput(input, n);
  const k = neighbourCount(n);
  const threshold = shareThreshold(k);
  const word = new Uint32Array(1);
  const order = randomOrder(n, () => crypto.getRandomValues(word)[0]);
  const neighbours = neighbourGraph(order, k);
  const setups = keys.map((_, position): RoundSetup => ({
    prg,
    cohortSize: n,
    input,
    threshold,
    position,
    neighbours: neighbours[position].map((v) => ({ position: v, maskPublicKey: keys[v].maskPublicKey, boxPublicKey: keys[v].boxPublicKey })),
  }));
  return { prg, threshold, input, maskPublicKeys: keys.map((key) => key.maskPublicKey), neighbours, setups };
}
