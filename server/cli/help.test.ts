import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.ts';
import { makeCliTempDir, runChorus, type CliRun } from './test-support.ts';

/** Command names listed under "Commands:" in a help text (commander's format), without `help` itself. */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]).filter((name) => name !== 'help');
}

/**
 * `chorus ARGS --help` on the entry's own program (program.ts), in this process: the same commander calls as a
 * process makes, writing what it would print and exiting through `exitOverride` with the code it would pass to
 * process.exit. The walk below asks for ~17 help texts; as processes that was ~17 CLI start-ups (40–80 s of CI).
 * The output settings are a piped process's (help width 80, no colour: runChorus sets NO_COLOR), so the text is
 * the one a process prints, which the first test checks for the program's own help.
 */
async function helpInProcess(args: string[]): Promise<CliRun> {
  const run: CliRun = { code: -1, stdout: '', stderr: '' };
  const quiet = (command: Command): void => {
    command.exitOverride().configureOutput({
      writeOut: (text) => void (run.stdout += text),
      writeErr: (text) => void (run.stderr += text),
      getOutHelpWidth: () => 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
    command.commands.forEach(quiet);
  };
  const program = createProgram();
  quiet(program);
  try {
    await program.parseAsync([...args, '--help'], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    run.code = error.exitCode;
    return run;
  }
  throw new Error(`chorus ${args.join(' ')} --help ran the command instead of printing its help`);
}

describe('chorus --help', () => {
  it('prints usage for the program and for every command and subcommand, with exit status 0', async () => {
    // The real entry once, as a process: its exit status and output, which the in-process program must match.
    const top = await runChorus(['--help'], await makeCliTempDir());
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: chorus \[options\] \[command\]/);
    expect(await helpInProcess([])).toEqual(top);
    const commands = listedCommands(top.stdout);
    expect(commands).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'data']));

    const pending = commands.map((name) => [name]);
    const seen: string[] = [];
    while (pending.length > 0) {
      const path = pending.shift()!;
      const run = await helpInProcess(path);
      expect(run.code, `${path.join(' ')} --help: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: chorus ${path.join(' ')} `));
      expect(run.stdout).toMatch(/-h, --help +display help for command/);
      for (const sub of listedCommands(run.stdout)) pending.push([...path, sub]);
      seen.push(path.join(' '));
    }
    expect(seen).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'data', 'data download', 'data info']));
  }, 120_000);

  it('documents the flags of train', async () => {
    const run = await helpInProcess(['train']);
    for (const flag of ['--out <dir>', '--epochs <n>', '--batch <n>', '--lr <rate>', '--hash-bits <n>', '--arch <kind>', '--data <path>', '--backend <name>', '--json']) {
      expect(run.stdout).toContain(flag);
    }
  });
});
