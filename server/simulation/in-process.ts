import { noisedUnclippedBit, privatizeUpdate } from '../../shared/privacy/client-noise.ts';
import { seededRandomWords, type RandomWords } from '../../shared/privacy/gaussian-noise.ts';
import type { ModelBundle } from '../../shared/model/model-bundle.ts';
import { runLocalRound } from '../../shared/train/local-round.ts';
import { trainOptionsSchema } from '../../shared/train/options.ts';
import type { CentralEvaluator } from '../federation/central-evaluator.ts';
import { FederationEngine, type SecureSum, type UpdateSummary } from '../federation/engine/federation-engine.ts';
import type { RoundPlan, RoundResult } from '../federation/engine/round-types.ts';
import { validateUpdate } from '../federation/engine/validated-update.ts';
import type { Strategy } from '../federation/strategies/index.ts';
import { quorumOf } from '../options/federation-schema.ts';
import type { SimulationConfig } from './config-schema.ts';
import { roundRecord, type RoundRecord } from './round-record.ts';
import type { VirtualClient } from './virtual-clients.ts';
import { clientRoundBytes } from './message-bytes.ts';
import { attackDelta, attackerData, chooseAttackers, defaultAttackScale, type AttackPlan } from './attacks.ts';
import { Rng } from '../../shared/random/rng.ts';
import { layoutOf } from '../../shared/codecs/layout.ts';
import { encodeUpdate } from '../../shared/codecs/registry.ts';
import { seededUniform } from './codec-random.ts';
import { secureClipNorm, secureRoundSum } from './secure-rounds.ts';

export interface RoundsInput {
  config: SimulationConfig;
  /** Version 0: initial parameters and the federated document frequencies. */
  bundle: ModelBundle;
  strategy: Strategy;
  clients: readonly VirtualClient[];
  evaluator: CentralEvaluator;
}

export interface RoundHooks {
  /** A sampled client finished (or failed) its local round. */
  onClientDone?(round: number, done: number, sampled: number): void;
  onClientError?(round: number, clientId: string, error: unknown): void;
  /** A round was aggregated and evaluated; awaited, so outputs are on disk before the next round starts. */
  onRound?(record: RoundRecord, result: RoundResult): void | Promise<void>;
}

export interface RoundsOutcome {
  records: RoundRecord[];
  finalBundle: ModelBundle;
  roc: RoundResult['roc'];
}

/**
 * Runs the rounds with virtual clients in this process, through the production pieces: the FederationEngine
 * samples, each update passes the same validation as one from a socket, the engine streams it into the
 * strategy's aggregator and steps the server optimizer, every sampled client runs `runLocalRound` (one after
 * another: one process, and tfjs-wasm already uses the cores it can), and the CentralEvaluator scores each new
 * version on the test split. Every update goes through the run's codec as over a socket: encoded by its virtual
 * client (top-k's error feedback kept per client across rounds, int8's rounding seeded per client), decoded by the
 * server's validation, which accepts only that codec. bytesDown and bytesUp count what the same client-rounds
 * would send over Chorus's protocol (clientRoundBytes: the manifest and the weights down, the document
 * frequencies on a client's first round only, each encoded delta with its fields up).
 */
