import type { Example } from '../../../shared/data/example.ts';
import { Rng } from '../../../shared/random/rng.ts';

const POSITIVE = ['great', 'wonderful', 'loved', 'brilliant', 'moving', 'superb'];
const NEGATIVE = ['awful', 'boring', 'hated', 'dull', 'terrible', 'waste'];
const FILLER = ['the', 'film', 'movie', 'plot', 'actor', 'scene', 'story', 'music', 'ending', 'cast', 'director', 'camera', 'script', 'night', 'city'];

/**
 * Generated reviews with a clear but noisy signal: each has a few sentiment words of its label, sometimes one of
 * the other, amid filler. Half positive, half negative, shuffled; deterministic for a seed.
 */
export function generateReviews(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const label = (i % 2) as 0 | 1;
    const own = label === 1 ? POSITIVE : NEGATIVE;
    const other = label === 1 ? NEGATIVE : POSITIVE;
    const words: string[] = [];
    for (let w = 0; w < 12; w++) words.push(FILLER[rng.int(FILLER.length)]);
    for (let s = 0; s < 2; s++) words.splice(rng.int(words.length), 0, own[rng.int(own.length)]);
    if (rng.next() < 0.3) words.splice(rng.int(words.length), 0, other[rng.int(other.length)]);
    out.push({ text: words.join(' '), label });
  }
  return rng.shuffle(out);
}
