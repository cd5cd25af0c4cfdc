import { z } from 'zod';
import { innerMemory, type Aggregator, type AggregatorSpec, type ClientUpdate } from '../aggregation/aggregator.ts';
import type { BoundReport, ValidationFilterReport } from '../aggregation/update-bound.ts';
import type { ValidationSet } from '../aggregation/validation-loss.ts';
import type { OptimizerState } from '../optimizers/server-optimizer.ts';
import { composeStrategy, type Strategy } from './strategy.ts';

export const validationFilterSchema = z
  .strictObject({
    /** Zeno's b: the lowest-scoring updates dropped every round, whatever their scores. */
    drop: z.number().int().min(0).max(100_000).default(0),
    /** Updates scoring below this are dropped too (unset: none for its score alone). */
    threshold: z.number().min(-1e6).max(1e6).optional(),
    /** Zeno's ρ: the score's penalty per squared L2 norm of the update. */
    rho: z.number().min(0).max(1e6).default(0),
  })
  .refine((c) => c.drop > 0 || c.threshold !== undefined, { message: 'the validation filter needs a number of updates to drop or a threshold' });
export type ValidationFilterConfig = z.output<typeof validationFilterSchema>;

/** One update's score, for the run's records (the simulation splits them into attackers' and honest clients'). */
export interface ScoredUpdate {
  clientId: string | undefined;
  score: number;
  kept: boolean;
}

/**
 * Zeno (Xie et al. 2019): each update is scored on a small labelled set the server holds by how much it lowers the
 * loss, score = L(w) − L(w + δ) − ρ‖δ‖², and the lowest-scoring are dropped before the inner aggregator sees the
 * round. The bounds look at an update alone and cannot see an attacker that trains honestly on wrong labels
 * (label-flip: honest norms, honest step sizes); its update raises the loss on correctly labelled data, which only
 * data can show.
 *
 * Drops: the `drop` lowest (Zeno's b) and every update scoring below `threshold`; at least the best one is kept,
 * so a round never ends empty. The decision needs the whole round, so the updates are kept until `result()`
 * (K × model memory, as the robust aggregators), then the kept ones go to the inner aggregator in arrival order.
 * A dropped update was accepted (its client is not refused and counts among the round's results); the round's
 * report says how many were dropped and the scores. The global model comes with the round (CohortInfo.global):
 * without it (FedBuff's buffer) the filter cannot score, and says so.
 */
export function withValidationFilter<S extends OptimizerState>(
  inner: Strategy<S>,
  validation: ValidationSet,
  config: z.input<typeof validationFilterSchema>,
  observe?: (scores: readonly ScoredUpdate[]) => void,
): Strategy<S> {
  const parsed = validationFilterSchema.safeParse(config);
  if (!parsed.success) throw new Error(`validation filter: ${z.prettifyError(parsed.error)}`);
  const settings = parsed.data;
  return composeStrategy({
    name: `${inner.name}+zeno`,
    options: { ...inner.options, zenoDrop: settings.drop, zenoRho: settings.rho, validationExamples: validation.size, ...(settings.threshold !== undefined ? { zenoThreshold: settings.threshold } : {}) },
    aggregator: filteredAggregator(inner.aggregator, validation, settings, observe),
    optimizer: inner.optimizer,
    configureClients: (base) => inner.configureClients(base),
  });
}

function filteredAggregator(inner: AggregatorSpec, validation: ValidationSet, settings: ValidationFilterConfig, observe?: (scores: readonly ScoredUpdate[]) => void): AggregatorSpec {
  return {
    name: inner.name,
    options: inner.options,
    ...innerMemory(inner),
    create(length, info) {
      if (!info?.global) throw new Error('the validation filter needs the global model of the round (it does not apply to asynchronous buffers)');
      const loss = validation.open(info.global);
      const held: ClientUpdate[] = [];
      let examples = 0;
      let cohort: Aggregator | null = null;
      let report: ValidationFilterReport | null = null;
      const decide = (): Aggregator => {
        if (cohort) return cohort;
        const scores = held.map((update) => scoreUpdate(loss.base, loss.after(update.delta), update.delta, settings.rho));
        const keep = keptUpdates(scores, settings);
        cohort = inner.create(length, info);
        held.forEach((update, i) => {
          if (keep[i]) (cohort as Aggregator).add(update);
        });
        report = reportOf(validation.size, loss.base, scores, keep, settings);
        observe?.(held.map((update, i) => ({ clientId: update.clientId, score: scores[i], kept: keep[i] })));
        held.length = 0;
        return cohort;
      };
      return {
        add(update) {
          if (cohort) throw new Error('the validation filter decided this round already');
          held.push(update);
          examples += update.numExamples;
        },
        get count() {
          return cohort ? cohort.count : held.length;
        },
        get totalExamples() {
          return cohort ? cohort.totalExamples : examples;
        },
        result: () => decide().result(),
        report(): BoundReport {
          const innerReport = cohort?.report?.();
          return {
            normBound: innerReport?.normBound ?? null,
            acceptedNormMedian: innerReport?.acceptedNormMedian ?? null,
            acceptedNormMax: innerReport?.acceptedNormMax ?? null,
            refused: { ...innerReport?.refused },
            ...(report ? { validationFilter: report } : {}),
          };
        },
      };
    },
  };
}

/** Zeno's score: the validation loss the update takes away, less ρ times its squared norm. */
export function scoreUpdate(lossBefore: number, lossAfter: number, delta: Float32Array, rho: number): number {
  if (rho === 0) return lossBefore - lossAfter;
  let sumSq = 0;
  for (let i = 0; i < delta.length; i++) sumSq += delta[i] * delta[i];
  return lossBefore - lossAfter - rho * sumSq;
}

/** Which updates stay: not among the `drop` lowest scores, not under the threshold; the best one always. */
export function keptUpdates(scores: readonly number[], settings: Pick<ValidationFilterConfig, 'drop' | 'threshold'>): boolean[] {
  // Lowest first; ties broken by arrival so the decision is deterministic.
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
  const keep = scores.map((score) => settings.threshold === undefined || score >= settings.threshold);
  for (const i of order.slice(0, settings.drop)) keep[i] = false;
  if (scores.length > 0 && !keep.some(Boolean)) keep[order[order.length - 1]] = true;
  return keep;
}

function reportOf(examples: number, baseLoss: number, scores: readonly number[], keep: readonly boolean[], settings: ValidationFilterConfig): ValidationFilterReport {
  const kept = scores.filter((_, i) => keep[i]);
  const dropped = scores.filter((_, i) => !keep[i]);
  return {
    examples,
    drop: settings.drop,
    threshold: settings.threshold ?? null,
    baseLoss,
    dropped: dropped.length,
    keptScoreMin: kept.length ? Math.min(...kept) : null,
    droppedScoreMax: dropped.length ? Math.max(...dropped) : null,
  };
}
