import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStrategy, strategyNames } from '../../federation/strategies/index.ts';
import { flagForPath } from '../../options/option-table.ts';
import { ScriptedClient } from '../../serve/testing/scripted-client.ts';
import { generateReviews } from '../../serve/testing/reviews.ts';
import { ModelStore } from '../../storage/model-store.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Served {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts `chorus serve --json` as a user would and collects its stdout JSON lines. */
function serve(args: string[]): Served {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'chorus.js'), 'serve', '--json', '--log-level', 'warn', ...args], {
    cwd: projectRoot,
    env: { ...process.env, CHORUS_DATA: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const served: Served = { child, lines: [], stderr: [], exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => served.lines.push(JSON.parse(line) as Record<string, unknown>));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => served.stderr.push(line));
  return served;
}

async function waitForLine(served: Served, event: string, ms = 60_000): Promise<Record<string, unknown>> {
  const until = Date.now() + ms;
  for (;;) {
    const line = served.lines.find((l) => l.event === event);
    if (line) return line;
    if (served.child.exitCode !== null) throw new Error(`chorus serve exited (${served.child.exitCode}): ${served.stderr.join('\n')}`);
    if (Date.now() > until) throw new Error(`no ${event} line within ${ms} ms; stderr: ${served.stderr.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('chorus serve', () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chorus-serve-cli-'));
    data = join(dir, 'reviews.jsonl');
    await writeFile(data, generateReviews(300, 7).map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('picks a free port with --port 0, runs a round with real clients, and shuts down cleanly on SIGTERM', async () => {
    const db = join(dir, 'cli.db');
    const served = serve(['--data', data, '--port', '0', '--db', db, '--hash-bits', '12', '--shards', '2', '--rounds', '1', '--round-timeout', '30']);
    try {
      const listening = await waitForLine(served, 'listening');
      expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(listening.port).toBeGreaterThan(0);
      const url = listening.url as string;
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, phase: 'waiting-for-clients', modelVersion: null });

      const clients = [await ScriptedClient.join(url), await ScriptedClient.join(url)];
      const round = await waitForLine(served, 'round');
      expect(round).toMatchObject({ round: 1, modelVersion: 1, results: 2 });
      expect(await waitForLine(served, 'finished')).toEqual({ event: 'finished', modelVersion: 1 });
      for (const c of clients) c.close();

      served.child.kill('SIGTERM');
      expect(await served.exited).toBe(0);
      const store = ModelStore.open(db);
      expect(store.listVersions().map((v) => v.modelVersion)).toEqual([0, 1]);
      expect(store.runs()).toHaveLength(1);
      store.close();
    } finally {
      served.child.kill('SIGKILL');
    }
  }, 90_000);

  it('rejects a bad value before loading any data, naming its flag, with exit status 1', async () => {
    const served = serve(['--data', 'does-not-exist.jsonl', '--port', '0', '--fraction', '2', '--db', ':memory:']);
    expect(await served.exited).toBe(1);
    expect(served.stderr.join('\n')).toMatch(/chorus: error: invalid serve options:\n {2}fraction \(--fraction\): Too big: expected number to be <=1/);
    const wrong = serve(['--data', 'does-not-exist.jsonl', '--strategy', 'fedadam', '--momentum', '0.9']);
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr.join('\n')).toMatch(/chorus: error: strategy\.momentum \(--momentum\): Unknown option "momentum" for strategy "fedadam"; valid options: /);
  }, 30_000);

  it('lists every option of every strategy in --help, with its defaults', async () => {
    const help = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [join(projectRoot, 'bin', 'chorus.js'), 'serve', '--help'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`serve --help exited ${code}`))));
    });
    const options = new Set(strategyNames.flatMap((name) => Object.keys(createStrategy(name).options)));
    for (const option of [...options, 'clipNorm']) {
      const flag = flagForPath('serve', `strategy.${option}`);
      expect(flag, `a flag for strategy.${option}`).toBeDefined();
      expect(help).toContain(`--${flag} <n>`);
    }
    expect(help).toMatch(/--momentum <n> +server momentum β \(default: fedavgm 0\.9\)/);
    expect(help).toMatch(/--strategy <name> +aggregation strategy \(fedavg \| fedsgd \| fedavgm/);
    for (const flag of ['--config <file>', '--set <key=value>', '--local-epochs <n>', '--lr <n>', '--logit-adjust <n>', '--port <n>', '--db <file>', '--round-timeout <seconds>', '--json']) {
      expect(help).toContain(flag);
    }
  }, 30_000);

  it('takes options from defaults < --config < flags < --set, strategy options included', async () => {
    const db = join(dir, 'precedence.db');
    const config = join(dir, 'serve.json');
    await writeFile(config, JSON.stringify({ strategy: { name: 'fedavgm', serverLearningRate: 0.3, momentum: 0.5 }, local: { epochs: 3, learningRate: 0.02 }, rounds: 4 }));
    const served = serve(['--data', data, '--port', '0', '--db', db, '--hash-bits', '12', '--set', 'strategy.momentum=0.7', '--config', config, '--momentum', '0.6', '--lr', '0.04']);
    try {
      await waitForLine(served, 'listening');
      served.child.kill('SIGTERM');
      expect(await served.exited).toBe(0);
    } finally {
      served.child.kill('SIGKILL');
    }
    const store = ModelStore.open(db);
    const [run] = store.runs();
    store.close();
    expect(run.config).toMatchObject({
      strategy: { name: 'fedavgm', serverLearningRate: 0.3, momentum: 0.7 }, // --set beats --momentum and the file
      local: { epochs: 3, learningRate: 0.04, batchSize: 32 }, // --lr beats the file; the file beats the default
      rounds: 4,
      hashBits: 12,
    });
  }, 60_000);

  it('explains a port that is taken', async () => {
    const first = serve(['--data', data, '--port', '0', '--db', ':memory:']);
    try {
      const { port } = await waitForLine(first, 'listening');
      const second = serve(['--data', data, '--port', String(port), '--db', ':memory:']);
      expect(await second.exited).toBe(1);
      expect(second.stderr.join('\n')).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
  }, 60_000);
});
