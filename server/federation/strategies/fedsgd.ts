import { z } from 'zod';
import type { TrainOptions } from '../../../shared/train/options.ts';
import { weightedMean } from '../aggregation/weighted-mean.ts';
import { plainOptimizer } from '../optimizers/plain.ts';
import { parseStrategyOptions } from './options.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const fedSgdOptionsSchema = z.object({});

/**
 * FedSGD, the historical baseline of McMahan et al. 2017: every client takes exactly one full-batch plain-SGD
 * step from the global model and the server averages the results. Because each client's delta is then
 * −lr · ∇f_k(global) (its mean-loss gradient), the example-weighted mean delta is −lr · ∇f(global) on the
 * union of all selected clients' data — one large-batch gradient step per round. Aggregation is FedAvg's;
 * only the client config differs.
 *
 * `configureClients` forces epochs 1, batchSize 0 (full batch) and optimizer 'sgd' (Adam/Adagrad would
 * rescale the gradient per coordinate and break the equivalence above). It keeps the learning rate, seed
 * and l2 (part of the objective), and zeroes mu: the proximal term's gradient is zero at the starting
 * point, so it could not have any effect, and recording 0 keeps the provenance honest.
 */
export function createFedSgd(options?: z.input<typeof fedSgdOptionsSchema>): Strategy<null> {
  parseStrategyOptions('fedsgd', fedSgdOptionsSchema, options);
  return composeStrategy({
    name: 'fedsgd',
    options: {},
    aggregator: weightedMean,
    optimizer: plainOptimizer(1),
    configureClients: (base: TrainOptions): TrainOptions => ({ ...base, epochs: 1, batchSize: 0, optimizer: 'sgd', mu: 0 }),
  });
}
