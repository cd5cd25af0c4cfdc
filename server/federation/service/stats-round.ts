import { decodeUint32 } from '../../../shared/model/binary-codec.ts';
import { ChorusError } from '../../../shared/protocol/errors.ts';
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
 * the server only ever sees these sums, never a text. The global document frequencies (and so the IDF of
 * model version 0) are the sum of the accepted reports.
 */
export class StatsRound {
  readonly docFreq: DocFreq;
  /** Bytes on the wire of this round (see client-handlers' traffic). */
  bytesUp = 0;
  bytesDown = 0;
  private readonly asked = new Set<string>();
  private readonly answered = new Set<string>();

  constructor(
    readonly roundId: string,
    readonly deadline: number,
    buckets: number,
  ) {
    this.docFreq = emptyDocFreq(buckets);
  }

  ask(clientId: string): void {
    this.asked.add(clientId);
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
