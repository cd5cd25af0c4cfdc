import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createStrategy, strategyNames } from '../federation/strategies/index.ts';
import { serverSettingsSchema } from '../serve/server-options.ts';
import { simulationConfigSchema } from '../simulation/config-schema.ts';
import { flagForPath, flagsToConfig, getPath, optionsFor, type CommandName } from './option-table.ts';

interface Node {
  properties?: Record<string, Node>;
}

/** Every leaf path of a schema's objects, e.g. `local.epochs`. */
function leafPaths(node: Node, prefix = ''): string[] {
  if (!node.properties) return [prefix];
  return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

const schemas: Record<CommandName, z.ZodType> = { serve: serverSettingsSchema, simulate: simulationConfigSchema };
/** Options only --config and --set reach: rarely changed, or for programs and tests. */
const configOnly = ['partition.minPerClient', 'dashboardIntervalMs'];

describe('the option table', () => {
  for (const command of ['serve', 'simulate'] as const) {
    it(`matches ${command}'s schema both ways: every flag sets a real option, every option but the config-only ones has a flag`, () => {
      const paths = leafPaths(z.toJSONSchema(schemas[command], { io: 'input', unrepresentable: 'any' }) as Node);
      const flagged = optionsFor(command).map((spec) => spec.path);
      expect(flagged.filter((p) => !paths.includes(p))).toEqual([]);
      expect(paths.filter((p) => !flagged.includes(p) && !configOnly.includes(p))).toEqual([]);
      expect(new Set(optionsFor(command).map((spec) => spec.flag)).size).toBe(flagged.length);
    });
  }

  it('gives every option a strategy takes (and clipping) a flag, the same on both commands', () => {
    const options = new Set(strategyNames.flatMap((name) => Object.keys(createStrategy(name).options)));
    expect(options.size).toBeGreaterThan(0);
    for (const option of [...options, 'clipNorm']) {
      expect(flagForPath('serve', `strategy.${option}`), option).toBeDefined();
      expect(flagForPath('serve', `strategy.${option}`)).toBe(flagForPath('simulate', `strategy.${option}`));
    }
  });

  it('maps flags to their config paths per command, and keeps one command from taking the other’s flags', () => {
    const flags = { serverLr: '0.3', momentum: '0.7', port: '0', clients: '5', localEpochs: '2' };
    expect(flagsToConfig('serve', flags)).toEqual({ strategy: { serverLearningRate: 0.3, momentum: 0.7 }, port: 0, local: { epochs: 2 } });
    expect(flagsToConfig('simulate', flags)).toEqual({ strategy: { serverLearningRate: 0.3, momentum: 0.7 }, clients: 5, local: { epochs: 2 } });
  });

  it('reads nested paths, and only own keys', () => {
    expect(getPath({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(getPath({}, 'constructor')).toBeUndefined();
  });
});
