import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import type { RoundPlan } from '../federation/engine/round-types.ts';
import type { LocalRoundResult } from '../../shared/train/local-round.ts';

/**
 * The two clock values in these messages (the round's deadline, the client's training time) are counted at a
 * fixed typical length, so that one seed gives identical byte counts: a millisecond timestamp and a float with 17
 * significant digits, as JSON writes most measured durations.
 */
const DEADLINE_MS = 1_800_000_000_000;
const TRAIN_SECONDS = 12.345678901234567;

/**
 * What one client-round would carry over Chorus's socket protocol, for the in-process transport, which sends
 * nothing. Down: the `round:train` request and the model the client then fetches whole, as `model:get` returns it
 * every round (manifest, float32 weights and the uint32 document frequencies: about 8.4 MB at 2^20 buckets, half
 * of it the document frequencies). Up: the `model:get` request and the update (its encoded delta, the codec's
 * payload as `wire.upload` says, or bare float32 without it, and its JSON fields). `wire.codecs` is the list of
 * codecs the request offers.
 * Binary parts count their bytes and the rest its JSON text; socket.io's framing (binary placeholders, ack ids,
 * packet types: tens of bytes a message) is measured only by the socket transport (`--transport socket`), whose
 * server counts what really went over each WebSocket.
 */
export function clientRoundBytes(plan: RoundPlan, bundle: ModelBundle, evalFraction: number, update: LocalRoundResult | null, wire: UplinkWire = {}): { down: number; up: number } {
  const offered = wire.codecs ? { codecs: wire.codecs } : {};
  const request = { roundId: plan.roundId, round: plan.round, modelVersion: plan.modelVersion, config: plan.config, evalFraction, deadline: DEADLINE_MS, ...offered };
  const model = { ok: true, data: { modelVersion: plan.modelVersion, manifest: JSON.stringify(bundle.manifest, null, 2) } };
  const binaryDown = (bundle.params.length + bundle.docFreq.counts.length) * 4;
  const down = json(['round:train', request]) + json(model) + binaryDown;
  const modelRequest = json(['model:get', { modelVersion: plan.modelVersion }]);
  if (!update) return { down, up: modelRequest };
  const codec = wire.upload ? { codec: wire.upload.codec } : {};
  const fields = { roundId: plan.roundId, modelVersion: plan.modelVersion, numExamples: update.numExamples, loss: update.loss, trainSeconds: TRAIN_SECONDS, ...codec, evaluation: update.evaluation };
  return { down, up: modelRequest + json(['update:submit', fields]) + (wire.upload?.bytes ?? update.delta.byteLength) };
}

/** How the update travels: the codecs `round:train` offers, and the encoded payload (codec and size) sent back. */
export interface UplinkWire {
  codecs?: readonly string[];
  upload?: { codec: string; bytes: number };
}

function json(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
