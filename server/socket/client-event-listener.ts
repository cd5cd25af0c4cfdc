import type { Logger } from 'pino';
import { ChorusError } from '../../shared/protocol/errors.ts';
import type { Ack, ParsedPayload, Reply, RequestEvent } from '../../shared/protocol/events.ts';
import { formatIssues } from '../../shared/protocol/format-issues.ts';
import { isRequestEvent, payloadSchema, type ClientEvent } from '../../shared/protocol/socket-events.ts';

/** What the server does with each client→server event's parsed payload: a request returns its ack's data. */
export type ClientEventHandler<E extends ClientEvent> = (input: ParsedPayload<E>) => E extends RequestEvent ? Reply<E> | Promise<Reply<E>> : void;

export interface ListenerOptions {
  logger: Logger;
  /** Called when the payload fails its schema (e.g. to count a malformed update as rejected). */
  onInvalid?(message: string): void;
}

/** socket.io's listeners get untyped arguments from the wire; the schema below is what types them. */
type Listener = (...args: unknown[]) => void;

/**
 * The listener for one client→server event, so that every event behaves alike: the payload is parsed with the
 * table's schema, and the handler never runs on a payload that fails it.
 * - A request (the table gives a reply schema): invalid → `BAD_REQUEST` naming each bad field; a ChorusError
 *   becomes its coded ack; any other error becomes `INTERNAL` and is logged. Nothing a client sends can throw out.
 * - Fire and forget (no reply): invalid payloads are logged at debug level and dropped, errors logged; no ack.
 * socket.io passes the ack as the last argument, so a client that sends no payload (only an ack) is handled too.
 */
export function listenerFor<E extends ClientEvent>(event: E, handle: ClientEventHandler<E>, options: ListenerOptions): Listener {
  const schema = payloadSchema(event);
  const expectsReply = isRequestEvent(event);
  return (...args: unknown[]) => {
    const last = args.at(-1);
    const payload = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
    const parsed = schema.safeParse(payload);
    if (!expectsReply) {
      if (!parsed.success) {
        options.logger.debug({ event, problem: formatIssues(parsed.error) }, 'ignored invalid message');
        return;
      }
      try {
        handle(parsed.data);
      } catch (error) {
        options.logger.error({ err: error, event }, `unexpected error in ${event}`);
      }
      return;
    }
    let reply: Promise<Ack<unknown>>;
    if (parsed.success) {
      reply = settle(event, () => handle(parsed.data), options.logger);
    } else {
      const message = formatIssues(parsed.error);
      options.onInvalid?.(message);
      reply = Promise.resolve({ ok: false, error: { code: 'BAD_REQUEST', message } });
    }
    // A client that asked for no ack (sent no callback) gets none; the handler has run all the same.
    const ack = (answer: Ack<unknown>): void => {
      if (typeof last === 'function') last(answer);
    };
    void reply.then(ack, (error: unknown) => options.logger.error({ err: error, event }, 'ack failed'));
  };
}

/** Runs a handler to its ack: its result, its ChorusError's code, or INTERNAL (logged) for anything else. */
async function settle(event: ClientEvent, run: () => unknown, logger: Logger): Promise<Ack<unknown>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (error instanceof ChorusError) return { ok: false, error: error.toBody() };
    logger.error({ err: error, event }, `unexpected error in ${event}`);
    return { ok: false, error: { code: 'INTERNAL', message: 'internal server error' } };
  }
}
