import { Router, type Request, type Response } from 'express';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { CLIENT_SOCKET_HEADER, modelFilePath, type ModelInfo } from '../../shared/protocol/http.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { NO_MODEL_YET } from './no-model-yet.ts';
import { sendError } from './send-error.ts';

/** URLs relative to the server's origin; a version's files never change, so they are cached for a year. */
export const weightsUrl = (version: number) => modelFilePath(version, 'weights');
export const docFreqUrl = (version: number) => modelFilePath(version, 'docfreq');

/**
 * `GET /api/model` (the latest version's manifest and file URLs) and the binary files of any version: public, as
 * the widget's local mode and every federation client fetch them (clients only the versions they do not hold).
 */
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
    const bytes = file === 'weights' ? files.weights : files.docFreq;
    countForClient(req, res, service, bytes.byteLength);
    sendImmutable(res, req.headers['if-none-match'], sha, bytes);
  });

  return router;
}

/**
 * A federation client's download belongs to its round's traffic (`bytesDown`), as the socket's messages do: the
 * body is counted once it has been handed to the network in full, and only for a client that named its socket.
 * A 304 or a HEAD sends no body and counts nothing; the HTTP headers (~0.3 KB) are not counted, as the WebSocket
 * frame headers are not.
 */
function countForClient(req: Request, res: Response, service: FederationService, bodyBytes: number): void {
  const socketId = req.get(CLIENT_SOCKET_HEADER);
  if (socketId === undefined || req.method !== 'GET') return;
  res.on('finish', () => {
    if (res.statusCode === 200) service.traffic(socketId, 'down', bodyBytes);
  });
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
