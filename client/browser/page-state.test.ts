import { describe, expect, it } from 'vitest';
import { initialSnapshot, type ClientSnapshot } from '../core/client-state.ts';
import { initialPageState, reduce, statusText } from './page-state.ts';

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
