import type { BackendInfo, ClientSnapshot } from '../core/client-state.ts';
import type { WorkerMessage } from './worker-protocol.ts';

/**
 * Everything the contributor page shows, in one plain object: worker messages change it (`reduce`), and the
 * render functions draw it. Also what the e2e tests read through `window.chorusTest.state()`.
 */
export interface PageState {
  /** `ready`: not joined; `starting`: choosing a backend; `running`: the client is live; `failed`: it could not start. */
  phase: 'ready' | 'starting' | 'running' | 'failed';
  backend: BackendInfo | null;
  client: ClientSnapshot | null;
  failure: string | null;
}

export const initialPageState: PageState = { phase: 'ready', backend: null, client: null, failure: null };

export function reduce(state: PageState, message: WorkerMessage): PageState {
  switch (message.type) {
    case 'choosing-backend':
      return { ...state, phase: 'starting', failure: null };
    case 'backend':
      return { ...state, backend: message.backend };
    case 'snapshot':
      return { ...state, phase: 'running', client: message.snapshot, backend: message.snapshot.backend ?? state.backend };
    case 'failed':
      return { ...state, phase: state.client ? state.phase : 'failed', failure: message.message };
  }
}

/** One sentence on what is happening, for the status line. */
export function statusText(state: PageState): string {
  if (state.phase === 'ready') return 'Not joined yet.';
  if (state.phase === 'starting') return 'Checking which TensorFlow.js backend trains fastest on this device…';
  if (state.phase === 'failed') return `Could not start: ${state.failure ?? 'unknown error'}`;
  const c = state.client;
  if (!c) return 'Starting…';
  const detail = c.detail ? ` (${c.detail})` : '';
  switch (c.state) {
    case 'connecting':
      return `Connecting to the server…${detail}`;
    case 'connected':
      return `Connected; getting ready${detail}`;
    case 'idle':
      return `Waiting for the next round. ${c.localRounds.length} round${c.localRounds.length === 1 ? '' : 's'} contributed so far.`;
    case 'training':
      return `Training on this device${detail}`;
    case 'uploading':
      return `Sending the weight update${detail}`;
    case 'paused':
      return 'Paused: this device is not training.';
    case 'error':
      return `Problem: ${c.detail ?? 'unknown error'}`;
    case 'stopped':
      return c.finished ? `Finished: ${c.detail ?? 'the federation is over'}. Thank you!` : `Stopped${detail}.`;
  }
}
