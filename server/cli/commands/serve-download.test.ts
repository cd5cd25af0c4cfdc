import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArchive, type FixtureFile } from '../../data/test-fixtures.ts';
import { generateReviews } from '../../serve/testing/reviews.ts';

/**
 * `npm start`'s entry (`bin/chorus.js serve`) on a machine with no dataset: a local HTTP server stands in for
 * Stanford's, serving a small archive in the official layout, so the test never touches the internet.
 */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** 120 generated reviews as aclImdb/{train,test}/{pos,neg}/ID_RATING.txt. */
function stanfordLayout(): FixtureFile[] {
  return generateReviews(120, 3).map((r, i) => ({
    path: `aclImdb/${i % 4 === 0 ? 'test' : 'train'}/${r.label === 1 ? 'pos' : 'neg'}/${i}_${r.label === 1 ? 9 : 2}.txt`,
    content: r.text,
  }));
}

interface Run {
  code: Promise<number | null>;
  stderr: string[];
  listening: Promise<{ url: string }>;
  kill(signal?: NodeJS.Signals): void;
}

function startServe(cache: string, env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(process.execPath, ['bin/chorus.js', 'serve', '--json', '--port', '0', '--db', ':memory:', '--log-level', 'warn', '--hash-bits', '10', '--shards', '2', ...args], {
    cwd: projectRoot,
    env: { ...process.env, CHORUS_CACHE: cache, CHORUS_DATA: '', CHORUS_IMDB: join(cache, 'no-shared.tar.gz'), CHORUS_NO_DOWNLOAD: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const listening = new Promise<{ url: string }>((res, rej) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event === 'listening') res(event);
    });
    void code.then((c) => rej(new Error(`chorus serve exited (${c}) before listening: ${stderr.join('\n')}`)));
  });
  listening.catch(() => undefined);
  return { code, stderr, listening, kill: (signal = 'SIGTERM') => child.kill(signal) };
}

describe('chorus serve with no dataset on the machine', () => {
  let dir: string;
  let archive: Buffer;
  let sha256: string;
  let host: Server;
  let hostUrl: string;
  let requests = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chorus-serve-download-'));
    archive = await readFile(await makeArchive(dir, stanfordLayout(), 'served.tar.gz'));
    sha256 = createHash('sha256').update(archive).digest('hex');
    host = createServer((req, res) => {
      requests++;
      if (req.url !== '/aclImdb_v1.tar.gz') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': archive.length }).end(archive);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/aclImdb_v1.tar.gz`;
  });
  afterAll(async () => {
    await new Promise((r) => host.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads the archive into the empty cache, verifies it, and serves', async () => {
    const cache = join(dir, 'cache-ok');
    const run = startServe(cache, { CHORUS_DATA_URL: hostUrl, CHORUS_DATA_SHA256: sha256 });
    try {
      const { url } = await run.listening;
      const cached = join(cache, 'aclImdb_v1.tar.gz');
      expect(existsSync(cached)).toBe(true);
      expect(createHash('sha256').update(await readFile(cached)).digest('hex')).toBe(sha256);
      expect(run.stderr[0]).toBe(`no dataset found: downloading the IMDB archive from ${hostUrl} into ${cache} (--no-download or CHORUS_NO_DOWNLOAD=1 turns this off)`);
      expect(run.stderr.some((l) => l.includes(`${cached}: 90 training reviews in 2 shards, 30 test reviews`))).toBe(true);
      expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true, phase: 'waiting-for-clients' });
      run.kill();
      expect(await run.code).toBe(0);
    } finally {
      run.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses an archive whose sha256 is not the expected one, and keeps nothing under the real name', async () => {
    const cache = join(dir, 'cache-bad-sum');
    const run = startServe(cache, { CHORUS_DATA_URL: hostUrl, CHORUS_DATA_SHA256: '0'.repeat(64) });
    expect(await run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/chorus: error: .*no dataset found: .*\(the automatic download failed: .*checksum mismatch: expected sha256 0{64}, got [0-9a-f]{64}/);
    expect(existsSync(join(cache, 'aclImdb_v1.tar.gz'))).toBe(false);
  }, 60_000);

  it('exits with the clear message when the host is unreachable', async () => {
    const cache = join(dir, 'cache-offline');
    // A port nothing listens on: the connection is refused at once, as on a machine without network.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const run = startServe(cache, { CHORUS_DATA_URL: `http://127.0.0.1:${port}/aclImdb_v1.tar.gz`, CHORUS_DATA_SHA256: sha256 });
    expect(await run.code).toBe(1);
    const error = run.stderr.find((l) => l.startsWith('chorus: error:'));
    expect(error).toMatch(
      /^chorus: error: .*aclImdb_v1\.tar\.gz: no dataset found: pass --data PATH, set CHORUS_DATA, or run `chorus data download` to fetch the IMDB archive \(the automatic download failed: .*could not connect \(fetch failed: .*ECONNREFUSED/,
    );
  }, 60_000);

  it('does not download with --no-download or CHORUS_NO_DOWNLOAD=1', async () => {
    const before = requests;
    for (const [env, args] of [[{}, ['--no-download']], [{ CHORUS_NO_DOWNLOAD: '1' }, []]] as const) {
      const run = startServe(join(dir, 'cache-off'), { CHORUS_DATA_URL: hostUrl, CHORUS_DATA_SHA256: sha256, ...env }, [...args]);
      expect(await run.code).toBe(1);
      expect(run.stderr.join('\n')).toMatch(/^chorus: error: .*aclImdb_v1\.tar\.gz: no dataset found: pass --data PATH, set CHORUS_DATA, or run `chorus data download` to fetch the IMDB archive$/m);
    }
    expect(requests).toBe(before);
  }, 60_000);
});
