import { describe, expect, it } from 'vitest';
import { makeCliTempDir, runChorus } from './test-support.ts';

/** Command names listed under "Commands:" in a help text (commander's format), without `help` itself. */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]).filter((name) => name !== 'help');
}

describe('chorus --help', () => {
  it('prints usage for the program and for every command and subcommand, with exit status 0', async () => {
    const dir = await makeCliTempDir();
    const top = await runChorus(['--help'], dir);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: chorus \[options\] \[command\]/);
    const commands = listedCommands(top.stdout);
    expect(commands).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'data']));

    const pending = commands.map((name) => [name]);
    const seen: string[] = [];
    while (pending.length > 0) {
      const path = pending.shift()!;
      const run = await runChorus([...path, '--help'], dir);
      expect(run.code, `${path.join(' ')} --help: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: chorus ${path.join(' ')} `));
      expect(run.stdout).toMatch(/-h, --help +display help for command/);
      for (const sub of listedCommands(run.stdout)) pending.push([...path, sub]);
      seen.push(path.join(' '));
    }
    expect(seen).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'data', 'data download', 'data info']));
  }, 120_000);

  it('documents the flags of train', async () => {
    const run = await runChorus(['train', '--help'], await makeCliTempDir());
    for (const flag of ['--out <dir>', '--epochs <n>', '--batch <n>', '--lr <rate>', '--hash-bits <n>', '--arch <kind>', '--data <path>', '--backend <name>', '--json']) {
      expect(run.stdout).toContain(flag);
    }
  });
});
