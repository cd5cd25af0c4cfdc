import type { RoundHooks, RoundsInput, RoundsOutcome } from '../in-process.ts';
import { Availability, readAvailabilityTrace } from './availability.ts';
import { deviceThroughputs } from './devices.ts';
import { runAsyncOnClock } from './async-on-clock.ts';
import { runSyncOnClock } from './sync-on-clock.ts';

/** `--mode sync|async`: the clients' availability and speeds from the seed (or a trace), then the mode's run. */
export async function runOnClock(input: RoundsInput, hooks: RoundHooks = {}): Promise<RoundsOutcome> {
  const { config } = input;
  const clock = config.clock;
  const source = clock.availabilityTrace
    ? { kind: 'trace' as const, trace: await readAvailabilityTrace(clock.availabilityTrace) }
    : { kind: 'exponential' as const, onMeanSeconds: clock.onMeanMinutes * 60, offMeanSeconds: clock.offMeanMinutes * 60, seed: config.seed };
  const timed = { ...input, clock, availability: new Availability(input.clients.length, source), throughputs: deviceThroughputs(input.clients.length, clock, config.seed) };
  if (config.mode === 'async') return runAsyncOnClock({ ...timed, async: config.async }, hooks);
  if (config.mode === 'sync') return runSyncOnClock(timed, hooks);
  throw new Error(`runOnClock: mode ${config.mode} has no clock`);
}
