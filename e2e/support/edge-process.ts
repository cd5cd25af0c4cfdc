import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './paths.ts';

export interface EdgeProcess {
  child: ChildProcess;
  /** Parsed `--json` lines (one per completed round). */
  rounds: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  kill(): void;
}

/** Runs `chorus client` as its own process, as a person at the edge would, collecting its JSON lines and log. */
export function startEdgeProcess(args: string[]): EdgeProcess {
  const child = spawn(process.execPath, ['bin/chorus.js', 'client', '--json', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const rounds: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) rounds.push(JSON.parse(line));
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    rounds,
    stderr: () => stderr,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
