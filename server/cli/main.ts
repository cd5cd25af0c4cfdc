import { createProgram } from './program.ts';

/** The `chorus` entry (bin/chorus.js): the program of program.ts, run on this process's arguments. */
await createProgram().parseAsync(process.argv);
