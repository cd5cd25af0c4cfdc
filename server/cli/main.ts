import { Command } from 'commander';
import { registerData } from './commands/data.ts';
import { registerEval } from './commands/evaluate.ts';
import { registerPredict } from './commands/predict.ts';
import { registerTrain } from './commands/train.ts';

/** `chorus`: every command of the federated sentiment system. Each registers its own flags and help. */
const program = new Command()
  .name('chorus')
  .description('Federated learning of a sentiment model in browsers and at the edge')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)');

registerTrain(program);
registerEval(program);
registerPredict(program);
registerData(program);

await program.parseAsync(process.argv);
