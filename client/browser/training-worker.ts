/// <reference lib="webworker" />
/**
 * The training worker: owns the tfjs backend, the socket and the client core, so the page stays responsive
 * while a round trains. It posts the client's snapshot to the page (throttled) and takes join/pause/leave/forget.
 */
import { ChorusClient } from '../core/chorus-client.ts';
import type { ClientSnapshot } from '../core/client-state.ts';
import { backendOverride, chooseBackend } from './backend-choice.ts';
import { browserBackendEnvironment } from './browser-backends.ts';
import { eraseClientStorage, IndexedDbStorage } from './idb-storage.ts';
import { latestOnly } from './latest-only.ts';
import { pageMessageSchema, type PageMessage, type WorkerMessage } from './worker-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let client: ChorusClient | null = null;
let joining = false;
/** The page's latest pause wish: it may arrive while the backend is still being chosen, before a client exists. */
let wantPaused = false;
/** Set by "Forget me": a join still choosing its backend must not go on to connect and store a client id. */
let forgetting = false;
const storage = new IndexedDbStorage();

const post = (message: WorkerMessage) => self.postMessage(message);
// Progress events arrive every few ms; the page needs at most ten frames a second.
const postSnapshot = latestOnly((snapshot: ClientSnapshot) => post({ type: 'snapshot', snapshot }), 100);

self.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = pageMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    post({ type: 'failed', message: `the worker got a malformed message: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
    return;
  }
  void handle(parsed.data);
};

async function handle(message: PageMessage): Promise<void> {
  if (message.type === 'pause') {
    wantPaused = message.paused;
    return client?.setPaused(message.paused);
  }
  if (message.type === 'leave') return client?.stop('left the federation');
  if (message.type === 'forget') return forget();
  if (client || joining || forgetting) return;
  joining = true;
  try {
    post({ type: 'choosing-backend' });
    const override = backendOverride(message.search);
    const backend = await chooseBackend(browserBackendEnvironment(), override.backend);
    if (override.problem) backend.reason = `${override.problem}; ${backend.reason}`;
    post({ type: 'backend', backend });
    if (forgetting) return;
    client = new ChorusClient({
      serverUrl: message.serverUrl,
      kind: 'browser',
      data: { source: 'shard' },
      backend,
      storage,
      userAgent: message.userAgent,
    });
    client.on('change', postSnapshot.push);
    // Before start: the hello then tells the server at once, and no round is answered meanwhile.
    client.setPaused(wantPaused);
    client.start();
    postSnapshot.push(client.snapshot());
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    joining = false;
  }
}

/** Leaves the federation (the server drops this client) and erases the shard and client id from IndexedDB. */
async function forget(): Promise<void> {
  forgetting = true;
  client?.stop('this browser asked to be forgotten');
  client = null;
  try {
    await storage.close();
    await eraseClientStorage();
    post({ type: 'forgotten', problem: null });
  } catch (error) {
    post({ type: 'forgotten', problem: error instanceof Error ? error.message : String(error) });
  }
}
