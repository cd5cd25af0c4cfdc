import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { EdgeClientHandle } from '../../../client/edge/index.ts';
import { ModelStore } from '../../storage/model-store.ts';
import { cliEntry } from './cli-entry.ts';
import { startEdgeProcess, type EdgeProcess } from './edge-process.ts';
import { generateReviews } from './reviews.ts';
import { startServeProcess, type ServeProcess } from './serve-process.ts';

/**
 * What the tests that kill `chorus serve` and start it again share: a temporary folder holding generated reviews
 * (reviews.jsonl) and the databases, `chorus serve` processes on those reviews, and clients, every one of them
 * taken down after the file's tests (processes with SIGKILL: a test may have failed with a server still running).
 * Tests only.
 */
export interface CrashBed {
  /** The folder (set once the file's `beforeAll` has run). */
  readonly dir: string;
  /** `dir`/`name`: a database, a client's cache. */
  path(name: string): string;
  /** `chorus serve --data <the reviews>` with `args`: the CLI bundle (half the start-up CPU), or bin/chorus.js. */
  serve(args: string[], options?: { env?: Record<string, string>; viaBin?: boolean }): ServeProcess;
  /** A `chorus client` process (the CLI bundle) with `args`. */
  edgeProcess(args: string[]): EdgeProcess;
  /** An in-process edge client, stopped at the end. */
  keep(client: EdgeClientHandle): EdgeClientHandle;
  /** Opens the database `dir`/`db` as a restarted server would, reads it, and closes it. */
  read<T>(db: string, reading: (store: ModelStore) => T): T;
}

/** Call inside a `describe`: registers the folder's creation and the clean-up as the describe's hooks. */
export function useCrashBed(prefix: string, reviews: { count: number; seed: number }): CrashBed {
  let dir = '';
  const servers: ServeProcess[] = [];
  const edgeProcesses: EdgeProcess[] = [];
  const clients: EdgeClientHandle[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `chorus-${prefix}-`));
    await writeFile(join(dir, 'reviews.jsonl'), generateReviews(reviews.count, reviews.seed).map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
  afterAll(async () => {
    for (const c of clients) c.stop();
    for (const p of [...servers, ...edgeProcesses]) p.child.kill('SIGKILL');
    await Promise.allSettled(clients.map((c) => c.done));
    await rm(dir, { recursive: true, force: true });
  });

  const path = (name: string) => join(dir, name);
  return {
    get dir() {
      return dir;
    },
    path,
    serve(args, { env = {}, viaBin = false } = {}) {
      const served = startServeProcess(['--data', path('reviews.jsonl'), ...args], { env, entry: viaBin ? undefined : cliEntry() });
      servers.push(served);
      return served;
    },
    edgeProcess(args) {
      const edge = startEdgeProcess(args, cliEntry());
      edgeProcesses.push(edge);
      return edge;
    },
    keep(client) {
      clients.push(client);
      return client;
    },
    read(db, reading) {
      const store = ModelStore.open(path(db));
      try {
        return reading(store);
      } finally {
        store.close();
      }
    },
  };
}
