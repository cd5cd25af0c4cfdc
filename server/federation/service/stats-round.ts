import { decodeUint32 } from '../../../shared/model/binary-codec.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
import { countsOfSum } from '../../../shared/secagg/ring-input.ts';
import { emptyDocFreq, mergeSparseDocFreq, type DocFreq } from '../../../shared/text/doc-freq.ts';

/** A parsed `stats:submit`: the binary fields are Uint8Array views by now. */
export interface StatsReport {
  roundId: string;
  numDocs: number;
  ids: Uint8Array;
  counts: Uint8Array;
}

/**
 * The federated statistics round: clients report, per hash bucket, in how many of their documents it occurs;
 * the server only ever sees these counts, never a text. The global document frequencies (and so the IDF of
 * model version 0) are the sum of the accepted reports.
 *
 * With secure aggregation (`secure` set) the server never sees one client's counts either: they arrive masked
 * (secure-stats-round.ts), this class keeps only who was asked and who answered, and the document frequencies are
 * the unmasked sum (`setSum`). The clients asked are fixed when such a round opens: they form its cohort.
 */
export class StatsRound {
  readonly docFreq: DocFreq;
  /** Bytes on the wire of this round (see client-handlers' traffic). */
  bytesUp = 0;
  bytesDown = 0;
  private readonly asked = new Set<string>();
  private readonly answered = new Set<string>();
  /** Secure rounds: no client is asked once the round's clients are fixed (they key together). */
  private closedToNewcomers = false;
  /** Secure rounds: the most documents the answering clients can hold together (their shards' sizes), to check the sum. */
  private answeredDocCap = 0;

  constructor(
    readonly roundId: string,
    readonly deadline: number,
    buckets: number,
    /** Securely aggregated: each client counts at most `maxDocs` documents (ring-input.ts). Null: plain reports. */
    readonly secure: { maxDocs: number } | null = null,
  ) {
    this.docFreq = emptyDocFreq(buckets);
  }

  ask(clientId: string): void {
    if (this.closedToNewcomers) return;
    this.asked.add(clientId);
  }

  /** Whether a client that just arrived may still be asked. */
  get takesNewcomers(): boolean {
    return !this.closedToNewcomers;
  }

  /** A secure round's clients are fixed from now on: latecomers wait for the first training round. */
  closeToNewcomers(): void {
    this.closedToNewcomers = true;
  }

  wasAsked(clientId: string): boolean {
    return this.asked.has(clientId);
  }

  /** The client left (or paused) before answering: the round stops waiting for it. Counts already merged stay. */
  drop(clientId: string): void {
    if (!this.answered.has(clientId)) this.asked.delete(clientId);
  }

  hasAnswered(clientId: string): boolean {
    return this.answered.has(clientId);
  }

  get answeredCount(): number {
    return this.answered.size;
  }

  /** Every client still asked has answered. */
  get allAnswered(): boolean {
    for (const id of this.asked) if (!this.answered.has(id)) return false;
    return true;
  }

  unanswered(): string[] {
    return [...this.asked].filter((id) => !this.answered.has(id));
  }

  /**
   * Checks and adds one client's report; throws a ChorusError (and adds nothing) when it is refused. `maxDocs`
   * is what the server knows of the client's data (its shard's size), so nobody can inflate the counts.
   */
  submit(clientId: string, report: StatsReport, maxDocs: number): void {
    if (report.roundId !== this.roundId) throw new ChorusError('STALE_ROUND', `statistics round ${report.roundId} is not open`);
    if (this.secure) throw new ChorusError('BAD_REQUEST', `statistics round ${report.roundId} is securely aggregated: send the masked counts (stats:masked)`);
    if (!this.asked.has(clientId)) throw new ChorusError('NOT_SELECTED', 'this client was not asked for statistics in this round');
    if (this.answered.has(clientId)) throw new ChorusError('DUPLICATE_UPDATE', 'this client already sent its statistics');
    if (report.numDocs > maxDocs) {
      throw new ChorusError('INVALID_UPDATE', `numDocs ${report.numDocs} is more than this client holds (${maxDocs})`);
    }
    const part = decodeSparse(report, this.docFreq.counts.length);
    try {
      mergeSparseDocFreq(this.docFreq, { numDocs: report.numDocs, ...part });
    } catch (error) {
      throw new ChorusError('INVALID_UPDATE', (error as Error).message);
    }
    this.answered.add(clientId);
  }

  /**
   * A secure round: the client's masked counts were accepted into the secure sum (checked there); it has answered.
   * `maxDocs` is what the server knows of its data, summed to check the unmasked total.
   */
  acceptMasked(clientId: string, roundId: string, maxDocs: number): void {
    if (roundId !== this.roundId || !this.secure) throw new ChorusError('STALE_ROUND', `secure statistics round ${roundId} is not open`);
    if (!this.asked.has(clientId)) throw new ChorusError('NOT_SELECTED', 'this client was not asked for statistics in this round');
    if (this.answered.has(clientId)) throw new ChorusError('DUPLICATE_UPDATE', 'this client already sent its statistics');
    this.answered.add(clientId);
    this.answeredDocCap += Math.min(maxDocs, this.secure.maxDocs);
  }

  /**
   * A secure round's result: the unmasked sum of the answering clients' counts (one word per bucket, then the number
   * of documents). Refused when it cannot be honest: more documents than the clients hold together, or a bucket in
   * more documents than were counted (a client sent counts it does not have). Nothing is kept then.
   */
  setSum(sum: Uint32Array): void {
    if (!this.secure) throw new Error('only a secure statistics round has a sum');
    if (sum.length !== this.docFreq.counts.length + 1) throw new Error(`the sum has ${sum.length} words, not ${this.docFreq.counts.length + 1}`);
    const { counts, numDocs } = countsOfSum(sum);
    if (numDocs > this.answeredDocCap) throw new ChorusError('INVALID_UPDATE', `the sum counts ${numDocs} documents; the ${this.answered.size} clients hold at most ${this.answeredDocCap}`);
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > numDocs) throw new ChorusError('INVALID_UPDATE', `bucket ${i} occurs in ${counts[i]} documents of the sum, more than its ${numDocs}`);
    }
    this.docFreq.counts.set(counts);
    this.docFreq.numDocs = numDocs;
  }
}

function decodeSparse(report: StatsReport, buckets: number): { ids: Int32Array; counts: Uint32Array } {
  if (report.ids.byteLength % 4 !== 0) throw new ChorusError('INVALID_UPDATE', `ids: ${report.ids.byteLength} bytes is not a whole number of int32`);
  const n = report.ids.byteLength / 4;
  if (n > buckets) throw new ChorusError('INVALID_UPDATE', `ids: ${n} entries, the model has only ${buckets} buckets`);
  let counts: Uint32Array;
  try {
    counts = decodeUint32(report.counts, n, 'counts');
  } catch (error) {
    throw new ChorusError('INVALID_UPDATE', `${(error as Error).message} (one count per id)`);
  }
  const view = new DataView(report.ids.buffer, report.ids.byteOffset, report.ids.byteLength);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = view.getInt32(i * 4, true);
  return { ids, counts };
}
