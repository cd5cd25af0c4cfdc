import type { IncomingMessage } from 'node:http';
import type { ExtendedError } from 'socket.io';
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import { handshakeSchema } from '../../shared/protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { formatIssues } from '../../shared/protocol/format-issues.ts';
import type { JoinPolicy } from '../access/join-policy.ts';
import type { ChorusSocket } from './types.ts';

/** A `connect_error` the client can act on: `err.data` is `{ code, message }`. */
export function connectError(code: ErrorCode, message: string): ExtendedError {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * Connection middleware: checks `socket.handshake.auth` before any event is handled. The protocol version is
 * checked on its own first, so an outdated client is told exactly that (PROTOCOL_MISMATCH), not "bad request".
 * Then the join policy: a missing or wrong token is UNAUTHORIZED, which clients treat as final. Middleware runs on
 * every connection, reconnects included (connection state recovery is not enabled, so none skips it).
 */
export function checkHandshake(policy: JoinPolicy, addressOf: ClientAddress = (request) => request.socket.remoteAddress ?? 'unknown') {
  return (socket: ChorusSocket, next: (error?: ExtendedError) => void): void => handshake(policy, addressOf, socket, next);
}

/** Who the handshake's request comes from (`--trust-proxy` decides whether X-Forwarded-For counts). */
export type ClientAddress = (request: IncomingMessage) => string;

function handshake(policy: JoinPolicy, addressOf: ClientAddress, socket: ChorusSocket, next: (error?: ExtendedError) => void): void {
  socket.data.address = addressOf(socket.request);
  const auth: unknown = socket.handshake.auth;
  const version = typeof auth === 'object' && auth !== null && 'protocolVersion' in auth ? auth.protocolVersion : undefined;
  if (version !== PROTOCOL_VERSION) {
    next(
      connectError(
        'PROTOCOL_MISMATCH',
        `this server speaks protocol version ${PROTOCOL_VERSION}, the client sent ${JSON.stringify(version) ?? 'none'}: reload the page or update the client`,
      ),
    );
    return;
  }
  const parsed = handshakeSchema.safeParse(auth);
  if (!parsed.success) {
    next(connectError('BAD_REQUEST', `invalid handshake: ${formatIssues(parsed.error, 'auth')}`));
    return;
  }
  const decision = policy.check(parsed.data.kind, parsed.data.token);
  if (!decision.ok) {
    next(connectError('UNAUTHORIZED', decision.message));
    return;
  }
  if (decision.label === null && parsed.data.kind !== 'dashboard' && policy.slotsPerIp !== null) {
    const taken = openSlotsTaken(socket);
    if (taken >= policy.slotsPerIp) {
      next(connectError('RATE_LIMITED', `${taken} clients from your address are already connected, the most this server allows without a join token`));
      return;
    }
  }
  socket.data.kind = parsed.data.kind;
  socket.data.tokenLabel = decision.label;
  next();
}

/** Connected participants from this socket's IP address that joined without a token. */
function openSlotsTaken(socket: ChorusSocket): number {
  let taken = 0;
  for (const other of socket.nsp.sockets.values()) {
    if (other.data.address === socket.data.address && other.data.kind !== 'dashboard' && other.data.tokenLabel === null) taken += 1;
  }
  return taken;
}
