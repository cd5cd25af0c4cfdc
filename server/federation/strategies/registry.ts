import { createFedAdagrad } from './fedadagrad.ts';
import { createFedAdam } from './fedadam.ts';
import { createFedAvg } from './fedavg.ts';
import { createFedAvgM } from './fedavgm.ts';
import { createFedProx } from './fedprox.ts';
import { createFedSgd } from './fedsgd.ts';
import { createFedYogi } from './fedyogi.ts';
import type { Strategy } from './strategy.ts';

/**
 * Each factory validates its own options with its zod schema (unknown option → error listing the valid
 * ones), so options coming from the CLI, a config file or an HTTP request can be passed straight through.
 */
const factories = {
  fedavg: createFedAvg,
  fedsgd: createFedSgd,
  fedavgm: createFedAvgM,
  fedprox: createFedProx,
  fedadagrad: createFedAdagrad,
  fedadam: createFedAdam,
  fedyogi: createFedYogi,
} as const;

export type StrategyName = keyof typeof factories;

export const strategyNames = Object.freeze(Object.keys(factories) as StrategyName[]);

export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(factories, name);
}

/** Builds a strategy by registry name; throws a clear error for an unknown name or an invalid option. */
export function createStrategy(name: string, options?: Record<string, unknown>): Strategy {
  if (!isStrategyName(name)) {
    throw new Error(`Unknown strategy "${name}"; valid strategies: ${strategyNames.join(', ')}`);
  }
  // The factories parse `unknown` input with zod, so widening the parameter type here is safe.
  const create = factories[name] as (options?: unknown) => Strategy;
  return create(options);
}
