import { randomBytes, type SecaggCrypto } from './crypto-source.ts';
import { agreeKey, compareBytes, generateKeyPair, type KeyPair } from './key-agreement.ts';
import { neighbourCount, shareThreshold } from './neighbours.ts';
import { availablePrgs, expandMask, SEED_BYTES } from './prg.ts';
import { clipToNorm, quantize, ringScale } from './quantize.ts';
import { checkRingInput, type RingInput } from './ring-input.ts';
import type { AdvertisedKeys, InboundShares, RevealedShare, RoundSetup, SealedShares, UnmaskRequest } from './secagg-types.ts';
import { envelopeContext, openShares, sealShares } from './share-box.ts';
import { SHARE_VALUE_BYTES, splitSecret } from './shamir.ts';

/** A step the client refuses: the server asked for something that would weaken the protocol, or out of order. */
export class SecaggRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecaggRefusal';
  }
}

interface HeldShares {
  selfMask: Uint8Array;
  maskKey: Uint8Array;
}

/**
 * One client's side of one secure-aggregation round, as a state machine: advertise → shareKeys → receiveShares →
 * maskInput (a training update) or maskCounts (statistics) → unmask, each callable once and in order. Pure over typed arrays (no socket): the client core drives it
 * over the wire, the protocol test and the benchmark in memory.
 *
 * What it enforces itself, whatever the server says: a cohort of at least `minCohort` (at setup and again at
 * unmasking, so a server cannot isolate one person among few or fake clients), the neighbour count and threshold
 * the cohort size implies (a server cannot shrink a neighbourhood to make shares reconstructible by few), an input
 * whose cohort sum cannot wrap (ring-input.ts), and, at
 * unmasking, one answer per round that never reveals both secrets of the same neighbour.
 */
export class SecaggClientSession {
  private readonly maskKeys: KeyPair;
  private readonly boxKeys: KeyPair;
  private setup: RoundSetup | null = null;
  private selfMaskSeed: Uint8Array | null = null;
  /** Shares this client holds, by the position of the client they belong to (itself included). */
  private readonly held = new Map<number, HeldShares>();
  /** Neighbours whose shares arrived: they mask with this client and this one with them. */
  private sharers: number[] | null = null;
  private masked = false;
  private answered = false;
  /** Share-box keys by neighbour position: agreed once for sealing, reused for opening. */
  private readonly boxKeyOf = new Map<number, Uint8Array>();

  constructor(
    private readonly roundId: string,
    private readonly minCohort: number,
    private readonly crypto: SecaggCrypto,
  ) {
    if (!Number.isInteger(minCohort) || minCohort < 2) throw new Error(`the minimum cohort must be an integer >= 2, not ${minCohort}`);
    this.maskKeys = generateKeyPair(crypto);
    this.boxKeys = generateKeyPair(crypto);
  }

  advertise(): AdvertisedKeys {
    return { maskPublicKey: this.maskKeys.publicKey, boxPublicKey: this.boxKeys.publicKey, prgs: availablePrgs(this.crypto) };
  }

  /** Checks the server's setup and shares the self-mask seed and the mask key among the neighbours and itself. */
  shareKeys(setup: RoundSetup): SealedShares[] {
    if (this.setup) throw new SecaggRefusal('the keys of this round were already shared');
    checkSetup(setup, this.minCohort, this.crypto);
    const own = [this.maskKeys.publicKey, this.boxKeys.publicKey];
    for (const n of setup.neighbours) {
      if (own.some((k) => compareBytes(k, n.maskPublicKey) === 0 || compareBytes(k, n.boxPublicKey) === 0)) {
        throw new SecaggRefusal(`neighbour ${n.position} was given this client's own public key`);
      }
    }
    this.setup = setup;
    this.selfMaskSeed = randomBytes(this.crypto, SEED_BYTES);
    const holders = [setup.position, ...setup.neighbours.map((n) => n.position)];
    const xs = holders.map((p) => p + 1);
    const selfShares = splitSecret(this.selfMaskSeed, setup.threshold, xs, this.crypto);
    const keyShares = splitSecret(this.maskKeys.secretKey, setup.threshold, xs, this.crypto);
    this.held.set(setup.position, { selfMask: selfShares[0].y, maskKey: keyShares[0].y });
    return setup.neighbours.map((n, i) => {
      const plaintext = new Uint8Array(2 * SHARE_VALUE_BYTES);
      plaintext.set(selfShares[i + 1].y, 0);
      plaintext.set(keyShares[i + 1].y, SHARE_VALUE_BYTES);
      const key = agreeKey(this.boxKeys, n.boxPublicKey, 'share-box', this.roundId);
      this.boxKeyOf.set(n.position, key);
      return { to: n.position, envelope: sealShares(key, plaintext, envelopeContext(this.roundId, setup.position, n.position), this.crypto) };
    });
  }

