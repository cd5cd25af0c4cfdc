import type { Example } from '../../shared/data/example.ts';
import { DataError } from './errors.ts';

/**
 * Stanford's aclImdb layout, shared by the archive and directory readers:
 * `aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt`. Everything else (train/unsup, *.feat,
 * urls_*.txt, README, imdb.vocab) is not a labeled review and is skipped.
 */
export type ImdbSplit = 'train' | 'test';

export interface ImdbReviewLocation {
  split: ImdbSplit;
  label: 0 | 1;
  id: number;
  rating: number;
}

export interface ImdbReview extends ImdbReviewLocation {
  text: string;
}

// An optional single top folder (normally `aclImdb`) so a re-packed archive still loads.
const REVIEW_PATH = /^(?:\.\/)?(?:[^/]+\/)?(train|test)\/(pos|neg)\/([^/]+)$/;
const REVIEW_NAME = /^(\d+)_(\d+)\.txt$/;

/**
 * Where a review lives, from its path inside the archive (or relative to the aclImdb folder);
 * null for anything that is not a labeled review. `file` names the source in errors.
 */
export function locateImdbReview(relativePath: string, file: string): ImdbReviewLocation | null {
  const match = REVIEW_PATH.exec(relativePath);
  if (!match) return null;
  const [, split, folder, name] = match;
  if (!name.endsWith('.txt')) return null;
  const parts = REVIEW_NAME.exec(name);
  if (!parts) throw new DataError(file, `${relativePath}: review files must be named <id>_<rating>.txt`);
  const rating = Number(parts[2]);
  if (rating < 1 || rating > 10) throw new DataError(file, `${relativePath}: rating must be 1–10 (got ${rating})`);
  return { split: split as ImdbSplit, label: folder === 'pos' ? 1 : 0, id: Number(parts[1]), rating };
}

/**
 * Orders reviews by split, label, then numeric id so every run sees the same sequence whatever order
 * the archive or the file system listed them in, and checks both splits are there.
 */
export function assembleImdbSplits(reviews: ImdbReview[], file: string): { train: Example[]; test: Example[] } {
  const ordered = [...reviews].sort((a, b) => a.label - b.label || a.id - b.id);
  const train: Example[] = [];
  const test: Example[] = [];
  for (const review of ordered) {
    const example: Example = { text: review.text, label: review.label, rating: review.rating };
    (review.split === 'train' ? train : test).push(example);
  }
  if (train.length === 0 && test.length === 0) {
    throw new DataError(file, 'no IMDB reviews found (expected aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt)');
  }
  if (train.length === 0) throw new DataError(file, 'no training reviews found (aclImdb/train/{pos,neg} is missing or empty)');
  if (test.length === 0) throw new DataError(file, 'no test reviews found (aclImdb/test/{pos,neg} is missing or empty)');
  return { train, test };
}
