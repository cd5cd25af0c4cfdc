import { privatizedNormBound, type ClientNoise } from '../../shared/privacy/client-noise.ts';
import { runInMemoryRound } from '../../shared/secagg/in-memory-round.ts';
import { dequantizeSum, ringScale } from '../../shared/secagg/quantize.ts';
import { OptionsError } from '../options/options-error.ts';
import { seededUniform } from './codec-random.ts';
import type { SimulationConfig } from './config-schema.ts';

/**
 * What `chorus simulate --secure-aggregation` does not combine with, as serve refuses it (server-options.ts): nothing
 * that needs single updates (robust aggregators, the server-side clip), central DP (the server would noise updates it
 * never sees), and the runs whose rounds are not one cohort answering together (the socket transport, the clocked
 * modes) or whose clients do not follow the protocol (attackers).
 */
export function checkSecureSimulation(config: SimulationConfig): void {
  if (!config.secureAggregation.enabled) return;
  const flag = '--secure-aggregation';
  if (config.transport !== 'inproc') throw new OptionsError(`${flag} runs with the in-process transport only (--transport inproc); a served federation runs it with chorus serve`);
  if (config.mode !== 'rounds') throw new OptionsError(`${flag} runs with --mode rounds only: a secure sum needs a cohort that keys and masks together`);
  if (config.attackers > 0) throw new OptionsError(`${flag} does not combine with --attackers`);
  if (config.privacy.mode === 'central') throw new OptionsError(`--dp central does not combine with ${flag}: the server cannot clip or noise updates it never sees; use --dp distributed`);
  if (config.strategy.aggregator !== 'mean') throw new OptionsError(`--aggregator ${config.strategy.aggregator} does not combine with ${flag}: it needs single updates`);
  if (config.strategy.clipNorm !== undefined) throw new OptionsError(`--clip-norm does not combine with ${flag}: clients clip to --secagg-clip`);
  if (config.privacy.targetQuantile !== undefined) throw new OptionsError(`--dp-target-quantile (adaptive clipping) does not combine with ${flag} yet: each client's clipped bit would have to go through the secure sum too`);
}

/** The L2 norm a round's clients clip to before quantizing: --secagg-clip, or with distributed DP the privatized bound. */
export function secureClipNorm(config: SimulationConfig, privacy: ClientNoise | undefined, length: number): number {
  return privacy ? privatizedNormBound(privacy, length) : config.secureAggregation.clipNorm;
}

/**
 * One round's updates through the whole secure-aggregation protocol in memory (keys, sharing, clipping to `clipNorm`,
 * fixed point with stochastic rounding seeded per virtual client, masks, unmasking; nobody drops): the sum the
 * server would unmask, decoded, and each client's protocol payload bytes each way.
 */
export async function secureRoundSum(roundId: string, deltas: readonly Float32Array[], clientIndexes: readonly number[], clipNorm: number, seed: number, minCohort = 2): Promise<{ sum: Float64Array; bytesUp: number[]; bytesDown: number[] }> {
  const round = await runInMemoryRound({
    roundId,
    inputs: deltas,
    clipNorm,
    // Every virtual client enforces the run's minimum itself, as a real one does.
    minCohort,
    crypto: globalThis.crypto,
    random: (i) => seededUniform(seed ^ 0x5ec, clientIndexes[i]),
  });
  return { sum: dequantizeSum(round.sum, ringScale(clipNorm, deltas.length)), bytesUp: round.bytesUp, bytesDown: round.bytesDown };
}