  /** Opens the shares the neighbours sent; the senders are the neighbours this client will mask with. */
  receiveShares(inbound: readonly InboundShares[]): void {
    const setup = this.setup;
    if (!setup || this.sharers) throw new SecaggRefusal('shares arrived out of order');
    const sharers: number[] = [];
    for (const { from, envelope } of inbound) {
      const neighbour = setup.neighbours.find((n) => n.position === from);
      if (!neighbour) throw new SecaggRefusal(`shares from position ${from}, which is not a neighbour`);
      if (this.held.has(from)) throw new SecaggRefusal(`two sets of shares from position ${from}`);
      const key = this.boxKeyOf.get(from) as Uint8Array;
      let plaintext: Uint8Array;
      try {
        plaintext = openShares(key, envelope, envelopeContext(this.roundId, from, setup.position));
      } catch {
        throw new SecaggRefusal(`the shares from position ${from} do not open (altered, or not sealed for this client)`);
      }
      if (plaintext.length !== 2 * SHARE_VALUE_BYTES) throw new SecaggRefusal(`the shares from position ${from} have the wrong size`);
      this.held.set(from, { selfMask: plaintext.slice(0, SHARE_VALUE_BYTES), maskKey: plaintext.slice(SHARE_VALUE_BYTES) });
      sharers.push(from);
    }
    // Without t holders alive from the start, this client's own self mask could never be removed.
    if (sharers.length + 1 < setup.threshold) throw new SecaggRefusal(`only ${sharers.length} neighbour(s) shared keys; ${setup.threshold - 1} are needed`);
    this.sharers = sharers.sort((a, b) => a - b);
  }

  /**
   * The masked input of a training round: the update clipped to the round's C, quantized into Z_2^32 at the scale
   * the cohort size implies, plus the masks.
   */
  async maskInput(delta: Float32Array, random: () => number): Promise<Uint32Array> {
    const setup = this.readyToMask('fixed-point');
    const { clipNorm } = setup.input;
    const scale = ringScale(clipNorm, setup.cohortSize);
    return this.addMasks(quantize(clipToNorm(delta, clipNorm), scale, clipNorm, random));
  }

  /**
   * The masked input of a statistics round: the client's document counts as words (ring-input.ts' countWords: one
   * per bucket, then the document count), each at most the round's cap, so that the cohort's sum cannot wrap.
   */
  async maskCounts(words: Uint32Array): Promise<Uint32Array> {
    const { maxDocs } = this.readyToMask('counts').input;
    for (let i = 0; i < words.length; i++) {
      if (words[i] > maxDocs) throw new SecaggRefusal(`word ${i} of the counts is ${words[i]}, above the round's cap of ${maxDocs} documents`);
    }
    return this.addMasks(words.slice());
  }

  /** The setup, once keys were shared and opened and nothing was masked yet, for an input of the round's kind. */
  private readyToMask<K extends RingInput['kind']>(kind: K): RoundSetup & { input: Extract<RingInput, { kind: K }> } {
    const setup = this.setup;
    if (!setup || !this.sharers || !this.selfMaskSeed || this.masked) throw new SecaggRefusal('the masked input is asked out of order');
    if (setup.input.kind !== kind) throw new SecaggRefusal(`this round sums ${setup.input.kind}, not ${kind}`);
    this.masked = true;
    return setup as RoundSetup & { input: Extract<RingInput, { kind: K }> };
  }

