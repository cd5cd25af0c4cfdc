import { layoutOf } from '../../../shared/codecs/layout.ts';
import { encodeUpdate, type CodecName } from '../../../shared/codecs/registry.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import { runLocalRound } from '../../../shared/train/local-round.ts';
import type { RoundPlan } from '../../federation/engine/round-types.ts';
import { validateUpdate, type ValidatedUpdate } from '../../federation/engine/validated-update.ts';
import { seededUniform } from '../codec-random.ts';
import { clientRoundBytes } from '../message-bytes.ts';
import type { VirtualClient } from '../virtual-clients.ts';

/** The request a client answers: the round's plan in sync mode, a work ticket dressed as one in async mode. */
export type WorkRequest = Pick<RoundPlan, 'round' | 'roundId' | 'modelVersion' | 'config'>;

/**
 * One virtual client's part, as in-process.ts does it for the round loop: local training on the model it was given,
 * the run's uplink codec (top-k's remainder and int8's rounding kept per client), and the server's validation. Also
 * what the request and update would weigh on the wire (message-bytes.ts), document frequencies on a first fetch only.
 */
export class ClientSteps {
  private readonly holdsDocFreq = new Set<string>();
  private readonly uplink = new Map<string, { random: () => number; residual: { values: Float32Array | null } }>();

  constructor(private readonly run: { seed: number; codec: CodecName; evalFraction: number; clientIndex: (id: string) => number }) {}

  /** Bytes down of a request to this client (counting the document frequencies once per client). */
  bytesDown(request: WorkRequest, global: ModelBundle, clientId: string): number {
    const down = clientRoundBytes(asPlan(request), global, this.run.evalFraction, null, { codecs: [this.run.codec] }, this.holdsDocFreq.has(clientId)).down;
    this.holdsDocFreq.add(clientId);
    return down;
  }

  /** Trains, encodes and validates one client's update on `global`; the codec's remainder is kept only on `commit`. */
  async train(request: WorkRequest, global: ModelBundle, client: VirtualClient): Promise<{ update: ValidatedUpdate; commit(): void }> {
    const result = await runLocalRound(global, client.data, request.config, this.run.evalFraction);
    const layout = layoutOf(global.manifest);
    const state = this.stateOf(client.id);
    const residual = { values: state.residual.values };
    const payload = encodeUpdate(this.run.codec, result.delta, layout, { random: state.random, residual });
    const codecs = [this.run.codec];
    const bytes = clientRoundBytes(asPlan(request), global, this.run.evalFraction, result, { codecs, upload: { codec: this.run.codec, bytes: payload.byteLength } }).up;
    const update = validateUpdate(
      { clientId: client.id, kind: 'edge', delta: payload, codec: this.run.codec, numExamples: result.numExamples, loss: result.loss, bytes, evaluation: result.evaluation },
      layout,
      client.data.labels.length,
      codecs,
    );
    return { update, commit: () => void (state.residual.values = residual.values) };
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
