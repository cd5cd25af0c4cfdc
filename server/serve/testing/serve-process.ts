import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** `chorus serve --json` as its own process, for tests that stop it as a user (or a crash) would. Tests only. */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServeProcess {
  child: ChildProcess;
  /** Parsed stdout JSON lines ({"event":"listening"|"round"|"finished", …}). */
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
}

export interface ServeProcessOptions {
  /** Added to the test's environment (e.g. the crash test's CHORUS_TEST_CRASH_* variables). */
  env?: Record<string, string>;
  /** The CLI to run: bin/chorus.js (default), or a bundle of it (testing/cli-bundle.ts) that starts in half the time. */
  entry?: string;
}

export function startServeProcess(args: string[], { env = {}, entry = join(projectRoot, 'bin', 'chorus.js') }: ServeProcessOptions = {}): ServeProcess {
  const child = spawn(process.execPath, [entry, 'serve', '--json', '--log-level', 'warn', ...args], {
    cwd: projectRoot,
    env: { ...process.env, CHORUS_DATA: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const served: ServeProcess = { child, lines: [], stderr: [], exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => served.lines.push(JSON.parse(line) as Record<string, unknown>));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => served.stderr.push(line));
  return served;
}

/** The first stdout line with this event that also matches `where`; throws if the server exits or time runs out. */
export async function waitForLine(served: ServeProcess, event: string, ms = 60_000, where: (line: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  const until = Date.now() + ms;
  for (;;) {
    const line = served.lines.find((l) => l.event === event && where(l));
    if (line) return line;
    if (served.child.exitCode !== null || served.child.signalCode !== null) {
      throw new Error(`chorus serve exited (${served.child.exitCode ?? served.child.signalCode}) before a ${event} line: ${served.stderr.join('\n')}`);
    }
    if (Date.now() > until) throw new Error(`no ${event} line within ${ms} ms; stderr: ${served.stderr.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A TCP port that was free a moment ago, for a server that must come back on the same address after a restart. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}