  /**
   * y + the self mask + the pairwise masks (added towards higher positions, subtracted towards lower ones, so that
   * each pair cancels in the sum).
   */
  private async addMasks(y: Uint32Array): Promise<Uint32Array> {
    const setup = this.setup as RoundSetup;
    addInto(y, await expandMask(setup.prg, this.selfMaskSeed as Uint8Array, y.length, this.crypto), 1);
    for (const v of this.sharers as number[]) {
      const neighbour = setup.neighbours.find((n) => n.position === v) as RoundSetup['neighbours'][number];
      const seed = agreeKey(this.maskKeys, neighbour.maskPublicKey, 'mask', this.roundId);
      addInto(y, await expandMask(setup.prg, seed, y.length, this.crypto), setup.position < v ? 1 : -1);
    }
    return y;
  }

  /**
   * The shares the server needs to remove the masks: of each surviving neighbour's (and its own) self-mask seed, of
   * each dropped neighbour's mask key. Answered once: a second request could split the neighbours differently.
   */
  unmask(request: UnmaskRequest): RevealedShare[] {
    const setup = this.setup;
    const sharers = this.sharers;
    if (!setup || !sharers || !this.masked) throw new SecaggRefusal('unmasking asked before this client sent its masked input');
    if (this.answered) throw new SecaggRefusal('this round was already unmasked once');
    const survivors = new Set(request.survivors);
    const dropped = new Set(request.dropped);
    for (const p of survivors) if (dropped.has(p)) throw new SecaggRefusal(`position ${p} is named both a survivor and dropped`);
    if (!survivors.has(setup.position)) throw new SecaggRefusal('this client is not among the survivors it is asked to unmask');
    if (survivors.size < this.minCohort) throw new SecaggRefusal(`only ${survivors.size} survivor(s); this client takes part only in a sum of at least ${this.minCohort}`);
    this.answered = true;
    const out: RevealedShare[] = [{ of: setup.position, kind: 'self-mask', y: (this.held.get(setup.position) as HeldShares).selfMask }];
    for (const v of sharers) {
      const held = this.held.get(v) as HeldShares;
      if (survivors.has(v)) out.push({ of: v, kind: 'self-mask', y: held.selfMask });
      else if (dropped.has(v)) out.push({ of: v, kind: 'mask-key', y: held.maskKey });
      else {
        this.answered = false;
        throw new SecaggRefusal(`neighbour ${v} shared keys but is named neither a survivor nor dropped`);
      }
    }
    return out;
  }
}

/** y ← y + sign·m in Z_2^32 (a Uint32Array store wraps by itself). */
export function addInto(y: Uint32Array, m: Uint32Array, sign: 1 | -1): void {
  if (sign === 1) for (let i = 0; i < y.length; i++) y[i] += m[i];
  else for (let i = 0; i < y.length; i++) y[i] -= m[i];
}

function checkSetup(setup: RoundSetup, minCohort: number, crypto: SecaggCrypto): void {
  const { cohortSize, position, neighbours, threshold } = setup;
  if (cohortSize < minCohort) throw new SecaggRefusal(`a cohort of ${cohortSize} is below this client's minimum of ${minCohort}`);
  if (!Number.isInteger(position) || position < 0 || position >= cohortSize) throw new SecaggRefusal(`position ${position} is outside the cohort`);
  const k = neighbourCount(cohortSize);
  if (neighbours.length !== k) throw new SecaggRefusal(`a cohort of ${cohortSize} gives ${k} neighbours, not ${neighbours.length}`);
  if (threshold !== shareThreshold(k)) throw new SecaggRefusal(`${k} neighbours need a threshold of ${shareThreshold(k)}, not ${threshold}`);
  const positions = new Set(neighbours.map((n) => n.position));
  if (positions.size !== k || positions.has(position) || [...positions].some((p) => !Number.isInteger(p) || p < 0 || p >= cohortSize)) {
    throw new SecaggRefusal('the neighbours must be distinct other positions in the cohort');
  }
  if (!availablePrgs(crypto).includes(setup.prg)) throw new SecaggRefusal(`this client cannot run the mask generator ${setup.prg}`);
  try {
    checkRingInput(setup.input, cohortSize);
  } catch (error) {
    throw new SecaggRefusal((error as Error).message);
  }
}