export async function runInProcessRounds(input: RoundsInput, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config } = input;
  const byId = new Map(input.clients.map((c) => [c.id, c]));
  const engine = new FederationEngine({
    bundle: input.bundle,
    strategy: input.strategy,
    baseConfig: trainOptionsSchema.parse({ ...config.local, seed: config.seed }),
    learningRateDecay: config.local.learningRateDecay,
    fraction: config.fraction,
    minClients: config.minClients,
    quorum: quorumOf(config),
    seed: config.seed,
    evaluate: (next) => (shouldEvaluate(roundOf(next), config) ? input.evaluator.evaluate(next) : Promise.resolve(null)),
  });
  const attack = attackPlanOf(config, [...byId.keys()]);
  const attackRng = new Rng((config.seed ^ 0xbad) >>> 0);
  const records: RoundRecord[] = [];
  let roc: RoundResult['roc'] = null;
  const ids = [...byId.keys()];
  const codecs = [config.codec];
  // Clients that fetched the document frequencies already (once per client: they never change after statistics).
  const holdsDocFreq = new Set<string>();
  const uplink = new Map<string, { random: () => number; noise: RandomWords; residual: { values: Float32Array | null } }>();
  const uplinkOf = (clientId: string) => {
    let state = uplink.get(clientId);
    if (!state) {
      const index = ids.indexOf(clientId);
      const noise = seededRandomWords(new Rng((Math.imul(config.seed + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0));
      uplink.set(clientId, (state = { random: seededUniform(config.seed, index), noise, residual: { values: null } }));
    }
    return state;
  };
  const secure = config.secureAggregation.enabled;
  // A privacy budget (--dp-epsilon-budget) can end the run before --rounds: the next round would exceed it.
  while (engine.completedRounds < config.rounds && engine.mayOpenRound) {
    const plan = engine.openRound(ids);
    const global = engine.bundle;
    let trainSeconds = 0;
    let done = 0;
    let bytesDown = 0;
    // --secure-aggregation: the trained deltas wait for the round's secure sum (secure-rounds.ts), not the codec.
    const masked: { clientId: string; delta: Float32Array; result: Awaited<ReturnType<typeof runLocalRound>> }[] = [];
    for (const clientId of plan.selected) {
      const client = byId.get(clientId) as VirtualClient;
      try {
        bytesDown += clientRoundBytes(plan, global, config.evalFraction, null, { codecs }, holdsDocFreq.has(clientId)).down;
        holdsDocFreq.add(clientId);
        const attacking = attack?.attackers.has(clientId) ?? false;
        const data = attacking && attack ? attackerData(attack.kind, client.data) : client.data;
        const trained = await runLocalRound(global, data, plan.config, config.evalFraction);
        // An attacker's delta is no longer zero outside the rows it trained: it loses the rows hint.
        const result = attacking && attack ? { ...trained, delta: attackDelta(attack.kind, attack.scale, trained.delta, attackRng), rows: undefined } : trained;
        trainSeconds += result.trainSeconds;
        const layout = layoutOf(global.manifest);
        const state = uplinkOf(clientId);
        // The remainder top-k keeps is committed only once the update is accepted, as the real client does.
        const residual = { values: state.residual.values };
        // Distributed DP: the virtual client clips and noises its delta as a real one does, from its own seeded stream
        // (the noised delta is dense: sparse training's rows no longer describe it).
        const delta = plan.privacy ? privatizeUpdate(result.delta, plan.privacy, state.noise) : result.delta;
        const unclipped = plan.privacy ? noisedUnclippedBit(result.delta, plan.privacy, state.noise) : undefined;
        const rows = plan.privacy ? undefined : result.rows;
        if (secure) {
          masked.push({ clientId, delta, result });
          hooks.onClientDone?.(plan.round, ++done, plan.selected.length);
          continue;
        }
        const payload = encodeUpdate(config.codec, delta, layout, { random: state.random, residual, ...(rows ? { rows } : {}) });
        const update = validateUpdate(
          {
            clientId,
            kind: 'edge',
            delta: payload,
            codec: config.codec,
            numExamples: result.numExamples,
            loss: result.loss,
            bytes: clientRoundBytes(plan, global, config.evalFraction, result, { codecs, upload: { codec: config.codec, bytes: payload.byteLength } }).up,
            evaluation: result.evaluation,
            unclipped,
          },
          layout,
          client.data.labels.length,
          codecs,
        );
        engine.submit(plan.roundId, plan.modelVersion, update);
        state.residual.values = residual.values;
      } catch (error) {
        // A client that fails is a failure of the round (as in Flower), not of the experiment.
        hooks.onClientError?.(plan.round, clientId, error);
      }
      hooks.onClientDone?.(plan.round, ++done, plan.selected.length);
    }
    const secured = secure ? await submitSecurely(engine, plan, masked, ids, config, global.params.length) : undefined;
    const result = await engine.closeRound({ bytesDown: bytesDown + (secured?.bytesDown ?? 0) }, secured?.sum);
    if (!result) {
      const short = secured && secured.sum.sum === null && masked.length >= quorumOf(config) ? ` (secure aggregation unmasks no sum of fewer than --min-cohort ${config.secureAggregation.minCohort}; ${masked.length} masked)` : '';
      throw new Error(`round ${plan.round} failed: fewer than ${quorumOf(config)} of ${plan.selected.length} clients returned an update${short}`);
    }
    const record = roundRecord(result, trainSeconds, { selected: [...plan.selected], positiveShare: positiveShare(plan.selected.map((id) => byId.get(id) as VirtualClient)) });
    if (attack) record.attackers = plan.selected.filter((id) => attack.attackers.has(id));
    records.push(record);
    if (result.roc) roc = result.roc;
    await hooks.onRound?.(record, result);
  }
  return { records, finalBundle: engine.bundle, roc };
}

/** The run's attackers and attack, or null without --attackers. */
function attackPlanOf(config: SimulationConfig, ids: readonly string[]): AttackPlan | null {
  if (config.attackers === 0) return null;
  return { kind: config.attack, scale: config.attackScale ?? defaultAttackScale[config.attack], attackers: new Set(chooseAttackers(ids, config.attackers, config.seed)) };
}

/** Central evaluation every `evalEvery` rounds, and always after the last one so final figures exist. */
export function shouldEvaluate(round: number, config: Pick<SimulationConfig, 'evalEvery' | 'rounds'>): boolean {
  return round % config.evalEvery === 0 || round >= config.rounds;
}

function roundOf(bundle: ModelBundle): number {
  const round = bundle.manifest.provenance.round;
  if (typeof round !== 'number') throw new Error('engine produced a version without its round in the provenance');
  return round;
}

/** Share of positive labels over the given clients' examples. */
export function positiveShare(clients: readonly VirtualClient[]): number | null {
  let positives = 0;
  let total = 0;
  for (const c of clients) {
    for (const label of c.data.labels) positives += label;
    total += c.data.labels.length;
  }
  return total > 0 ? positives / total : null;
}

/**
 * A round's secure sum, as a served secure round gets it: every trained delta through the whole protocol in memory
 * (clipped to the round's secure clip, quantized, masked, unmasked as a sum), each client's figures to the engine by
 * `submitMasked` with its protocol payload bytes up (keys, sealed shares, the masked update, revealed shares), and
 * the protocol's bytes down (setups, delivered shares, unmask requests) for the round's count; the engine then
 * closes the round on the decoded sum.
 */
async function submitSecurely(
  engine: FederationEngine,
  plan: RoundPlan,
  masked: readonly { clientId: string; delta: Float32Array; result: Awaited<ReturnType<typeof runLocalRound>> }[],
  ids: readonly string[],
  config: SimulationConfig,
  length: number,
): Promise<{ sum: SecureSum; bytesDown: number }> {
  // No sum of fewer than --min-cohort clients is unmasked (serve's rule): the round fails as one short of its quorum.
  if (masked.length < config.secureAggregation.minCohort) return { sum: { sum: null, count: masked.length }, bytesDown: 0 };
  const clipNorm = secureClipNorm(config, plan.privacy, length);
  const { sum, bytesUp, bytesDown } = await secureRoundSum(plan.roundId, masked.map((m) => m.delta), masked.map((m) => ids.indexOf(m.clientId)), clipNorm, config.seed, config.secureAggregation.minCohort);
  masked.forEach(({ clientId, result }, i) => {
    // Only the figures: the engine never gets this client's delta, which went into the sum (as secure-handlers' summary).
    const summary = { clientId, kind: 'edge', numExamples: result.numExamples, loss: result.loss, bytes: bytesUp[i], codec: 'float32', evaluation: result.evaluation } as UpdateSummary;
    engine.submitMasked(plan.roundId, plan.modelVersion, summary);
  });
  return { sum: { sum, count: masked.length }, bytesDown: bytesDown.reduce((a, b) => a + b, 0) };
}
