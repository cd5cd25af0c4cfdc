import type { Example } from '../../shared/data/example.ts';
import { Rng } from '../../shared/random/rng.ts';
import type { ScoredUpdate } from '../federation/strategies/validation-filter.ts';

/**
 * The validation filter's set in a simulation: `count` training reviews drawn by the seed (a stream of its own)
 * and taken out of the training set before the partition, so no virtual client ever trains on them, and the test
 * split stays untouched for the central evaluation.
 */
export function holdOutValidation(train: readonly Example[], count: number, seed: number): { validation: Example[]; train: Example[] } {
  if (count >= train.length) throw new Error(`--validation-examples ${count} would leave no training reviews (there are ${train.length})`);
  const order = new Rng((seed ^ 0x2e7) >>> 0).shuffle(train.map((_, i) => i));
  const held = new Set(order.slice(0, count));
  return { validation: [...held].map((i) => train[i]), train: train.filter((_, i) => !held.has(i)) };
}

/** One round's scores split into the attackers' and the honest clients', for rounds.jsonl. */
export interface RoundScores {
  attackers: number[];
  honest: number[];
  droppedAttackers: number;
  droppedHonest: number;
}

export function splitScores(scores: readonly ScoredUpdate[], attackers: readonly string[]): RoundScores {
  const attacking = new Set(attackers);
  const out: RoundScores = { attackers: [], honest: [], droppedAttackers: 0, droppedHonest: 0 };
  for (const { clientId, score, kept } of scores) {
    const isAttacker = clientId !== undefined && attacking.has(clientId);
    (isAttacker ? out.attackers : out.honest).push(score);
    if (!kept) out[isAttacker ? 'droppedAttackers' : 'droppedHonest']++;
  }
  return out;
}
