import type { Logger } from 'pino';
import { clientEvents, isClientEvent, unknownEventError, type ClientEvent } from '../../shared/protocol/socket-events.ts';
import { listenerFor, type ClientEventHandler } from './client-event-listener.ts';
import type { ChorusSocket } from './types.ts';

/** One handler per client→server event in the table: leaving one out (or adding one the table lacks) fails to compile. */
export type ClientEventHandlers = { [E in ClientEvent]: ClientEventHandler<E> };

export interface BindOptions {
  logger: Logger;
  /** Per event: called when a payload fails its schema (before the BAD_REQUEST ack). */
  onInvalid?: { [E in ClientEvent]?: (message: string) => void };
}

/**
 * Registers every client→server event of the table on one connection, each parsed with its schema and answered
 * with its ack (see listenerFor). An event the table does not have, sent with an ack, is answered NOT_FOUND
 * rather than left to time out, so a client built against another version of the table learns why.
 */
export function bindClientEvents(socket: ChorusSocket, handlers: ClientEventHandlers, options: BindOptions): void {
  for (const event of clientEvents) {
    socket.on(event, listenerFor(event, handlers[event], { logger: options.logger, onInvalid: options.onInvalid?.[event] }));
  }
  socket.onAny((event: string, ...args: unknown[]) => {
    if (isClientEvent(event)) return;
    options.logger.debug({ event }, 'unknown event');
    const last = args.at(-1);
    if (typeof last === 'function') last({ ok: false, error: unknownEventError(event) });
  });
}
