import { ChorusError } from '../../shared/protocol/errors.ts';
import type { UpdateReceipt } from '../../shared/protocol/messages.ts';
import { wireBytes, type SecaggDeliver, type SecaggMasked, type SecaggSetup, type SecaggUnmask } from '../../shared/protocol/secagg.ts';
import { SecaggClientSession, SecaggRefusal } from '../../shared/secagg/client-session.ts';
import type { SecaggCrypto } from '../../shared/secagg/crypto-source.ts';
import { request, type ChorusSocket } from './socket-connection.ts';

/** The fewest clients a securely aggregated sum may have for this client to take part, unless told otherwise. */
export const DEFAULT_MIN_COHORT = 3;

/** A message of the server's that a stage waits for; it may arrive before the stage asks. */
class Inbox<T> {
  private value: T | null = null;
  private waiter: ((value: T) => void) | null = null;

  put(value: T): void {
    if (this.value !== null) return;
    this.value = value;
    this.waiter?.(value);
  }

  take(signal: AbortSignal, what: string): Promise<T> {
    if (this.value !== null) return Promise.resolve(this.value);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new SecaggAborted(`${what}: ${String(signal.reason ?? 'aborted')}`));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
    });
  }
}

/** The round was stopped (cancel, pause, a newer round) while a stage waited. */
export class SecaggAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecaggAborted';
  }
}

/**
 * One client's secure-aggregation round over the socket (shared/secagg/client-session.ts does the cryptography):
 * `start` advertises keys at once and, when the server's setup arrives, shares them and opens the neighbours'
 * shares, all while the model trains; `submit` masks the trained delta (or `submitCounts` the statistics round's
 * document counts), sends it, and answers the server's unmask request. The client's own minimum cohort is enforced by the session, whatever the server says.
 */
export class SecureRoundChannel {
  private readonly session: SecaggClientSession;
  private readonly setup = new Inbox<SecaggSetup>();
  private readonly deliver = new Inbox<SecaggDeliver>();
  private readonly unmaskRequest = new Inbox<SecaggUnmask>();
  private keysShared: Promise<void> | null = null;

  constructor(
    readonly roundId: string,
    minCohort: number,
    private readonly socket: ChorusSocket,
    private readonly timeoutMs: number,
    crypto: SecaggCrypto,
  ) {
    this.session = new SecaggClientSession(roundId, minCohort, crypto);
  }

  /** Routes a server message of this round to the stage waiting for it. */
  receive(event: 'secagg:setup', msg: SecaggSetup): void;
  receive(event: 'secagg:deliver', msg: SecaggDeliver): void;
  receive(event: 'secagg:unmask', msg: SecaggUnmask): void;
  receive(event: string, msg: SecaggSetup | SecaggDeliver | SecaggUnmask): void {
    if (msg.roundId !== this.roundId) return;
    if (event === 'secagg:setup') this.setup.put(msg as SecaggSetup);
    else if (event === 'secagg:deliver') this.deliver.put(msg as SecaggDeliver);
    else if (event === 'secagg:unmask') this.unmaskRequest.put(msg as SecaggUnmask);
  }

  /** Keys, then shares, in the background; `submit` waits for it. Its failure is the round's failure. */
  start(signal: AbortSignal): void {
    this.keysShared = this.shareKeys(signal);
    this.keysShared.catch(() => undefined);
  }

  private async shareKeys(signal: AbortSignal): Promise<void> {
    const keys = this.session.advertise();
    await request(this.socket, 'secagg:keys', (s) =>
      s.timeout(this.timeoutMs).emitWithAck('secagg:keys', { roundId: this.roundId, maskPublicKey: wireBytes(keys.maskPublicKey), boxPublicKey: wireBytes(keys.boxPublicKey), prgs: keys.prgs }),
    );
    const setup = await this.setup.take(signal, 'waiting for the cohort');
    const sealed = refused(() => this.session.shareKeys(setup));
    await request(this.socket, 'secagg:shares', (s) =>
      s.timeout(this.timeoutMs).emitWithAck('secagg:shares', { roundId: this.roundId, shares: sealed.map((x) => ({ to: x.to, envelope: wireBytes(x.envelope) })) }),
    );
    const inbound = await this.deliver.take(signal, "waiting for the neighbours' shares");
    refused(() => this.session.receiveShares(inbound.shares));
  }

  /**
   * Masks the trained delta (clipped and quantized by the session), sends it with the update's figures, then
   * answers the unmask request. Resolves with the masked upload's size once the shares are revealed.
   */
  async submit(delta: Float32Array, figures: Omit<SecaggMasked, 'masked' | 'roundId'>, signal: AbortSignal, random: () => number = Math.random): Promise<{ bytes: number; receipt: UpdateReceipt }> {
    return this.submitMasked(
      () => refusedAsync(() => this.session.maskInput(delta, random)),
      (masked) => request(this.socket, 'secagg:masked', (s) => s.timeout(this.timeoutMs).emitWithAck('secagg:masked', { ...figures, roundId: this.roundId, masked }), 'masked update'),
      signal,
    );
  }

  /**
   * The statistics round's answer: masks the client's document counts (ring-input.ts' countWords, each word at
   * most the round's cap), sends them by `stats:masked`, then answers the unmask request.
   */
  async submitCounts(words: Uint32Array, signal: AbortSignal): Promise<{ bytes: number; receipt: { accepted: true } }> {
    return this.submitMasked(
      () => refusedAsync(() => this.session.maskCounts(words)),
      (masked) => request(this.socket, 'stats:masked', (s) => s.timeout(this.timeoutMs).emitWithAck('stats:masked', { roundId: this.roundId, masked }), 'masked statistics'),
      signal,
    );
  }

  /** Waits for the keys to be shared, masks, sends (`send`), then reveals the shares the unmask request asks for. */
  private async submitMasked<R>(mask: () => Promise<Uint32Array>, send: (masked: Uint8Array<ArrayBuffer>) => Promise<R>, signal: AbortSignal): Promise<{ bytes: number; receipt: R }> {
    if (!this.keysShared) throw new Error('start() first');
    await this.keysShared;
    const masked = await mask();
    const bytes = new Uint8Array(masked.buffer, masked.byteOffset, masked.byteLength);
    const receipt = await send(wireBytes(bytes));
    const unmask = await this.unmaskRequest.take(signal, 'waiting for the unmask request');
    const shares = refused(() => this.session.unmask(unmask));
    await request(this.socket, 'secagg:reveal', (s) =>
      s.timeout(this.timeoutMs).emitWithAck('secagg:reveal', { roundId: this.roundId, shares: shares.map((r) => ({ of: r.of, kind: r.kind, y: wireBytes(r.y) })) }),
    );
    return { bytes: bytes.byteLength, receipt };
  }
}

/** A step the session refuses is this client's decision, reported as such (and never retried). */
function refused<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw asRefusal(error);
  }
}

async function refusedAsync<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw asRefusal(error);
  }
}

function asRefusal(error: unknown): unknown {
  return error instanceof SecaggRefusal ? new ChorusError('BAD_REQUEST', `secure aggregation refused: ${error.message}`) : error;
}
