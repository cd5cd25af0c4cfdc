import type { Logger } from 'pino';
import { z } from 'zod';
import {
  helloSchema,
  modelRequestSchema,
  progressSchema,
  shardRequestSchema,
  statsSubmitSchema,
  updateSubmitSchema,
} from '../../shared/protocol/messages.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { acked, unacked } from './acked.ts';
import { DASHBOARD_ROOM, type ChorusSocket } from './types.ts';

const pauseSchema = z.object({ paused: z.boolean() });

type Listener = (...args: unknown[]) => void;

/** Routes one connection's events to the federation service, each through its schema. */
export function bindSocket(socket: ChorusSocket, service: FederationService, logger: Logger): void {
  const id = socket.id;
  const log = logger.child({ socket: id, kind: socket.data.kind });
  // The typed event map cannot express our uniform wrapper; the schemas below are what really checks the payloads.
  const on = (event: string, listener: Listener) => (socket as unknown as { on(e: string, l: Listener): void }).on(event, listener);
  const opts = (event: string, onInvalid?: (message: string) => void) => ({ event, logger: log, onInvalid });

  service.connect(id, socket.data.kind);
  if (socket.data.kind === 'dashboard') {
    void socket.join(DASHBOARD_ROOM);
    socket.emit('federation:state', service.snapshot());
  }

  on('hello', acked(helloSchema, (msg) => service.hello(id, msg), opts('hello')));
  on('shard:request', acked(shardRequestSchema, (msg) => service.shard(id, msg.shardId), opts('shard:request')));
  on('model:get', acked(modelRequestSchema, (msg) => service.model(id, msg.modelVersion), opts('model:get')));
  on(
    'stats:submit',
    acked(statsSubmitSchema, (msg) => service.submitStats(id, msg), opts('stats:submit', (m) => service.rejectMalformed('stats:submit', id, m))),
  );
  on(
    'update:submit',
    acked(updateSubmitSchema, (msg) => service.submitUpdate(id, msg), opts('update:submit', (m) => service.rejectMalformed('update:submit', id, m))),
  );
  on('progress', unacked(progressSchema, (msg) => service.progress(id, msg), opts('progress')));
  on('client:pause', unacked(pauseSchema, (msg) => service.pause(id, msg.paused), opts('client:pause')));
  socket.on('disconnect', (reason) => {
    log.debug({ reason }, 'disconnected');
    service.disconnect(id);
  });
}
