import { z } from 'zod';

/**
 * Options of one local training run. The same schema validates CLI flags, the server's round config
 * and what a client receives over socket.io.
 */
export const trainOptionsSchema = z.object({
  epochs: z.number().int().min(1).max(1000).default(1),
  /** Examples per step; 0 means the whole local set in one batch (FedSGD). */
  batchSize: z.number().int().min(0).max(1 << 20).default(32),
  learningRate: z.number().positive().max(1e3).default(0.01),
  optimizer: z.enum(['adam', 'sgd', 'adagrad']).default('adam'),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** FedProx proximal coefficient: adds mu/2 * ||w - w_start||^2 to the loss. 0 turns it off. */
  mu: z.number().min(0).max(1e6).default(0),
  /** L2 penalty on the weights (not the bias), per example. */
  l2: z.number().min(0).max(1e3).default(0),
  /**
   * Weigh the loss so that each class counts equally on this client (weight n / (2 · n_class)). Under label skew a
   * client's data says more about its own mix of labels than about words; without this, each round's average
   * pulls the global model toward the label mix of whichever clients were sampled, and accuracy swings from round
   * to round. Assumes balanced classes globally, as in IMDB.
   */
  classBalance: z.boolean().default(false),
});

export type TrainOptions = z.infer<typeof trainOptionsSchema>;
export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;
