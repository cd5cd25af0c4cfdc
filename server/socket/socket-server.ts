import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { FederationService } from '../federation/service/federation-service.ts';
import type { Transport } from '../federation/service/service-types.ts';
import { bindSocket } from './bind-socket.ts';
import { checkHandshake } from './handshake.ts';
import { DASHBOARD_ROOM, type ChorusServer } from './types.ts';

/**
 * socket.io on the same HTTP server as the API. `maxHttpBufferSize` is the service's message limit, computed from
 * the model's size (see message-limit.ts): larger messages are refused by socket.io before they are buffered.
 * No CORS: the pages that train are served from this origin, and Node edge clients need none.
 */
export function createSocketServer(httpServer: HttpServer, service: FederationService, logger: Logger): ChorusServer {
  const io: ChorusServer = new Server(httpServer, { maxHttpBufferSize: service.maxMessageBytes, serveClient: false });
  io.use(checkHandshake as Parameters<ChorusServer['use']>[0]);
  io.on('connection', (socket) => bindSocket(socket, service, logger));
  service.attach(transportOf(io));
  return io;
}

function transportOf(io: ChorusServer): Transport {
  // Typed per event at the Transport interface; socket.io's generic emit cannot follow a generic event name.
  type Emitter = { emit(event: string, payload: unknown): boolean };
  const room = (name: string) => io.to(name) as unknown as Emitter;
  return {
    send: (socketId, event, payload) => void room(socketId).emit(event, payload),
    broadcast: (event, payload) => void (io as unknown as Emitter).emit(event, payload),
    toDashboards: (state) => void io.to(DASHBOARD_ROOM).emit('federation:state', state),
  };
}
