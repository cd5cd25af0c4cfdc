import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `chorus client` as a separate process, for the tests and benchmarks that need real edge clients (the
 * federation e2e test, the edge-federation benchmark). Test support: it runs the CLI through bin/chorus.js, as a
 * person would, so that bench/ and e2e/ never import the CLI's modules (see .dependency-cruiser.cjs).
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface EdgeProcess {
  child: ChildProcess;
  /** Parsed `--json` lines (one per completed round). */
  rounds: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  kill(): void;
}

/**
 * Runs `chorus client` as its own process, as a person at the edge would, collecting its JSON lines and log.
 * `entry` is the CLI to run: bin/chorus.js, or the unit tests' bundle of it (testing/cli-entry.ts), which starts on
 * about half the CPU.
 */
export function startEdgeProcess(args: string[], entry = 'bin/chorus.js'): EdgeProcess {
  const child = spawn(process.execPath, [entry, 'client', '--json', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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
