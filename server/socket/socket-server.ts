import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { FederationService } from '../federation/service/federation-service.ts';
import type { Transport } from '../federation/service/service-types.ts';
import type { JoinPolicy } from '../access/join-policy.ts';
import type { RequestLimiter } from '../access/request-limiter.ts';
import { bindSocket } from './bind-socket.ts';
import { checkHandshake, type ClientAddress } from './handshake.ts';
import { DASHBOARD_ROOM, type ChorusServer } from './types.ts';

/**
 * socket.io on the same HTTP server as the API. `maxHttpBufferSize` is the service's message limit, computed from
 * the model's size (see message-limit.ts): larger messages are refused by socket.io before they are buffered.
 * No CORS: the pages that train are served from this origin, and Node edge clients need none.
 */
export function createSocketServer(
  httpServer: HttpServer,
  service: FederationService,
  logger: Logger,
  policy: JoinPolicy,
  limiter: RequestLimiter | null = null,
  addressOf: ClientAddress = (request) => request.socket.remoteAddress ?? 'unknown',
): ChorusServer {
  const io: ChorusServer = new Server(httpServer, { maxHttpBufferSize: service.maxMessageBytes, serveClient: false });
  io.use(checkHandshake(policy, addressOf));
  io.on('connection', (socket) => bindSocket(socket, service, logger, limiter));
  service.attach(transportOf(io));
  return io;
}

/** The service's way out: each socket is in a room named by its id; dashboards are in their own room. */
function transportOf(io: ChorusServer): Transport {
  return {
    send: (socketId, event, ...args) => void io.to(socketId).emit(event, ...args),
    broadcast: (event, ...args) => void io.emit(event, ...args),
    toDashboards: (state) => void io.to(DASHBOARD_ROOM).emit('federation:state', state),
  };
}
