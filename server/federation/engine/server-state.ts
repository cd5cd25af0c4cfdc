import type { RngState } from '../../../shared/random/rng.ts';
import type { AggregationMemory } from '../aggregation/aggregator.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';

/**
 * Everything beyond the weights that the next round depends on. Committed in the same transaction as each model
 * version (storage/model-store.ts), so a server killed at any moment resumes to exactly the model an uninterrupted
 * run makes: the optimizer's memory (FedAvgM velocity, FedAdam moments), where client sampling had got to, and what
 * the aggregator carries between rounds (the adaptive bound's norms, centered clipping's centre).
 */
export interface ServerState {
  /** Which optimizer the state belongs to (ServerOptimizer.name): a state is never restored into another. */
  optimizer: string;
  optimizerState: OptimizerState;
  /** The client-sampling generator after the round that made this version. */
  rng: RngState;
  /** The aggregator's memory after that round; absent in states stored before schema 4 (it then starts empty). */
  aggregation?: AggregationMemory;
}
