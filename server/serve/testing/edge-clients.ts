import { afterEach } from 'vitest';
import { runEdgeClient, type EdgeClientHandle, type LocalRoundRecord } from '../../../client/edge/index.ts';
import { LinkProxy } from './link-proxy.ts';
import type { RunningServer } from '../start-server.ts';

/** What a test sees of one in-process edge client (the real client core over real socket.io, through a proxy). */
export interface TestEdgeClient {
  handle: EdgeClientHandle;
  /** This client's own network: cut, kill or freeze it (link-proxy.ts). */
  proxy: LinkProxy;
  /** Local rounds the server accepted, as the client core reported them. */
  rounds: LocalRoundRecord[];
  /** Rounds the client core reported as failed (a refusal, or no answer after its retries). */
  failures: { round: number; code: string | null; reason: string }[];
  /** Its status lines (connection, data, rounds), for a failing test's message. */
  log: string[];
  clientId(): string | null;
  /** Calls `fn` once, when the client next starts training (the round's request and model in hand). */
  onceTraining(fn: () => void): void;
  /** Stops the client and closes its proxy. */
  stop(): Promise<void>;
}

/**
 * Starts an edge client on `serverUrl` through a proxy of its own, and resolves once it has said hello and holds
 * its shard. Reconnects are quick (0.1–0.5 s) so a test that cuts a link sees the client back soon.
 */
export async function joinEdgeClient(serverUrl: string, timeoutMs = 20_000): Promise<TestEdgeClient> {
  const proxy = await LinkProxy.start(serverUrl);
  const log: string[] = [];
  const rounds: LocalRoundRecord[] = [];
  const failures: TestEdgeClient['failures'] = [];
  const handle = await runEdgeClient({
    serverUrl: proxy.url,
    reconnect: { reconnectionDelay: 100, reconnectionDelayMax: 500 },
    log: (line) => log.push(line),
  });
  // A client the test stopped, or whose server closed, ends its run; a rejection here is read through `log`.
  handle.done.catch((error: Error) => log.push(`ended: ${error.message}`));
  const client = handle.client;
  client.on('round-done', (record) => rounds.push(record));
  client.on('round-failed', (f) => failures.push({ round: f.round, code: f.code, reason: f.reason }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the edge client did not become ready in ${timeoutMs} ms: ${log.join(' | ')}`)), timeoutMs);
    const ready = () => {
      if (client.snapshot().state !== 'idle') return;
      clearTimeout(timer);
      client.off('state', ready);
      resolve();
    };
    client.on('state', ready);
    ready();
  });
  return {
    handle,
    proxy,
    rounds,
    failures,
    log,
    clientId: () => client.snapshot().clientId,
    onceTraining(fn) {
      // 'training' with 'round N' (not 'downloading model vN'): the model is here and local training begins.
      const listener = (state: string, detail: string | null) => {
        if (state !== 'training' || !detail?.startsWith('round ')) return;
        client.off('state', listener);
        fn();
      };
      client.on('state', listener);
    },
    async stop() {
      handle.stop();
      await handle.done.catch(() => undefined);
      await proxy.close();
    },
  };
}

/** `n` edge clients, joined one after another (so the server's shard assignment is deterministic). */
export async function joinEdgeClients(serverUrl: string, n: number): Promise<TestEdgeClient[]> {
  const clients: TestEdgeClient[] = [];
  for (let i = 0; i < n; i++) clients.push(await joinEdgeClient(serverUrl));
  return clients;
}

/**
 * The served federation of one test and its edge clients, stopped and closed after each test (clients first, so
 * the server sees them leave). A test assigns what it starts: `live.server = await startTestServer(…)`,
 * `live.clients = await joinEdgeClients(…)`.
 */
export function servedFederation(): { server: RunningServer | null; clients: TestEdgeClient[] } {
  const live: { server: RunningServer | null; clients: TestEdgeClient[] } = { server: null, clients: [] };
  afterEach(async () => {
    await Promise.all(live.clients.map((c) => c.stop()));
    live.clients = [];
    await live.server?.close();
    live.server = null;
  });
  return live;
}
