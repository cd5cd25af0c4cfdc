import { describe, expect, it } from 'vitest';
import { useCrashBed } from './testing/crash-bed.ts';
import { freePort, waitForLine } from './testing/serve-process.ts';

const VERSIONS = 8;
const CLIENTS = 3;

/**
 * Issue 13 (docs/async.md, "Not done yet"): `chorus serve --mode async` killed with SIGKILL once version 3 is
 * reported, and started again on the same database, goes on from the newest stored version with its optimizer state
 * (FedAvgM's velocity) instead of starting over: versions 1 to 8 each made once, the restarted server's first
 * version the one after the newest stored. Unlike the synchronous test (resume-after-kill.test.ts) the final weights
 * cannot be compared with an uninterrupted run: which update lands in which buffer depends on arrival order.
 */
describe('an async federation killed with SIGKILL after version 3', () => {
  const bed = useCrashBed('async-kill', { count: 600, seed: 13 });

  const serve = (port: number) =>
    bed.serve([
      '--db', bed.path('async.db'), '--port', String(port), '--hash-bits', '12', '--shards', String(CLIENTS), '--min-clients', String(CLIENTS),
      '--mode', 'async', '--buffer-size', '2', '--concurrency', String(CLIENTS), '--max-staleness', '4', '--rounds', String(VERSIONS),
      '--strategy', 'fedavgm', '--round-timeout', '60',
    ]);
  const stored = () =>
    bed.read('async.db', (store) => ({ rounds: store.roundHistory().map((m) => m.round), versions: store.listVersions().map((v) => v.modelVersion), state: store.latestServerState() }));

  it('resumes from the newest stored version and makes the rest, each once', async () => {
    const port = await freePort();
    const crashed = serve(port);
    await waitForLine(crashed, 'listening');
    const clients = Array.from({ length: CLIENTS }, (_, shard) =>
      bed.edgeProcess(['--server', `http://127.0.0.1:${port}`, '--shard', String(shard), '--cache', bed.path(`client-${shard}`)]),
    );
    await waitForLine(crashed, 'round', 120_000, (line) => line.round === 3);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    // Versions may have been made after 3 before the kill landed: whatever is stored is where the restart begins.
    const atCrash = stored();
    const newest = Math.max(...atCrash.rounds);
    expect(newest).toBeGreaterThanOrEqual(3);
    expect(atCrash.rounds).toEqual(Array.from({ length: newest }, (_, i) => i + 1));
    expect(atCrash.state?.optimizer).toBe('momentum'); // FedAvgM's server optimizer: its velocity is stored with each version

    // The restart: same database and address; the edge clients were never restarted and reconnect by themselves.
    const resumed = serve(port);
    await waitForLine(resumed, 'finished', 120_000);
    const exits = await Promise.all(clients.map((c) => c.exited));
    resumed.child.kill('SIGTERM');
    await resumed.exited;

    expect(exits).toEqual(new Array(CLIENTS).fill(0));
    const after = stored();
    const all = Array.from({ length: VERSIONS }, (_, i) => i + 1);
    expect(after.rounds).toEqual(all);
    expect(after.versions).toEqual([0, ...all]);
    // The restarted server made only the versions after the newest stored one, in order, none twice.
    const made = resumed.lines.filter((l) => l.event === 'round').map((l) => l.round);
    expect(made).toEqual(all.slice(newest));
  }, 300_000);
});
