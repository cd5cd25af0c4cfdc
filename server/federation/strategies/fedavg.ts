import { z } from 'zod';
import type { TrainOptions } from '../../../shared/train/options.ts';
import { parseStrategyOptions } from './options.ts';
import type { ClientUpdate, Strategy } from './strategy.ts';
import { applyStep, weightedMeanDelta } from './weighted-average.ts';

/** FedAvg takes no options: the server step is exactly the weighted mean of the client deltas. */
export const fedAvgOptionsSchema = z.object({});

/**
 * FedAvg (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized Data"):
 * new = global + Σ_k (n_k / n) · delta_k. Stateless; clients train with whatever config the server chose.
 */
export function createFedAvg(options?: z.input<typeof fedAvgOptionsSchema>): Strategy<null> {
  parseStrategyOptions('fedavg', fedAvgOptionsSchema, options);
  return {
    name: 'fedavg',
    options: Object.freeze({}),
    configureClients: (base: TrainOptions): TrainOptions => ({ ...base }),
    initState: () => null,
    aggregate(global: Float32Array, updates: readonly ClientUpdate[]) {
      return { params: applyStep(global, weightedMeanDelta(updates, global.length)), state: null };
    },
  };
}
