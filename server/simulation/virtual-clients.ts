import type { Example } from '../../shared/data/example.ts';
import type { SparseVector } from '../../shared/text/hash-terms.ts';
import type { LocalData } from '../../shared/train/local-round.ts';
import { countDocFreq, emptyDocFreq, mergeSparseDocFreq, toSparseDocFreq, type DocFreq } from '../../shared/text/doc-freq.ts';

/** One simulated client: an id the engine samples by and its examples, hashed once for the whole run. */
export interface VirtualClient {
  id: string;
  data: LocalData;
}

/**
 * Deals the hashed training examples out to clients as `partition()` decided. Term counts do not depend on the
 * model, so hashing happens once per run (`trainTerms`), and each client only keeps references to its rows.
 * Ids are zero-padded so that the engine's sorted sampling pool is in client order.
 */
export function createVirtualClients(trainTerms: readonly SparseVector[], train: readonly Example[], parts: readonly (readonly number[])[]): VirtualClient[] {
  if (trainTerms.length !== train.length) throw new Error(`${trainTerms.length} hashed texts for ${train.length} examples`);
  const width = String(parts.length - 1).length;
  return parts.map((part, i) => ({
    id: `client-${String(i).padStart(width, '0')}`,
    data: { terms: part.map((index) => trainTerms[index]), labels: Float32Array.from(part, (index) => train[index].label) },
  }));
}

/**
 * The federated statistics step, exactly as the server runs it: each client counts document frequencies over
 * its own texts and sends them sparse (`toSparseDocFreq`); the server sums the reports (`mergeSparseDocFreq`,
 * which validates each one). No central counting: the IDF comes only from what clients reported.
 */
export function federatedDocFreq(clients: readonly VirtualClient[], buckets: number): { docFreq: DocFreq; bytesUp: number } {
  const global = emptyDocFreq(buckets);
  let bytesUp = 0;
  for (const client of clients) {
    const report = toSparseDocFreq(countDocFreq(client.data.terms, buckets));
    mergeSparseDocFreq(global, report);
    bytesUp += report.ids.byteLength + report.counts.byteLength;
  }
  return { docFreq: global, bytesUp };
}
