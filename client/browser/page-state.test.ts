import { describe, expect, it } from 'vitest';
import { initialSnapshot, type ClientSnapshot } from '../core/client-state.ts';
import { initialPageState, pauseReasons, reduce, statusText, wantsPause } from './page-state.ts';

const backend = { name: 'wasm' as const, reason: 'WebGPU unavailable: navigator.gpu.requestAdapter() returned null' };
const snapshot = (changes: Partial<ClientSnapshot>): ClientSnapshot => ({ ...initialSnapshot('http://127.0.0.1:8080', backend), ...changes });

describe('contributor page state', () => {
  it('goes ready → starting → running as the worker reports', () => {
    let state = reduce(initialPageState, { type: 'choosing-backend' });
    expect(state.phase).toBe('starting');
    expect(statusText(state)).toBe('Checking which TensorFlow.js backend trains fastest on this device…');
    state = reduce(state, { type: 'backend', backend });
    expect(state.backend).toEqual(backend);
    state = reduce(state, { type: 'snapshot', snapshot: snapshot({ state: 'idle' }) });
    expect(state.phase).toBe('running');
    expect(statusText(state)).toBe('Waiting for the next round. 0 rounds contributed so far.');
  });

  it('reports a failure to start, but a failure after starting does not hide the client', () => {
    expect(statusText(reduce(initialPageState, { type: 'failed', message: 'no TensorFlow.js backend works here' }))).toBe('Could not start: no TensorFlow.js backend works here');
    const running = reduce(initialPageState, { type: 'snapshot', snapshot: snapshot({ state: 'training', detail: 'round 2' }) });
    const after = reduce(running, { type: 'failed', message: 'x' });
    expect(after.phase).toBe('running');
    expect(statusText(after)).toBe('Training on this device (round 2)');
  });

  it('words every client state for people', () => {
    const text = (changes: Partial<ClientSnapshot>) => statusText(reduce(initialPageState, { type: 'snapshot', snapshot: snapshot(changes) }));
    expect(text({ state: 'connecting', detail: 'connection lost (transport close); reconnecting' })).toBe('Connecting to the server… (connection lost (transport close); reconnecting)');
    expect(text({ state: 'paused' })).toBe('Paused: this device is not training.');
    expect(text({ state: 'error', detail: 'the server refused the connection: bad version' })).toBe('Problem: the server refused the connection: bad version');
    expect(text({ state: 'stopped', finished: true, detail: 'the federation finished its last round' })).toBe('Finished: the federation finished its last round. Thank you!');
  });
});

describe('contributor page: consent, pausing and forgetting', () => {
  const running = (changes: Partial<ClientSnapshot> = {}) =>
    reduce({ ...initialPageState, consent: true, phase: 'starting' }, { type: 'snapshot', snapshot: snapshot({ state: 'idle', ...changes }) });

  it('does not join before the person agreed, and only once after', () => {
    expect(reduce(initialPageState, { type: 'join' })).toBe(initialPageState);
    expect(statusText(initialPageState)).toBe('Not joined yet. Read what joining means, then agree to take part.');
    const agreed = reduce(initialPageState, { type: 'consent', agreed: true });
    expect(statusText(agreed)).toBe('Ready to join.');
    const joining = reduce(agreed, { type: 'join' });
    expect(joining.phase).toBe('starting');
    expect(reduce(joining, { type: 'join' })).toBe(joining);
    // Unticking before joining takes the agreement back.
    expect(reduce(reduce(agreed, { type: 'consent', agreed: false }), { type: 'join' }).phase).toBe('ready');
  });

  it('pauses for each reason and says which, in a fixed order', () => {
    let state = running();
    expect(pauseReasons(state)).toEqual([]);
    expect(wantsPause(state)).toBe(false);
    state = reduce(state, { type: 'visibility', hidden: true });
    state = reduce(state, { type: 'user-pause', paused: true });
    expect(pauseReasons(state)).toEqual(['user', 'hidden']);
    expect(statusText(state)).toBe('Paused because you pressed Pause, and this tab is in the background. Press Resume to continue.');
    state = reduce(state, { type: 'user-pause', paused: false });
    expect(statusText(state)).toBe('Paused because this tab is in the background. Training resumes when you come back to this tab.');
    state = reduce(state, { type: 'visibility', hidden: false });
    expect(wantsPause(state)).toBe(false);
    expect(statusText(state)).toBe('Waiting for the next round. 0 rounds contributed so far.');
  });

  it('says so when the tab comes back, and only for a page that had joined', () => {
    const back = reduce(reduce(running(), { type: 'visibility', hidden: true }), { type: 'visibility', hidden: false });
    expect(back.notice).toBe('Training paused while this tab was in the background, and resumed when you came back.');
    const notJoined = reduce(reduce(initialPageState, { type: 'visibility', hidden: true }), { type: 'visibility', hidden: false });
    expect(notJoined.notice).toBeNull();
    // The same visibility again changes nothing.
    const hidden = reduce(running(), { type: 'visibility', hidden: true });
    expect(reduce(hidden, { type: 'visibility', hidden: true })).toBe(hidden);
  });

  it('pauses while not charging only when the person chose so, and not before the battery was read', () => {
    let state = running();
    state = reduce(state, { type: 'charging', charging: false });
    expect(wantsPause(state)).toBe(false);
    state = reduce(state, { type: 'only-while-charging', enabled: true });
    expect(pauseReasons(state)).toEqual(['battery']);
    expect(statusText(state)).toBe('Paused because this device is not charging and you chose to train only while charging. Training resumes when it is plugged in.');
    expect(wantsPause(reduce(state, { type: 'charging', charging: true }))).toBe(false);
    expect(wantsPause(reduce({ ...state, battery: { supported: true, onlyWhileCharging: true, charging: null } }, { type: 'consent', agreed: true }))).toBe(false);
    const failed = reduce(state, { type: 'battery-failed', message: 'blocked by a permissions policy' });
    expect(failed.battery).toEqual({ supported: false, onlyWhileCharging: false, charging: null });
    expect(failed.notice).toBe('“Only while charging” is not available here: blocked by a permissions policy');
    expect(wantsPause(failed)).toBe(false);
  });

  it('a page that cannot train (error, stopped) says that rather than paused', () => {
    const state = reduce(running({ state: 'error', detail: 'the server refused the connection: x' }), { type: 'user-pause', paused: true });
    expect(statusText(state)).toBe('Problem: the server refused the connection: x');
  });

  it('forgetting returns to a first visit: consent again, keeping what the browser says about itself', () => {
    let state = reduce(running({ clientId: 'abcdefgh12' }), { type: 'visibility', hidden: true });
    state = reduce({ ...state, userPaused: true, battery: { supported: true, onlyWhileCharging: true, charging: true } }, { type: 'forget' });
    expect(state.forgetting).toBe(true);
    const forgotten = reduce(state, { type: 'forgotten', problem: null });
    expect(forgotten).toEqual({
      ...initialPageState,
      hidden: true,
      battery: { supported: true, onlyWhileCharging: true, charging: true },
      notice: 'Forgotten: this browser left the federation and no longer holds the demo reviews or its client id.',
    });
    expect(reduce(state, { type: 'forgotten', problem: 'IndexedDB is blocked' }).notice).toBe('Could not erase everything: IndexedDB is blocked');
  });
});
