import { Router, json, type RequestHandler } from 'express';
import { z } from 'zod';
import type { RevokeOutcome } from '../access/revoke-client.ts';
import { hashToken, sameHash } from '../access/token-hash.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { sendError } from './send-error.ts';

export interface AdminOptions {
  service: FederationService;
  /** The admin token (`--admin-token-file`); null turns the admin endpoints off (404). */
  token: string | null;
  revokeClient(clientId: string): RevokeOutcome | null;
}

/** A client id in the revoke path (the OpenAPI document describes the parameter with it). */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a client id is 8-64 letters, digits, "_" or "-"');

/**
 * `POST /api/admin/pause|resume|stop-after-round|clients/:id/revoke`, each needing `Authorization: Bearer TOKEN`.
 * Without an admin token configured they do not exist (404, saying how to turn them on); a missing or wrong token
 * is 401. Each answers the federation's control state after the change.
 */
export function adminRoutes(options: AdminOptions): Router {
  const router = Router();
  const { service } = options;
  router.use('/api/admin', json({ limit: '1kb' }), guard(options.token));
  router.post('/api/admin/pause', (_req, res) => {
    service.pauseRounds();
    res.json(service.control);
  });
  router.post('/api/admin/resume', (_req, res) => {
    service.resumeRounds();
    res.json(service.control);
  });
  router.post('/api/admin/stop-after-round', (_req, res) => {
    service.stopAfterRound();
    res.json(service.control);
  });
  router.post('/api/admin/clients/:id/revoke', (req, res) => {
    const id = clientIdSchema.safeParse(req.params.id);
    if (!id.success) return sendError(res, 'BAD_REQUEST', `client id: ${id.error.issues[0]?.message ?? 'invalid'}`);
    const outcome = options.revokeClient(id.data);
    if (!outcome) return sendError(res, 'NOT_FOUND', `no connected client ${id.data}`);
    res.json(outcome);
  });
  return router;
}

function guard(token: string | null): RequestHandler {
  const expected = token === null ? null : hashToken(token);
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (expected === null) return sendError(res, 'NOT_FOUND', 'the admin endpoints are off: start the server with --admin-token-file FILE');
    const header = req.get('authorization') ?? '';
    const given = /^Bearer (\S+)$/.exec(header)?.[1];
    // Hashing both sides gives equal-length inputs to the constant-time comparison.
    if (given === undefined || !sameHash(hashToken(given), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="chorus-admin"');
      return sendError(res, 'UNAUTHORIZED', 'admin endpoints need the header Authorization: Bearer <the token in --admin-token-file>');
    }
    next();
  };
}
