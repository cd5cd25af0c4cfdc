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
/** Update ids are 32 hex digits (client/core/round-runner.ts). */
const UPDATE_ID = '0'.repeat(32);

/**
 * What one client-round would carry over Chorus's protocol, for the in-process transport, which sends nothing.
 * Down: the `round:train` request, which carries the version's manifest, and the model files the client then fetches
 * over HTTP (client/core/model-keeper.ts): the float32 weights every round it is selected (a new version each round,
 * so a client never holds the one it is asked to train), and the uint32 document frequencies only when it does not
 * hold them yet (`holdsDocFreq`: they never change after the statistics round). Up: the update (its encoded delta,
 * the codec's payload as `wire.upload` says, or bare float32 without it, and its JSON fields, update id included).
 * `wire.codecs` is the list of codecs the request offers. `weightsBytes` replaces the full weights by what the client
 * really fetches when the caller models it (the clock's HeldWeights: a diff from a version it holds, or nothing).
 * Binary parts count their bytes and the rest its JSON text; socket.io's framing (binary placeholders, ack ids,
 * packet types: tens of bytes a message) and HTTP headers are measured only by the socket transport (`--transport
 * socket`), whose server counts what really went over each WebSocket and each model file's body.
 */
export function clientRoundBytes(
  plan: RoundPlan,
  bundle: ModelBundle,
  evalFraction: number,
  update: LocalRoundResult | null,
  wire: UplinkWire = {},
  holdsDocFreq = false,
  weightsBytes = bundle.params.length * 4,
): { down: number; up: number } {
  const offered = wire.codecs ? { codecs: wire.codecs } : {};
  const manifest = JSON.stringify(bundle.manifest, null, 2);
  const request = { roundId: plan.roundId, round: plan.round, modelVersion: plan.modelVersion, manifest, config: plan.config, evalFraction, deadline: DEADLINE_MS, ...offered };
  const files = weightsBytes + (holdsDocFreq ? 0 : bundle.docFreq.counts.length * 4);
  const down = json(['round:train', request]) + files;
  if (!update) return { down, up: 0 };
  const codec = wire.upload ? { codec: wire.upload.codec } : {};
  const fields = { roundId: plan.roundId, updateId: UPDATE_ID, modelVersion: plan.modelVersion, numExamples: update.numExamples, loss: update.loss, trainSeconds: TRAIN_SECONDS, ...codec, evaluation: update.evaluation };
  return { down, up: json(['update:submit', fields]) + (wire.upload?.bytes ?? update.delta.byteLength) };
}

/** How the update travels: the codecs `round:train` offers, and the encoded payload (codec and size) sent back. */
export interface UplinkWire {
  codecs?: readonly string[];
  upload?: { codec: string; bytes: number };
}

function json(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
