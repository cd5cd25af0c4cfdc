import type { z } from 'zod';
import { federationStateSchema } from './dashboard.ts';
import type { ErrorBody } from './errors.ts';
import type { ParsedPayload, ParsedReply, Payload, Reply, RequestEvent } from './events.ts';
import {
  helloReplySchema,
  helloSchema,
  modelAnnouncementSchema,
  pauseSchema,
  progressSchema,
  roundCancelSchema,
  shardReplySchema,
  shardRequestSchema,
  statsReceiptSchema,
  statsRequestSchema,
  statsSubmitSchema,
  trainRequestSchema,
  updateReceiptSchema,
  updateSubmitSchema,
} from './messages.ts';
import {
  secaggDeliverSchema,
  secaggKeysSchema,
  secaggMaskedSchema,
  secaggReceiptSchema,
  secaggRevealSchema,
  secaggSetupSchema,
  secaggSharesSchema,
  secaggUnmaskSchema,
  statsMaskedSchema,
} from './secagg.ts';

export type Direction = 'client-to-server' | 'server-to-client';

/** One socket event: who sends it, the schema its payload is parsed with, and the schema of its ack (null: none). */
export interface SocketEventSpec {
  direction: Direction;
  payload: z.ZodType;
  reply: z.ZodType | null;
}

/**
 * Every socket.io event Chorus sends, in one table. The event-map types (events.ts), the server's bindings
 * (server/socket/bind-client-events.ts) and the clients' parsing all come from it, so an event is added here and
 * nowhere else. The receiving side always parses a payload with its schema, and the side that asked parses the
 * ack's `data` with `reply`.
 *
 * Acks are `{ ok: true, data }` or `{ ok: false, error: { code, message } }` with a code from errors.ts. A
 * client→server event whose payload fails its schema is answered `BAD_REQUEST` (naming each bad field) and never
 * reaches the federation; an event that is not in this table, sent with an ack, is answered `NOT_FOUND` (see
 * `unknownEventError`), as an unknown HTTP route is.
 */
export const socketEvents = {
  /** The first request on a connection: joins the federation (not for dashboards) and assigns a shard. */
  hello: { direction: 'client-to-server', payload: helloSchema, reply: helloReplySchema },
  /** The examples of the client's own assigned demo shard. */
  'shard:request': { direction: 'client-to-server', payload: shardRequestSchema, reply: shardReplySchema },
  /** The answer to `round:stats`: document counts per hash bucket. */
  'stats:submit': { direction: 'client-to-server', payload: statsSubmitSchema, reply: statsReceiptSchema },
  /** The answer to a securely aggregated `round:stats`: the masked document counts (instead of `stats:submit`). */
  'stats:masked': { direction: 'client-to-server', payload: statsMaskedSchema, reply: statsReceiptSchema },
  /** The answer to `round:train`: the weight delta. */
  'update:submit': { direction: 'client-to-server', payload: updateSubmitSchema, reply: updateReceiptSchema },
  /** Secure aggregation (secagg.ts), stage 0: this round's public keys. */
  'secagg:keys': { direction: 'client-to-server', payload: secaggKeysSchema, reply: secaggReceiptSchema },
  /** Secure aggregation, stage 1: Shamir shares for each neighbour, sealed for it. */
  'secagg:shares': { direction: 'client-to-server', payload: secaggSharesSchema, reply: secaggReceiptSchema },
  /** Secure aggregation, stage 2: the masked update (instead of `update:submit`). */
  'secagg:masked': { direction: 'client-to-server', payload: secaggMaskedSchema, reply: updateReceiptSchema },
  /** Secure aggregation, stage 3: the shares the server needs to remove the masks of the sum. */
  'secagg:reveal': { direction: 'client-to-server', payload: secaggRevealSchema, reply: secaggReceiptSchema },
  /** Local training progress, shown on the dashboard. Fire and forget. */
  progress: { direction: 'client-to-server', payload: progressSchema, reply: null },
  /** The person paused or resumed contributing on the page. Fire and forget. */
  'client:pause': { direction: 'client-to-server', payload: pauseSchema, reply: null },

  /** Count document frequencies over your data (the federated IDF round). */
  'round:stats': { direction: 'server-to-client', payload: statsRequestSchema, reply: null },
  /** Train this model version (its manifest; the files come over HTTP) with this config and submit the delta. */
  'round:train': { direction: 'server-to-client', payload: trainRequestSchema, reply: null },
  /** Stop training for this round: it was closed or you were dropped from it. */
  'round:cancel': { direction: 'server-to-client', payload: roundCancelSchema, reply: null },
  /** Secure aggregation: the cohort is formed; your position, neighbours and the round's parameters. */
  'secagg:setup': { direction: 'server-to-client', payload: secaggSetupSchema, reply: null },
  /** Secure aggregation: the sealed shares your neighbours sent you. */
  'secagg:deliver': { direction: 'server-to-client', payload: secaggDeliverSchema, reply: null },
  /** Secure aggregation: whose masked updates arrived and whose did not; answer with `secagg:reveal`. */
  'secagg:unmask': { direction: 'server-to-client', payload: secaggUnmaskSchema, reply: null },
  /** To everyone, after each round: a new global model exists. */
  'model:updated': { direction: 'server-to-client', payload: modelAnnouncementSchema, reply: null },
  /** Dashboards only (they join the `dashboard` room): a fresh snapshot of the federation. */
  'federation:state': { direction: 'server-to-client', payload: federationStateSchema, reply: null },
} as const satisfies Record<string, SocketEventSpec>;

