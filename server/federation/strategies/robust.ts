import type { AggregatorSpec } from '../aggregation/aggregator.ts';
import { centeredClip } from '../aggregation/centered-clip.ts';
import { coordinateMedian } from '../aggregation/coordinate-median.ts';
import { multiKrum } from '../aggregation/multi-krum.ts';
import { trimmedMean } from '../aggregation/trimmed-mean.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const aggregatorNames = ['mean', 'median', 'trimmed-mean', 'krum', 'centered-clip'] as const;
export type AggregatorName = (typeof aggregatorNames)[number];

export interface RobustOptions {
  trimBeta?: number;
  krumF?: number;
  krumM?: number;
  ccTau?: number;
  ccIterations?: number;
  ccCenter?: 'previous' | 'zero';
}

/**
 * The aggregator a name and its options ask for. Defaults: trimmed mean β 0.1; Krum f 1 (m = K − f); centered
 * clipping τ 100 — about the median honest update norm measured on IMDB (update-bound.ts), so most honest updates
 * pass whole while one far from the centre moves it at most τ / K per iteration — with 3 iterations centred on the
 * previous aggregate.
 */
export function robustAggregator(name: AggregatorName, options: RobustOptions = {}): AggregatorSpec | null {
  switch (name) {
    case 'mean':
      return null;
    case 'median':
      return coordinateMedian;
    case 'trimmed-mean':
      return trimmedMean(options.trimBeta ?? 0.1);
    case 'krum':
      return multiKrum({ f: options.krumF ?? 1, m: options.krumM });
    case 'centered-clip':
      return centeredClip({ tau: options.ccTau ?? 100, iterations: options.ccIterations ?? 3, center: options.ccCenter ?? 'previous' });
  }
}

/**
 * A strategy with its aggregator swapped for `aggregator` (a robust one) and its server optimizer kept: median +
 * FedAdam, Krum + momentum… Named `inner+aggregator`, and the aggregator's options recorded with the strategy's.
 */
export function withAggregator<S extends OptimizerState>(inner: Strategy<S>, aggregator: AggregatorSpec): Strategy<S> {
  return composeStrategy({
    name: `${inner.name}+${aggregator.name}`,
    options: { ...inner.options, ...aggregator.options },
    aggregator,
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}
