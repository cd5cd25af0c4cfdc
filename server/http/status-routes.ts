import { Router } from 'express';
import type { FederationService } from '../federation/service/federation-service.ts';

/** `GET /api/status` (the federation at a glance) and `GET /healthz` (liveness, for probes). */
export function statusRoutes(service: FederationService): Router {
  const router = Router();
  router.get('/api/status', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(service.status());
  });
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, phase: service.phase, modelVersion: service.modelVersion });
  });
  return router;
}
