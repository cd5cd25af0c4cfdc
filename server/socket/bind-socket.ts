import type { Logger } from 'pino';
import type { RequestLimiter } from '../access/request-limiter.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { bindClientEvents } from './bind-client-events.ts';
import { DASHBOARD_ROOM, type ChorusSocket } from './types.ts';

/**
 * Routes one connection's events to the federation service; the table's schemas check every payload first. With a
 * limiter (explicit open mode), a client that joined without a token has its hello and statistics requests
 * counted per socket and per IP address, and refused with RATE_LIMITED over the limits.
 */
export function bindSocket(socket: ChorusSocket, service: FederationService, logger: Logger, limiter: RequestLimiter | null = null): void {
  const id = socket.id;
  const ip = socket.data.address;
  const limited = limiter !== null && socket.data.tokenLabel === null;
  const counted = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    if (limited) await limiter.check(id, ip, what);
    return run();
  };
  const log = logger.child({ socket: id, kind: socket.data.kind });

  service.connect(id, socket.data.kind);
  if (socket.data.kind === 'dashboard') {
    void socket.join(DASHBOARD_ROOM);
    socket.emit('federation:state', service.snapshot());
  }

  bindClientEvents(
    socket,
    {
      hello: (msg) => counted('hello', () => service.hello(id, msg)),
      'shard:request': (msg) => service.shard(id, msg.shardId),
      'stats:submit': (msg) => counted('stats:submit', () => service.submitStats(id, msg)),
      'stats:masked': (msg) => counted('stats:masked', () => service.secureStatsMasked(id, msg)),
      'update:submit': (msg) => service.submitUpdate(id, msg),
      'secagg:keys': (msg) => service.secureKeys(id, msg),
      'secagg:shares': (msg) => service.secureShares(id, msg),
      'secagg:masked': (msg) => service.secureMasked(id, msg),
      'secagg:reveal': (msg) => service.secureReveal(id, msg),
      progress: (msg) => service.progress(id, msg),
      'client:pause': (msg) => service.pause(id, msg.paused),
    },
    {
      logger: log,
      // Malformed submissions count with the other rejections (the dashboard and /metrics show them).
      onInvalid: {
        'stats:submit': (message) => service.rejectMalformed('stats:submit', id, message),
        'update:submit': (message) => service.rejectMalformed('update:submit', id, message),
      },
    },
  );
  socket.on('disconnect', (reason) => {
    log.debug({ reason }, 'disconnected');
    service.disconnect(id);
  });
}
