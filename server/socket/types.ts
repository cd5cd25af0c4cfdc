import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type { ClientKind } from '../../shared/protocol/messages.ts';

/** Set by the handshake middleware. */
export interface ChorusSocketData {
  kind: ClientKind;
  /** The label of the join token it presented (null: joined without one, in open mode). */
  tokenLabel: string | null;
  /** The client's address: the connection's, or X-Forwarded-For's under `--trust-proxy` (access/trust-proxy.ts). */
  address: string;
}

export type ChorusServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChorusSocketData>;
export type ChorusSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChorusSocketData>;

/** The room dashboards join to receive `federation:state`. */
export const DASHBOARD_ROOM = 'dashboard';
