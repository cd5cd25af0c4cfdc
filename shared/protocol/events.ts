import type { z } from 'zod';
import type { ErrorBody } from './errors.ts';
import type { ClientEvent, ServerEvent, SocketEventName, SocketEvents } from './socket-events.ts';

/**
 * The socket.io event-map types, derived from the table in socket-events.ts (types only: `import type` keeps the
 * schemas out of bundles that need only the types). `Server<ClientToServerEvents, ServerToClientEvents>` and
 * `Socket<ServerToClientEvents, ClientToServerEvents>` on either side; a new event appears here by itself.
 */

/** Every ack carries either the result or one of the closed set of error codes. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (reply: Ack<T>) => void;

/** Client→server events the server answers with an ack (requests); the others are fire and forget. */
export type RequestEvent = { [E in ClientEvent]: SocketEvents[E]['reply'] extends z.ZodType ? E : never }[ClientEvent];

/** What a sender may put on the wire for event `E` (the schema's input: defaults may be left out, bytes as either type). */
export type Payload<E extends SocketEventName> = z.input<SocketEvents[E]['payload']>;
/** What the receiver holds once it has parsed event `E`'s payload with its schema. */
export type ParsedPayload<E extends SocketEventName> = z.output<SocketEvents[E]['payload']>;
/** What the server may answer request `E` with, and what the client holds once it has parsed that answer. */
export type Reply<E extends RequestEvent> = z.input<NonNullable<SocketEvents[E]['reply']>>;
export type ParsedReply<E extends RequestEvent> = z.output<NonNullable<SocketEvents[E]['reply']>>;

export type ClientToServerEvents = {
  [E in ClientEvent]: E extends RequestEvent ? (msg: Payload<E>, ack: AckFn<Reply<E>>) => void : (msg: Payload<E>) => void;
};

export type ServerToClientEvents = {
  [E in ServerEvent]: (msg: Payload<E>) => void;
};

/** The arguments of server→client event `E` after its name, as socket.io's typed `emit` takes them. */
export type ServerEventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;
