import { encodeFloat32 } from '../../../shared/model/binary-codec.ts';
import type { ModelBundle } from '../../../shared/model/model-bundle.ts';
import { buildWeightsDiff } from '../../../shared/model/weights-diff.ts';
import { MAX_DIFF_SPAN } from '../../../shared/protocol/http.ts';

/**
 * What a simulated client downloads for the weights of the version it is asked to train, as the real client does
 * (client/core/model-keeper.ts, docs/downlink.md): nothing if it already holds that version; the diff
 * (`/api/model/{v}/diff?from={u}`, its exact size from the same builder the server uses) if it holds a version u
 * 1 to MAX_DIFF_SPAN versions older; otherwise the full float32 weights. A client holds the last version it
 * downloaded for work (a cancelled or dropped-out client did download it). Not modelled: gzip on the wire (the server
 * compresses files and diffs where that saves a tenth), and a client refreshing its model between pieces of work.
 */
export class HeldWeights {
  private readonly held = new Map<string, number>();
  /** The weights of recent versions (the only ones a diff can start from), by version. */
  private readonly recent = new Map<number, { weights: Uint8Array; sha256: string }>();
  /** Diff sizes by "u→v": every client that held u and is asked for v fetches the same diff. */
  private readonly diffBytes = new Map<string, number>();

  /** Bytes of weights `clientId` fetches to hold `global`, and from then on it holds it. */
  fetch(clientId: string, global: ModelBundle): number {
    const v = global.manifest.modelVersion;
    if (!this.recent.has(v)) {
      this.recent.set(v, { weights: encodeFloat32(global.params), sha256: global.manifest.weightsSha256 });
      for (const old of this.recent.keys()) if (old < v - MAX_DIFF_SPAN) this.recent.delete(old);
    }
    const u = this.held.get(clientId);
    this.held.set(clientId, v);
    if (u === v) return 0;
    const full = global.params.length * 4;
    if (u === undefined || v - u < 1 || v - u > MAX_DIFF_SPAN) return full;
    const base = this.recent.get(u);
    if (!base) return full;
    const key = `${u}→${v}`;
    let bytes = this.diffBytes.get(key);
    if (bytes === undefined) {
      bytes = buildWeightsDiff(base, this.recent.get(v) as { weights: Uint8Array; sha256: string }).bytes.byteLength;
      this.diffBytes.set(key, bytes);
      if (this.diffBytes.size > 4 * MAX_DIFF_SPAN * MAX_DIFF_SPAN) this.diffBytes.delete(this.diffBytes.keys().next().value as string);
    }
    return bytes;
  }
}
