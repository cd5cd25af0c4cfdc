import { noisedUnclippedBit, privatizeUpdate } from '../../shared/privacy/client-noise.ts';
import { cryptoRandomWords } from '../../shared/privacy/gaussian-noise.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import type { TrainRequest, UpdateReceipt, UpdateSubmit } from '../../shared/protocol/messages.ts';
import { runLocalRound } from '../../shared/train/local-round.ts';
import type { TrainProgress } from '../../shared/train/train-local.ts';
import type { LocalRoundRecord, RoundProgress } from './client-state.ts';
import type { LocalDataset } from './local-dataset.ts';
import type { ModelKeeper } from './model-keeper.ts';
import { request, type ChorusSocket } from './socket-connection.ts';
import { throttle } from './throttle.ts';
import type { UplinkEncoder } from './uplink-encoder.ts';
import { SecaggAborted, type SecureRoundChannel } from './secure-round.ts';
import { periodicYield } from './yield-to-event-loop.ts';

/** A round stopped by the client itself (pause, cancel, a newer round, stop): nothing is sent. */
export class RoundAborted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RoundAborted';
  }
}

export interface RoundContext {
  socket: ChorusSocket;
  models: ModelKeeper;
  dataset: LocalDataset;
  maxUpdateBytes: number;
  /** Picks the round's codec among those the server accepts and encodes the delta (keeps top-k's feedback). */
  uplink: UplinkEncoder;
  signal: AbortSignal;
  submitTimeoutMs: number;
  /** Minimum interval between `progress` messages to the server. */
  serverProgressMs: number;
  onProgress(progress: RoundProgress): void;
  /** How much busy time may pass between two yields to the event loop (default 25 ms). */
  yieldEveryMs?: number;
  onPhase(phase: 'downloading' | 'training' | 'uploading'): void;
  /**
   * Resolves true once the client is connected and has said hello again (at once when it is), false when `signal`
   * stopped the round first: an upload whose ack was lost is retried only on a connection the server knows.
   */
  whenReady(signal: AbortSignal): Promise<boolean>;
  /** Sends of one update, the first included, while its ack is lost (default 3). */
  uploadAttempts?: number;
  /** A securely aggregated round's channel (secure-round.ts); absent in plain rounds. */
  secure?: SecureRoundChannel;
}

/**
 * A client's whole answer to `round:train`: get the model version, train with the shared `runLocalRound`, check
 * the update's size, send it, and wait for the receipt. Throws RoundAborted when stopped, ChorusError when refused.
 */
export async function runTrainRequest(req: TrainRequest, ctx: RoundContext): Promise<LocalRoundRecord> {
  const started = performance.now();
  const checkAborted = (): void => {
    if (ctx.signal.aborted) throw new RoundAborted(String(ctx.signal.reason ?? 'aborted'));
  };
  // Secure aggregation: keys go out at once, and the key sharing runs while the model downloads and trains.
  const secure = req.secureAggregation ? ctx.secure : undefined;
  if (req.secureAggregation && !secure) throw new ChorusError('PROTOCOL_MISMATCH', 'a securely aggregated round needs a secure channel');
  secure?.start(ctx.signal);
  ctx.onPhase('downloading');
  const bundle = await ctx.models.get(req.modelVersion, req.manifest, ctx.signal);
  checkAborted();
  ctx.onPhase('training');
  const data = ctx.dataset.localData(bundle.manifest.featurizer);
  const progressMessage = (p: TrainProgress) => ({ roundId: req.roundId, epoch: p.epoch, epochs: p.epochs, step: p.step, steps: p.stepsPerEpoch, loss: finiteOr(p.loss, 0) });
  // Volatile: a progress report that cannot go out right now is dropped, not queued behind the update.
  const toServer = throttle((p: TrainProgress) => ctx.socket.volatile.emit('progress', progressMessage(p)), ctx.serverProgressMs);
  let last: TrainProgress | null = null;
  const breathe = periodicYield(ctx.yieldEveryMs ?? 25);
  const result = await runLocalRound(bundle, data, req.config, req.evalFraction, {
    signal: ctx.signal,
    onProgress: (p) => {
      last = p;
      toServer.push(p);
      ctx.onProgress(progressOf(req, p));
      return breathe();
    },
  });
  checkAborted();
  // The final step always arrives, so the dashboard shows the client at 100%.
  if (last) ctx.socket.emit('progress', progressMessage(last));
  // Distributed DP: clipped and noised here, so the delta that leaves the device is already private (and dense).
  const noise = cryptoRandomWords(globalThis.crypto);
  const trained = req.privacy ? privatizeUpdate(result.delta, req.privacy, noise) : result.delta;
  // Adaptive clipping: whether the norm was within C, noised here too (it is computed on the delta before clipping).
  const unclipped = req.privacy ? noisedUnclippedBit(result.delta, req.privacy, noise) : undefined;
  const privatized = trained === result.delta ? result : { ...result, delta: trained, rows: undefined };
  if (secure) return submitSecurely(secure, req, privatized, ctx, started);
  // Sparse training's rows (where the delta can be non-zero) spare the encoder a scan of every row; noise voids them.
  const encoded = ctx.uplink.encode(trained, bundle.manifest, req.codecs, ctx.maxUpdateBytes, privatized.rows);
  const delta = encoded.delta;
  ctx.onPhase('uploading');
  const update: UpdateSubmit = {
    roundId: req.roundId,
    updateId: newUpdateId(),
    modelVersion: req.modelVersion,
    numExamples: result.numExamples,
    loss: Math.max(0, finiteOr(result.loss, 0)),
    trainSeconds: result.trainSeconds,
    delta,
    ...(encoded.codec ? { codec: encoded.codec } : {}),
    ...(result.evaluation ? { evaluation: result.evaluation } : {}),
    ...(unclipped !== undefined ? { unclipped } : {}),
  };
  await upload(update, req, ctx);
  encoded.commit();
  return localRoundRecord(req, result, started, delta.byteLength, encoded.codec);
}

