import { Option, type Command } from 'commander';
import { z } from 'zod';
import { groupHeadings, optionsFor, type CommandName, type OptionSpec } from '../options/option-table.ts';
import { strategyDefaultsText } from '../options/strategy-options.ts';

interface JsonSchemaNode {
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
}

/**
 * Registers a command's rows of the option table, plus `--config FILE` and `--set key=value`. No commander defaults:
 * an unset flag must not override the config file; the defaults live in the command's zod schema, and the help
 * shows them (and an enum's choices) read from that schema, so the help cannot disagree with what runs.
 */
export function addTableOptions(cmd: Command, command: CommandName, schema: z.ZodType): Command {
  cmd
    .option('--config <file>', 'JSON file of options (same names as --set); flags override it')
    .option('--set <key=value>', 'override any option by its config path, e.g. local.epochs=5 or strategy.momentum=0.7; repeatable, wins over flags', collect, []);
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  for (const spec of optionsFor(command)) {
    const note = spec.note?.[command];
    const help = `${spec.help}${note ? ` (${note})` : ''} ${suffix(spec, nodeAt(json, spec.path))}`.trimEnd();
    const option = spec.kind === 'boolean' ? new Option(`--${spec.flag}`, help) : new Option(`--${spec.flag} <${spec.arg ?? (spec.kind === 'number' ? 'n' : 'value')}>`, help);
    cmd.addOption(option.helpGroup(groupHeadings[spec.group]));
  }
  return cmd;
}

/** "(iid | dirichlet | …; default: iid)", "(default: 32)", "(default: fedavgm 1; fedadam 0.1)", or what unset means. */
function suffix(spec: OptionSpec, node: JsonSchemaNode | undefined): string {
  const parts: string[] = [];
  if (node?.enum) parts.push(node.enum.join(' | '));
  // A strategy's own option shows each strategy's default; the strategy-independent ones (clipping, bound, aggregator) their own.
  const perStrategy = spec.path.startsWith('strategy.') && spec.path !== 'strategy.name' ? strategyDefaultsText(spec.path.slice('strategy.'.length)) : '';
  if (perStrategy) parts.push(`default: ${perStrategy}`);
  else if (node?.default !== undefined) parts.push(`default: ${String(node.default)}`);
  else if (spec.unset) parts.push(`default: ${spec.unset}`);
  return parts.length > 0 ? `(${parts.join('; ')})` : '';
}

function nodeAt(root: JsonSchemaNode, path: string): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const key of path.split('.')) node = node?.properties?.[key];
  return node;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
