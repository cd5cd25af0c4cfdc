import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const chorusBin = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'bin', 'chorus.js');

export interface Member {
  name: string;
  child: ChildProcess;
  /** Exit code, or the signal's name; resolves when the process is gone. */
  exited: Promise<number | string>;
}

/**
 * The `chorus` processes a command runs for the person (`chorus demo`'s server and edge clients). They stay in this
 * process's group, so a terminal's Ctrl-C reaches all of them at once; `stopAll` makes sure they end however the
 * stop came (a `kill` of this process alone, or a child that ignores its signal), so none is left orphaned.
 */
export class ChildGroup {
  readonly members: Member[] = [];

  spawnChorus(name: string, args: string[], stdio: StdioOptions, env: NodeJS.ProcessEnv = process.env): Member {
    const child = spawn(process.execPath, [chorusBin, ...args], { stdio, env });
    const exited = new Promise<number | string>((done) => {
      child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
      // A process that could not start at all: there is nothing to wait for.
      child.once('error', (error) => done(`could not start (${error.message})`));
    });
    const member = { name, child, exited };
    this.members.push(member);
    return member;
  }

  running(): Member[] {
    return this.members.filter((m) => m.child.exitCode === null && m.child.signalCode === null);
  }

  /**
   * Ends every member: first lets those that already got the terminal's signal finish on their own (`graceMs`),
   * then sends SIGTERM to the rest, and SIGKILL to any still there after `killMs`.
   */
  async stopAll(opts: { graceMs: number; killMs: number }): Promise<void> {
    const all = Promise.all(this.members.map((m) => m.exited));
    const within = (ms: number) => Promise.race([all.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    if (opts.graceMs > 0 && (await within(opts.graceMs))) return;
    for (const m of this.running()) m.child.kill('SIGTERM');
    if (await within(opts.killMs)) return;
    for (const m of this.running()) m.child.kill('SIGKILL');
    await all;
  }
}
