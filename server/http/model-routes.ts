import { Router, type Response } from 'express';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import type { ModelInfo } from '../../shared/protocol/http.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { NO_MODEL_YET } from './no-model-yet.ts';
import { sendError } from './send-error.ts';

/** URLs relative to the server's origin; a version's files never change, so they are cached for a year. */
export const weightsUrl = (version: number) => `/api/model/${version}/weights`;
export const docFreqUrl = (version: number) => `/api/model/${version}/docfreq`;

/** `GET /api/model` (the latest version's manifest and file URLs) and the binary files of any version. */
export function modelRoutes(service: FederationService): Router {
  const router = Router();

  router.get('/api/model', (_req, res) => {
    // Before the first round there is nothing to send; say so in the same words as /api/predict.
    if (service.modelVersion === null) return sendError(res, 'UNAVAILABLE', NO_MODEL_YET);
    const { modelVersion, files } = service.modelFiles();
    const body: ModelInfo = { modelVersion, manifest: JSON.parse(files.manifest) as Record<string, unknown>, weightsUrl: weightsUrl(modelVersion), docFreqUrl: docFreqUrl(modelVersion) };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });

  router.get('/api/model/:version/:file', (req, res) => {
    const { version, file } = req.params;
    if (file !== 'weights' && file !== 'docfreq') return sendError(res, 'NOT_FOUND', `no file "${file}": use weights or docfreq`);
    if (!/^\d{1,9}$/.test(version)) return sendError(res, 'BAD_REQUEST', `model version must be a whole number, got "${version}"`);
    const { files } = service.modelFiles(Number(version));
    const manifest = JSON.parse(files.manifest) as ModelManifest;
    const sha = file === 'weights' ? manifest.weightsSha256 : manifest.docFreq.sha256;
    sendImmutable(res, req.headers['if-none-match'], sha, file === 'weights' ? files.weights : files.docFreq);
  });

  return router;
}

function sendImmutable(res: Response, ifNoneMatch: string | undefined, sha256: string, bytes: Uint8Array): void {
  const etag = `"${sha256}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/octet-stream');
  res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

