import type { Logger } from 'pino';
import type { FederationService } from '../federation/service/federation-service.ts';
import type { ChorusServer } from '../socket/types.ts';
import type { TokenStore } from './token-store.ts';

export interface RevokeOutcome {
  clientId: string;
  /** The join token it had connected with, revoked too (null: it joined without one, or with a file token). */
  revokedToken: string | null;
  /** Why the token was not revoked, when it had one. */
  note?: string;
}

/**
 * The admin's "revoke a client": disconnects it and revokes the database token it joined with, so its reconnect
 * is refused. A file token cannot be revoked here (edit the file and restart), and a client of an open server may
 * come back under a new id: the outcome says which.
 */
export function revokeClient(io: ChorusServer, service: FederationService, tokens: TokenStore, logger: Logger, clientId: string): RevokeOutcome | null {
  const socketId = service.socketOf(clientId);
  const socket = socketId === undefined ? undefined : io.sockets.sockets.get(socketId);
  if (!socket) return null;
  const label = socket.data.tokenLabel;
  let outcome: RevokeOutcome;
  if (label === null) outcome = { clientId, revokedToken: null, note: 'it joined without a token (open mode): it can join again' };
  else if (label.startsWith('file:')) outcome = { clientId, revokedToken: null, note: `its token is line ${label.slice(5)} of --join-token-file: remove it there and restart to keep it out` };
  else {
    tokens.revoke(label);
    outcome = { clientId, revokedToken: label };
  }
  logger.info(outcome, `admin revoked client ${clientId}`);
  socket.disconnect(true);
  return outcome;
}