/** What the client keeps of a round it took part in (its page and status lines show these). */
function localRoundRecord(req: TrainRequest, result: Awaited<ReturnType<typeof runLocalRound>>, started: number, uploadBytes: number, codec: LocalRoundRecord['codec']): LocalRoundRecord {
  return {
    round: req.round,
    roundId: req.roundId,
    modelVersion: req.modelVersion,
    numExamples: result.numExamples,
    loss: result.loss,
    trainSeconds: result.trainSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    uploadBytes,
    ...(codec ? { codec } : {}),
    evaluation: result.evaluation,
  };
}

/** The masked upload and the unmasking of a securely aggregated round: clipped, quantized and masked by the channel. */
async function submitSecurely(secure: SecureRoundChannel, req: TrainRequest, result: Awaited<ReturnType<typeof runLocalRound>>, ctx: RoundContext, started: number): Promise<LocalRoundRecord> {
  ctx.onPhase('uploading');
  const figures = {
    updateId: newUpdateId(),
    modelVersion: req.modelVersion,
    numExamples: result.numExamples,
    loss: Math.max(0, finiteOr(result.loss, 0)),
    trainSeconds: result.trainSeconds,
    ...(result.evaluation ? { evaluation: result.evaluation } : {}),
  };
  let sent: { bytes: number };
  try {
    sent = await secure.submit(result.delta, figures, ctx.signal);
  } catch (error) {
    if (error instanceof SecaggAborted) throw new RoundAborted(error.message);
    throw error;
  }
  return localRoundRecord(req, result, started, sent.bytes, 'secure-aggregation');
}

/**
 * Sends the update and waits for its receipt. When no answer comes (the ack timed out, or the connection dropped
 * before it arrived), the server may or may not have counted the update: it is sent again, with the same
 * `updateId`, once the client is connected and has said hello again, and the server answers a known id with the
 * same receipt without counting it twice. A refusal is the server's answer and is not retried.
 */
async function upload(update: UpdateSubmit, req: TrainRequest, ctx: RoundContext): Promise<UpdateReceipt> {
  const attempts = ctx.uploadAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request(ctx.socket, 'update:submit', (s) => s.timeout(ctx.submitTimeoutMs).emitWithAck('update:submit', update), `update for round ${req.round}`);
    } catch (error) {
      const lost = error instanceof ChorusError && error.code === 'UNAVAILABLE';
      if (!lost || attempt >= attempts) throw error;
    }
    if (!(await ctx.whenReady(ctx.signal))) throw new RoundAborted(String(ctx.signal.reason ?? 'aborted'));
  }
}

/** 128 random bits as 32 hex digits (Web Crypto: browsers, workers and Node >= 20 alike). */
export function newUpdateId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function progressOf(req: TrainRequest, p: TrainProgress): RoundProgress {
  const steps = p.epochs * p.stepsPerEpoch;
  return {
    round: req.round,
    roundId: req.roundId,
    modelVersion: req.modelVersion,
    epoch: p.epoch,
    epochs: p.epochs,
    step: p.step,
    steps: p.stepsPerEpoch,
    fraction: steps > 0 ? (p.epoch * p.stepsPerEpoch + p.step) / steps : 0,
    loss: p.loss,
  };
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}
