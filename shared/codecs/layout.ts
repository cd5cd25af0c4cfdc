import type { ModelManifest } from '../model/manifest.ts';

/**
 * How a delta's flat values are laid out, as far as the codecs care: `rows` rows of `rowWidth` values (one per
 * hash bucket: the linear model's weight, or an embedding-bag row), then `length − rows·rowWidth` dense tail values
 * (the bias, and the embedding bag's head). A client's data touches a few percent of the buckets, so its delta is
 * zero on most rows; the tail always moves.
 */
export interface DeltaLayout {
  readonly length: number;
  readonly rows: number;
  readonly rowWidth: number;
}

/** The layout of a model's parameters: its first parameter is the per-bucket table (see model/architecture.ts). */
export function layoutOf(manifest: Pick<ModelManifest, 'params' | 'paramCount'>): DeltaLayout {
  const table = manifest.params[0];
  if (!table || table.offset !== 0 || table.shape.length < 1) throw new Error('model has no per-bucket table first');
  const rows = table.shape[0];
  return { length: manifest.paramCount, rows, rowWidth: table.length / rows };
}

/** A layout with no rows: every value is tail (for codecs tested on plain vectors). */
export function flatLayout(length: number): DeltaLayout {
  return { length, rows: 0, rowWidth: 1 };
}

export function tailLength(layout: DeltaLayout): number {
  return layout.length - layout.rows * layout.rowWidth;
}