export type SocketEvents = typeof socketEvents;
export type SocketEventName = keyof SocketEvents;
export type ClientEvent = { [E in SocketEventName]: SocketEvents[E]['direction'] extends 'client-to-server' ? E : never }[SocketEventName];
export type ServerEvent = { [E in SocketEventName]: SocketEvents[E]['direction'] extends 'server-to-client' ? E : never }[SocketEventName];

export function isSocketEvent(name: string): name is SocketEventName {
  return Object.hasOwn(socketEvents, name);
}

export function isClientEvent(name: string): name is ClientEvent {
  return isSocketEvent(name) && socketEvents[name].direction === 'client-to-server';
}

export function isServerEvent(name: string): name is ServerEvent {
  return isSocketEvent(name) && socketEvents[name].direction === 'server-to-client';
}

/** The client→server events, in table order: what the server binds. */
export const clientEvents: readonly ClientEvent[] = Object.keys(socketEvents).filter(isClientEvent);
/** The server→client events, in table order. */
export const serverEvents: readonly ServerEvent[] = Object.keys(socketEvents).filter(isServerEvent);

/** The ack error for an event the server does not handle (including server→client events sent the wrong way). */
export function unknownEventError(name: string): ErrorBody {
  return { code: 'NOT_FOUND', message: `no event ${JSON.stringify(name)}: the server handles ${clientEvents.join(', ')}` };
}

/**
 * The table as TypeScript sees it per event: indexing these mapped types with a generic event name `E` gives E's
 * own schema type (indexing `socketEvents` itself gives the union of every schema), so code written once for all
 * events, like the server's binding loop and the client's `request`, stays typed without casts.
 */
const payloadSchemas: { [E in SocketEventName]: { payload: z.ZodType<ParsedPayload<E>, Payload<E>> } } = socketEvents;
const replySchemas: { [E in RequestEvent]: { reply: z.ZodType<ParsedReply<E>, Reply<E>> } } = socketEvents;

/** The schema the receiver of `event` parses its payload with. */
export function payloadSchema<E extends SocketEventName>(event: E): z.ZodType<ParsedPayload<E>, Payload<E>> {
  return payloadSchemas[event].payload;
}

/** The schema the sender of request `event` parses the ack's `data` with. */
export function replySchema<E extends RequestEvent>(event: E): z.ZodType<ParsedReply<E>, Reply<E>> {
  return replySchemas[event].reply;
}

/** Whether the server answers `event` with an ack (a request) or not (fire and forget). */
export function isRequestEvent(event: ClientEvent): event is RequestEvent {
  return socketEvents[event].reply !== null;
}
