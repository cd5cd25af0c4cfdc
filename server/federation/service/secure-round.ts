import { planCohort, type CohortPlan } from '../../../shared/secagg/cohort-setup.ts';
import type { RingInput } from '../../../shared/secagg/ring-input.ts';
import type { AdvertisedKeys, RevealedShare } from '../../../shared/secagg/secagg-types.ts';
import { unmaskSum, UnmaskError } from '../../../shared/secagg/server-unmask.ts';
import { isPrgName } from '../../../shared/secagg/prg.ts';
import type { SecaggCrypto } from '../../../shared/secagg/crypto-source.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { z } from 'zod';
import type { secaggKeysSchema, secaggRevealSchema, secaggSharesSchema } from '../../../shared/protocol/secagg.ts';

export type SecureStage = 'keys' | 'shares' | 'masked' | 'unmask' | 'done';

/** Secure aggregation's settings on the server (`chorus serve --secure-aggregation`). */
export interface SecureAggregationSettings {
  /** Every update is clipped to this L2 norm by its client before quantization: the ring is sized by it. */
  clipNorm: number;
  /** The server forms no cohort, and unmasks no sum, of fewer clients (clients enforce their own minimum too). */
  minCohort: number;
}

/** One secure round's parameters: the minimum cohort, and what it sums (a training update or document counts). */
export interface SecureRoundSettings {
  minCohort: number;
  input: RingInput;
}

/**
 * The server's state for one securely aggregated round (a training round or the statistics round): who advertised keys (their order is their position), the
 * cohort's plan, the sealed shares to forward, the masked inputs and the revealed shares. Every input is checked
 * against the stage and the sender's place in the cohort before it is kept; a ChorusError says what is wrong.
 * The masked inputs are kept only to be summed: nothing here reads one alone.
 */
export class SecureRound {
  stage: SecureStage = 'keys';
  private readonly keys = new Map<string, AdvertisedKeys>();
  /** Position → client id, once the cohort is formed. */
  members: string[] = [];
  private readonly positionOf = new Map<string, number>();
  plan: CohortPlan | null = null;
  /** Sealed shares by recipient position: what `secagg:deliver` forwards. */
  readonly inbox = new Map<number, { from: number; envelope: Uint8Array }[]>();
  /** Positions whose shares arrived (U2). */
  readonly sharers = new Set<number>();
  /** Positions that were sent their neighbours' shares: the set that masks (fixed when the shares stage ends). */
  delivered: ReadonlySet<number> = new Set();
  readonly masked = new Map<number, Uint32Array>();
  survivors: number[] = [];
  dropped: number[] = [];
  readonly reveals = new Map<number, RevealedShare[]>();

  constructor(
    readonly roundId: string,
    private readonly selected: readonly string[],
    readonly settings: SecureRoundSettings,
    /** Words per masked input: the model's length, or the buckets and the document count. */
    readonly length: number,
  ) {}

  get keyedCount(): number {
    return this.keys.size;
  }

  hasKeyed(clientId: string): boolean {
    return this.keys.has(clientId);
  }

  position(clientId: string): number | undefined {
    return this.positionOf.get(clientId);
  }

  addKeys(clientId: string, msg: z.output<typeof secaggKeysSchema>): void {
    this.expect('keys', msg.roundId);
    if (!this.selected.includes(clientId)) throw new ChorusError('NOT_SELECTED', `this client is not in round ${msg.roundId}`);
    if (this.keys.has(clientId)) throw new ChorusError('BAD_REQUEST', 'keys were already sent for this round');
    const prgs = msg.prgs.filter(isPrgName);
    if (prgs.length === 0) throw new ChorusError('PROTOCOL_MISMATCH', `none of the mask generators ${msg.prgs.join(', ')} is known to this server`);
    this.keys.set(clientId, { maskPublicKey: msg.maskPublicKey, boxPublicKey: msg.boxPublicKey, prgs });
  }

  /** Forms the cohort from the clients that advertised keys and are still here; null when too few for the minimum. */
  formCohort(present: (clientId: string) => boolean, crypto: SecaggCrypto): CohortPlan | null {
    const members = [...this.keys.keys()].filter(present);
    this.stage = 'shares';
    if (members.length < Math.max(2, this.settings.minCohort)) {
      this.stage = 'done';
      return null;
    }
    this.members = members;
    members.forEach((id, p) => this.positionOf.set(id, p));
    this.plan = planCohort(members.map((id) => this.keys.get(id) as AdvertisedKeys), this.settings.input, crypto);
    return this.plan;
  }

