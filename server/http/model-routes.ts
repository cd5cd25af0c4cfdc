import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ModelManifest } from '../../shared/model/manifest.ts';
import { CLIENT_SOCKET_HEADER, modelFilePath, type ModelInfo } from '../../shared/protocol/http.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import { ImmutableSender } from './immutable-body.ts';
import { ModelDiffs } from './model-diffs.ts';
import { NO_MODEL_YET } from './no-model-yet.ts';
import { sendError } from './send-error.ts';

/** URLs relative to the server's origin; a version's files never change, so they are cached for a year. */
export const weightsUrl = (version: number) => modelFilePath(version, 'weights');
export const docFreqUrl = (version: number) => modelFilePath(version, 'docfreq');

const versionText = z.string().regex(/^\d{1,9}$/, 'must be a whole number');
const diffQuery = z.object({ from: versionText }, { error: 'the query must name the version held: ?from=N' });

/**
 * `GET /api/model` (the latest version's manifest and file URLs), the binary files of any version, and the diff
 * between two versions: public, as the widget's local mode and every federation client fetch them (clients only
 * what they do not hold: a diff from the version they hold where the server has one, else the weights).
 */
export function modelRoutes(service: FederationService): Router {
  const router = Router();
  const sender = new ImmutableSender();
  const diffs = new ModelDiffs((version) => service.modelFiles(version).files);

  router.get('/api/model', (_req, res) => {
    // Before the first round there is nothing to send; say so in the same words as /api/predict.
    if (service.modelVersion === null) return sendError(res, 'UNAVAILABLE', NO_MODEL_YET);
    const { modelVersion, files } = service.modelFiles();
    const body: ModelInfo = { modelVersion, manifest: JSON.parse(files.manifest) as Record<string, unknown>, weightsUrl: weightsUrl(modelVersion), docFreqUrl: docFreqUrl(modelVersion) };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });

  router.get('/api/model/:version/:file', async (req, res) => {
    const { version, file } = req.params;
    if (file !== 'weights' && file !== 'docfreq' && file !== 'diff') return sendError(res, 'NOT_FOUND', `no file "${file}": use weights, docfreq or diff?from=N`);
    if (!versionText.safeParse(version).success) return sendError(res, 'BAD_REQUEST', `model version must be a whole number, got "${version}"`);
    if (file === 'diff') {
      const query = diffQuery.safeParse(req.query);
      if (!query.success) return sendError(res, 'BAD_REQUEST', `diff of v${version}: ${query.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
      const diff = diffs.get(Number(version), Number(query.data.from));
      res.setHeader('X-Chorus-Diff', `${diff.encoding}; changed=${diff.changed}`);
      return sender.send(req, res, diff, counter(req, service));
    }
    const { files } = service.modelFiles(Number(version));
    const manifest = JSON.parse(files.manifest) as ModelManifest;
    const tag = file === 'weights' ? manifest.weightsSha256 : manifest.docFreq.sha256;
    const bytes = file === 'weights' ? files.weights : files.docFreq;
    return sender.send(req, res, { tag, bytes }, counter(req, service));
  });

  return router;
}

/**
 * A federation client's download belongs to its round's traffic (`bytesDown`), as the socket's messages do: the
 * body as sent (compressed, where it was) is counted once it has been handed to the network in full, and only for a
 * client that named its socket. A 304 or a HEAD sends no body and counts nothing; the HTTP headers (~0.3 KB) are not
 * counted, as the WebSocket frame headers are not.
 */
function counter(req: Request, service: FederationService): (bytes: number) => void {
  const socketId = req.get(CLIENT_SOCKET_HEADER);
  return (bytes) => {
    if (socketId !== undefined && bytes > 0) service.traffic(socketId, 'down', bytes);
  };
}
