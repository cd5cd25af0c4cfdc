import type { Logger } from 'pino';
import type { ChorusServer } from '../socket/types.ts';
import type { JoinPolicy } from './join-policy.ts';

/**
 * `chorus token revoke` runs in another process and writes only the database, so the server looks for revoked
 * labels among its connected clients every `intervalMs` and disconnects those; the handshake then refuses them.
 */
export function watchRevocations(io: ChorusServer, policy: JoinPolicy, logger: Logger, intervalMs = 1_000): () => void {
  const timer = setInterval(() => {
    const labels = new Set<string>();
    for (const socket of io.sockets.sockets.values()) if (socket.data.tokenLabel) labels.add(socket.data.tokenLabel);
    for (const label of labels) {
      if (policy.isLive(label)) continue;
      for (const socket of io.sockets.sockets.values()) {
        if (socket.data.tokenLabel !== label) continue;
        logger.info({ label, socket: socket.id }, `join token "${label}" was revoked: disconnecting its client`);
        socket.disconnect(true);
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
