import { applyStep, type ServerOptimizer } from './server-optimizer.ts';

/**
 * Server SGD on the pseudo-gradient −Δ̄: new = global + η·Δ̄. With η = 1 this is FedAvg (and FedProx, FedSGD,
 * which differ only on the clients). Stateless.
 */
export function plainOptimizer(serverLearningRate = 1): ServerOptimizer<null> {
  return {
    name: 'sgd',
    options: Object.freeze({ serverLearningRate }),
    init: () => null,
    step: (global, meanDelta) => ({ params: applyStep(global, meanDelta, serverLearningRate), state: null }),
  };
}
