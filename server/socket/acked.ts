import type { Logger } from 'pino';
import type { z } from 'zod';
import { ChorusError } from '../../shared/protocol/errors.ts';
import type { Ack } from '../../shared/protocol/events.ts';
import { formatIssues } from '../../shared/protocol/format-issues.ts';

export interface HandlerOptions {
  event: string;
  logger: Logger;
  /** Called when the payload fails its schema (e.g. to count a malformed update as rejected). */
  onInvalid?(message: string): void;
}

type Listener = (...args: unknown[]) => void;

/**
 * Wraps an acknowledged event handler so that every handler behaves alike: the payload is parsed with its
 * schema (invalid → `BAD_REQUEST`, the handler never runs), a ChorusError becomes its coded ack, and any other
 * error becomes `INTERNAL` and is logged; nothing a client sends can throw out of a handler. socket.io passes
 * the ack as the last argument, so a client that sends no payload (only an ack) is handled too.
 */
export function acked<S extends z.ZodType, T>(schema: S, handle: (input: z.output<S>) => T | Promise<T>, options: HandlerOptions): Listener {
  return (...args: unknown[]) => {
    const last = args.at(-1);
    const ack: (reply: Ack<T>) => void = typeof last === 'function' ? (last as (reply: Ack<T>) => void) : () => {};
    const payload = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
    void run(schema, payload, handle, options).then(ack, (error: unknown) => {
      options.logger.error({ err: error, event: options.event }, 'ack failed');
    });
  };
}

async function run<S extends z.ZodType, T>(schema: S, payload: unknown, handle: (input: z.output<S>) => T | Promise<T>, options: HandlerOptions): Promise<Ack<T>> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const message = formatIssues(parsed.error);
    options.onInvalid?.(message);
    return { ok: false, error: { code: 'BAD_REQUEST', message } };
  }
  try {
    return { ok: true, data: await handle(parsed.data) };
  } catch (error) {
    if (error instanceof ChorusError) return { ok: false, error: error.toBody() };
    options.logger.error({ err: error, event: options.event }, `unexpected error in ${options.event}`);
    return { ok: false, error: { code: 'INTERNAL', message: 'internal server error' } };
  }
}

/** A fire-and-forget event (no ack): invalid payloads and errors are logged at debug level and dropped. */
export function unacked<S extends z.ZodType>(schema: S, handle: (input: z.output<S>) => void, options: HandlerOptions): Listener {
  return (payload: unknown) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      options.logger.debug({ event: options.event, problem: formatIssues(parsed.error) }, 'ignored invalid message');
      return;
    }
    try {
      handle(parsed.data);
    } catch (error) {
      options.logger.error({ err: error, event: options.event }, `unexpected error in ${options.event}`);
    }
  };
}
