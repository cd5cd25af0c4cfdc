import { io, type Socket } from 'socket.io-client';
import { ChorusError, errorCodes, type ErrorCode } from '../../shared/protocol/errors.ts';
import type { Ack, ClientToServerEvents, ParsedReply, Reply, RequestEvent, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type { ClientKind } from '../../shared/protocol/messages.ts';
import { replySchema } from '../../shared/protocol/socket-events.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';

export type ChorusSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * How a client comes back after losing the server: exponential backoff (socket.io doubles the delay after each
 * failed attempt, from `reconnectionDelay` up to `reconnectionDelayMax`) with ±`randomizationFactor` jitter, so
 * that hundreds of clients dropped by one server restart do not all return in the same instant. It never gives
 * up: an edge client outlives a server restart, and a page is closed by its person, not by us.
 */
export const reconnectPolicy = {
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 30_000,
  randomizationFactor: 0.5,
} as const;

export type ReconnectPolicy = { -readonly [K in keyof typeof reconnectPolicy]: (typeof reconnectPolicy)[K] extends number ? number : boolean };

/** The delay range socket.io draws attempt `n` (0-based) from under `policy`: for documentation and tests. */
export function reconnectDelayRange(attempt: number, policy: ReconnectPolicy = reconnectPolicy): { min: number; max: number } {
  const base = Math.min(policy.reconnectionDelay * 2 ** attempt, policy.reconnectionDelayMax);
  const spread = base * policy.randomizationFactor;
  return { min: Math.max(0, base - spread), max: Math.min(base + spread, policy.reconnectionDelayMax) };
}

export interface SocketOptions {
  kind: Exclude<ClientKind, 'dashboard'>;
  /** Join token, checked by the server's handshake on every connect and reconnect. */
  token?: string;
  reconnect?: Partial<ReconnectPolicy>;
}

/**
 * A typed socket to the Chorus server, not yet connected (the caller attaches its handlers first).
 * WebSocket first (binary model and update frames are megabytes; long-polling would base64-chunk them), with
 * long-polling as the fallback where a proxy blocks WebSockets.
 */
export function createSocket(serverUrl: string, options: SocketOptions): ChorusSocket {
  return io(serverUrl, {
    autoConnect: false,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    auth: { protocolVersion: PROTOCOL_VERSION, kind: options.kind, ...(options.token === undefined ? {} : { token: options.token }) },
    ...reconnectPolicy,
    ...options.reconnect,
  });
}

/**
 * Sends request `event` (with `send`, which emits it: socket.io types that call from the event map) and waits for
 * its ack; the reply's `data` is parsed with the table's reply schema for `event` (the server is outside input
 * too). A refusal becomes a ChorusError with the server's code; no reply within the timeout an UNAVAILABLE one.
 */
export async function request<E extends RequestEvent>(
  socket: ChorusSocket,
  event: E,
  send: (s: ChorusSocket) => Promise<Ack<Reply<E>>>,
  what: string = event,
): Promise<ParsedReply<E>> {
  let reply: Ack<unknown>;
  try {
    reply = await send(socket);
  } catch (error) {
    throw new ChorusError('UNAVAILABLE', `${what}: no reply from the server (${(error as Error).message})`);
  }
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') {
    throw new ChorusError('INTERNAL', `${what}: the server sent a malformed reply`);
  }
  if (!reply.ok) {
    const code: ErrorCode = reply.error?.code in errorCodes ? reply.error.code : 'INTERNAL';
    throw new ChorusError(code, `${what}: ${reply.error?.message ?? 'refused'}`);
  }
  const parsed = replySchema(event).safeParse(reply.data);
  if (!parsed.success) {
    throw new ChorusError('INTERNAL', `${what}: unexpected reply (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  }
  return parsed.data;
}
