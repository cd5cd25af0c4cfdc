import type { BackendInfo, ClientSnapshot } from '../core/client-state.ts';
import type { WorkerMessage } from './worker-protocol.ts';

/** Why training is paused: the person pressed Pause, the tab is hidden, or the device is not charging (by choice). */
export type PauseReason = 'user' | 'hidden' | 'battery';

export interface BatteryState {
  /** Whether this browser has `navigator.getBattery` (the "only while charging" option is shown only then). */
  supported: boolean;
  onlyWhileCharging: boolean;
  /** Null until the battery was read. */
  charging: boolean | null;
}

/**
 * Everything the contributor page shows, in one plain object: worker messages and the person's actions change it
 * (`reduce`), and the render functions draw it. Also what the e2e tests read through `window.chorusTest.state()`.
 */
export interface PageState {
  /** `ready`: not joined; `starting`: choosing a backend; `running`: the client is live; `failed`: it could not start. */
  phase: 'ready' | 'starting' | 'running' | 'failed';
  /** The person ticked "I agree": nothing connects to the server before. */
  consent: boolean;
  backend: BackendInfo | null;
  client: ClientSnapshot | null;
  failure: string | null;
  userPaused: boolean;
  hidden: boolean;
  battery: BatteryState;
  /** "Forget me" is erasing this browser's data. */
  forgetting: boolean;
  /** A one-off message about something that just happened (resumed after the tab came back, data forgotten). */
  notice: string | null;
}

/** What the person (or the browser around the page) did. */
export type PageAction =
  | { type: 'consent'; agreed: boolean }
  | { type: 'join' }
  | { type: 'user-pause'; paused: boolean }
  | { type: 'visibility'; hidden: boolean }
  | { type: 'only-while-charging'; enabled: boolean }
  | { type: 'charging'; charging: boolean }
  /** The battery could not be read after all: the option goes away rather than pausing forever. */
  | { type: 'battery-failed'; message: string }
  | { type: 'forget' };

export const initialPageState: PageState = {
  phase: 'ready',
  consent: false,
  backend: null,
  client: null,
  failure: null,
  userPaused: false,
  hidden: false,
  battery: { supported: false, onlyWhileCharging: false, charging: null },
  forgetting: false,
  notice: null,
};

export function reduce(state: PageState, message: WorkerMessage | PageAction): PageState {
  switch (message.type) {
    case 'choosing-backend':
      return { ...state, phase: 'starting', failure: null };
    case 'backend':
      return { ...state, backend: message.backend };
    case 'snapshot':
      return { ...state, phase: 'running', client: message.snapshot, backend: message.snapshot.backend ?? state.backend };
    case 'failed':
      return { ...state, phase: state.client ? state.phase : 'failed', failure: message.message };
    case 'forgotten':
      // Back to a first visit: the person has to agree again before joining as a new contributor.
      return {
        ...initialPageState,
        hidden: state.hidden,
        battery: state.battery,
        notice: message.problem
          ? `Could not erase everything: ${message.problem}`
          : 'Forgotten: this browser left the federation and no longer holds the demo reviews or its client id.',
      };
    case 'consent':
      return { ...state, consent: message.agreed };
    case 'join':
      if (!state.consent || state.phase === 'starting' || state.phase === 'running') return state;
      return { ...state, phase: 'starting', failure: null, notice: null };
    case 'user-pause':
      return { ...state, userPaused: message.paused, notice: null };
    case 'visibility':
      return visibilityChanged(state, message.hidden);
    case 'only-while-charging':
      return { ...state, battery: { ...state.battery, onlyWhileCharging: message.enabled } };
    case 'charging':
      return { ...state, battery: { ...state.battery, charging: message.charging } };
    case 'battery-failed':
      return {
        ...state,
        battery: { supported: false, onlyWhileCharging: false, charging: null },
        notice: `“Only while charging” is not available here: ${message.message}`,
      };
    case 'forget':
      return { ...state, forgetting: true, notice: null };
  }
}

function visibilityChanged(state: PageState, hidden: boolean): PageState {
  if (state.hidden === hidden) return state;
  const joined = state.phase === 'starting' || state.phase === 'running';
  // Said once the person is back, so they know why the progress stood still meanwhile.
  const notice = joined && !hidden ? 'Training paused while this tab was in the background, and resumed when you came back.' : state.notice;
  return { ...state, hidden, notice };
}

/** Every reason to be paused now, in a fixed order; training runs only when there is none. */
export function pauseReasons(state: PageState): PauseReason[] {
  const reasons: PauseReason[] = [];
  if (state.userPaused) reasons.push('user');
  if (state.hidden) reasons.push('hidden');
  if (state.battery.onlyWhileCharging && state.battery.charging === false) reasons.push('battery');
  return reasons;
}

export function wantsPause(state: PageState): boolean {
  return pauseReasons(state).length > 0;
}

const reasonWords: Record<PauseReason, string> = {
  user: 'you pressed Pause',
  hidden: 'this tab is in the background',
  battery: 'this device is not charging and you chose to train only while charging',
};

/** "Paused because …", with what brings training back. */
export function pauseText(reasons: PauseReason[]): string {
  const because = reasons.map((r) => reasonWords[r]).join(', and ');
  const resume = reasons.includes('user')
    ? 'Press Resume to continue.'
    : reasons.includes('hidden')
      ? 'Training resumes when you come back to this tab.'
      : 'Training resumes when it is plugged in.';
  return `Paused because ${because}. ${resume}`;
}

/** One sentence on what is happening, for the status line. */
export function statusText(state: PageState): string {
  if (state.phase === 'ready') return state.consent ? 'Ready to join.' : 'Not joined yet. Read what joining means, then agree to take part.';
  if (state.phase === 'starting') return 'Checking which TensorFlow.js backend trains fastest on this device…';
  if (state.phase === 'failed') return `Could not start: ${state.failure ?? 'unknown error'}`;
  const c = state.client;
  if (!c) return 'Starting…';
  const detail = c.detail ? ` (${c.detail})` : '';
  const reasons = pauseReasons(state);
  // The page knows why it paused; the worker's confirmation ('paused') may still be on its way.
  if (reasons.length > 0 && ['connected', 'idle', 'training', 'uploading', 'paused'].includes(c.state)) return pauseText(reasons);
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
