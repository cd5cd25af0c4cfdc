import { Command } from 'commander';
import { registerClient } from './commands/client.ts';
import { registerCompare } from './commands/compare.ts';
import { registerData } from './commands/data.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEval } from './commands/evaluate.ts';
import { registerPredict } from './commands/predict.ts';
import { registerPrivacy } from './commands/privacy.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerToken } from './commands/token.ts';
import { registerTrain } from './commands/train.ts';

/**
 * `chorus`: every command of the federated sentiment system. Each registers its own flags and help. A function
 * (main.ts parses argv with it) so that tests can walk the very program the entry runs without a process per
 * `--help` (help.test.ts).
 */
export function createProgram(): Command {
  const program = new Command()
    .name('chorus')
    .description('Federated learning of a sentiment model in browsers and at the edge')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Commander's own errors (missing or unknown flags) read `chorus: error: …` like ours; set before the commands
    // are added, which inherit it.
    .configureOutput({ outputError: (message, write) => write(`chorus: ${message}`) });

  registerTrain(program);
  registerEval(program);
  registerPredict(program);
  registerData(program);
  registerServe(program);
  registerSimulate(program);
  registerCompare(program);
  registerClient(program);
  registerDemo(program);
  registerToken(program);
  registerPrivacy(program);
  return program;
}
