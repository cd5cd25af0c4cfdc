import { z } from 'zod';
import { weightedMean } from '../aggregation/weighted-mean.ts';
import { plainOptimizer } from '../optimizers/plain.ts';
import { parseStrategyOptions } from './options.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

/** FedAvg takes no options: the server step is exactly the weighted mean of the client deltas. */
export const fedAvgOptionsSchema = z.object({});

/**
 * FedAvg (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized Data"):
 * new = global + Σ_k (n_k / n) · delta_k, i.e. the weighted mean and a server step of η = 1. Stateless; clients
 * train with whatever config the server chose.
 */
export function createFedAvg(options?: z.input<typeof fedAvgOptionsSchema>): Strategy<null> {
  parseStrategyOptions('fedavg', fedAvgOptionsSchema, options);
  return composeStrategy({ name: 'fedavg', options: {}, aggregator: weightedMean, optimizer: plainOptimizer(1) });
}
