import { createStrategy, strategyNames, withUpdateClipping, type Strategy } from '../federation/strategies/index.ts';
import type { StrategyConfig } from './federation-schema.ts';
import { OptionsError } from './options-error.ts';

/** The options handed to createStrategy: those set, without the name and clipping (the strategy fills in its defaults). */
export function strategyOptionsOf(config: StrategyConfig): Record<string, number> {
  const { name: _name, clipNorm: _clip, ...rest } = config;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

/**
 * The strategy the options ask for, wrapped in update clipping when `clipNorm` is set. An option the strategy
 * does not take (momentum for fedadam) or an invalid value is an OptionsError naming the valid options.
 */
export function buildStrategy(config: StrategyConfig): Strategy {
  let strategy: Strategy;
  try {
    strategy = createStrategy(config.name, strategyOptionsOf(config));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  return config.clipNorm === undefined ? strategy : (withUpdateClipping(strategy, config.clipNorm) as Strategy);
}

/**
 * For `--help`: which strategies take `option` and their defaults, read from the registry itself (each strategy's
 * resolved options), e.g. "fedavgm 1; fedadagrad, fedadam, fedyogi 0.1". Empty when no strategy takes it.
 */
export function strategyDefaultsText(option: string): string {
  const byValue = new Map<string, string[]>();
  for (const name of strategyNames) {
    const options = createStrategy(name).options as Record<string, unknown>;
    if (!Object.hasOwn(options, option)) continue;
    const value = String(options[option]);
    byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  return [...byValue].map(([value, names]) => `${names.join(', ')} ${value}`).join('; ');
}
