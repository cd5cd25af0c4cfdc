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
  /**
   * Adam's ε (tfjs's default is 1e-7). Adam divides each step by √v̂ + ε, so with a tiny ε a coordinate moves by
   * about the learning rate per step however small its gradient: once a client has fit its few hundred reviews,
   * the leftover gradients keep pushing the weights of common words toward its majority label. A larger ε makes
   * steps on such tiny gradients proportionally small.
   */
  adamEpsilon: z.number().positive().max(1).optional(),
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
  /**
   * Logit adjustment (Menon et al. 2021; FedLC, Zhang et al. 2022): train on logit + log(p₁/p₀), where p is this
   * client's (smoothed) label prior, and predict without it. The local prior is then explained by the offset instead
   * of being learned into the word weights, so a client holding mostly one label no longer drags every common word
   * toward it. Assumes balanced classes globally, as in IMDB. The value is Menon et al.'s τ, the offset's scale:
   * 0 turns it off, 1 is the Bayes-consistent correction. A client's few hundred reviews are separable by a
   * 1M-weight linear model, and once they are fit Adam keeps widening the majority's margin, so on IMDB τ = 1 only
   * halves the pull toward the local mix and τ = 2 cancels it (docs/research).
   */
  logitAdjust: z.number().min(0).max(10).default(0),
});

export type TrainOptions = z.infer<typeof trainOptionsSchema>;
export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;
