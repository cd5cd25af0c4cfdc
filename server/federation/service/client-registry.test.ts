import { describe, expect, it } from 'vitest';
import { ClientRegistry, type ParticipantClient } from './client-registry.ts';

const participant = (socketId: string, clientId: string, paused = false): ParticipantClient => ({
  socketId,
  clientId,
  kind: 'browser',
  backend: null,
  backendReason: null,
  dataSource: 'shard',
  shardId: 0,
  exampleCap: 10,
  paused,
  activity: 'idle',
  progress: null,
  userAgent: null,
  joinedAt: 0,
});

describe('ClientRegistry', () => {
  it('counts connected sockets by kind, participants or not', () => {
    const r = new ClientRegistry();
    r.connect('s1', 'browser');
    r.connect('s2', 'edge');
    r.connect('s3', 'dashboard');
    r.join(participant('s1', 'client-one'));
    expect(r.countsByKind()).toEqual({ browser: 1, edge: 1, dashboard: 1 });
    expect(r.list().map((c) => c.clientId)).toEqual(['client-one']);
  });

  it('finds a participant by socket and by client id, and forgets it on disconnect', () => {
    const r = new ClientRegistry();
    r.connect('s1', 'browser');
    r.join(participant('s1', 'client-one'));
    expect(r.byClientId('client-one')?.socketId).toBe('s1');
    expect(r.isClientIdInUse('client-one')).toBe(true);
    expect(r.disconnect('s1')?.clientId).toBe('client-one');
    expect(r.byClientId('client-one')).toBeNull();
    expect(r.isClientIdInUse('client-one')).toBe(false);
    expect(r.disconnect('s1')).toBeNull();
    expect(r.countsByKind().browser).toBe(0);
  });

  it('refuses a second join of a socket, a client id in use, and an unknown socket', () => {
    const r = new ClientRegistry();
    r.connect('s1', 'browser');
    r.connect('s2', 'browser');
    r.join(participant('s1', 'client-one'));
    expect(() => r.join(participant('s1', 'client-two'))).toThrow('already joined');
    expect(() => r.join(participant('s2', 'client-one'))).toThrow('in use');
    expect(() => r.join(participant('s9', 'client-nine'))).toThrow('not connected');
  });

  it('lists only unpaused participants as available', () => {
    const r = new ClientRegistry();
    r.connect('s1', 'edge');
    r.connect('s2', 'edge');
    r.join(participant('s1', 'client-one'));
    r.join(participant('s2', 'client-two', true));
    expect(r.available().map((c) => c.clientId)).toEqual(['client-one']);
  });
});
