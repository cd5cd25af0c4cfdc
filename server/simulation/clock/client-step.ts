import { layoutOf } from '../../../shared/codecs/layout.ts';
import { encodeUpdate, type CodecName } from '../../../shared/codecs/registry.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import { runLocalRound } from '../../../shared/train/local-round.ts';
import type { RoundPlan } from '../../federation/engine/round-types.ts';
import { validateUpdate, type ValidatedUpdate } from '../../federation/engine/validated-update.ts';
import { seededUniform } from '../codec-random.ts';
import { clientRoundBytes } from '../message-bytes.ts';
import type { VirtualClient } from '../virtual-clients.ts';
import { HeldWeights } from './held-weights.ts';

/** A trained, encoded update not yet sent: its size on the wire, the server's validation, and keeping the codec's remainder. */
export interface TrainedUpdate {
  bytesUp: number;
  validate(): ValidatedUpdate;
  commit(): void;
}

/** The request a client answers: the round's plan in sync mode, a work ticket dressed as one in async mode. */
export type WorkRequest = Pick<RoundPlan, 'round' | 'roundId' | 'modelVersion' | 'config'>;

/**
 * One virtual client's part, as in-process.ts does it for the round loop: local training on the model it was given,
 * the run's uplink codec (top-k's remainder and int8's rounding kept per client), and the server's validation. Also
 * what the request and update would weigh on the wire (message-bytes.ts): document frequencies on a first fetch
 * only, the weights as the client would fetch them (held-weights.ts), the update as the run's codec encodes it.
 */
export class ClientSteps {
  private readonly holdsDocFreq = new Set<string>();
  private readonly weights = new HeldWeights();
  private readonly uplink = new Map<string, { random: () => number; residual: { values: Float32Array | null } }>();

  constructor(private readonly run: { seed: number; codec: CodecName; evalFraction: number; clientIndex: (id: string) => number }) {}

  /** Bytes down of a request to this client (document frequencies once per client; weights, diff or nothing). */
  bytesDown(request: WorkRequest, global: ModelBundle, clientId: string): number {
    const weightsBytes = this.weights.fetch(clientId, global);
    const down = clientRoundBytes(asPlan(request), global, this.run.evalFraction, null, { codecs: [this.run.codec] }, this.holdsDocFreq.has(clientId), weightsBytes).down;
    this.holdsDocFreq.add(clientId);
    return down;
  }

  /**
   * Trains and encodes one client's update on `global`. `bytesUp` is what the upload weighs on the wire (the codec's
   * payload and the message's fields), known before it is sent; `validate` is the server's check when it arrives
   * (it throws the server's refusal); the codec's remainder is kept only on `commit`.
   */
  async train(request: WorkRequest, global: ModelBundle, client: VirtualClient): Promise<TrainedUpdate> {
    const result = await runLocalRound(global, client.data, request.config, this.run.evalFraction);
    const layout = layoutOf(global.manifest);
    const state = this.stateOf(client.id);
    const residual = { values: state.residual.values };
    const payload = encodeUpdate(this.run.codec, result.delta, layout, { random: state.random, residual });
    const codecs = [this.run.codec];
    const bytesUp = clientRoundBytes(asPlan(request), global, this.run.evalFraction, result, { codecs, upload: { codec: this.run.codec, bytes: payload.byteLength } }).up;
    return {
      bytesUp,
      validate: () =>
        validateUpdate(
          { clientId: client.id, kind: 'edge', delta: payload, codec: this.run.codec, numExamples: result.numExamples, loss: result.loss, bytes: bytesUp, evaluation: result.evaluation },
          layout,
          client.data.labels.length,
          codecs,
        ),
      commit: () => void (state.residual.values = residual.values),
    };
  }

  private stateOf(clientId: string) {
    let state = this.uplink.get(clientId);
    if (!state) this.uplink.set(clientId, (state = { random: seededUniform(this.run.seed, this.run.clientIndex(clientId)), residual: { values: null } }));
    return state;
  }
}

function asPlan(request: WorkRequest): RoundPlan {
  return { ...request, selected: [], openedAt: 0 };
}
