/**
 * How many clients a round samples, as in FedAvg: max(minClients, ⌈fraction × available⌉), never more than are
 * available. The one place this is computed: the engine's sampling, the simulation's progress and run record,
 * and the checks of --quorum against it all call it.
 *
 * The product is rounded to 12 significant digits before the ceiling so that a fraction that is exact in decimal
 * gives the decimal answer: 0.07 × 100 is 7.000000000000001 in binary floating point, which a bare ceiling
 * would turn into 8 clients instead of 7.
 */
export function clientsPerRound(available: number, fraction: number, minClients: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  const share = Math.ceil(Number((fraction * available).toPrecision(12)));
  return Math.min(available, Math.max(minClients, share));
}
