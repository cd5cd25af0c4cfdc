import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { httpStatusOf, type ErrorCode } from '../../shared/protocol/errors.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';

/** Every HTTP error has the same body, `{ error: { code, message } }`, and the status its code maps to. */
export function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(httpStatusOf(code)).json({ error: { code, message } });
}

export const notFound: RequestHandler = (req, res) => sendError(res, 'NOT_FOUND', `no route ${req.method} ${req.path}`);

/** body-parser's failures (bad JSON, too large) and ChorusErrors become coded bodies; anything else is a 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ChorusError) return sendError(res, error.code, error.message);
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') return sendError(res, 'BAD_REQUEST', 'the request body is not valid JSON');
    if (type === 'entity.too.large') return sendError(res, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, 'BAD_REQUEST', (error as Error).message);
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error in HTTP request');
    sendError(res, 'INTERNAL', 'internal server error');
  };
}