  addShares(clientId: string, msg: z.output<typeof secaggSharesSchema>): void {
    this.expect('shares', msg.roundId);
    const from = this.member(clientId);
    if (this.sharers.has(from)) throw new ChorusError('BAD_REQUEST', 'shares were already sent for this round');
    const neighbours = (this.plan as CohortPlan).neighbours[from];
    const to = msg.shares.map((s) => s.to).sort((a, b) => a - b);
    if (to.length !== neighbours.length || to.some((p, i) => p !== neighbours[i])) {
      throw new ChorusError('BAD_REQUEST', 'shares must go to each neighbour exactly once');
    }
    for (const s of msg.shares) {
      const list = this.inbox.get(s.to) ?? [];
      list.push({ from, envelope: s.envelope });
      this.inbox.set(s.to, list);
    }
    this.sharers.add(from);
  }

  /** Ends the shares stage: the sharers still here get the shares of the other sharers; they are the ones that mask. */
  deliveries(present: (clientId: string) => boolean): Map<number, { from: number; envelope: Uint8Array }[]> {
    const going = new Set([...this.sharers].filter((p) => present(this.members[p])));
    this.delivered = going;
    this.stage = 'masked';
    const out = new Map<number, { from: number; envelope: Uint8Array }[]>();
    for (const p of going) out.set(p, (this.inbox.get(p) ?? []).filter((s) => going.has(s.from)));
    this.inbox.clear();
    return out;
  }

  /** Checks a masked input before the engine records its figures; kept for the sum. */
  checkMasked(clientId: string, roundId: string, bytes: Uint8Array): number {
    this.expect('masked', roundId);
    const p = this.member(clientId);
    if (!this.delivered.has(p)) throw new ChorusError('BAD_REQUEST', 'this client did not take part in the key sharing of this round');
    if (this.masked.has(p)) throw new ChorusError('DUPLICATE_UPDATE', 'a masked update was already sent for this round');
    if (bytes.byteLength !== this.length * 4) throw new ChorusError('INVALID_UPDATE', `masked update: expected ${this.length * 4} bytes (${this.length} uint32), got ${bytes.byteLength}`);
    return p;
  }

  addMasked(position: number, bytes: Uint8Array): void {
    // A copy in its own aligned buffer: the socket's Buffer may be a view at any offset.
    this.masked.set(position, new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
  }

  /** Ends the masked stage; null when fewer than the minimum sent a masked input (no sum of so few is unmasked). */
  unmaskRequest(): { survivors: number[]; dropped: number[] } | null {
    this.stage = 'unmask';
    this.survivors = [...this.masked.keys()].sort((a, b) => a - b);
    this.dropped = [...this.delivered].filter((p) => !this.masked.has(p)).sort((a, b) => a - b);
    if (this.survivors.length < Math.max(2, this.settings.minCohort)) {
      this.stage = 'done';
      return null;
    }
    return { survivors: this.survivors, dropped: this.dropped };
  }

  addReveal(clientId: string, msg: z.output<typeof secaggRevealSchema>): void {
    this.expect('unmask', msg.roundId);
    const p = this.member(clientId);
    if (!this.masked.has(p)) throw new ChorusError('BAD_REQUEST', 'only clients whose masked update arrived are asked to unmask');
    if (this.reveals.has(p)) throw new ChorusError('BAD_REQUEST', 'shares were already revealed for this round');
    this.reveals.set(p, msg.shares.map((s) => ({ of: s.of, kind: s.kind, y: s.y })));
  }

  /**
   * The survivors' sum in Z_2^32, the masks removed (the caller decodes it: ring-input.ts); null when it cannot be
   * unmasked.
   */
  async sum(crypto: SecaggCrypto): Promise<{ sum: Uint32Array | null; error?: string }> {
    this.stage = 'done';
    const plan = this.plan as CohortPlan;
    try {
      return { sum: await unmaskSum({ roundId: this.roundId, plan, length: this.length, sharers: this.delivered, masked: this.masked, reveals: this.reveals, crypto }) };
    } catch (error) {
      if (error instanceof UnmaskError) return { sum: null, error: error.message };
      throw error;
    } finally {
      this.masked.clear();
    }
  }

  private member(clientId: string): number {
    const p = this.positionOf.get(clientId);
    if (p === undefined) throw new ChorusError('NOT_SELECTED', `this client is not in the cohort of round ${this.roundId}`);
    return p;
  }

  private expect(stage: SecureStage, roundId: string): void {
    if (roundId !== this.roundId) throw new ChorusError('STALE_ROUND', `round ${roundId} is not open`);
    if (this.stage !== stage) throw new ChorusError('STALE_ROUND', `round ${roundId} is past that stage (now: ${this.stage})`);
  }
}
