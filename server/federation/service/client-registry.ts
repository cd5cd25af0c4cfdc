import type { z } from 'zod';
import type { backendSchema, ClientKind } from '../../../shared/protocol/messages.ts';

export type Backend = z.infer<typeof backendSchema>;
export type TrainingKind = Exclude<ClientKind, 'dashboard'>;
export type ClientActivity = 'idle' | 'training' | 'uploading';

/** A socket that said hello and takes part in the federation (dashboards never do). */
export interface ParticipantClient {
  socketId: string;
  clientId: string;
  kind: TrainingKind;
  backend: Backend | null;
  backendReason: string | null;
  dataSource: 'shard' | 'own';
  shardId: number | null;
  /** The most examples an update from this client may claim: its shard's size, or its declared count, capped. */
  exampleCap: number;
  paused: boolean;
  activity: ClientActivity;
  /** Local training progress in [0, 1] during a round, else null. */
  progress: number | null;
  userAgent: string | null;
  joinedAt: number;
}

/**
 * Who is connected: every socket by id with its handshake kind, and for those that said hello, their
 * participant record, findable by socket id or by their stable client id.
 */
export class ClientRegistry {
  private readonly sockets = new Map<string, ClientKind>();
  private readonly participants = new Map<string, ParticipantClient>();
  private readonly socketOfClient = new Map<string, string>();

  connect(socketId: string, kind: ClientKind): void {
    this.sockets.set(socketId, kind);
  }

  kindOf(socketId: string): ClientKind | undefined {
    return this.sockets.get(socketId);
  }

  join(client: ParticipantClient): void {
    if (!this.sockets.has(client.socketId)) throw new Error(`socket ${client.socketId} is not connected`);
    if (this.participants.has(client.socketId)) throw new Error(`socket ${client.socketId} already joined`);
    if (this.socketOfClient.has(client.clientId)) throw new Error(`client id ${client.clientId} is in use`);
    this.participants.set(client.socketId, client);
    this.socketOfClient.set(client.clientId, client.socketId);
  }

  /** Forgets the socket; returns its participant record when it had joined. */
  disconnect(socketId: string): ParticipantClient | null {
    this.sockets.delete(socketId);
    const client = this.participants.get(socketId) ?? null;
    if (client) {
      this.participants.delete(socketId);
      this.socketOfClient.delete(client.clientId);
    }
    return client;
  }

  participant(socketId: string): ParticipantClient | null {
    return this.participants.get(socketId) ?? null;
  }

  byClientId(clientId: string): ParticipantClient | null {
    const socketId = this.socketOfClient.get(clientId);
    return socketId === undefined ? null : (this.participants.get(socketId) ?? null);
  }

  isClientIdInUse(clientId: string): boolean {
    return this.socketOfClient.has(clientId);
  }

  /** Participants, in the order they joined. */
  list(): ParticipantClient[] {
    return [...this.participants.values()];
  }

  /** Who may be asked to work now: joined and not paused by their person. */
  available(): ParticipantClient[] {
    return this.list().filter((c) => !c.paused);
  }

  /** Connected sockets by handshake kind (participants or not). */
  countsByKind(): Record<ClientKind, number> {
    const counts: Record<ClientKind, number> = { browser: 0, edge: 0, dashboard: 0 };
    for (const kind of this.sockets.values()) counts[kind]++;
    return counts;
  }
}
