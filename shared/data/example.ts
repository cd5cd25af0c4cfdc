/** One labeled review. `label` is 1 for positive, 0 for negative. */
export interface Example {
  text: string;
  label: 0 | 1;
  /** Star rating (1–10) where the source has one, e.g. IMDB's `<id>_<rating>.txt`. */
  rating?: number;
}

/** A dataset split into the parts a source provides. Sources without a split put everything in `test`. */
export interface LabeledSplits {
  train: Example[];
  test: Example[];
}
